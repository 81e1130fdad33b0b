"""Issue 3 walk-through: a township principal fills, signs and submits a list; the county
reviewer watches coverage go up and accepts it."""

from collections.abc import Callable
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from liangze.duties import services
from liangze.duties.models import DutyList
from tests.fixtures.county import County

pytestmark = pytest.mark.e2e


@pytest.fixture
def issued(county: County) -> None:
    loaded, _ = services.catalogue_load(path=services.SEED_CATALOGUES / "tongzhou-2017.json")
    services.catalogue_issue(
        actor=county.discipline_officer,
        catalogue=loaded,
        issuer=county.county,
        submit_deadline=date(2099, 2, 14),
        year=2026,
    )


def collective_cell(page: Page) -> str:
    row = page.get_by_test_id("coverage-table").locator("tr", has_text="城关镇党委")
    return row.locator("td").nth(1).inner_text()


def test_it_takes_a_list_from_catalogue_to_in_force(
    page: Page,
    county: County,
    issued: None,
    log_in: Callable[..., None],
    log_out: Callable[[], None],
    shoot: Callable[..., None],
) -> None:
    log_in("zhaojp")  # the county discipline officer sees coverage before
    page.goto("/duties/coverage/?year=2026")
    expect(page.get_by_test_id("coverage-table")).to_be_visible()
    assert collective_cell(page).startswith("0/2")
    log_out()

    log_in("zhangjg")
    page.goto("/duties/new/")
    page.get_by_label("清单类型").select_option("collective")
    page.get_by_role("button", name="创建并开始填写").click()
    expect(page.get_by_test_id("grid")).to_be_visible()
    rows = page.get_by_test_id("grid").locator("textarea[name$='-name']").count()
    assert rows == 14
    page.get_by_test_id("save").click()
    duty_list = DutyList.objects.get(org=county.chengguan)
    page.goto(f"/duties/{duty_list.code}/")
    completeness = page.get_by_test_id("completeness")
    expect(completeness).to_contain_text("没有责任人")
    expect(completeness).to_contain_text("缺少一季度的工作措施和目标要求")
    expect(completeness).to_contain_text("没有填写项目任务/具体分解内容")
    shoot("duty-list-incomplete")

    page.get_by_test_id("edit-link").click()
    for n in range(rows):
        page.locator(f"[name='rows-{n}-task']").fill(f"第{n + 1}项分解任务：明确到人")
        page.locator(f"[name='rows-{n}-responsible']").fill("P001")
        for q in ("q1", "q2", "q3", "q4"):
            page.locator(f"[name='rows-{n}-{q}']").fill(f"第{n + 1}项{q}措施：召开专题会议")
    page.get_by_test_id("save").click()
    page.goto(f"/duties/{duty_list.code}/")
    expect(page.get_by_test_id("complete")).to_be_visible()

    discuss = page.get_by_test_id("discuss-form")
    discuss.locator("[name='discussed_on']").fill("2026-01-10")
    discuss.locator("[name='meeting']").fill("党委会")
    discuss.locator("[name='attendees']").fill("张建国、李明华")
    discuss.get_by_role("button", name="保存讨论记录").click()
    page.get_by_test_id("sign-button").click()
    with page.expect_navigation():
        page.get_by_test_id("sign-confirm").click()
    duty_list.refresh_from_db()
    assert duty_list.status == DutyList.Status.SIGNED
    expect(page.get_by_text(duty_list.digest)).to_be_visible()
    with page.expect_navigation():
        page.get_by_test_id("submit-button").click()
    duty_list.refresh_from_db()
    assert duty_list.status == DutyList.Status.SUBMITTED
    shoot("duty-list-submitted")
    log_out()

    log_in("zhaojp")
    page.goto("/duties/reviews/")
    page.get_by_role("link", name="城关镇党委").first.click()
    page.get_by_test_id("review-form").get_by_role("button", name="通过").click()
    duty_list.refresh_from_db()
    assert duty_list.status == DutyList.Status.ACCEPTED
    assert services.verify_digest(duty_list)
    page.goto("/duties/coverage/?year=2026")
    assert collective_cell(page).startswith("0/2")  # accepted, not yet in force
    log_out()

    log_in("zhangjg")  # the unit publishes its accepted list: from then on it is in force
    page.goto(f"/duties/{duty_list.code}/")
    publish = page.get_by_test_id("publish-form")
    publish.locator("[name='publish_range']").select_option("unit")
    with page.expect_navigation():
        publish.get_by_role("button", name="公示").click()
    duty_list.refresh_from_db()
    assert duty_list.status == DutyList.Status.PUBLISHED and duty_list.in_force
    log_out()

    log_in("zhaojp")
    page.goto("/duties/coverage/?year=2026")
    assert collective_cell(page).startswith("1/2")
    shoot("duty-coverage")
