"""The security admin's account page and everybody's API token page, through their forms."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from liangze.accounts import services as accounts
from liangze.accounts.models import ApiToken
from liangze.orgs import services
from liangze.orgs.models import Gender
from tests.fixtures.county import County

pytestmark = pytest.mark.e2e


def test_it_creates_an_account_and_shows_its_initial_password_once(
    page: Page, county: County, log_in: Callable[..., None], shoot: Callable[..., None]
) -> None:
    services.person_create(
        actor=None, org=county.hekou, person_no="P100", name="周新人", gender=Gender.FEMALE
    )
    log_in("secadmin")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="账号管理").click()
    expect(page.get_by_test_id("users-table")).to_contain_text("zhangjg")

    page.get_by_label("用户名", exact=True).fill("zhouxr")
    page.get_by_label("人员编号").fill("P100")
    page.get_by_role("button", name="创建").click()

    expect(page.get_by_test_id("initial-password")).to_contain_text("初始密码")
    row = page.get_by_test_id("users-table").locator("tr", has_text="zhouxr")
    expect(row).to_contain_text("周新人")
    expect(row).to_contain_text("待改初始密码")
    shoot("users")

    page.reload()
    expect(page.get_by_test_id("initial-password")).to_have_count(0)


def test_it_creates_an_api_token_and_shows_it_once(
    page: Page, county: County, log_in: Callable[..., None], shoot: Callable[..., None]
) -> None:
    old, _clear = accounts.api_token_create(actor=county.township_secretary, name="旧报表接口")
    ApiToken.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(days=1))
    log_in("zhangjg")
    page.get_by_role("link", name="API 令牌").click()
    expect(page.get_by_role("heading", name="API 令牌")).to_be_visible()
    expect(page.get_by_label("有效期")).to_have_value("90")
    expect(page.get_by_label("权限范围")).to_have_value("read")

    page.get_by_label("用途").fill("数据交换平台")
    page.get_by_role("button", name="创建").click()
    expect(page.get_by_test_id("token-clear")).to_contain_text("lz_")

    page.get_by_label("用途").fill("签收回传")
    page.get_by_label("有效期").select_option(label="30 天")
    page.get_by_label("权限范围").select_option(label="读写")
    page.get_by_role("button", name="创建").click()

    table = page.get_by_role("table")
    expect(table.locator("tr", has_text="数据交换平台")).to_contain_text("只读")
    expect(table.locator("tr", has_text="签收回传")).to_contain_text("读写")
    expect(table.locator("tr", has_text="旧报表接口")).to_contain_text("已过期")
    expect(table).to_contain_text("过期时间")
    shoot("tokens")
