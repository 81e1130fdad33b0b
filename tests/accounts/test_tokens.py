import pytest
from django.urls import reverse

from liangze.accounts.models import ApiToken
from liangze.core.sm3 import sm3_hex
from tests.fixtures.clients import Login
from tests.fixtures.county import County

pytestmark = pytest.mark.django_db
URL = reverse("accounts:tokens")


def test_it_shows_a_new_token_once_and_stores_only_its_digest(login: Login, county: County) -> None:
    response = login(county.clerk).post(URL, {"name": "统计报送"})
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
    login(county.clerk).post(URL, {"name": "a"})
    token = ApiToken.objects.get()
    url = reverse("accounts:token_revoke", args=[token.code])
    assert login(county.township_secretary).post(url).status_code == 404
    assert login(county.clerk).post(url).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
