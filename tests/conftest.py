import pytest
from django.core.cache import cache
from django.test import Client

from liangze.accounts import services
from tests.county import County, build


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    """Cached roll-ups must not leak from one test's database into the next."""
    cache.clear()


@pytest.fixture
def county(db: None) -> County:
    return build()


@pytest.fixture
def login(client: Client):
    """login(user) → the test client, logged in as that user."""

    def as_user(user) -> Client:  # type: ignore[no-untyped-def]
        client.force_login(user)
        return client

    return as_user


@pytest.fixture
def api(county):  # type: ignore[no-untyped-def]
    """api(user) → a client whose requests carry that user's bearer token."""

    def as_user(user) -> Client:  # type: ignore[no-untyped-def]
        _token, clear = services.api_token_create(actor=user, name="测试")
        return Client(HTTP_AUTHORIZATION=f"Bearer {clear}")

    return as_user
