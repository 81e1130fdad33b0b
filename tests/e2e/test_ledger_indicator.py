"""Issue 4's check: a clerk enters a progress entry with a photo, the discipline officer
verifies and closes it, and the indicator turns green.

The indicator is the quarterly hearing meeting (每季度专题听取“一岗双责”汇报, evidence
within 5 working days). The meeting was recorded without a photo; the clerk files the
photo with the quarter's ledger entry and names the meeting. Until the entry is
verified (对账销号) the photo is not yet the meeting's evidence and the figure waits;
once verified it counts from its upload, inside the 5 days, and the figure is met.
"""

from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path
from random import Random
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from liangze.demo.ledger import png_bytes
from liangze.duties.models import DutyList
from liangze.ledger.indicators.services import SEED_RULES, rules_load
from liangze.ledger.models import Activity, ProgressEntry
from liangze.orgs.models import Person
from tests.county import County
from tests.duties.conftest import catalogue, draft, signed, submitted  # noqa: F401
from tests.ledger.conftest import published  # noqa: F401

pytestmark = pytest.mark.e2e
MONDAY = date(2026, 11, 23)
HEARING = "四季度专题听取班子成员履行“一岗双责”情况汇报"


def travel(monkeypatch: pytest.MonkeyPatch, day: date) -> None:
    """The server's clock reads 10 a.m. Beijing time on `day` (the live server shares it)."""
    moment = datetime.combine(day, time(10), tzinfo=ZoneInfo("Asia/Shanghai"))
    monkeypatch.setattr(timezone, "now", lambda: moment)


@pytest.fixture
def meeting(
    county: County, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> Activity:
    """城关镇's Q4 hearing meeting, held and recorded on Friday the 20th, without a photo;
    城关镇's 2026 list published (by name: an argument would shadow the import)."""
    request.getfixturevalue("published")
    tmp_path = request.getfixturevalue("tmp_path")
    settings.MEDIA_ROOT = tmp_path / "media"
    for path in sorted(SEED_RULES.glob("*.json")):
        rules_load(path=path)
    travel(monkeypatch, date(2026, 11, 20))
    activity = Activity.objects.create(
        org=county.chengguan,
        kind="meeting",
        held_on=date(2026, 11, 20),
        host=Person.objects.get(person_no="P001"),
        subject=HEARING,
        entered_by=county.clerk,
    )
    travel(monkeypatch, MONDAY)
    return activity


def hearing_status(page: Page, chengguan_code: str) -> Any:
    page.goto(f"/ledger/indicators/?org={chengguan_code}&period=2026-Q4")
    row = page.get_by_test_id("indicators-table").locator("tr[data-rule='tz2017-hearing-meeting']")
    return row.get_by_test_id("status")


def test_a_verified_entry_with_a_photo_turns_the_indicator_green(
    page: Page,
    county: County,
    meeting: Activity,
    log_in: Callable[..., None],
    log_out: Callable[[], None],
    shoot: Callable[..., None],
    tmp_path: Path,
) -> None:
    chengguan = str(county.chengguan.code)
    ledger = DutyList.objects.get(org=county.chengguan, status=DutyList.Status.PUBLISHED)
    log_in("sunxw")  # 孙小文, 城关镇's clerk
    status = hearing_status(page, chengguan)
    expect(status).to_have_text("未到期")
    expect(status).to_have_class("badge text-bg-secondary")

    page.goto(f"/ledger/lists/{ledger.code}/")
    page.get_by_test_id("add-1-4").click()
    page.get_by_label("完成情况").fill(
        "召开党委会专题听取班子成员“一岗双责”落实情况汇报，主要负责人逐一点评。"
    )
    photo = tmp_path / "会议照片.png"
    photo.write_bytes(png_bytes(Random(4)))
    page.get_by_label("佐证材料").set_input_files(str(photo))
    page.get_by_test_id("activities").get_by_label(HEARING, exact=False).check()
    shoot("ledger-entry-form")
    page.get_by_role("button", name="提交", exact=True).click()
    expect(page.get_by_test_id("entry-status")).to_have_text("待核实")
    expect(page.get_by_test_id("linked-activities")).to_contain_text(HEARING)
    expect(page.get_by_test_id("evidence-image")).to_be_visible()
    # Filed, not yet verified: the photo is not yet the meeting's evidence.
    expect(hearing_status(page, chengguan)).to_have_text("未到期")
    log_out()

    log_in("zhaojp")  # 赵纪平, the county 纪委's officer
    page.goto("/ledger/")
    page.get_by_test_id("pending").get_by_role("link").first.click()
    expect(page.get_by_test_id("entry-text")).to_contain_text("一岗双责")
    page.get_by_test_id("verify-button").click()
    expect(page.get_by_test_id("entry-status")).to_have_text("已销号")
    entry = ProgressEntry.objects.get()
    assert entry.status == ProgressEntry.Status.VERIFIED and entry.activities.get() == meeting

    status = hearing_status(page, chengguan)
    expect(status).to_have_text("达标")
    expect(status).to_have_class("badge text-bg-success")
    row = page.locator("tr[data-rule='tz2017-hearing-meeting']")
    expect(row).to_have_attribute("data-status", "met")
    expect(row).to_contain_text("11月20日")
    shoot("ledger-indicator-green")
