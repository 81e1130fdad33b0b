from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import Settings

from liangze.accounts.models import LoginFailure
from liangze.core.models import AuditEvent
from tests.fixtures.clients import Response
from tests.fixtures.county import PASSWORD, County

pytestmark = pytest.mark.django_db
LOGIN = reverse("accounts:login")


def attempt(client: Client, username: str, password: str) -> Response:
    return client.post(LOGIN, {"username": username, "password": password})


def test_it_logs_in_and_audits_the_login(client: Client, county: County) -> None:
    response = attempt(client, "zhangjg", PASSWORD)
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    event = AuditEvent.objects.filter(verb="login").get()
    assert event.actor == county.township_secretary
    assert event.ip == "127.0.0.1"


def test_it_refuses_a_wrong_password_in_chinese_and_audits_it(
    client: Client, county: County
) -> None:
    response = attempt(client, "zhangjg", "wrong-password")
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
    assert AuditEvent.objects.filter(verb="login_failed", actor_name="zhangjg").count() == 1


def test_it_locks_after_five_failures_even_for_the_right_password(
    client: Client, county: County
) -> None:
    for _ in range(5):
        attempt(client, "zhangjg", "wrong-password")
    response = attempt(client, "zhangjg", PASSWORD)
    assert "账号已锁定 15 分钟" in response.content.decode()
    assert client.get("/").status_code == 302  # still not logged in
    assert AuditEvent.objects.filter(verb="locked", actor_name="zhangjg").exists()


def test_it_unlocks_after_fifteen_minutes(client: Client, county: County) -> None:
    for _ in range(5):
        attempt(client, "zhangjg", "wrong-password")
    LoginFailure.objects.update(at=timezone.now() - timedelta(minutes=16))
    assert attempt(client, "zhangjg", PASSWORD).status_code == 302


def test_it_does_not_lock_other_users(client: Client, county: County) -> None:
    for _ in range(5):
        attempt(client, "zhangjg", "wrong-password")
    assert attempt(client, "wangzq", PASSWORD).status_code == 302


def test_it_sends_anonymous_visitors_to_the_login_page(client: Client, county: County) -> None:
    response = client.get(county.chengguan.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_it_ends_an_idle_session(client: Client, county: County, settings: Settings) -> None:
    from django.contrib.sessions.models import Session

    attempt(client, "zhangjg", PASSWORD)
    assert client.get("/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    assert client.get("/").status_code == 302
    assert settings.SESSION_COOKIE_AGE == 30 * 60


def test_it_keeps_an_active_session_alive(client: Client, county: County) -> None:
    from django.contrib.sessions.models import Session

    attempt(client, "zhangjg", PASSWORD)
    client.get("/")
    first = Session.objects.get().expire_date
    client.get("/")
    assert Session.objects.get().expire_date >= first


def test_it_logs_out_by_post_only_and_audits_it(client: Client, county: County) -> None:
    attempt(client, "zhangjg", PASSWORD)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert AuditEvent.objects.filter(verb="logout").exists()
    assert client.get("/").status_code == 302


def test_it_ignores_an_offsite_next_url(client: Client, county: County) -> None:
    response = client.post(
        f"{LOGIN}?next=https://evil.example/", {"username": "zhangjg", "password": PASSWORD}
    )
    assert response["Location"] == "/"


def test_it_stores_passwords_with_argon2(county: County) -> None:
    county.clerk.set_password("Another#Pass2026")
    assert county.clerk.password.startswith("argon2")
