import pytest
from django.test import Client

from tests.county import County, build


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
