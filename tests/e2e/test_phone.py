"""At phone width the left navigation hides behind the toggler."""

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.fixtures.county import County

pytestmark = pytest.mark.e2e


def test_it_opens_the_navigation_from_the_toggler(
    page: Page, county: County, log_in: Callable[..., None], shoot: Callable[..., None]
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    log_in("zhangjg")
    nav = page.get_by_role("navigation", name="主导航")
    toggler = page.get_by_role("button", name="菜单")
    expect(page.get_by_role("heading", name="我的待办")).to_be_visible()
    expect(nav).to_be_hidden()
    expect(toggler).to_be_visible()

    toggler.click()
    expect(page.locator("#lz-nav")).to_have_class(re.compile(r"\bshow\b"))
    expect(nav).to_be_visible()
    expect(nav.get_by_role("link", name="组织机构")).to_be_in_viewport()
    shoot("phone-nav-open", resize=False)

    nav.get_by_role("link", name="组织机构").click()
    expect(page.get_by_test_id("org-tree")).to_be_visible()
    expect(nav).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
