"""Moving every row to another database keeps the audit chain and the signatures verifiable."""

import os
import secrets
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connections
from django.utils.connection import ConnectionDoesNotExist

from liangze.core import audit, files, integrity, transfer
from liangze.core.models import AuditEvent, Evidence
from liangze.duties.models import DutyList, Signature
from tests.fixtures.county import County
from tests.fixtures.evidence import photo

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("media")]

POSTGRES = os.environ.get("LIANGZE_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test, dropped after it."""
    psycopg = pytest.importorskip("psycopg")
    try:
        server = psycopg.connect(POSTGRES, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        pytest.skip(f"PostgreSQL 不可用（{POSTGRES}）：跳过迁移到 PostgreSQL 的测试。{error}")
    name = f"liangze_mig_{secrets.token_hex(4)}"
    server.execute(f'CREATE DATABASE "{name}"')
    try:
        yield POSTGRES.rsplit("/", 1)[0] + f"/{name}"
    finally:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.close()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'target.sqlite3'}"


@pytest.fixture(params=["sqlite_url", "postgres_url"])
def target(request: pytest.FixtureRequest) -> str:
    return str(request.getfixturevalue(request.param))


@pytest.fixture
def source(county: County, signed: DutyList) -> None:
    files.evidence_store(actor=county.clerk, org=county.chengguan, upload=photo())
    for n in range(3):
        audit.record(
            actor=county.clerk, verb=audit.Verb.UPDATE, obj=county.chengguan, data={"n": n}
        )


def migrate(*args: str) -> str:
    out = StringIO()
    call_command("migrate_database", *args, stdout=out)
    return out.getvalue()


def test_it_keeps_the_chain_and_the_signatures(source: None, target: str) -> None:
    output = migrate("--to", target)
    assert "源数据库校验" in output and "目标数据库校验" in output and "迁移完成" in output
    transfer.connect("check", target)
    try:
        assert [r.failures for r in integrity.verify("check")] == [[], [], []]
        assert list(
            AuditEvent.objects.using("check").order_by("seq").values_list("at", "digest")
        ) == list(AuditEvent.objects.order_by("seq").values_list("at", "digest"))
        assert any(
            at.microsecond % 1000
            for at in AuditEvent.objects.using("check").values_list("at", flat=True)
        )
        assert Signature.objects.using("check").count() == Signature.objects.count() == 1
        evidence = Evidence.objects.using("check").get()
        assert evidence.uploaded_at == Evidence.objects.get().uploaded_at
        # Sequences continue after the copied keys: the next write on the target lands.
        event = AuditEvent.objects.using("check").order_by("-seq").first()
        assert event is not None
        assert audit.head("check") == (event.seq, event.digest)
        new = Evidence.objects.using("check").create(
            org_id=evidence.org_id, file="x", original_name="x", content_type="x", size=1, sm3="0"
        )
        assert new.pk > evidence.pk
    finally:
        transfer.disconnect("check")


def test_it_refuses_a_target_with_data_unless_forced(source: None, target: str) -> None:
    migrate("--to", target)
    with pytest.raises(CommandError, match="目标数据库已有数据"):
        migrate("--to", target)
    assert "迁移完成" in migrate("--to", target, "--force")


def test_it_refuses_a_source_whose_chain_is_broken(source: None, sqlite_url: str) -> None:
    AuditEvent.objects.filter(seq=2).update(actor_name="改过")
    with pytest.raises(CommandError, match="源数据库校验未通过"):
        migrate("--to", sqlite_url)
    with pytest.raises(ConnectionDoesNotExist):
        connections["migrate_target"]


def test_it_leaves_the_source_untouched(source: None, signed: DutyList, sqlite_url: str) -> None:
    """Data migrations run on the target only (one that marks published lists in force, here)."""
    DutyList.objects.filter(pk=signed.pk).update(status="published", in_force=False)
    before = list(DutyList.objects.values())
    migrate("--to", sqlite_url)
    assert list(DutyList.objects.values()) == before


def test_it_refuses_to_copy_a_database_onto_itself(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'one.sqlite3'}"
    with pytest.raises(CommandError, match="不能迁移到自身"):
        migrate("--from", url, "--to", url, "--force")
