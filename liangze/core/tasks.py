"""Scheduled core work, run by the huey consumer (`manage.py run_huey`)."""

from dataclasses import asdict
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from liangze.core import files, jobs

JOB = jobs.named(
    "clean_orphan_files",
    gettext_lazy("清理孤立文件"),
    removed=gettext_lazy("已删除"),
    recent=gettext_lazy("宽限期内暂留"),
    kept=gettext_lazy("仍被引用"),
    names=gettext_lazy("文件"),
)


def summary(counts: files.OrphanCounts) -> dict[str, Any]:
    return asdict(counts) | {"names": counts.names[:20]}


# Sunday night, when nobody uploads: files left by rolled-back uploads or killed seeds.
@db_periodic_task(crontab(day_of_week="0", hour="4", minute="0"))  # type: ignore[untyped-decorator]  # huey has no types
def clean_orphan_files() -> files.OrphanCounts | None:
    slot = jobs.weekly_slot(timezone.localdate())
    return jobs.run_once(JOB, slot, files.orphan_files_clean, summary)
