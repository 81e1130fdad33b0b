"""Scheduled dashboard work, run by the huey consumer (`manage.py run_huey`)."""

from typing import Any

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from liangze.core import jobs
from liangze.dashboard.services import SnapshotCounts, warning_snapshot_take

JOB = "snapshot_weekly"


def summary(counts: SnapshotCounts) -> dict[str, Any]:
    return {
        "week": counts.week.isoformat(),
        "units": counts.units,
        "people": counts.people,
        "colours": dict(counts.colours),
    }


# Monday at 5:30, before office hours: the week's colours are on the dashboard when the
# discipline staff open it. At province scale the job takes minutes (bench/dashboard.py).
@db_periodic_task(crontab(day_of_week="1", hour="5", minute="30"))  # type: ignore[untyped-decorator]  # huey has no types
def snapshot_weekly() -> SnapshotCounts | None:
    on = timezone.localdate()
    return jobs.run_once(
        JOB, jobs.weekly_slot(on), lambda: warning_snapshot_take(actor=None, on=on), summary
    )
