from datetime import date

import pytest

from liangze.core.workdays import add_workdays, has_official_calendar, is_workday, workdays_between


def test_it_skips_the_national_day_holiday_and_counts_the_swapped_saturday() -> None:
    # 2026: 10月1日–7日 放假, 10月10日（星期六）上班.
    assert not is_workday(date(2026, 10, 5))
    assert is_workday(date(2026, 10, 10))
    # A meeting on 9月30日: evidence due within 5 working days → 10月8、9、10、12、13日.
    assert add_workdays(date(2026, 9, 30), 5) == date(2026, 10, 13)


def test_it_counts_working_days_between_two_dates() -> None:
    assert workdays_between(date(2026, 9, 30), date(2026, 10, 13)) == 5
    assert workdays_between(date(2026, 10, 13), date(2026, 10, 13)) == 0


@pytest.mark.django_db  # a year the library does not ship may have been entered
def test_it_falls_back_to_weekdays_beyond_the_published_calendar() -> None:
    assert not has_official_calendar(2099)
    assert is_workday(date(2099, 1, 1))  # a Thursday; no holiday data that far ahead
    assert not is_workday(date(2099, 1, 3))  # a Saturday
    assert has_official_calendar(2026)
