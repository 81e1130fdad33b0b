"""三书 walk-through: a township secretary generates the 责任分工告知书 for the team,
issues one after confirming, and the member signs for it from the home page's to-dos."""

from collections.abc import Callable
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from liangze.duties import services as duty_services
from liangze.duties.models import ListType
from liangze.notices.models import Notice
from tests.fixtures.county import County
from tests.fixtures.notices import settle

pytestmark = pytest.mark.e2e


@pytest.fixture
def settled(county: County) -> None:
    """城关镇's collective list, accepted and published; 李明华 answers for every second item."""
    loaded, _ = duty_services.catalogue_load(
        path=duty_services.SEED_CATALOGUES / "tongzhou-2017.json"
    )
    issued = duty_services.catalogue_issue(
        actor=None,
        catalogue=loaded,
        issuer=county.county,
        submit_deadline=date(2099, 2, 14),
        year=2026,
    )
    settle(county, issued, ListType.COLLECTIVE, responsible=("P001", "P002"))


def test_it_generates_issues_and_signs_for_a_duty_notice(
    page: Page,
    county: County,
    settled: None,
    log_in: Callable[..., None],
    log_out: Callable[[], None],
    shoot: Callable[..., None],
) -> None:
    log_in("zhangjg")
    page.goto("/notices/generate/")
    page.get_by_test_id("generate-duty").get_by_label("年度").select_option("2026")
    page.get_by_test_id("generate-duty-button").click()
    expect(page.get_by_role("alert").first).to_contain_text("已生成 2 份责任分工告知书草稿")
    table = page.get_by_test_id("notices-table")
    expect(table.locator("tbody tr")).to_have_count(2)
    shoot("notices-drafts")

    table.locator("tr", has_text="李明华同志").get_by_role("link").click()
    expect(page.get_by_test_id("sheet")).to_contain_text("李明华同志：")
    expect(page.get_by_test_id("sheet")).to_contain_text("分管工作：党建、宣传。")
    page.get_by_test_id("issue").click()
    expect(page.get_by_test_id("confirm-issue")).to_be_visible()
    shoot("notice-confirm-issue", resize=False)
    page.get_by_test_id("confirm-issue-button").click()
    expect(page.get_by_test_id("number")).to_have_text("城委告〔2026〕1号")
    expect(page.get_by_test_id("file-ok")).to_be_visible()
    log_out()

    log_in("liminghua")
    todo = page.get_by_test_id("todo").filter(has_text="签收三书")
    expect(todo).to_contain_text("城委告〔2026〕1号")
    todo.get_by_role("link").click()
    page.get_by_test_id("acknowledge").click()
    expect(page.get_by_test_id("acknowledged")).to_contain_text("李明华")
    shoot("notice-acknowledged")
    notice = Notice.objects.get(number="城委告〔2026〕1号")
    assert notice.status == Notice.Status.ACKNOWLEDGED
    page.goto("/")
    expect(page.get_by_test_id("todo").filter(has_text="签收三书")).to_have_count(0)
