"""Working days on the Chinese calendar: holidays skipped, 调休 Saturdays counted (NF-5).

The calendar data (chinesecalendar) covers the years the State Council has
announced; for a later year we fall back to Monday–Friday, and say so.
"""

from datetime import date, timedelta

import chinese_calendar


def is_workday(day: date) -> bool:
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return day.weekday() < 5


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
