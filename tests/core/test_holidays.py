"""Entering a year of holidays from the State Council's notice (core.holidays)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from liangze.core import holidays, workdays
from liangze.core.models import AuditEvent, HolidayYear
from liangze.core.periods import Period
from liangze.ledger.entries.clock import entry_deadline
from tests.fixtures.county import County
from tests.fixtures.holidays import ROWS_2027, enter_2027

pytestmark = pytest.mark.django_db

Q4 = Period.parse("2026-Q4")


def problems(year: int, text: str) -> list[str]:
    with pytest.raises(ValidationError) as raised:
        holidays.arrangement_from_rows(year, holidays.rows_from_text(text))
    return raised.value.messages


def test_it_makes_new_years_day_a_holiday_once_2027_is_entered(county: County) -> None:
    assert workdays.is_workday(date(2027, 1, 1))  # a Friday, counted as a working day
    assert not workdays.has_official_calendar(2027)
    enter_2027(county.system_admin)
    assert not workdays.is_workday(date(2027, 1, 1))
    assert workdays.is_workday(date(2027, 2, 14))  # a Sunday worked for 春节
    assert not workdays.is_workday(date(2027, 2, 8))  # a Monday of 春节
    assert workdays.has_official_calendar(2027)


def test_it_moves_the_q4_entry_deadline_past_new_years_day(county: County) -> None:
    # 5 working days after 2026-12-31: without 2027's holidays 元旦 counts.
    assert entry_deadline(Q4) == date(2027, 1, 7)
    enter_2027(county.system_admin)
    assert entry_deadline(Q4) == date(2027, 1, 8)
    assert workdays.workdays_between(date(2026, 12, 31), date(2027, 1, 8)) == 5


def test_it_records_who_entered_the_year_and_audits_each_correction(county: County) -> None:
    enter_2027(county.system_admin)
    row = HolidayYear.objects.get(year=2027)
    assert row.entered_by == county.system_admin
    assert row.holidays[0] == {"name": "元旦", "start": "2027-01-01", "end": "2027-01-03"}
    created = AuditEvent.objects.get(object_type="core.holidayyear")
    assert (created.verb, created.data["notice_number"]) == ("create", "国办发明电〔2026〕9号")

    enter_2027(county.system_admin, ROWS_2027.replace("2027-01-03", "2027-01-02"))
    assert not workdays.is_workday(date(2027, 1, 2))
    assert workdays.add_workdays(date(2026, 12, 31), 1) == date(2027, 1, 4)
    updated = AuditEvent.objects.filter(object_type="core.holidayyear").first()
    assert updated is not None and updated.verb == "update"
    old, new = updated.data["holidays"]
    assert (old[0]["end"], new[0]["end"]) == ("2027-01-03", "2027-01-02")
    assert HolidayYear.objects.count() == 1


def test_it_refuses_a_year_the_library_ships(county: County) -> None:
    arrangement = holidays.arrangement_from_rows(2026, [["放假", "元旦", "2026-01-01"]])
    with pytest.raises(ValidationError) as raised:
        holidays.holiday_year_save(
            actor=county.system_admin,
            year=2026,
            notice_title=holidays.notice_title(2026),
            notice_number="国办发明电〔2025〕7号",
            arrangement=arrangement,
        )
    assert raised.value.message_dict == {"year": ["2026年的节假日安排已随日历库提供，无需录入。"]}
    assert not HolidayYear.objects.exists()


def test_it_names_the_row_of_each_problem() -> None:
    text = """\
类型,名称,开始日期,结束日期
放假,元旦,2026-12-31,2027-01-02
放假,春节,2027-02-06,2027-02-13
放假,除夕,2027-02-05,2027-02-06
上班,春节,2027-02-15
上班,春节,2027-02-07
请假,春节,2027-02-20
放假,,2027/13/1
上班,春节,2027-02-14,2027-02-15
"""
    assert problems(2027, text) == [
        "第7行：类型应为“放假”或“上班”，而不是“请假”",
        "第8行：缺少名称（如“元旦”“春节”）",
        "第8行：开始日期“2027/13/1”不是日期，请写成 2027-01-01 的格式",
        "第9行：调休上班日只写一天，不写结束日期",
        "第2行：元旦的日期不在2027年内",
        "第4行：除夕与第3行的春节日期重叠",
        "第5行：2027-02-15是星期一，调休上班日只能是星期六或星期日",
        "第6行：2027-02-07已是第3行春节的放假日",
    ]


def test_it_wants_at_least_one_holiday() -> None:
    assert problems(2027, "上班,春节,2027-02-14") == ["至少要有一行放假安排。"]
