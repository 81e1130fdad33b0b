"""Who sees what of an inspection (core.access policies registered by the app)."""

from typing import TypeVar

import pytest
from django.db.models import Model

from liangze import access
from liangze.accounts.models import User
from liangze.supervision.inspections import queries, services
from liangze.supervision.models import (
    Finding,
    Inspection,
    InspectionTarget,
    Rectification,
    UnitFlag,
)
from tests.fixtures.county import County
from tests.fixtures.supervision import plan

pytestmark = pytest.mark.django_db


M = TypeVar("M", bound=Model)


def visible(user: User, model: type[M]) -> list[M]:
    return list(model._default_manager.filter(access.visible_q(user, model)))


def test_the_inspected_unit_sees_its_own_rows_but_not_the_inspection(
    county: County, finding: Finding
) -> None:
    for user in (county.township_secretary, county.township_member, county.clerk):
        assert visible(user, Inspection) == []
        assert [t.org for t in visible(user, InspectionTarget)] == [county.chengguan]
        assert visible(user, Rectification) == [finding.rectification]
    assert visible(county.other_township_secretary, Rectification) == []
    assert [t.org for t in visible(county.other_township_secretary, InspectionTarget)] == [
        county.hekou
    ]


def test_the_scopes_own_leaders_do_not_see_the_plan_but_higher_levels_do(county: County) -> None:
    inspection = plan(county, org=county.chengguan)
    assert visible(county.township_secretary, Inspection) == []
    assert visible(county.discipline_officer, Inspection) == [inspection]
    assert visible(county.dispatched_officer, Inspection) == []


def test_an_inspector_sees_the_inspection_once(county: County, flag: UnitFlag) -> None:
    inspection = plan(
        county, inspectors=[county.dispatched_officer.person, county.discipline_officer.person]
    )
    assert visible(county.dispatched_officer, Inspection) == [inspection]
    assert queries.inspection_search(county.dispatched_officer).count() == 1


def test_a_leader_manages_what_their_org_organises(county: County) -> None:
    inspection = plan(
        county,
        actor=county.township_secretary,
        organiser_body=None,
        organiser_org=county.chengguan,
        org=county.chengguan,
    )
    assert access.user_can(county.township_secretary, "manage", inspection)
    assert access.user_can(county.township_member, "manage", inspection)
    assert not access.user_can(county.clerk, "manage", inspection)
    assert not access.user_can(county.other_township_secretary, "manage", inspection)


def test_flags_are_for_discipline_staff_and_higher_levels(county: County, flag: UnitFlag) -> None:
    assert visible(county.discipline_officer, UnitFlag) == [flag]
    assert visible(county.other_township_secretary, UnitFlag) == []  # its own unit's flag
    assert visible(county.clerk, UnitFlag) == []
    assert visible(county.system_admin, UnitFlag) == []


def test_administrators_see_no_inspection_data(county: County, finding: Finding) -> None:
    for admin in (county.system_admin, county.security_admin, county.audit_admin):
        assert visible(admin, Inspection) == []
        assert visible(admin, Rectification) == []
    assert not access.user_can(county.system_admin, "manage", finding.inspection)


def test_the_organiser_keeps_verifying_after_the_inspection_ends(
    county: County, rectification: Rectification
) -> None:
    target = rectification.finding.target
    for other in target.inspection.targets.all():
        services.target_check(actor=county.discipline_officer, target=other, conclusion="好")
    services.inspection_conclude(
        actor=county.discipline_officer, inspection=target.inspection, summary="结束"
    )
    assert access.user_can(county.discipline_officer, "manage", rectification)
    assert access.user_can(county.clerk, "rectify", rectification)
