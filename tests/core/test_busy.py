"""A database still busy after its timeout answers 503 with a way to resubmit, never a 500."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.db.models import F, Model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from liangze.core.models import AuditEvent, AuditHead
from tests.fixtures.county import PASSWORD, County, person_of

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's lock errors are measured"),
]

LOGIN = reverse("accounts:login")


@contextmanager
def busy(table: type[Model]) -> Iterator[None]:
    """Another connection in the middle of a write transaction, as a long import once was.

    The test database is SQLite in memory with a shared cache: a second writer is
    refused at once ("database table is locked"), as a file database refuses one
    after the busy timeout ("database is locked").
    """
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with transaction.atomic():
            key = table._meta.pk.name
            table._default_manager.update(**{key: F(key)})
            holding.set()
            release.wait(30)
        connection.close()

    thread = threading.Thread(target=hold)
    thread.start()
    assert holding.wait(30)
    yield
    release.set()
    thread.join()


def test_it_answers_a_busy_login_with_503_and_says_nothing_was_saved(county: County) -> None:
    typed = {"username": county.township_secretary.username, "password": PASSWORD}

    with busy(AuditHead):
        response = Client().post(LOGIN, typed)

    assert response.status_code == 503 and response["Retry-After"] == "5"
    content = response.content.decode()
    assert "系统繁忙，请稍后再试" in content and "您刚才提交的内容尚未保存" in content
    # A password is not written back into a page: the user types it again.
    assert PASSWORD not in content and "重新填写密码" in content


def test_it_offers_to_resubmit_what_was_typed(county: County) -> None:
    client = Client()
    client.force_login(county.township_secretary)

    typed = {
        "kind": "talk",
        "held_on": timezone.localdate().isoformat(),
        "host": person_of(county.township_secretary).pk,
        "participants": [person_of(county.township_member).pk],
        "subject": "谈心",
    }

    with busy(AuditHead):
        response = client.post(reverse("ledger:activity_new"), typed)

    assert response.status_code == 503
    content = response.content.decode()
    assert 'name="subject" value="谈心"' in content and "重新提交" in content


def test_it_answers_503_when_the_session_is_busy_outside_the_view(county: County) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(county.township_secretary)

    with busy(Session):
        response = client.get(reverse("ledger:activities"))

    assert response.status_code == 503 and "刷新" in response.content.decode()


def test_it_answers_normally_once_the_writer_is_done(county: County) -> None:
    typed = {"username": county.township_secretary.username, "password": PASSWORD}

    assert Client().post(LOGIN, typed).status_code == 302
    assert AuditEvent.objects.filter(verb="login").exists()
