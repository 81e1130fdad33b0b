"""An inspection in the browser: plan, draw at random, re-draw to verify; 逐项过堂 by htmx."""

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from liangze.supervision.inspections import services
from liangze.supervision.models import Sample, Verdict
from tests.fixtures.county import County
from tests.fixtures.supervision import plan

pytestmark = pytest.mark.e2e


def test_it_plans_draws_and_verifies_the_draw(
    page: Page, county: County, log_in: Callable[..., None], shoot: Callable[..., None]
) -> None:
    services.flag_set(actor=None, org=county.hekou, year=2026, reason="case", note="挪用公款案")
    log_in("zhaojp")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="督查检查").click()
    page.get_by_test_id("new-inspection").click()
    page.get_by_label("名称").fill("2026年下半年专项督查")
    page.get_by_label("期间").fill("2026-H2")
    page.get_by_label("检查范围").select_option(label="示范县委")
    page.get_by_label("赵纪平（示范县委）").check()
    page.get_by_test_id("save").click()

    targets = page.get_by_test_id("targets-table")
    expect(targets).to_contain_text("河口镇党委")
    expect(targets).to_contain_text("必查")
    page.get_by_label("抽取数量").fill("1")
    page.get_by_label("公证数（可选）").fill("371")
    page.get_by_test_id("draw-submit").click()

    sample = Sample.objects.get()
    expect(page.get_by_test_id("seed")).to_have_text(sample.seed)
    expect(page.get_by_test_id("draw-result")).to_contain_text(sample.result[0])
    page.get_by_test_id("verify").click()
    expect(page.get_by_test_id("verify-match")).to_be_visible()
    expect(page.get_by_test_id("verification")).to_contain_text(sample.result[0])
    expect(page.get_by_test_id("population-same")).to_be_visible()
    shoot("inspection-draw")


def test_it_saves_a_verdict_per_item_and_counts_them(
    page: Page,
    county: County,
    log_in: Callable[..., None],
    shoot: Callable[..., None],
    request: pytest.FixtureRequest,
) -> None:
    # The list in force is on review. By name, not as an argument: this module's own names
    # stay clear of the fixture's.
    duty_list = request.getfixturevalue("published")
    inspection = plan(county, kind="year_end", title="2026年度逐项过堂", period="2026")
    target = services.target_add(actor=None, inspection=inspection, org=county.chengguan)
    services.inspection_start(actor=None, inspection=inspection)
    total = duty_list.items.count()
    log_in("zhaojp")
    page.goto(f"/supervision/targets/{target.code}/review/")
    expect(page.get_by_test_id("review-progress")).to_contain_text(f"已评定 0 / {total} 项")
    first = page.get_by_test_id("review-item").first
    first.get_by_text("基本落实").click()
    expect(page.get_by_test_id("review-progress")).to_contain_text(f"已评定 1 / {total} 项")
    expect(page.get_by_test_id("review-item").first.get_by_test_id("saved")).to_be_visible()
    page.get_by_test_id("review-item").nth(1).get_by_text("未落实").click()
    expect(page.get_by_test_id("review-progress")).to_contain_text(f"已评定 2 / {total} 项")
    assert sorted(Verdict.objects.values_list("value", flat=True)) == ["mostly", "not_done"]
    shoot("inspection-review")
