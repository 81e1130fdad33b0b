"""The people list: search by name, pages that keep the search."""

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from liangze.orgs import services
from liangze.orgs.models import Gender
from tests.fixtures.county import County

pytestmark = pytest.mark.e2e


def test_it_searches_by_name_and_pages_through_the_results(
    page: Page, county: County, log_in: Callable[..., None], shoot: Callable[..., None]
) -> None:
    for n in range(1, 56):
        services.person_create(
            actor=None,
            org=county.branch,
            person_no=f"B{n:03}",
            name=f"支部党员{n:02}",
            gender=Gender.FEMALE,
        )
    log_in("zhangjg")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="人员").click()
    rows = page.get_by_test_id("people-table").locator("tbody tr")
    expect(rows).to_have_count(50)
    expect(page.get_by_role("navigation", name="分页")).to_contain_text("共 58 条")
    shoot("people")

    page.get_by_label("姓名或编号").fill("李明")
    page.get_by_role("button", name="查询").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("李明华")
    expect(page.get_by_role("navigation", name="分页")).to_have_count(0)

    page.get_by_label("姓名或编号").fill("支部党员")
    page.get_by_role("button", name="查询").click()
    expect(rows).to_have_count(50)
    expect(rows.first).to_contain_text("支部党员01")
    pager = page.get_by_role("navigation", name="分页")
    expect(pager).to_contain_text("1 / 2")
    expect(pager).to_contain_text("共 55 条")

    pager.get_by_role("link", name="下一页").click()
    expect(pager).to_contain_text("2 / 2")
    expect(rows).to_have_count(5)
    expect(rows.last).to_contain_text("支部党员55")
    expect(page.get_by_label("姓名或编号")).to_have_value("支部党员")
    shoot("people-page-2")
