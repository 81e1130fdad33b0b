"""The calendar is asked once per date, and entered years are loaded once, not per question."""

import time
from collections.abc import Iterator
from datetime import date, timedelta

import chinese_calendar
import pytest
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from liangze.core import workdays
from liangze.core.models import HolidayYear


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[date]]:
    """The dates chinesecalendar is asked about, from a cold cache."""
    seen: list[date] = []
    real = chinese_calendar.is_workday

    def counting(day: date) -> bool:
        seen.append(day)
        return bool(real(day))

    monkeypatch.setattr(chinese_calendar, "is_workday", counting)
    workdays._shipped_workday.cache_clear()
    workdays.forget_entered_years()
    yield seen
    workdays._shipped_workday.cache_clear()
    workdays.forget_entered_years()


def test_it_asks_the_calendar_once_per_date(asked: list[date]) -> None:
    for _ in range(3):
        assert workdays.workdays_between(date(2026, 9, 30), date(2026, 10, 13)) == 5
        assert workdays.add_workdays(date(2026, 9, 30), 5) == date(2026, 10, 13)
    assert len(asked) == len(set(asked)) == 13  # 1 to 13 October, each once


@pytest.mark.django_db
def test_it_loads_the_entered_years_once(
    asked: list[date], django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_num_queries(1):
        for _ in range(3):
            assert workdays.add_workdays(date(2099, 1, 1), 20) == date(2099, 1, 29)
            assert workdays.workdays_between(date(2026, 12, 31), date(2099, 1, 1)) > 0
            assert not workdays.has_official_calendar(2099)
    assert asked == []  # the library is not asked about years it does not ship


@pytest.mark.django_db
def test_another_process_sees_an_entered_year_after_a_while(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert workdays.is_workday(date(2099, 1, 1))
    # Entered in another process: this one does not hear of the save.
    HolidayYear.objects.create(
        year=2099,
        notice_title="通知",
        notice_number="1号",
        holidays=[{"name": "元旦", "start": "2099-01-01", "end": "2099-01-01"}],
        entered_at=timezone.now(),
    )
    assert workdays.is_workday(date(2099, 1, 1))
    later = time.monotonic() + workdays.ENTERED_YEARS_SECONDS + 1
    monkeypatch.setattr(workdays, "monotonic", lambda: later)
    assert not workdays.is_workday(date(2099, 1, 1))


def test_the_cache_is_bounded() -> None:
    maxsize = workdays._shipped_workday.cache_info().maxsize
    assert maxsize is not None and maxsize >= 366 * 10  # a decade of days, not unbounded
    start = date(workdays.FIRST_SHIPPED_YEAR, 1, 1)
    for n in range(maxsize + 100):
        workdays.is_workday(start + timedelta(days=n))
    assert workdays._shipped_workday.cache_info().currsize == maxsize
    workdays._shipped_workday.cache_clear()
