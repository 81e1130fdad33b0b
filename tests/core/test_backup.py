"""Backup → change → restore → verify, on the database the suite runs on (SQLite or PostgreSQL)."""

import io
import json
import tarfile
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection
from pytest_django import Settings

from liangze.core import audit, files
from liangze.core.models import AuditEvent, Evidence
from liangze.duties.models import DutyList
from liangze.orgs.models import Org
from tests.fixtures.county import County
from tests.fixtures.evidence import PNG, photo

# Restoring replaces the whole database: it cannot run inside a test's transaction.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("media")]
DUMP = {"sqlite": "sqlite3", "postgresql": "pgdump"}


@pytest.fixture(autouse=True)
def var_dir(settings: Settings, tmp_path: Path) -> Path:
    path = tmp_path / "var"
    path.mkdir()
    settings.VAR_DIR = path
    return path


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def archive(county: County, signed: DutyList, tmp_path: Path) -> Path:
    files.evidence_store(actor=county.clerk, org=county.chengguan, upload=photo())
    path = tmp_path / "liangze.tar.gz"
    output = run("backup", "--output", str(path))
    assert "备份完成" in output
    return path


def rewrite(archive: Path, change: dict[str, bytes]) -> None:
    """Replace some members' bytes and keep the rest, as someone editing the archive would."""
    with tarfile.open(archive, "r:gz") as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar if m.isfile()}  # type: ignore[union-attr]
    members.update(change)
    with tarfile.open(archive, "w:gz") as tar:
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))


def manifest_of(archive: Path) -> dict[str, Any]:
    with tarfile.open(archive, "r:gz") as tar:
        manifest: dict[str, Any] = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
        return manifest


def test_it_brings_back_what_changed_since_the_backup(
    county: County, signed: DutyList, archive: Path
) -> None:
    at_backup = manifest_of(archive)["audit_head"]
    kept = Evidence.objects.get()
    Org.objects.filter(pk=county.chengguan.pk).update(name="改过的名字")
    audit.record(actor=county.clerk, verb=audit.Verb.UPDATE, obj=county.chengguan)
    later = files.evidence_store(
        actor=county.clerk, org=county.chengguan, upload=photo("后来.png", PNG + b"later")
    )
    with default_storage.open(kept.file.name, "wb") as stored:
        stored.write(b"swapped")
    replaced_seq, replaced_digest = audit.head()

    output = run("restore", str(archive), "--yes")

    assert Org.objects.get(pk=county.chengguan.pk).name == county.chengguan.name
    assert list(Evidence.objects.all()) == [kept] and files.evidence_intact(kept)
    assert not Evidence.objects.filter(pk=later.pk).exists()
    assert "审计链：检查" in output and "签字背书 SM3：检查 2 项，通过" in output
    assert "佐证材料文件 SM3：检查 1 项，通过" in output and "全部校验通过" in output
    assert "审计链已回退" in output
    restore = AuditEvent.objects.get(verb=audit.Verb.RESTORE)
    assert restore.seq == at_backup["seq"] + 1
    assert restore.data["backup_head"] == at_backup
    assert restore.data["replaced_head"] == {"seq": replaced_seq, "digest": replaced_digest}
    assert audit.find_break() is None


def test_it_records_the_backup_in_the_trail(archive: Path) -> None:
    event = AuditEvent.objects.get(verb=audit.Verb.BACKUP)
    assert event.data["archive"] == archive.name
    assert event.data["audit_head"] == manifest_of(archive)["audit_head"]
    assert event.data["files"] == 1


def test_it_refuses_a_tampered_archive_naming_the_part(archive: Path) -> None:
    stored = Evidence.objects.get().file.name
    rewrite(archive, {f"files/{stored}": b"\x89PNG forged"})
    with pytest.raises(CommandError, match=f"“files/{stored}”的 SM3 与清单不符"):
        run("restore", str(archive), "--yes")
    assert not AuditEvent.objects.filter(verb=audit.Verb.RESTORE).exists()


def test_it_refuses_a_dump_of_the_other_engine(archive: Path) -> None:
    manifest = manifest_of(archive)
    manifest["engine"] = "sqlite" if connection.vendor == "postgresql" else "postgresql"
    rewrite(archive, {"manifest.json": json.dumps(manifest).encode()})
    with pytest.raises(CommandError, match="migrate_database"):
        run("restore", str(archive), "--yes")


def test_it_asks_before_overwriting(
    county: County, archive: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Org.objects.filter(pk=county.chengguan.pk).update(name="留着")
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="已取消"):
        run("restore", str(archive))
    assert Org.objects.get(pk=county.chengguan.pk).name == "留着"


def test_it_names_what_fails_verification(signed: DutyList, archive: Path) -> None:
    item = signed.items.order_by("seq").first()
    assert item is not None
    item.task = "签字后偷偷改的"
    item.save(update_fields=["task"])
    evidence = Evidence.objects.get()
    Evidence.objects.filter(pk=evidence.pk).update(sm3="0" * 64)
    run("backup", "--output", str(archive))
    out = StringIO()
    with pytest.raises(CommandError, match="校验发现问题"):
        call_command("restore", str(archive), "--yes", stdout=out)
    report = out.getvalue()
    assert f"✗ {signed}（第 1 版）主要负责人：内容与签字摘要不符" in report
    assert f"✗ {evidence.original_name}（{evidence.file.name}）：内容已改变" in report
    assert "审计链：检查" in report and "审计链：检查 0" not in report


def test_it_writes_a_different_secret_key_aside_without_printing_it(
    settings: Settings, archive: Path, var_dir: Path
) -> None:
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = "another-key-" + "x" * 40
    output = run("restore", str(archive), "--yes")
    assert "与当前密钥不同" in output and old_key not in output
    assert (var_dir / "secret_key.restored").read_text() == old_key
    assert (var_dir / "secret_key.restored").stat().st_mode & 0o077 == 0


def test_it_names_the_archive_itself_in_a_given_folder(tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    output = run("backup", "--output", str(folder))
    (archive,) = folder.glob("liangze-*.tar.gz")
    assert str(archive) in output
    assert archive.stat().st_mode & 0o077 == 0
    assert manifest_of(archive)["parts"][0]["name"] == f"database.{DUMP[connection.vendor]}"


def test_it_drops_tables_that_came_after_the_backup(archive: Path) -> None:
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE later_version_table (id integer)")
    run("restore", str(archive), "--yes")
    with connection.cursor() as cursor:
        assert "later_version_table" not in connection.introspection.table_names(cursor)
