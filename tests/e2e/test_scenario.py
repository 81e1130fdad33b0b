"""The issue's walk-through: a township secretary browses, strays, and the audit admin sees it."""

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.fixtures.county import County

pytestmark = pytest.mark.e2e


def test_it_records_a_secretary_straying_into_another_township(
    page: Page,
    county: County,
    log_in: Callable[..., None],
    log_out: Callable[[], None],
    shoot: Callable[..., None],
) -> None:
    response = page.goto("/")
    assert response is not None and response.ok
    assert "/accounts/login/" in page.url
    shoot("login")

    log_in("zhangjg")
    expect(page.get_by_role("heading", name="我的待办")).to_be_visible()
    expect(page.get_by_test_id("todos")).to_contain_text("目前没有需要您处理的事项")
    expect(page.get_by_test_id("current-user")).to_contain_text("张建国")
    shoot("home")

    page.get_by_role("navigation", name="主导航").get_by_role("link", name="组织机构").click()
    tree = page.get_by_test_id("org-tree")
    expect(tree.get_by_role("link", name="城关镇党委")).to_be_visible()
    expect(tree.get_by_role("link", name="城关镇第一党支部")).to_have_count(0)
    page.get_by_test_id("expand-城关镇党委").click()
    expect(tree.get_by_role("link", name="城关镇第一党支部")).to_be_visible()
    expect(tree).not_to_contain_text("河口镇")
    shoot("tree")

    tree.get_by_role("link", name="城关镇党委").click()
    expect(page.get_by_test_id("org-name")).to_have_text("城关镇党委")
    expect(page.get_by_test_id("children")).to_contain_text("城关镇第一党支部")
    shoot("org")

    page.get_by_test_id("leaders").get_by_role("link", name="李明华").click()
    expect(page.get_by_test_id("person-name")).to_have_text("李明华")
    current = page.get_by_test_id("current-positions")
    expect(current).to_contain_text("党委副书记")
    expect(current).to_contain_text("党建、宣传")
    expect(current).to_contain_text("城关镇第一党支部")
    shoot("person")

    response = page.goto(county.hekou.get_absolute_url())
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="页面不存在或您无权查看")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("河口镇")
    assert "河口镇" not in page.title()
    shoot("404")

    log_out()
    log_in("auditadmin")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="审计日志").click()
    page.get_by_label("操作人").fill("zhangjg")
    page.get_by_label("类型").select_option(label="越权访问")
    page.get_by_role("button", name="查询").click()
    rows = page.get_by_test_id("audit-table").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("zhangjg")
    expect(rows.first).to_contain_text("越权访问")
    expect(rows.first).to_contain_text("河口镇党委")
    shoot("audit-log")
