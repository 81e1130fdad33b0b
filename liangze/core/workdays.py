"""Working days on the Chinese calendar: holidays skipped, 调休 Saturdays counted (NF-5).

Two sources: the years chinesecalendar ships (the State Council's notices up to
its release), then the years a system administrator entered from later notices
(core.models.HolidayYear). A shipped year always comes from the library. Beyond
both we fall back to Monday–Friday, and `has_official_calendar` says so, so that
pages can warn that a deadline in that year is only an estimate.

Shipped answers are cached per date: chinesecalendar validates each date against
the whole holiday table (tens of microseconds a call), and the escalation job,
the deadlines and the evidence limits ask about the same few hundred days
thousands of times. Entered years are loaded in one query and kept per process:
a save in this process drops them at once (`forget_entered_years`), other
processes reload them after ENTERED_YEARS_SECONDS.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from time import monotonic

import chinese_calendar
from chinese_calendar.constants import holidays as _shipped_holidays

from liangze.core.models import HolidayYear

# Eleven years of days: every date a run asks about, bounded all the same.
_CACHED_DAYS = 4096
FIRST_SHIPPED_YEAR: int = min(_shipped_holidays).year
LAST_SHIPPED_YEAR: int = max(_shipped_holidays).year
# Entering a year is a once-a-year event; a worker may see it five minutes late.
ENTERED_YEARS_SECONDS = 300


@dataclass(frozen=True)
class _Year:
    holidays: frozenset[date]
    workdays: frozenset[date]


@dataclass
class _Entered:
    years: dict[int, _Year] = field(default_factory=dict)
    loaded_at: float | None = None


_entered = _Entered()


def is_shipped(year: int) -> bool:
    return FIRST_SHIPPED_YEAR <= year <= LAST_SHIPPED_YEAR


def _entered_years() -> dict[int, _Year]:
    now = monotonic()
    if _entered.loaded_at is None or now - _entered.loaded_at > ENTERED_YEARS_SECONDS:
        years = {
            row.year: _Year(
                holidays=frozenset(
                    date.fromordinal(n)
                    for h in row.holidays
                    for n in range(
                        date.fromisoformat(h["start"]).toordinal(),
                        date.fromisoformat(h["end"]).toordinal() + 1,
                    )
                ),
                workdays=frozenset(date.fromisoformat(w["day"]) for w in row.workdays),
            )
            for row in HolidayYear.objects.only("year", "holidays", "workdays")
        }
        if years != _entered.years:
            _between.cache_clear()
        _entered.years, _entered.loaded_at = years, now
    return _entered.years


def forget_entered_years() -> None:
    """Reload the entered years on the next question (after a save, and between tests)."""
    _entered.loaded_at = None
    _entered.years = {}
    _between.cache_clear()


@lru_cache(maxsize=_CACHED_DAYS)
def _shipped_workday(day: date) -> bool:
    return bool(chinese_calendar.is_workday(day))


def is_workday(day: date) -> bool:
    if is_shipped(day.year):
        return _shipped_workday(day)
    entered = _entered_years().get(day.year)
    if entered is None:
        return day.weekday() < 5
    if day in entered.workdays:
        return True
    return day.weekday() < 5 and day not in entered.holidays


def has_official_calendar(year: int) -> bool:
    """Whether `year`'s holidays are known; if not, its working days are only Monday–Friday."""
    return is_shipped(year) or year in _entered_years()


def add_workdays(start: date, count: int) -> date:
    """The `count`-th working day after `start` (“5 个工作日内” counts from the next day)."""
    if count < 0:
        raise ValueError("count must not be negative")
    day = start
    while count:
        day += timedelta(days=1)
        if is_workday(day):
            count -= 1
    return day


def workdays_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end`."""
    if not (is_shipped(start.year) and is_shipped(end.year)):
        _entered_years()  # a reload that finds a change clears the cached walks
    return _between(start, end)


# The escalation ladder asks for the same (deadline, today) walks for every cell
# of a county: caching the walk, not only the day, is 10x on a county run.
@lru_cache(maxsize=1024)
def _between(start: date, end: date) -> int:
    days = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        days += is_workday(day)
    return days
