from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from liangze.accounts.models import User
from liangze.supervision.inspections import services
from liangze.supervision.models import (
    Finding,
    Inspection,
    InspectionTarget,
    Rectification,
    UnitFlag,
)
from tests.fixtures.county import County, person_of
from tests.fixtures.supervision import YEAR, plan

TODAY = date(2026, 11, 20)


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> date:
    """The clock reads 10 a.m. Beijing time on 20 November 2026: deadlines hang on today."""
    moment = datetime.combine(TODAY, time(10), tzinfo=ZoneInfo("Asia/Shanghai"))
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return TODAY


@pytest.fixture(autouse=True)
def evidence_in_tmp(media: None) -> None:
    """Rectification reports carry evidence: keep it out of the real media folder."""


@pytest.fixture
def flag(county: County) -> UnitFlag:
    """河口镇 had a case this year: every inspection over the county must check it."""
    return services.flag_set(
        actor=county.discipline_officer,
        org=county.hekou,
        year=YEAR,
        reason=UnitFlag.Reason.CASE,
        note="镇财政所原所长挪用公款案",
    )


@pytest.fixture
def inspection(county: County, flag: UnitFlag) -> Inspection:
    return plan(county)


@pytest.fixture
def inspector(county: County, inspection: Inspection) -> User:
    """钱监督 of the 派驻组 is named an inspector: sees the inspection, records, does not manage."""
    inspection.inspectors.add(person_of(county.dispatched_officer))
    return county.dispatched_officer


@pytest.fixture
def started(county: County, inspection: Inspection) -> Inspection:
    """Under way over 河口镇 (必查) and 城关镇 (指定)."""
    services.target_add(
        actor=county.discipline_officer, inspection=inspection, org=county.chengguan
    )
    return services.inspection_start(actor=county.discipline_officer, inspection=inspection)


@pytest.fixture
def target(county: County, started: Inspection) -> InspectionTarget:
    return started.targets.get(org=county.chengguan)


@pytest.fixture
def finding(county: County, target: InspectionTarget) -> Finding:
    return services.finding_record(
        actor=county.discipline_officer,
        target=target,
        description="班子成员谈心谈话未留存记录",
        severity=Finding.Severity.SERIOUS,
        deadline=date(2026, 12, 31),
    )


@pytest.fixture
def rectification(finding: Finding) -> Rectification:
    return finding.rectification
