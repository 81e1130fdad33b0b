"""A written report is recorded with its kind and both recipients, from a phone."""

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from liangze.ledger.models import Activity
from tests.fixtures.county import County

pytestmark = pytest.mark.e2e


def test_it_asks_a_report_for_its_kind_and_recipients(
    page: Page, county: County, log_in: Callable[..., None], shoot: Callable[..., None]
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    log_in("zhangjg")
    page.goto("/ledger/activities/new/")
    recipients = page.get_by_role("group", name="报送对象")
    expect(recipients).to_be_hidden()  # asked of a written report only

    page.locator("label", has_text="书面报告").click()
    expect(recipients).to_be_visible()
    page.get_by_label("主题").fill("2026年度履行第一责任人职责情况报告")
    page.get_by_label("报告类别").select_option(label="第一责任人履责情况报告")
    recipients.get_by_label("上级党委").check()
    recipients.get_by_label("上级纪委").check()
    shoot("activity-report-form")
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()

    expect(page.get_by_test_id("report-kind")).to_have_text("第一责任人履责情况报告")
    expect(page.get_by_test_id("recipients")).to_contain_text("上级党委、上级纪委")
    report = Activity.objects.get()
    assert report.recipients == ["higher_committee", "higher_commission"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
