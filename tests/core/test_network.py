import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import Settings

from liangze.accounts.models import LoginFailure
from liangze.core.models import AuditEvent
from liangze.core.network import client_address
from tests.fixtures.county import PASSWORD, County

PROXY = "10.0.0.5"
OUTER_PROXY = "192.0.2.10"


@pytest.fixture(autouse=True)
def trusted(settings: Settings) -> None:
    settings.LIANGZE_TRUSTED_PROXIES = ("10.0.0.0/24", OUTER_PROXY, "fd00::/8")


def address(remote: str, forwarded: str | None = None) -> str | None:
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(meta)


def test_it_ignores_what_an_untrusted_peer_claims() -> None:
    assert address("203.0.113.9", "1.2.3.4") == "203.0.113.9"


def test_it_believes_a_trusted_proxy() -> None:
    assert address(PROXY, "203.0.113.9") == "203.0.113.9"


def test_it_takes_the_first_untrusted_hop_from_the_right_through_two_proxies() -> None:
    # The client made up "1.2.3.4"; the outer proxy appended the real peer.
    assert address(PROXY, f"1.2.3.4, 203.0.113.9, {OUTER_PROXY}") == "203.0.113.9"


def test_it_answers_the_farthest_proxy_when_every_hop_is_ours() -> None:
    assert address(PROXY, f"{OUTER_PROXY}, 10.0.0.7") == OUTER_PROXY


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("", PROXY),
        ("not-an-address", PROXY),
        ("203.0.113.9, garbage", PROXY),
        (f"garbage, {OUTER_PROXY}", OUTER_PROXY),
        ("203.0.113.9:51234", "203.0.113.9"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("::ffff:203.0.113.9", "203.0.113.9"),
        ("  203.0.113.9  ", "203.0.113.9"),
    ],
)
def test_it_never_believes_garbage(forwarded: str, expected: str) -> None:
    assert address(PROXY, forwarded) == expected


def test_it_trusts_nobody_by_default(settings: Settings) -> None:
    settings.LIANGZE_TRUSTED_PROXIES = ()
    assert address(PROXY, "203.0.113.9") == PROXY


def test_it_reads_ipv6_proxies() -> None:
    assert address("fd00::1", "2001:db8::7") == "2001:db8::7"


@pytest.mark.django_db
def test_the_audit_and_the_lockout_record_the_client_behind_the_proxy(
    client: Client, county: County
) -> None:
    login = reverse("accounts:login")

    def attempt(password: str) -> None:
        client.post(
            login,
            {"username": "zhangjg", "password": password},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9",
        )

    attempt("wrong-password")
    assert LoginFailure.objects.get().ip == "203.0.113.9"
    attempt(PASSWORD)
    assert AuditEvent.objects.get(verb="login").ip == "203.0.113.9"


@pytest.mark.django_db
def test_a_spoofed_header_from_outside_is_not_recorded(client: Client, county: County) -> None:
    client.post(
        reverse("accounts:login"),
        {"username": "zhangjg", "password": "wrong-password"},
        REMOTE_ADDR="198.51.100.20",
        HTTP_X_FORWARDED_FOR="10.0.0.9",
    )
    assert LoginFailure.objects.get().ip == "198.51.100.20"
