from pathlib import Path

import pytest
from django.db import OperationalError, connections
from django.test import Client
from huey import RedisHuey
from pytest_django import Settings

from liangze.core import health

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings: Settings, tmp_path: Path) -> Path:
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def database_down(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse() -> None:
        raise OperationalError("connection refused")

    monkeypatch.setattr(connections["default"], "cursor", refuse)


def test_it_reports_every_part_ok_without_a_login(client: Client, media: Path) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "queue": "ok", "storage": "ok"}
    assert "no-cache" in response["Cache-Control"]
    assert list(media.rglob("*.txt")) == []  # the probe file is gone


def test_it_answers_503_naming_the_database(
    client: Client, media: Path, database_down: None
) -> None:
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "down", "queue": "ok", "storage": "ok"}
    assert "refused" not in response.content.decode()  # the reason stays in the log


def test_it_answers_503_naming_the_file_store(
    client: Client, settings: Settings, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    settings.MEDIA_ROOT = blocker / "media"  # cannot be created under a file
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["storage"] == "down"


def test_it_answers_503_naming_the_queue(
    client: Client, media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A Redis queue on a port where nothing listens.
    monkeypatch.setattr(health, "HUEY", RedisHuey("liangze", url="redis://127.0.0.1:1/0"))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "queue": "down", "storage": "ok"}


def test_it_logs_why_a_part_is_down(
    client: Client, media: Path, database_down: None, caplog: pytest.LogCaptureFixture
) -> None:
    client.get("/healthz")
    assert "健康检查失败：database" in caplog.text
    assert "connection refused" in caplog.text


def test_ready_answers_for_the_database_only(
    client: Client, settings: Settings, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "missing-parent-file"
    (tmp_path / "missing-parent-file").write_text("")
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok"}


def test_ready_answers_503_when_the_database_is_down(client: Client, database_down: None) -> None:
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"database": "down"}


def test_it_refuses_post(client: Client) -> None:
    assert client.post("/healthz").status_code == 405
