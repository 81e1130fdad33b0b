"""Each refusal of the ledger: its status, and one `denied` event naming who and why."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from liangze import access
from liangze.duties.models import DutyList
from liangze.ledger.entries import services as entries
from liangze.ledger.models import ProgressEntry
from tests.fixtures.clients import Login
from tests.fixtures.clock import On
from tests.fixtures.county import County
from tests.refusals import the_denial

pytestmark = pytest.mark.django_db

SUMMER = date(2026, 8, 1)


def new_url(duty_list: DutyList, seq: int = 1, period: str = "2026-Q3") -> str:
    return reverse("ledger:entry_new", args=[duty_list.code, seq, period])


def test_it_refuses_the_activity_form_to_one_who_records_for_no_unit(
    login: Login, county: County
) -> None:
    new = reverse("ledger:activity_new")
    assert login(county.system_admin).get(new).status_code == 403
    event = the_denial(county.system_admin)
    assert event.object_label == "工作活动" and event.data["reason"] == "no_record"
    assert event.data["page"] == f"GET {new}"


def test_it_refuses_the_entry_form_to_a_supervisor(
    login: Login, county: County, published: DutyList, on: On
) -> None:
    on(SUMMER)
    assert login(county.discipline_officer).get(new_url(published)).status_code == 403
    item = published.items.get(seq=1)
    event = the_denial(county.discipline_officer)
    assert event.object_label == f"新建台账进度（{item}）"
    assert event.data["reason"] == "no_record"
    assert event.data["lookup"] == {"item": str(item.pk)}


def test_it_answers_404_to_a_period_no_entry_can_have(
    login: Login, county: County, published: DutyList, on: On
) -> None:
    on(SUMMER)
    assert login(county.clerk).get(new_url(published, period="2026-H2")).status_code == 404
    event = the_denial(county.clerk)
    assert event.data["reason"] == access.BAD_LOOKUP
    assert event.data["lookup"] == {"period": "2026-H2"}


def test_it_answers_404_to_an_unknown_item(
    login: Login, county: County, published: DutyList, on: On
) -> None:
    on(SUMMER)
    assert login(county.clerk).get(new_url(published, seq=999)).status_code == 404
    event = the_denial(county.clerk)
    assert event.object_label == "清单事项（不存在）"
    assert event.data["reason"] == access.NOT_FOUND and event.data["lookup"] == {"seq": "999"}


def test_it_answers_404_to_a_cell_of_no_period(
    login: Login, county: County, published: DutyList
) -> None:
    cell = reverse("ledger:cell", args=[published.code, 1, "2025-Q4"])
    assert login(county.township_secretary).get(cell).status_code == 404
    assert the_denial(county.township_secretary).data["reason"] == access.BAD_LOOKUP


def test_it_answers_404_to_a_malformed_org_on_the_indicators_page(
    login: Login, county: County
) -> None:
    response = login(county.township_secretary).get(
        reverse("ledger:indicators"), {"org": "not-a-code"}
    )
    assert response.status_code == 404
    event = the_denial(county.township_secretary)
    assert event.data["reason"] == access.BAD_LOOKUP
    assert event.data["lookup"] == {"code": "not-a-code"}


def test_it_refuses_an_entry_recorded_by_a_supervisor(
    county: County, published: DutyList, on: On
) -> None:
    on(SUMMER)
    with pytest.raises(PermissionDenied) as refused:
        entries.entry_add(
            actor=county.discipline_officer,
            item=published.items.get(seq=1),
            period="2026-Q3",
            text="代填",
            done_on=date(2026, 7, 15),
        )
    access.record_carried_refusal(refused.value)  # as the request's top level does
    assert the_denial(county.discipline_officer).data["reason"] == "no_record"
    assert not ProgressEntry.objects.exists()


def test_it_refuses_verification_by_the_unit_itself(
    county: County, published: DutyList, on: On
) -> None:
    on(SUMMER)
    entry = entries.entry_add(
        actor=county.clerk,
        item=published.items.get(seq=1),
        period="2026-Q3",
        text="召开专题会议",
        done_on=date(2026, 7, 15),
    )
    with pytest.raises(PermissionDenied) as refused:
        entries.entry_verify(actor=county.township_secretary, entry=entry)
    access.record_carried_refusal(refused.value)
    event = the_denial(county.township_secretary)
    assert event.object_code == str(entry.code) and event.data["reason"] == "no_verify"
    entry.refresh_from_db()
    assert entry.status == ProgressEntry.Status.SUBMITTED
