"""Refusals of the account pages: another user's token, a user that is not there."""

import uuid

import pytest
from django.http import Http404
from django.urls import reverse

from liangze import access
from liangze.accounts import services
from liangze.accounts.models import ApiToken
from tests.fixtures.clients import Login
from tests.fixtures.county import County
from tests.refusals import the_denial


def test_it_answers_404_to_revoking_another_users_token(login: Login, county: County) -> None:
    token, _clear = services.api_token_create(actor=county.clerk, name="报表")
    revoke = reverse("accounts:token_revoke", args=[token.code])
    assert login(county.township_secretary).post(revoke).status_code == 404
    event = the_denial(county.township_secretary)
    assert event.object_label == "API 令牌（不存在）"
    assert event.data["reason"] == access.NOT_FOUND
    assert event.data["lookup"] == {"code": str(token.code)}
    assert ApiToken.objects.get().revoked_at is None


def test_the_service_hides_another_users_token_too(county: County) -> None:
    token, _clear = services.api_token_create(actor=county.clerk, name="报表")
    with pytest.raises(Http404) as refused:
        services.api_token_revoke(actor=county.township_secretary, token=token)
    access.record_carried_refusal(refused.value)
    event = the_denial(county.township_secretary)
    assert event.object_code == str(token.code) and event.data["reason"] == "not_owner"


def test_it_answers_404_to_an_action_on_an_unknown_user(login: Login, county: County) -> None:
    code = uuid.uuid4()
    page = reverse("accounts:user_action", args=[str(code), "unlock"])
    assert login(county.security_admin).post(page).status_code == 404
    event = the_denial(county.security_admin)
    assert event.data == {
        "reason": access.NOT_FOUND,
        "lookup": {"code": str(code)},
        "page": f"POST {page}",
    }
