from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from liangze.accounts import services
from liangze.accounts.models import ApiToken, User
from liangze.core.models import AuditEvent
from liangze.core.sm3 import sm3_hex
from tests.fixtures.clients import Login
from tests.fixtures.county import County

pytestmark = pytest.mark.django_db
URL = reverse("accounts:tokens")


def test_it_shows_a_new_token_once_and_stores_only_its_digest(login: Login, county: County) -> None:
    response = login(county.clerk).post(
        URL, {"name": "统计报送", "lifetime_days": "90", "scope": "read"}
    )
    clear = response.context["clear"]
    token = ApiToken.objects.get()
    assert token.digest == sm3_hex(clear.encode())
    assert clear not in {token.digest, token.prefix}
    assert clear not in login(county.clerk).get(URL).content.decode()


def test_it_requires_a_purpose(login: Login, county: County) -> None:
    response = login(county.clerk).post(URL, {"name": ""})
    assert "这个字段是必填项" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_it_revokes_only_the_owners_token(login: Login, county: County) -> None:
    login(county.clerk).post(URL, {"name": "a", "lifetime_days": "90", "scope": "read"})
    token = ApiToken.objects.get()
    url = reverse("accounts:token_revoke", args=[token.code])
    assert login(county.township_secretary).post(url).status_code == 404
    assert login(county.clerk).post(url).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_a_token_is_read_only_for_90_days_unless_chosen(login: Login, county: County) -> None:
    page = login(county.clerk).get(URL).content.decode()
    assert "有效期" in page and "权限范围" in page
    login(county.clerk).post(URL, {"name": "统计报送", "lifetime_days": "90", "scope": "read"})
    token = ApiToken.objects.get()
    assert token.scope == ApiToken.Scope.READ
    assert abs(token.expires_at - (timezone.now() + timedelta(days=90))) < timedelta(minutes=1)
    page = login(county.clerk).get(URL).content.decode()
    expires = timezone.localtime(token.expires_at)
    assert "过期时间" in page and f'token-expires">{expires:%Y-%m-%d}' in page
    assert f"{expires:%H:%M}</span>" in page
    assert "只读" in page


def test_it_creates_a_read_write_token_for_a_shorter_period(login: Login, county: County) -> None:
    login(county.clerk).post(URL, {"name": "对接", "lifetime_days": "30", "scope": "write"})
    token = ApiToken.objects.get()
    assert token.scope == ApiToken.Scope.WRITE
    assert abs(token.expires_at - token.created_at - timedelta(days=30)) < timedelta(seconds=1)
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.CREATE, object_code=str(token.code))
    assert event.data["scope"] == "write"


def test_it_refuses_a_period_not_on_the_list(login: Login, county: County) -> None:
    response = login(county.clerk).post(
        URL, {"name": "对接", "lifetime_days": "3650", "scope": "read"}
    )
    assert response.context["form"].errors["lifetime_days"]
    assert not ApiToken.objects.exists()
    with pytest.raises(ValidationError):
        services.api_token_create(actor=county.clerk, name="对接", lifetime_days=3650)


def test_the_page_says_which_tokens_are_expired_or_revoked_and_why(
    login: Login, county: County
) -> None:
    expired, _clear = services.api_token_create(actor=county.clerk, name="旧报表")
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(days=1))
    services.password_change(user=county.clerk, new_password="Kq7#mZp2vX!")
    page = login(county.clerk).get(URL).content.decode()
    assert "已吊销（密码变更）" in page
    services.api_token_create(actor=county.clerk, name="新报表")
    page = login(county.clerk).get(URL).content.decode()
    assert page.count("已吊销（密码变更）") == 1 and "吊销</button>" in page


def live(user: User) -> list[ApiToken]:
    return list(ApiToken.objects.filter(user=user, revoked_at__isnull=True))


def test_changing_the_own_password_revokes_every_token(county: County) -> None:
    services.api_token_create(actor=county.clerk, name="a")
    services.api_token_create(actor=county.clerk, name="b", scope=ApiToken.Scope.WRITE)
    services.api_token_create(actor=county.township_secretary, name="c")
    services.password_change(user=county.clerk, new_password="Kq7#mZp2vX!")
    assert live(county.clerk) == []
    assert len(live(county.township_secretary)) == 1
    assert {t.revoked_reason for t in ApiToken.objects.filter(user=county.clerk)} == {"password"}
    event = AuditEvent.objects.filter(data__reason="password").get()
    assert event.actor == county.clerk and len(event.data["tokens_revoked"]) == 2


def test_an_admin_reset_revokes_every_token(county: County) -> None:
    services.api_token_create(actor=county.clerk, name="a")
    services.user_reset_password(actor=county.security_admin, user=county.clerk)
    assert live(county.clerk) == []
    event = AuditEvent.objects.filter(data__reason="password").get()
    assert event.actor == county.security_admin and event.object_code == str(county.clerk.code)


def test_disabling_revokes_for_good(county: County) -> None:
    services.api_token_create(actor=county.clerk, name="a")
    services.user_set_active(actor=county.security_admin, user=county.clerk, active=False)
    services.user_set_active(actor=county.security_admin, user=county.clerk, active=True)
    token = ApiToken.objects.get()
    assert token.revoked_at is not None and token.revoked_reason == "disabled"


def test_a_second_factor_reset_can_revoke_them_through_the_hook(county: County) -> None:
    services.api_token_create(actor=county.clerk, name="a")
    owner_revoked, _clear = services.api_token_create(actor=county.clerk, name="b")
    services.api_token_revoke(actor=county.clerk, token=owner_revoked)
    assert services.tokens_revoke_all(county.clerk, ApiToken.RevokeReason.TWO_FACTOR) == 1
    assert services.tokens_revoke_all(county.clerk, ApiToken.RevokeReason.TWO_FACTOR) == 0
    reasons = dict(ApiToken.objects.values_list("name", "revoked_reason"))
    assert reasons == {"a": "two_factor", "b": "owner"}
