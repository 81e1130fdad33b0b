"""Error pages: in Chinese, inside the layout when logged in, and silent about existence."""

import uuid
from collections.abc import Callable

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error
from playwright.sync_api import Page, Route, expect

from tests.fixtures.county import County

pytestmark = pytest.mark.e2e


def test_it_answers_a_missing_org_as_it_answers_a_hidden_one(
    page: Page, county: County, log_in: Callable[..., None], shoot: Callable[..., None]
) -> None:
    log_in("zhangjg")
    hidden = page.goto(county.hekou.get_absolute_url())
    hidden_text = page.locator("main").inner_text()
    missing = page.goto(reverse("orgs:org", args=[uuid.uuid4()]))

    assert hidden is not None and hidden.status == 404
    assert missing is not None and missing.status == 404
    assert page.locator("main").inner_text() == hidden_text
    expect(page.get_by_test_id("error-page")).to_contain_text("页面不存在或您无权查看")
    expect(page.get_by_role("navigation", name="主导航")).to_be_visible()
    shoot("404-missing")


def test_it_shows_the_404_page_to_anonymous_visitors(
    page: Page, shoot: Callable[..., None]
) -> None:
    # Under the login page's open prefix; under /api/ the same miss answers JSON (tests/api).
    response = page.goto("/accounts/login/no-such-thing")

    assert response is not None and response.status == 404
    expect(page.get_by_test_id("error-page")).to_contain_text("页面不存在或您无权查看")
    expect(page.get_by_role("button", name="退出")).to_have_count(0)
    shoot("404-anonymous")


def test_it_shows_the_403_page_to_an_insider_without_the_right(
    page: Page, county: County, log_in: Callable[..., None], shoot: Callable[..., None]
) -> None:
    log_in("zhangjg")
    response = page.goto(reverse("portal:audit"))

    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", name="您没有执行此操作的权限")).to_be_visible()
    expect(page.get_by_test_id("current-user")).to_contain_text("张建国")
    shoot("403")


def test_it_renders_the_500_page_without_a_request(page: Page, shoot: Callable[..., None]) -> None:
    body = server_error(RequestFactory().get("/")).content

    def fulfil(route: Route) -> None:
        route.fulfill(status=500, content_type="text/html; charset=utf-8", body=body)

    page.route("**/boom", fulfil)
    response = page.goto("/boom")

    assert response is not None and response.status == 500
    expect(page.get_by_role("heading", name="系统出现错误")).to_be_visible()
    expect(page.locator(".lz-topbar")).to_have_css("background-color", "rgb(180, 20, 27)")
    shoot("500")
