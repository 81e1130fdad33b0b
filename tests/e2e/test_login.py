"""Logging in through the form: wrong passwords, lockout, and the forced first password change."""

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from liangze.accounts.models import User
from tests.fixtures.county import PASSWORD, County

pytestmark = pytest.mark.e2e

LOCKED = "连续登录失败次数过多，账号已锁定"


def test_it_refuses_a_wrong_password_in_chinese(
    page: Page, county: County, log_in: Callable[..., None], shoot: Callable[..., None]
) -> None:
    log_in("sunxw", "not-the-password")

    expect(page.get_by_test_id("form-error")).to_have_text("用户名或密码不正确。")
    expect(page.get_by_label("用户名")).to_have_value("sunxw")
    expect(page.get_by_test_id("current-user")).to_have_count(0)
    shoot("login-error")


def test_it_locks_the_account_after_five_failures(
    page: Page, county: County, log_in: Callable[..., None], shoot: Callable[..., None]
) -> None:
    for _attempt in range(4):
        log_in("sunxw", "not-the-password")
        expect(page.get_by_test_id("form-error")).to_have_text("用户名或密码不正确。")
    log_in("sunxw", "not-the-password")
    expect(page.get_by_test_id("form-error")).to_contain_text(LOCKED)

    log_in("sunxw")

    expect(page.get_by_test_id("form-error")).to_contain_text(LOCKED)
    assert "/accounts/login/" in page.url
    shoot("login-locked")
    response = page.goto("/")
    assert response is not None and response.url.endswith("/accounts/login/?next=/")


def test_it_forces_a_new_password_before_anything_else(
    page: Page, county: County, log_in: Callable[..., None], shoot: Callable[..., None]
) -> None:
    User.objects.filter(pk=county.clerk.pk).update(must_change_password=True)

    log_in("sunxw")
    assert page.url.endswith("/accounts/password/")
    expect(page.get_by_role("heading", name="修改密码")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("您正在使用初始密码")
    response = page.goto("/orgs/")
    assert response is not None and response.url.endswith("/accounts/password/")
    shoot("password-change")

    change_password(page, "abc12345")
    errors = page.get_by_test_id("error-new_password")
    expect(errors.filter(has_text="至少三类")).to_have_count(1)
    assert not any(re.search("[A-Za-z]", text) for text in errors.all_inner_texts())
    shoot("password-change-weak")

    change_password(page, "Qingfeng#2026x")
    expect(page.get_by_role("heading", name="我的待办")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("密码已修改。")
    county.clerk.refresh_from_db()
    assert not county.clerk.must_change_password
    assert county.clerk.check_password("Qingfeng#2026x")


def change_password(page: Page, new: str) -> None:
    page.get_by_label("当前密码").fill(PASSWORD)
    page.get_by_label("新密码", exact=True).fill(new)
    page.get_by_label("确认新密码").fill(new)
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()
