import io
import json
import logging
from collections.abc import Iterator

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import include, path
from pytest_django import Settings

from liangze.core.logs import JsonFormatter
from tests.fixtures.clients import Login
from tests.fixtures.county import County

pytestmark = pytest.mark.django_db


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("the view failed")


# The site, and one page that fails.
urlpatterns = [path("boom/", boom), path("", include("liangze.urls"))]


@pytest.fixture
def console() -> Iterator[io.StringIO]:
    """What the configured console handler writes (settings.LOGGING), kept in memory."""
    handler = next(h for h in logging.getLogger().handlers if h.name == "console")
    assert isinstance(handler, logging.StreamHandler)
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


@pytest.fixture
def json_lines(console: io.StringIO) -> Iterator[io.StringIO]:
    handler = next(h for h in logging.getLogger().handlers if h.name == "console")
    previous = handler.formatter
    handler.setFormatter(JsonFormatter())
    yield console
    handler.setFormatter(previous)


def test_a_request_logs_with_the_id_it_answers_in_its_header(
    login: Login, county: County, console: io.StringIO
) -> None:
    response = login(county.township_secretary).get("/no-such-page/")
    assert response.status_code == 404
    request_id = response["X-Request-ID"]
    [line] = [line for line in console.getvalue().splitlines() if "Not Found" in line]
    assert f"[{request_id} zhangjg]" in line
    assert " WARNING django.request " in line
    assert line[:4].isdigit()  # starts with the time: 2026-…


def test_each_request_gets_its_own_id(client: Client) -> None:
    first, second = client.get("/readyz"), client.get("/readyz")
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_it_takes_the_request_id_of_a_trusted_proxy_only(
    client: Client, settings: Settings
) -> None:
    settings.LIANGZE_TRUSTED_PROXIES = ("10.0.0.5",)
    from_proxy = client.get("/readyz", REMOTE_ADDR="10.0.0.5", HTTP_X_REQUEST_ID="nginx-7f3a")
    assert from_proxy["X-Request-ID"] == "nginx-7f3a"
    from_outside = client.get("/readyz", HTTP_X_REQUEST_ID="made-up")
    assert from_outside["X-Request-ID"] != "made-up"
    garbage = client.get("/readyz", REMOTE_ADDR="10.0.0.5", HTTP_X_REQUEST_ID="a b\nc")
    assert garbage["X-Request-ID"] != "a b\nc"


def test_an_unhandled_error_is_logged_with_the_user_and_the_path(
    login: Login, county: County, settings: Settings, json_lines: io.StringIO
) -> None:
    settings.ROOT_URLCONF = __name__
    client = login(county.township_secretary)
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    [entry] = [
        e for e in map(json.loads, json_lines.getvalue().splitlines()) if e["level"] == "ERROR"
    ]
    assert entry["logger"] == "django.request"
    assert entry["user"] == "zhangjg"
    assert "/boom/" in entry["message"]
    assert entry["request_id"] == response["X-Request-ID"]
    assert "RuntimeError: the view failed" in entry["exception"]
    assert entry["time"].startswith("20")


def test_lines_outside_a_request_say_so(console: io.StringIO) -> None:
    logging.getLogger("liangze.test").warning("夜间任务开始")
    assert "[- -] 夜间任务开始" in console.getvalue()
