"""Issue 9 item 19: a list on paper is its official form (004 附件1–4), nothing of the app."""

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from liangze.accounts.models import User
from liangze.duties import services
from liangze.duties.models import DutyList
from tests.e2e.conftest import DESKTOP, SCREENSHOTS
from tests.fixtures.county import County

pytestmark = pytest.mark.e2e


@pytest.fixture
def signed_commission_list(
    county: County, commission_list: DutyList, commission_head: User
) -> DutyList:
    """城关镇纪委's 附件4, signed by its head and by the Party secretary."""
    services.duty_list_sign(actor=commission_head, duty_list=commission_list)
    services.duty_list_sign(actor=county.township_secretary, duty_list=commission_list)
    return commission_list


def test_it_prints_the_list_page_without_the_menu_and_the_workflow(
    page: Page, signed_commission_list: DutyList, log_in: Callable[..., None]
) -> None:
    log_in("zhouzf")
    page.goto(f"/duties/{signed_commission_list.code}/")
    expect(page.locator("#lz-nav")).to_be_visible()
    expect(page.get_by_test_id("workflow")).to_be_visible()
    page.emulate_media(media="print")
    for chrome in (page.locator("#lz-nav"), page.locator(".lz-topbar")):
        expect(chrome).to_be_hidden()
    expect(page.get_by_test_id("workflow")).to_be_hidden()
    expect(page.get_by_test_id("print-link")).to_be_hidden()
    expect(page.get_by_test_id("sheet")).to_be_visible()
    expect(page.get_by_test_id("sign-lines")).to_contain_text("周正风")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "duty-list-page-print-desktop.png", full_page=True)


def test_it_prints_the_official_form_from_its_print_view(
    page: Page, signed_commission_list: DutyList, log_in: Callable[..., None]
) -> None:
    log_in("zhouzf")
    page.goto(f"/duties/{signed_commission_list.code}/")
    page.get_by_test_id("print-link").click()
    expect(page.get_by_test_id("form-title")).to_have_text("纪委(纪检委员)监督责任清单")
    expect(page.get_by_test_id("print-now")).to_be_visible()
    page.set_viewport_size(DESKTOP)
    page.emulate_media(media="print")
    expect(page.get_by_test_id("print-toolbar")).to_be_hidden()
    assert page.locator("#lz-nav, .lz-sidebar, [data-testid=workflow]").count() == 0
    headers = page.get_by_test_id("form-table").locator("thead th").all_inner_texts()
    assert [h.replace("\n", "") for h in headers] == [
        "单位",
        "责任名称",
        "序号",
        "项目任务具体分解内容",
        "责任人",
        "责任部门",
        "工作措施和目标要求",
        "一季度",
        "二季度",
        "三季度",
        "四季度",
    ]
    signatures = page.get_by_test_id("form-signatures").locator("span").all_inner_texts()
    assert signatures[0].startswith("党委(组)主要负责人(签字)：张建国")
    assert signatures[1].startswith("纪委(纪检组)主要负责人(签字)：周正风")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "duty-list-print-desktop.png", full_page=True)
