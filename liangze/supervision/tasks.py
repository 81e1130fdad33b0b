"""Scheduled supervision work, run by the huey consumer (`manage.py run_huey`)."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from liangze.supervision.reminders.services import Counts, run_escalation


# Before office hours, so the day's reminders are on the to-do pages when people log in.
@db_periodic_task(crontab(hour="7", minute="30"))  # type: ignore[untyped-decorator]  # huey has no types
def escalate_daily() -> Counts:
    return run_escalation(on=timezone.localdate())
