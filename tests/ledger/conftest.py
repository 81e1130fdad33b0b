from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from liangze.duties import services as duty_services
from liangze.duties.models import DutyList, Review
from tests.duties.conftest import catalogue, draft, signed, submitted  # noqa: F401

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    """Evidence files go to a throwaway folder, real files all the same."""
    settings.MEDIA_ROOT = tmp_path / "media"


def photo(name: str = "会议照片.png", content: bytes = PNG) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/png")


@pytest.fixture
def on(monkeypatch):  # type: ignore[no-untyped-def]
    """on(day) → the clock reads 10 a.m. Beijing time that day: ledger deadlines hang on today."""

    def travel(day: date) -> None:
        moment = datetime.combine(day, time(10), tzinfo=ZoneInfo("Asia/Shanghai"))
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return travel


@pytest.fixture
def published(county, request) -> DutyList:  # type: ignore[no-untyped-def]
    """城关镇's 2026 collective list, accepted by the county 纪委 and published to the unit."""
    # By name, not as an argument: an argument `submitted` would shadow the import above.
    duty_list = request.getfixturevalue("submitted")
    duty_services.duty_list_review(
        actor=county.discipline_officer, duty_list=duty_list, verdict=Review.Verdict.ACCEPTED
    )
    return duty_services.duty_list_publish(
        actor=county.township_secretary,
        duty_list=duty_list,
        publish_range=DutyList.PublishRange.UNIT,
    )
