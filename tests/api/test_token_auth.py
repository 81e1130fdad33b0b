"""Bearer tokens at the API's door: expiry, scope, revocation, and the audit of refusals."""

import json
import time
import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from liangze.accounts import services
from liangze.accounts.models import ApiToken
from liangze.core.models import AuditEvent
from tests.fixtures.county import County

pytestmark = pytest.mark.django_db

READ = "/api/v1/orgs/"


def write_url() -> str:
    # A write on an inspection nobody has: a token allowed to write reaches it and gets 404.
    return f"/api/v1/inspections/{uuid.uuid4()}/verify-draw"


def bearer(clear: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {clear}")


def refusals() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(data__via="api_token").order_by("seq"))


def test_a_new_token_is_read_only_and_may_read(county: County) -> None:
    token, clear = services.api_token_create(actor=county.clerk, name="报表")
    assert token.scope == ApiToken.Scope.READ
    assert bearer(clear).get(READ).status_code == 200
    assert refusals() == []


def test_a_read_only_token_may_not_write(county: County) -> None:
    token, clear = services.api_token_create(actor=county.discipline_officer, name="报表")
    response = bearer(clear).post(write_url())
    assert response.status_code == 403
    assert response.json() == {"detail": "令牌只读"}
    (event,) = refusals()
    assert event.verb == AuditEvent.Verb.DENIED
    assert event.object_code == str(token.code)
    assert event.data["reason"] == "read_only" and event.data["method"] == "POST"


def test_a_read_write_token_may_write(county: County) -> None:
    _token, clear = services.api_token_create(
        actor=county.discipline_officer, name="对接", scope=ApiToken.Scope.WRITE
    )
    assert bearer(clear).post(write_url()).status_code == 404
    assert refusals() == []


def test_an_expired_token_is_refused_in_chinese(county: County) -> None:
    token, clear = services.api_token_create(actor=county.clerk, name="报表")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = bearer(clear).get(READ)
    assert response.status_code == 401
    assert response.json() == {"detail": "令牌已过期"}
    (event,) = refusals()
    assert event.verb == AuditEvent.Verb.LOGIN_FAILED
    assert event.actor_name == county.clerk.username
    assert event.data["reason"] == "expired"


def test_a_revoked_token_is_refused_and_audited(county: County) -> None:
    token, clear = services.api_token_create(actor=county.clerk, name="报表")
    services.api_token_revoke(actor=county.clerk, token=token)
    response = bearer(clear).get(READ)
    assert response.status_code == 401
    assert response.json() == {"detail": "令牌已吊销"}
    assert [e.data["reason"] for e in refusals()] == ["revoked"]


def test_re_enabling_an_account_revives_none_of_its_tokens(county: County) -> None:
    _token, clear = services.api_token_create(actor=county.clerk, name="报表")
    services.user_set_active(actor=county.security_admin, user=county.clerk, active=False)
    services.user_set_active(actor=county.security_admin, user=county.clerk, active=True)
    assert bearer(clear).get(READ).json() == {"detail": "令牌已吊销"}


def test_an_unknown_token_is_audited_with_the_address_and_no_secret(county: County) -> None:
    clear = "lz_" + "x" * 43
    response = Client(HTTP_AUTHORIZATION=f"Bearer {clear}", REMOTE_ADDR="10.1.2.3").get(READ)
    assert response.status_code == 401
    assert "令牌" in response.json()["detail"]
    (event,) = refusals()
    assert event.verb == AuditEvent.Verb.LOGIN_FAILED
    assert event.actor is None and event.actor_name == "未知令牌"
    assert event.ip == "10.1.2.3"
    assert event.data["reason"] == "unknown" and event.data["prefix"] == clear[:8]
    assert clear not in json.dumps(event.data) + event.object_label


def test_a_storm_of_bad_tokens_writes_one_event_per_window(
    county: County,
    monkeypatch: pytest.MonkeyPatch,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    monkeypatch.setattr(services, "TOKEN_QUIET_SECONDS", 1)
    bearer("lz_first").get(READ)
    for attempt in range(20):
        # After the first, a refusal costs one query: the token lookup, no audit write.
        with django_assert_max_num_queries(1):
            bearer(f"lz_guess{attempt}").get(READ)
    assert len(refusals()) == 1
    time.sleep(1.1)
    bearer("lz_after").get(READ)
    first, after = refusals()
    assert after.data["repeats"] == 20 and after.data["prefix"] == "lz_after"


def test_a_used_token_records_when_without_a_write_per_request(county: County) -> None:
    token, clear = services.api_token_create(actor=county.clerk, name="报表")
    client = bearer(clear)
    client.get(READ)
    token.refresh_from_db()
    assert token.last_used_at is not None
    used = token.last_used_at
    client.get(READ)
    token.refresh_from_db()
    assert token.last_used_at == used


def test_a_bearer_value_that_is_not_a_token_leaves_nothing_of_itself(county: County) -> None:
    assert bearer("Hunter2-password").get(READ).status_code == 401
    (event,) = refusals()
    assert event.data["prefix"] == "" and "Hunter" not in json.dumps(event.data)
