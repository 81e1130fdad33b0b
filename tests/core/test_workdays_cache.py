"""The calendar is asked once per date: chinesecalendar checks each date against its whole table."""

from collections.abc import Iterator
from datetime import date, timedelta

import chinese_calendar
import pytest

from liangze.core import workdays


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[date]]:
    """The dates chinesecalendar is asked about, from a cold cache."""
    seen: list[date] = []
    real = chinese_calendar.is_workday

    def counting(day: date) -> bool:
        seen.append(day)
        return bool(real(day))

    monkeypatch.setattr(chinese_calendar, "is_workday", counting)
    workdays.is_workday.cache_clear()
    workdays.has_official_calendar.cache_clear()
    yield seen
    workdays.is_workday.cache_clear()
    workdays.has_official_calendar.cache_clear()


def test_it_asks_the_calendar_once_per_date(asked: list[date]) -> None:
    for _ in range(3):
        assert workdays.workdays_between(date(2026, 9, 30), date(2026, 10, 13)) == 5
        assert workdays.add_workdays(date(2026, 9, 30), 5) == date(2026, 10, 13)
    assert len(asked) == len(set(asked)) == 13  # 1 to 13 October, each once


def test_it_remembers_the_weekday_fallback_too(asked: list[date]) -> None:
    for _ in range(3):
        assert workdays.is_workday(date(2099, 1, 1))  # beyond the published calendar
        assert not workdays.has_official_calendar(2099)
    assert len(asked) == 2  # the date, and the year's first day for has_official_calendar


def test_the_cache_is_bounded() -> None:
    maxsize = workdays.is_workday.cache_info().maxsize
    assert maxsize is not None and maxsize >= 366 * 10  # a decade of days, not unbounded
    start = date(2020, 1, 1)
    for n in range(maxsize + 100):
        workdays.is_workday(start + timedelta(days=n))
    assert workdays.is_workday.cache_info().currsize == maxsize
    workdays.is_workday.cache_clear()
