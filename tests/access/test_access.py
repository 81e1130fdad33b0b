from typing import Any

import pytest
from django.db.models import QuerySet
from django.http import Http404

from liangze import access
from liangze.core.models import AuditEvent
from liangze.orgs.models import Org, Person
from tests.fixtures.clients import Login
from tests.fixtures.county import County

pytestmark = pytest.mark.django_db


def names(qs: QuerySet[Any]) -> set[str]:
    return set(qs.values_list("name", flat=True))


def test_it_gives_a_township_secretary_their_subtree(county: County) -> None:
    visible = names(access.orgs_visible_to(county.township_secretary))
    assert visible == {"城关镇党委", "城关镇第一党支部"}


def test_it_gives_county_discipline_staff_the_supervised_county(county: County) -> None:
    assert names(access.orgs_visible_to(county.discipline_officer)) == set(
        Org.objects.values_list("name", flat=True)
    )


def test_it_limits_a_dispatched_group_to_the_units_it_supervises(county: County) -> None:
    visible = names(access.orgs_visible_to(county.dispatched_officer))
    assert visible == {"县教育局党组", "示范县委"}  # supervised unit + own org's page


def test_it_gives_a_plain_member_only_their_own_org_and_record(county: County) -> None:
    assert names(access.orgs_visible_to(county.clerk)) == {"城关镇党委"}
    assert names(access.people_visible_to(county.clerk)) == {"孙小文"}


def test_it_keeps_the_audit_admin_away_from_business_data(county: County) -> None:
    assert not access.orgs_visible_to(county.audit_admin).exists()
    assert not access.people_visible_to(county.audit_admin).exists()


def test_it_answers_404_to_an_outsider_and_audits_the_attempt(county: County) -> None:
    from django.http import Http404

    with pytest.raises(Http404) as refused:
        access.get_for_user(
            county.other_township_secretary, Org.objects.all(), code=county.chengguan.code
        )
    # Inside a transaction (this test's) the event travels with the refusal
    # until the request's top level writes it.
    access.record_carried_refusal(refused.value)
    event = AuditEvent.objects.get(verb=AuditEvent.Verb.DENIED)
    assert event.actor == county.other_township_secretary
    assert event.object_label == "城关镇党委"


def test_it_answers_403_to_an_insider_without_the_right(county: County) -> None:
    from django.core.exceptions import PermissionDenied

    person = Person.objects.get(name="孙小文")
    with pytest.raises(PermissionDenied):
        access.get_for_user(
            county.township_secretary, Person.objects.all(), access.CHANGE, code=person.code
        )
    # The system admin keeps the people on the org tree's pages, and only there (三员分立).
    kept = access.get_for_user(
        county.system_admin,
        Person.objects.all(),
        access.CHANGE,
        administering=True,
        code=person.code,
    )
    assert kept == person
    with pytest.raises(Http404):
        access.get_for_user(
            county.system_admin, Person.objects.all(), access.CHANGE, code=person.code
        )


def test_it_keeps_the_record_of_a_refusal_inside_a_rolled_back_service(
    login: Login, county: County
) -> None:
    from datetime import date

    from django.urls import reverse

    from liangze.duties import services
    from liangze.duties.models import DutyList

    loaded, _ = services.catalogue_load(path=services.SEED_CATALOGUES / "tongzhou-2017.json")
    catalogue = services.catalogue_issue(
        actor=None,
        catalogue=loaded,
        issuer=county.county,
        submit_deadline=date(2099, 2, 14),
        year=2026,
    )
    duty_list = services.duty_list_create(
        actor=county.township_secretary,
        org=county.chengguan,
        year=2026,
        list_type="collective",
        catalogue=catalogue,
    )
    client = login(county.clerk)
    response = client.post(
        reverse("duties:discuss", args=[duty_list.code]),
        {"discussed_on": "2026-01-10", "meeting": "会", "attendees": "全体"},
    )
    assert response.status_code in (403, 404)
    assert DutyList.objects.get().status == DutyList.Status.DRAFT
    assert AuditEvent.objects.filter(verb="denied", actor_name="sunxw").exists()
