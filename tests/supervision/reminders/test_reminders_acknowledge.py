"""Several reminders read at once (reminders_acknowledge): one check each, one write, one event."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liangze import access
from liangze.accounts.models import User
from liangze.core.models import AuditEvent
from liangze.orgs.models import Person
from liangze.supervision.models import Reminder
from liangze.supervision.reminders.services import reminders_acknowledge
from tests.fixtures.county import County

pytestmark = pytest.mark.django_db


def reminders(county: County, count: int, person: Person | None = None) -> list[Reminder]:
    """`count` 提醒本人 steps of 城关镇, for 张建国 (the secretary) unless `person`."""
    person = person or county.township_secretary.person
    return [
        Reminder.objects.create(
            step=Reminder.Step.REMINDER,
            cause=f"item:{n}:2026-Q1",
            org=county.chengguan,
            period="2026-Q1",
            deadline=date(2026, 4, 8),
            recipient_person=person,
            raised_on=date(2026, 4, 1),
            message="台账将于 2026-04-08 截止，请及时填报。",
        )
        for n in range(count)
    ]


def queries_for(actor: User, found: list[Reminder]) -> int:
    access.scope_for(actor)  # read once per request, as a view would have by then
    with CaptureQueriesContext(connection) as captured:
        reminders_acknowledge(actor=actor, reminders=found)
    return len(captured.captured_queries)


def test_it_reads_fifty_reminders_in_the_queries_five_take(county: County) -> None:
    actor = county.township_secretary
    small = queries_for(actor, reminders(county, 5))
    Reminder.objects.all().delete()
    large = queries_for(actor, reminders(county, 50))
    assert large == small <= 10
    assert not Reminder.objects.filter(acknowledged_at=None).exists()


def test_it_records_one_event_naming_the_newly_read_and_keeps_earlier_times(county: County) -> None:
    found = reminders(county, 4)
    Reminder.objects.filter(pk=found[0].pk).update(acknowledged_at="2026-04-02T02:00Z")
    found[0].refresh_from_db()
    assert found[0].acknowledged_at is not None
    done = reminders_acknowledge(actor=county.township_secretary, reminders=found)
    assert done == found[1:]
    event = AuditEvent.objects.get(data__acknowledged=True)
    assert event.verb == AuditEvent.Verb.UPDATE
    assert event.data["reminders"] == [str(r.code) for r in found[1:]]
    assert "3 条" in event.object_label
    found[0].refresh_from_db()
    assert found[0].acknowledged_at is not None
    assert found[0].acknowledged_at.isoformat() == "2026-04-02T02:00:00+00:00"
    # Again: nothing left to read, nothing written.
    assert reminders_acknowledge(actor=county.township_secretary, reminders=found) == []
    assert AuditEvent.objects.filter(data__acknowledged=True).count() == 1


def test_one_reminder_of_somebody_else_refuses_the_lot(county: County) -> None:
    mine = reminders(county, 3)
    theirs = Reminder.objects.create(
        step=Reminder.Step.REMINDER,
        cause="item:99:2026-Q1",
        org=county.chengguan,
        period="2026-Q1",
        recipient_person=county.township_member.person,
        raised_on=date(2026, 4, 1),
        message="台账将于 2026-04-08 截止，请及时填报。",
    )
    with pytest.raises(PermissionDenied):
        reminders_acknowledge(actor=county.township_secretary, reminders=[*mine, theirs])
    assert not Reminder.objects.filter(acknowledged_at__isnull=False).exists()
    assert not AuditEvent.objects.filter(data__acknowledged=True).exists()
