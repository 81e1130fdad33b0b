"""Scheduled dashboard work, run by the huey consumer (`manage.py run_huey`)."""

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from liangze.dashboard.services import SnapshotCounts, warning_snapshot_take


# Monday at 5:30, before office hours: the week's colours are on the dashboard when the
# discipline staff open it. At province scale the job takes minutes (bench/dashboard.py).
@db_periodic_task(crontab(day_of_week="1", hour="5", minute="30"))  # type: ignore[untyped-decorator]  # huey has no types
def snapshot_weekly() -> SnapshotCounts:
    return warning_snapshot_take(actor=None, on=timezone.localdate())
