"""Scheduled core work, run by the huey consumer (`manage.py run_huey`)."""

from dataclasses import asdict
from typing import Any

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from liangze.core import files, jobs

JOB = "clean_orphan_files"


def summary(counts: files.OrphanCounts) -> dict[str, Any]:
    return asdict(counts) | {"names": counts.names[:20]}


# Sunday night, when nobody uploads: files left by rolled-back uploads or killed seeds.
@db_periodic_task(crontab(day_of_week="0", hour="4", minute="0"))  # type: ignore[untyped-decorator]  # huey has no types
def clean_orphan_files() -> files.OrphanCounts | None:
    slot = jobs.weekly_slot(timezone.localdate())
    return jobs.run_once(JOB, slot, files.orphan_files_clean, summary)
