"""Scheduled supervision work, run by the huey consumer (`manage.py run_huey`)."""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from liangze.core import jobs
from liangze.supervision.models import Reminder
from liangze.supervision.reminders.services import Counts, run_escalation

JOB = jobs.named(
    "escalate_daily",
    gettext_lazy("督促升级"),
    cells=gettext_lazy("检查台账格"),
    figures=gettext_lazy("量化指标"),
    created=gettext_lazy("新生成提醒"),
    resolved=gettext_lazy("已解除"),
    reopened=gettext_lazy("重新提醒"),
    **{str(step): label for step, label in Reminder.Step.choices},
)


def summary(counts: Counts) -> dict[str, Any]:
    return {
        "cells": counts.cells,
        "figures": counts.figures,
        "created": dict(counts.created),
        "resolved": counts.resolved,
        "reopened": counts.reopened,
    }


# Before office hours, so the day's reminders are on the to-do pages when people log in.
@db_periodic_task(crontab(hour="7", minute="30"))  # type: ignore[untyped-decorator]  # huey has no types
def escalate_daily() -> Counts | None:
    on = timezone.localdate()
    return jobs.run_once(JOB, jobs.daily_slot(on), lambda: run_escalation(on=on), summary)
