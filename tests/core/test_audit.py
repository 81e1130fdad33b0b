import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from liangze.core import audit
from liangze.core.models import AuditEvent, AuditHead
from tests.fixtures.county import County

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(county: County) -> list[AuditEvent]:
    for n in range(5):
        audit.record(
            actor=county.clerk, verb=audit.Verb.UPDATE, obj=county.chengguan, data={"n": n}
        )
    return list(AuditEvent.objects.order_by("seq"))


def verify() -> str:
    from io import StringIO

    out = StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


def test_it_chains_every_event_to_the_one_before(chain: list[AuditEvent]) -> None:
    for before, after in zip(chain, chain[1:], strict=False):
        assert after.prev_digest == before.digest
        assert after.seq == before.seq + 1
    assert "审计链完整" in verify()


def test_it_records_who_what_and_the_object(county: County, chain: list[AuditEvent]) -> None:
    event = chain[-1]
    assert event.actor == county.clerk
    assert event.object_type == "orgs.org"
    assert event.object_code == str(county.chengguan.code)
    assert event.data == {"n": 4}


def test_it_names_an_edited_row(chain: list[AuditEvent]) -> None:
    target = chain[-3]
    # A raw UPDATE, as someone with database access would do it.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_auditevent SET actor_name = %s WHERE seq = %s", ["someone", target.seq]
        )
    with pytest.raises(CommandError, match=f"序号 {target.seq} 处断裂.*篡改"):
        verify()


def test_it_names_a_deleted_row(chain: list[AuditEvent]) -> None:
    target = chain[-3]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE seq = %s", [target.seq])
    with pytest.raises(CommandError, match=f"序号 {target.seq} 处断裂.*删除"):
        verify()


def test_it_notices_events_cut_off_the_end(chain: list[AuditEvent]) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE seq = %s", [chain[-1].seq])
    with pytest.raises(CommandError, match="链尾缺少事件"):
        verify()


def test_it_notices_a_rewritten_digest(chain: list[AuditEvent]) -> None:
    target = chain[1]
    AuditEvent.objects.filter(seq=target.seq).update(digest="0" * 64)
    with pytest.raises(CommandError, match=f"序号 {target.seq} 处断裂"):
        verify()


def test_it_keeps_the_head_at_the_tip(chain: list[AuditEvent]) -> None:
    head = AuditHead.objects.get()
    assert (head.seq, head.digest) == (chain[-1].seq, chain[-1].digest)


def test_it_lists_differences_for_update_events() -> None:
    assert audit.changes({"name": "甲", "kind": "x"}, {"name": "乙", "kind": "x"}) == {
        "name": ["甲", "乙"]
    }
