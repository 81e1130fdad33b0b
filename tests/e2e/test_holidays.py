"""The system administrator is reminded in December and enters next year's holidays."""

from collections.abc import Callable
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from liangze.core import workdays
from tests.fixtures.clock import On
from tests.fixtures.county import County
from tests.fixtures.holidays import ROWS_2027

pytestmark = pytest.mark.e2e


def test_it_enters_2027_from_the_december_reminder(
    page: Page,
    county: County,
    on: On,
    log_in: Callable[..., None],
    shoot: Callable[..., None],
) -> None:
    on(date(2026, 12, 1))
    log_in("sysadmin")
    reminder = page.get_by_test_id("calendar-due")
    expect(reminder).to_contain_text("2027年节假日安排尚未录入")
    reminder.get_by_role("link", name="去录入").click()

    expect(page.get_by_label("年度")).to_have_value("2027")
    page.get_by_label("文号").fill("国办发明电〔2026〕9号")
    page.get_by_label("放假与调休安排").fill(ROWS_2027.replace("2027-02-14", "2027-02-15"))
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("第3行：2027-02-15是星期一")).to_be_visible()
    shoot("holiday-year-form")

    page.get_by_label("放假与调休安排").fill(ROWS_2027)
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("entered-years")).to_contain_text("国办发明电〔2026〕9号")
    shoot("holiday-years")
    assert not workdays.is_workday(date(2027, 1, 1))

    page.get_by_role("navigation", name="主导航").get_by_role("link", name="首页").click()
    expect(page.get_by_test_id("calendar-due")).to_have_count(0)
