import os
import threading
import time
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction

from liangze.core import files, tasks
from liangze.core.models import AuditEvent, Evidence, JobRun
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


# Orphans ----------------------------------------------------------------------------------


class Rollback(Exception):
    pass


def _age(path: str, hours: int) -> None:
    old = time.time() - hours * 3600
    os.utime(path, (old, old))


def _store_then_roll_back(county: County, content: bytes = PNG) -> str:
    """A request that stored a photo and then failed: the rows went, the file stayed."""
    with pytest.raises(Rollback), transaction.atomic():
        stored = files.evidence_store(
            actor=county.clerk, org=county.chengguan, upload=photo(content=content)
        )
        path: str = stored.file.path
        raise Rollback
    assert not Evidence.objects.exists()
    return path


def test_the_cleanup_removes_a_rolled_back_upload(county: County) -> None:
    path = _store_then_roll_back(county)
    assert os.path.exists(path)
    _age(path, 25)
    counts = files.orphan_files_clean()
    assert (counts.removed, counts.recent) == (1, 0)
    assert not os.path.exists(path)
    event = AuditEvent.objects.filter(object_label__startswith="清理孤立文件").get()
    assert event.data["removed"] == 1
    assert event.data["names"] == [f"evidence/{sm3_hex(PNG)[:2]}/{sm3_hex(PNG)}.png"]


def test_the_cleanup_keeps_a_file_a_row_names(county: County) -> None:
    stored = files.evidence_store(actor=county.clerk, org=county.chengguan, upload=photo())
    _age(stored.file.path, 24 * 400)
    counts = files.orphan_files_clean()
    assert (counts.removed, counts.kept) == (0, 1)
    assert files.evidence_intact(stored)


def test_the_cleanup_spares_an_upload_still_in_flight(county: County) -> None:
    path = _store_then_roll_back(county)
    counts = files.orphan_files_clean()
    assert (counts.removed, counts.recent) == (0, 1)
    assert os.path.exists(path)


def test_the_command_reports_what_it_removed(county: County) -> None:
    _age(_store_then_roll_back(county), 3)
    kept = _store_then_roll_back(county, PNG + b"other")
    out = StringIO()
    call_command("clean_orphan_files", "--hours", "2", stdout=out)
    assert "已删除孤立文件 1 个；宽限期内暂留 1 个；仍被引用 0 个。" in out.getvalue()
    assert os.path.exists(kept)
    run = JobRun.objects.get(job="clean_orphan_files")
    assert (run.state, run.counts["removed"]) == (JobRun.State.DONE, 1)


def test_the_weekly_task_runs_once_a_week(county: County) -> None:
    assert tasks.clean_orphan_files.call_local() is not None
    assert tasks.clean_orphan_files.call_local() is None


def test_the_cleanup_copes_with_an_empty_store(db: None) -> None:
    assert files.orphan_files_clean().removed == 0
