"""Browser tests: Debian's chromium driven by Playwright against pytest-django's live server.

Playwright's sync API keeps an event loop running in the main thread, which makes
Django refuse database access from it unless told that this is deliberate.
"""

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from playwright.sync_api import Browser, Page, ViewportSize, expect, sync_playwright
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from tests.fixtures.county import PASSWORD, County, build

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
PHONE: ViewportSize = {"width": 390, "height": 844}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
TIMEOUT_MS = 10_000

expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    """A fresh browser context per test, with relative URLs resolved against the live server."""
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP, locale="zh-CN")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


class QuickArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2 at its lowest cost: each login through the form verifies a hash."""

    time_cost = 1
    memory_cost = 64
    parallelism = 1


@pytest.fixture
def quick_hashing(settings: Settings) -> None:
    settings.PASSWORD_HASHERS = [f"{__name__}.QuickArgon2PasswordHasher"]


@pytest.fixture
def county(transactional_db: None, quick_hashing: None) -> County:
    """The personas, written to the database the live server reads."""
    return build()


@pytest.fixture
def shoot(page: Page) -> Callable[..., None]:
    """shoot(name) saves the current page, full length, at desktop and at phone width.

    shoot(name, resize=False) saves it at the current size only, for states that a
    resize would undo (an open off-canvas menu closes when the window widens).
    """
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def save(name: str, *, resize: bool = True) -> None:
        if not resize:
            page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)
            return
        size = page.viewport_size or DESKTOP
        for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(viewport)
            page.screenshot(path=SCREENSHOTS / f"{name}-{label}.png", full_page=True)
        page.set_viewport_size(size)

    return save


@pytest.fixture
def log_in(page: Page) -> Callable[..., None]:
    """log_in(username, password=PASSWORD) through the real login form."""

    def submit(username: str, password: str = PASSWORD) -> None:
        if "/accounts/login/" not in page.url:
            page.goto("/accounts/login/")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码", exact=True).fill(password)
        with page.expect_navigation():
            page.get_by_role("button", name="登录").click()

    return submit


@pytest.fixture
def log_out(page: Page) -> Callable[[], None]:
    def submit() -> None:
        page.get_by_role("button", name="退出").click()
        expect(page.get_by_role("button", name="登录")).to_be_visible()

    return submit
