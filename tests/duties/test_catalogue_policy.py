"""Who may see, issue and correct a catalogue (责任目录), and how a refusal is recorded."""

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from liangze import access
from liangze.duties import policy, services
from liangze.duties.catalogues import queries
from liangze.duties.models import Catalogue
from liangze.orgs.models import Org
from tests.fixtures.clients import Login
from tests.fixtures.county import County
from tests.refusals import the_denial

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed(db: None) -> Catalogue:
    """A catalogue as loaded from its seed document: a draft with no issuer yet."""
    loaded, _ = services.catalogue_load(path=services.SEED_CATALOGUES / "guangan.json")
    return loaded


def url(name: str, catalogue: Catalogue, *extra: str) -> str:
    return reverse(f"duties:{name}", args=[catalogue.code, *extra])


# Who may see ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who", ["clerk", "township_secretary", "other_township_secretary", "system_admin"]
)
def test_business_users_and_the_system_admin_see_every_catalogue(
    county: County, catalogue: Catalogue, seed: Catalogue, who: str
) -> None:
    user = getattr(county, who)
    assert set(queries.catalogues_visible_to(user)) == {catalogue, seed}
    assert queries.get_catalogue_for_user(user, seed.code) == seed


@pytest.mark.parametrize("who", ["security_admin", "audit_admin"])
def test_the_other_administrators_see_none(county: County, catalogue: Catalogue, who: str) -> None:
    assert not queries.catalogues_visible_to(getattr(county, who)).exists()


def test_the_audit_admin_is_refused_the_catalogue_page(
    login: Login, county: County, catalogue: Catalogue
) -> None:
    assert login(county.audit_admin).get(url("catalogue", catalogue)).status_code == 403
    assert the_denial(county.audit_admin).data["reason"] == "role_system"


# Who may issue -------------------------------------------------------------------------------


def test_leaders_and_discipline_staff_may_issue_from_their_own_org(
    county: County, seed: Catalogue
) -> None:
    for who in ("township_secretary", "township_member", "discipline_officer"):
        assert access.user_can_any(getattr(county, who), policy.ISSUE, Catalogue)
    for who in ("clerk", "system_admin", "audit_admin"):
        assert not access.user_can_any(getattr(county, who), policy.ISSUE, Catalogue)
    seed.issuer = county.county  # as catalogue_issue asks: in the county's name
    assert access.user_can(county.discipline_officer, policy.ISSUE, seed)
    assert not access.user_can(county.other_township_secretary, policy.ISSUE, seed)
    assert not access.user_can(county.clerk, policy.ISSUE, seed)


# Whose a draft is (issue 11, found 7: 城关镇 claimed the shared 广安 draft, ---------------------
# and the county then could not revise it)


def _issue(who: Any, draft: Catalogue, issuer: Org) -> Catalogue:
    return services.catalogue_issue(actor=who, catalogue=draft, issuer=issuer, submit_deadline=None)


def test_a_township_cannot_claim_the_shared_draft(
    login: Login, county: County, seed: Catalogue
) -> None:
    assert not queries.issuer_orgs(county.township_secretary, seed).exists()
    with pytest.raises(PermissionDenied):
        _issue(county.township_secretary, seed, county.chengguan)
    client = login(county.township_secretary)
    assert client.get(url("catalogue", seed)).context["issue_form"] is None
    response = client.post(url("catalogue_issue", seed), {"issuer": county.chengguan.pk})
    assert response.status_code == 403
    assert the_denial(county.township_secretary).data["reason"] == "no_issue"
    seed.refresh_from_db()
    assert not seed.is_issued and seed.issuer is None


def test_the_county_issues_the_shared_draft_and_then_revises_it(
    county: County, seed: Catalogue
) -> None:
    assert list(queries.issuer_orgs(county.discipline_officer, seed)) == [county.county]
    issued = _issue(county.discipline_officer, seed, county.county)
    assert issued.issuer == county.county
    draft = services.catalogue_new_version(actor=county.discipline_officer, catalogue=issued)
    assert draft.issuer == county.county and not draft.is_issued
    assert access.user_can(county.discipline_officer, policy.EDIT, draft)
    assert _issue(county.discipline_officer, draft, county.county).is_issued


