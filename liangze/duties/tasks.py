"""Scheduled duties work, run by the huey consumer (`manage.py run_huey`)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from liangze.duties.coverage import tallies


# At night, when nobody accepts lists: a province's recount holds the year's lock ~10 s.
# It catches posts begun or ended through the org pages (which do not recount) and,
# for a year without a catalogue, moves the reference date "today" on.
@db_periodic_task(crontab(hour="2", minute="30"))  # type: ignore[untyped-decorator]  # huey has no types
def recount_coverage() -> list[int]:
    years = tallies.years_to_count()
    for year in years:
        tallies.rebuild(year)
    return years
