from io import BytesIO
from urllib.parse import quote

import pytest
from django.http import HttpRequest
from django.test import RequestFactory
from django.utils import timezone
from openpyxl import load_workbook

from liangze.accounts.models import User
from liangze.core import downloads, xlsx
from liangze.core.models import AuditEvent
from tests.fixtures.county import County

pytestmark = pytest.mark.django_db


def get(user: User, query: dict[str, str] | None = None) -> HttpRequest:
    request = RequestFactory().get("/export", query or {})
    request.user = user
    return request


def test_it_writes_one_export_event_with_the_actor_and_returns_the_file(county: County) -> None:
    request = get(county.clerk, {"export": "xlsx", "year": "2026"})
    name = "城关镇党委-2026年领导班子主体责任清单-第1版.docx"
    response = downloads.audited_download(request, b"PK-docx", name, obj=county.chengguan)
    assert response.content == b"PK-docx"
    assert response["Content-Type"] == downloads.DOCX
    assert response["Content-Disposition"] == f"attachment; filename*=UTF-8''{quote(name)}"
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.EXPORT)
    assert event.actor == county.clerk
    assert event.object_code == str(county.chengguan.code)
    assert event.object_label == "城关镇党委"
    assert event.data == {"format": "docx", "query": "export=xlsx&year=2026"}


def test_it_names_an_export_of_no_one_object_by_its_label(county: County) -> None:
    downloads.audited_download(get(county.clerk), b"x", "整改-20260301.xlsx", label="整改", rows=3)
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.EXPORT)
    assert (event.object_type, event.object_label) == ("", "整改")
    assert event.data == {"format": "xlsx", "rows": 3}


def test_it_writes_a_sheet_counts_its_rows_and_dates_its_name(county: County) -> None:
    rows = iter([("城关镇", 1), ("河口镇", 2)])
    response = downloads.sheet_download(get(county.clerk), "工作活动", ["单位", "次数"], rows)
    day = f"{timezone.localdate():%Y%m%d}"
    assert response["Content-Type"] == xlsx.XLSX
    assert quote(f"工作活动-{day}.xlsx") in response["Content-Disposition"]
    sheet = load_workbook(BytesIO(response.content))["工作活动"]
    assert [tuple(r) for r in sheet.iter_rows(values_only=True)] == [
        ("单位", "次数"),
        ("城关镇", 1),
        ("河口镇", 2),
    ]
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.EXPORT)
    assert (event.actor, event.object_label, event.data["rows"]) == (county.clerk, "工作活动", 2)


def test_a_plain_attachment_is_not_audited_and_encodes_every_reserved_character(db: None) -> None:
    response = downloads.attachment(b"x", "督查/检查 结果.xlsx")
    assert response["Content-Disposition"] == (
        "attachment; filename*=UTF-8''"
        "%E7%9D%A3%E6%9F%A5%2F%E6%A3%80%E6%9F%A5%20%E7%BB%93%E6%9E%9C.xlsx"
    )
    assert not AuditEvent.objects.exists()
