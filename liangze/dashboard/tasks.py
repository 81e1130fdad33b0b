"""Scheduled dashboard work, run by the huey consumer (`manage.py run_huey`)."""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from liangze.core import jobs
from liangze.dashboard.services import SnapshotCounts, warning_snapshot_take
from liangze.dashboard.warning import Colour

JOB = jobs.named(
    "snapshot_weekly",
    gettext_lazy("每周预警快照"),
    week=gettext_lazy("周"),
    weeks=gettext_lazy("各周"),
    units=gettext_lazy("单位"),
    people=gettext_lazy("人员"),
    colours=gettext_lazy("颜色"),
    **{str(colour): label for colour, label in Colour.choices},
)


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
