"""Scheduled duties work, run by the huey consumer (`manage.py run_huey`)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from liangze.core import jobs
from liangze.duties.coverage import tallies

JOB = jobs.named(
    "recount_coverage",
    gettext_lazy("重算清单覆盖"),
    years=gettext_lazy("年度"),
    org=gettext_lazy("组织"),
)


def recount() -> list[int]:
    years = tallies.years_to_count()
    for year in years:
        tallies.rebuild(year)
    return years


# At night, when nobody accepts lists: a province's recount holds the year's lock ~10 s.
# It catches posts begun or ended through the org pages (which do not recount) and,
# for a year without a catalogue, moves the reference date "today" on.
@db_periodic_task(crontab(hour="2", minute="30"))  # type: ignore[untyped-decorator]  # huey has no types
def recount_coverage() -> list[int] | None:
    slot = jobs.daily_slot(timezone.localdate())
    return jobs.run_once(JOB, slot, recount, summary=lambda years: {"years": years})