def test_the_county_draft_is_the_countys_alone(county: County, catalogue: Catalogue) -> None:
    draft = services.catalogue_new_version(actor=county.discipline_officer, catalogue=catalogue)
    for who in ("township_secretary", "township_member", "other_township_secretary"):
        user = getattr(county, who)
        assert not access.user_can(user, policy.EDIT, draft)
        assert not queries.issuer_orgs(user, draft).exists()
        with pytest.raises(PermissionDenied):
            _issue(user, draft, county.chengguan)  # in its own name: the draft is not its own
        with pytest.raises(PermissionDenied):
            _issue(user, draft, county.county)
        with pytest.raises(PermissionDenied):
            services.catalogue_new_version(actor=user, catalogue=catalogue)
    # Nor may the county give its draft away to a township.
    assert list(queries.issuer_orgs(county.discipline_officer, draft)) == [county.county]
    with pytest.raises(PermissionDenied):
        _issue(county.discipline_officer, draft, county.chengguan)
    draft.refresh_from_db()
    assert not draft.is_issued and draft.issuer == county.county


def test_a_refused_issue_is_audited_and_changes_nothing(county: County, seed: Catalogue) -> None:
    with pytest.raises(PermissionDenied) as refused:
        services.catalogue_issue(
            actor=county.township_secretary,
            catalogue=seed,
            issuer=county.county,
            submit_deadline=None,
        )
    access.record_carried_refusal(refused.value)  # as the request's top level does
    event = the_denial(county.township_secretary)
    assert (event.object_type, event.object_code) == ("duties.catalogue", str(seed.code))
    assert event.data["reason"] == "no_issue"
    seed.refresh_from_db()
    assert not seed.is_issued and seed.issuer is None


# Who may correct -----------------------------------------------------------------------------


def test_the_issuing_level_corrects_an_issued_catalogue_through_a_new_version(
    county: County, catalogue: Catalogue
) -> None:
    assert access.user_can(county.discipline_officer, policy.EDIT, catalogue)
    assert not access.user_can(county.township_secretary, policy.EDIT, catalogue)
    assert not access.user_can(county.system_admin, policy.EDIT, catalogue)


def test_only_the_system_admin_corrects_a_seed_catalogue(county: County, seed: Catalogue) -> None:
    assert access.user_can(county.system_admin, policy.EDIT, seed)
    for who in ("discipline_officer", "township_secretary", "clerk"):
        assert not access.user_can(getattr(county, who), policy.EDIT, seed)


def test_a_refused_correction_answers_403_with_one_event(
    login: Login, county: County, seed: Catalogue
) -> None:
    entry = seed.entries.order_by("pk").first()
    assert entry is not None
    response = login(county.township_secretary).post(
        url("catalogue_entry", seed, entry.ref), {"name": "改", "text": "改"}
    )
    assert response.status_code == 403
    event = the_denial(county.township_secretary)
    assert event.object_code == str(seed.code) and event.data["reason"] == "no_edit"


def test_a_refused_new_version_answers_403_with_one_event(
    login: Login, county: County, catalogue: Catalogue
) -> None:
    response = login(county.township_secretary).post(url("catalogue_new_version", catalogue))
    assert response.status_code == 403
    event = the_denial(county.township_secretary)
    assert event.object_code == str(catalogue.code) and event.data["reason"] == "no_edit"
    assert not Catalogue.objects.filter(previous=catalogue).exists()


def test_an_unknown_entry_answers_404_with_one_event(
    login: Login, county: County, seed: Catalogue
) -> None:
    response = login(county.system_admin).post(
        url("catalogue_entry", seed, "NO-SUCH"), {"name": "改", "text": "改"}
    )
    assert response.status_code == 404
    event = the_denial(county.system_admin)
    assert event.data["reason"] == access.NOT_FOUND and event.data["lookup"] == {"ref": "NO-SUCH"}


def test_an_unknown_catalogue_answers_404_with_one_event(login: Login, county: County) -> None:
    response = login(county.clerk).get(reverse("duties:catalogue", args=[county.county.code]))
    assert response.status_code == 404
    assert the_denial(county.clerk).data["reason"] == "not_visible"
