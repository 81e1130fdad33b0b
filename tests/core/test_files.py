import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from liangze.core import files
from liangze.core.models import AuditEvent, Evidence
from liangze.core.sm3 import sm3_hex
from tests.fixtures.county import County
from tests.fixtures.evidence import PNG, photo

# Files land in a temporary media folder (the `media` fixture), never the real one.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def test_it_stores_a_photo_under_its_sm3_digest(county: County) -> None:
    stored = files.evidence_store(actor=county.clerk, org=county.chengguan, upload=photo())
    assert stored.sm3 == sm3_hex(PNG)
    assert stored.file.name == f"evidence/{stored.sm3[:2]}/{stored.sm3}.png"
    assert stored.content_type == "image/png" and stored.original_name == "会议照片.png"
    assert files.evidence_intact(stored)


def test_it_stores_the_same_content_once(county: County) -> None:
    first = files.evidence_store(actor=county.clerk, org=county.chengguan, upload=photo())
    again = files.evidence_store(
        actor=county.clerk, org=county.chengguan, upload=photo("另一个名字.png")
    )
    assert first == again


def test_it_notices_a_swapped_file(county: County) -> None:
    stored = files.evidence_store(actor=county.clerk, org=county.chengguan, upload=photo())
    with open(stored.file.path, "ab") as handle:
        handle.write(b"tampered")
    assert not files.evidence_intact(stored)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("病毒.exe", b"MZ", "类型不支持"),
        ("伪装.png", b"MZ\x90\x00", "内容与扩展名不符"),
        ("太大.pdf", b"%PDF-" + b"0" * (20 * 1024 * 1024), "超过 20 MB"),
    ],
)
def test_it_refuses_bad_files_by_name(
    county: County, name: str, content: bytes, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        files.evidence_store(actor=county.clerk, org=county.chengguan, upload=photo(name, content))


def test_it_soft_deletes_and_keeps_the_bytes_and_an_audit_line(county: County) -> None:
    stored = files.evidence_store(actor=county.clerk, org=county.chengguan, upload=photo())
    files.evidence_delete(actor=county.clerk, evidence=stored)
    stored.refresh_from_db()
    assert stored.is_deleted
    assert files.evidence_intact(stored)
    assert AuditEvent.objects.filter(verb="delete", object_code=str(stored.code)).count() == 1
    again = files.evidence_store(actor=county.clerk, org=county.chengguan, upload=photo())
    assert again.pk != stored.pk


def test_it_streams_images_inline_and_office_files_as_downloads(county: County) -> None:
    image = files.evidence_store(actor=county.clerk, org=county.chengguan, upload=photo())
    inline = files.evidence_response(image)
    assert inline["Content-Type"] == "image/png"
    assert inline["Content-Disposition"].startswith("inline")
    assert inline.streaming and inline.getvalue() == PNG  # getvalue joins the stream
    sheet = files.evidence_store(
        actor=county.clerk, org=county.chengguan, upload=photo("台账.xlsx", b"PK\x03\x04rest")
    )
    assert files.evidence_response(sheet)["Content-Disposition"].startswith("attachment")


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs row locks and concurrent writers: PostgreSQL (LIANGZE_DATABASE_URL)",
)
@pytest.mark.django_db(transaction=True)
def test_five_simultaneous_uploads_of_one_file_store_it_once(county: County) -> None:
    barrier = threading.Barrier(5)
    stored: list[Evidence] = []
    errors: list[BaseException] = []

    def upload() -> None:
        try:
            barrier.wait()
            stored.append(
                files.evidence_store(actor=county.clerk, org=county.chengguan, upload=photo())
            )
        except BaseException as error:  # noqa: BLE001 — reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=upload) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len({e.pk for e in stored}) == 1 and len(stored) == 5
    assert Evidence.objects.filter(sm3=sm3_hex(PNG)).count() == 1
