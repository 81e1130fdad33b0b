from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from liangze.supervision import services
from liangze.supervision.models import (
    Finding,
    Inspection,
    InspectionTarget,
    Rectification,
    UnitFlag,
)
from tests.duties.conftest import catalogue, draft, signed, submitted  # noqa: F401
from tests.ledger.conftest import media, photo  # noqa: F401

YEAR = 2026
TODAY = date(2026, 11, 20)


@pytest.fixture(autouse=True)
def today(monkeypatch) -> date:  # type: ignore[no-untyped-def]
    """The clock reads 10 a.m. Beijing time on 20 November 2026: deadlines hang on today."""
    moment = datetime.combine(TODAY, time(10), tzinfo=ZoneInfo("Asia/Shanghai"))
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return TODAY


@pytest.fixture
def flag(county) -> UnitFlag:  # type: ignore[no-untyped-def]
    """河口镇 had a case this year: every inspection over the county must check it."""
    return services.flag_set(
        actor=county.discipline_officer,
        org=county.hekou,
        year=YEAR,
        reason=UnitFlag.Reason.CASE,
        note="镇财政所原所长挪用公款案",
    )


def plan(county, **overrides) -> Inspection:  # type: ignore[no-untyped-def]
    arguments = {
        "actor": county.discipline_officer,
        "kind": Inspection.Kind.SPECIAL,
        "title": "2026年下半年“两个责任”落实情况专项督查",
        "year": YEAR,
        "period": "2026-H2",
        "org": county.county,
        "organiser_body": county.county_commission,
        "planned_start": date(2026, 11, 1),
        "planned_end": date(2026, 12, 15),
        "inspectors": [county.discipline_officer.person],
    }
    return services.inspection_plan(**(arguments | overrides))


@pytest.fixture
def inspection(county, flag) -> Inspection:  # type: ignore[no-untyped-def]
    return plan(county)


@pytest.fixture
def started(county, inspection) -> Inspection:  # type: ignore[no-untyped-def]
    """Under way over 河口镇 (必查) and 城关镇 (指定)."""
    services.target_add(
        actor=county.discipline_officer, inspection=inspection, org=county.chengguan
    )
    return services.inspection_start(actor=county.discipline_officer, inspection=inspection)


@pytest.fixture
def target(county, started) -> InspectionTarget:  # type: ignore[no-untyped-def]
    return started.targets.get(org=county.chengguan)


@pytest.fixture
def finding(county, target) -> Finding:  # type: ignore[no-untyped-def]
    return services.finding_record(
        actor=county.discipline_officer,
        target=target,
        description="班子成员谈心谈话未留存记录",
        severity=Finding.Severity.SERIOUS,
        deadline=date(2026, 12, 31),
    )


@pytest.fixture
def rectification(finding) -> Rectification:  # type: ignore[no-untyped-def]
    return finding.rectification
