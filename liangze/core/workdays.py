"""Working days on the Chinese calendar: holidays skipped, 调休 Saturdays counted (NF-5).

The calendar data (chinesecalendar) covers the years the State Council has
announced; for a later year we fall back to Monday–Friday, and say so.

Every answer is cached per date: chinesecalendar validates each date against the
whole holiday table (tens of microseconds a call), and the escalation job, the
deadlines and the evidence limits ask about the same few hundred days thousands
of times. The calendar cannot change while a process runs (it ships in the package).
"""

from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar

# Eleven years of days: every date a run asks about, bounded all the same.
_CACHED_DAYS = 4096


@lru_cache(maxsize=_CACHED_DAYS)
def is_workday(day: date) -> bool:
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return day.weekday() < 5


@lru_cache(maxsize=64)
def has_official_calendar(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


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
    days = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        days += is_workday(day)
    return days
