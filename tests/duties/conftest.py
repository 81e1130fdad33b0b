"""Fixtures the duties tests alone use; shared duty-list states live in tests/fixtures/duties.py."""

import pytest

from liangze.duties import services
from liangze.duties.models import Catalogue, DutyList, ListType
from tests.fixtures.county import County


@pytest.fixture
def draft_catalogue(db: None) -> Catalogue:
    """The 广安 catalogue as loaded: not issued yet, so only the system admin corrects it."""
    loaded, _ = services.catalogue_load(path=services.SEED_CATALOGUES / "guangan.json")
    return loaded


@pytest.fixture
def member_draft(county: County, catalogue: Catalogue) -> DutyList:
    """李明华's own member list (班子成员), just started."""
    return services.duty_list_create(
        actor=county.township_member,
        org=county.chengguan,
        year=2026,
        list_type=ListType.MEMBER,
        catalogue=catalogue,
        person=county.township_member.person,
    )


@pytest.fixture
def supervisory_list(county: County, catalogue: Catalogue) -> DutyList:
    """The county commission's supervisory list, just started."""
    return services.duty_list_create(
        actor=county.discipline_officer,
        org=county.county,
        year=2026,
        list_type=ListType.SUPERVISORY,
        catalogue=catalogue,
        discipline_body=county.county_commission,
    )


@pytest.fixture
def principal_draft(county: County, catalogue: Catalogue) -> DutyList:
    """张建国's own list as 城关镇's principal (主要负责人), just started."""
    return services.duty_list_create(
        actor=county.township_secretary,
        org=county.chengguan,
        year=2026,
        list_type=ListType.PRINCIPAL,
        catalogue=catalogue,
        person=county.township_secretary.person,
    )
