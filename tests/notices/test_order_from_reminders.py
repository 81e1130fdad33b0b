"""从督办提醒生成督办书 at a unit's real size: a hundred pending steps cost what five do."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liangze.core import workdays
from liangze.core.models import AuditEvent
from liangze.duties.models import DutyList
from liangze.notices import services
from liangze.notices.models import Notice
from liangze.supervision.models import Reminder
from tests.fixtures.county import County
from tests.fixtures.notices import order_reminder


def pending_steps(county: County, collective: DutyList, count: int) -> list[Reminder]:
    """`count` 督办书草稿 steps of 城关镇 for the county 纪委, over its items and months."""
    items = list(collective.items.order_by("seq"))
    return [
        order_reminder(
            county,
            collective,
            duty_item=items[n % len(items)],
            cause=f"item:{items[n % len(items)].pk}:2026-M{n // len(items) + 1:02d}",
            raised_on=date(2026, 5, 11),
        )
        for n in range(count)
    ]


def generate(
    county: County, collective: DutyList, count: int
) -> tuple[int, Notice, list[Reminder]]:
    steps = pending_steps(county, collective, count)
    with CaptureQueriesContext(connection) as captured:
        notice = services.order_from_reminder(actor=county.discipline_officer, reminder=steps[0])
    return len(captured.captured_queries), notice, steps


def test_it_handles_fifty_pending_steps_in_the_queries_five_take(
    county: County, collective: DutyList, today: date
) -> None:
    workdays.has_official_calendar(2027)  # entered holiday years: loaded once a process
    small, notice, steps = generate(county, collective, 5)
    assert set(notice.reminders.all()) == set(steps)
    Notice.objects.all().delete()
    Reminder.objects.all().delete()
    large, notice, steps = generate(county, collective, 50)
    assert large == small
    assert notice.reminders.count() == 50
    # Every step is off the body's to-dos, all at the same moment.
    read = Reminder.objects.filter(pk__in=[s.pk for s in steps]).values_list(
        "acknowledged_at", flat=True
    )
    assert None not in read and len(set(read)) == 1


def test_it_audits_the_handled_steps_in_one_event_naming_each(
    county: County, collective: DutyList, today: date
) -> None:
    steps = pending_steps(county, collective, 12)
    already = steps[3]
    Reminder.objects.filter(pk=already.pk).update(acknowledged_at="2026-05-12T02:00Z")
    services.order_from_reminder(actor=county.discipline_officer, reminder=steps[0])
    events = AuditEvent.objects.filter(data__acknowledged=True)
    assert events.count() == 1
    named = set(events.get().data["reminders"])
    assert named == {str(s.code) for s in steps} - {str(already.code)}
    already.refresh_from_db()
    assert already.acknowledged_at is not None
    assert already.acknowledged_at.isoformat() == "2026-05-12T02:00:00+00:00"  # kept its time


def test_it_acknowledges_nothing_for_a_body_the_actor_does_not_work_in(
    county: County, collective: DutyList, today: date
) -> None:
    steps = pending_steps(county, collective, 3)
    with pytest.raises(PermissionDenied):
        services.order_from_reminder(actor=county.dispatched_officer, reminder=steps[0])
    assert not Reminder.objects.filter(acknowledged_at__isnull=False).exists()
    assert not Notice.objects.exists()
