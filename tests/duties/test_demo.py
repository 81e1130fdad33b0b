from datetime import date
from random import Random

import pytest

from liangze.accounts.models import User
from liangze.demo import duties as demo
from liangze.duties import services
from liangze.duties.coverage import queries as coverage
from liangze.duties.models import DutyList, ListType, Review, Signature
from liangze.orgs import services as org_services
from liangze.orgs.models import OrgKind, OrgLevel, PositionKind
from tests.fixtures.county import County

pytestmark = pytest.mark.django_db


def test_it_seeds_lists_in_every_state_with_valid_signatures(county: County) -> None:
    made = demo.seed_lists(root=county.county, year=2026, rng=Random(7))
    lists = DutyList.objects.all()
    assert lists.count() == sum(made.values()) > 0
    for duty_list in lists.filter(digest__gt=""):
        assert services.verify_digest(duty_list)
    copied = DutyList.objects.get(org=county.hekou, list_type="collective")
    original = DutyList.objects.get(org=county.chengguan, list_type="collective")
    assert copied.status == DutyList.Status.SUBMITTED
    assert [i.q1.replace("河口镇", "城关镇") for i in copied.items.order_by("seq")] == [
        i.q1 for i in original.items.order_by("seq")
    ]


def test_it_is_deterministic_for_a_seed(county: County) -> None:
    demo.seed_lists(root=county.county, year=2026, rng=Random(7))
    first = sorted(DutyList.objects.values_list("org__name", "list_type", "status"))
    Signature.objects.all().delete()
    Review.objects.all().delete()
    DutyList.objects.update(previous=None)
    DutyList.objects.all().delete()
    demo.seed_lists(root=county.county, year=2026, rng=Random(7))
    assert sorted(DutyList.objects.values_list("org__name", "list_type", "status")) == first


def test_it_flags_the_planted_copy(county: County) -> None:
    demo.seed_lists(root=county.county, year=2026, rng=Random(7))
    copied = DutyList.objects.get(org=county.hekou, list_type="collective")
    assert copied.similarity is not None and copied.similarity >= 0.9
    assert copied.twin == DutyList.objects.get(org=county.chengguan, list_type="collective")


def test_it_signs_the_supervisory_list_on_both_lines(county: County, commission_head: User) -> None:
    """附件4: the Party secretary on the 党委 line, the commission's head on the 纪委 line."""
    demo.seed_lists(root=county.county, year=2026, rng=Random(7))
    signed = DutyList.objects.filter(list_type="supervisory").exclude(
        status__in=(DutyList.Status.DRAFT, DutyList.Status.DISCUSSED)
    )
    assert signed.exists()
    for duty_list in signed:
        assert dict(duty_list.signatures.values_list("role", "signer_name")) == {
            Signature.Role.PRINCIPAL: "张建国",
            Signature.Role.DISCIPLINE: "周正风",
        }


def test_it_gives_lists_to_units_without_a_party_committee_but_one(county: County) -> None:
    archives, gazetteer = (
        org_services.org_create(
            actor=None,
            parent=county.county,
            org_no=f"C-G{n}",
            name=name,
            kind=OrgKind.GOVERNMENT,
            level=OrgLevel.DEPARTMENT,
        )
        for n, name in enumerate(("示范县档案馆", "示范县地方志办公室"), start=1)
    )
    for unit in (archives, gazetteer):
        head = org_services.person_create(
            actor=None, org=unit, person_no=f"{unit.org_no}-P", name="钱主任", gender="M"
        )
        org_services.position_create(
            actor=None,
            person=head,
            org=unit,
            kind=PositionKind.PRINCIPAL,
            title="主任",
            start_date=date(2024, 1, 1),
        )
    demo.seed_lists(root=county.county, year=2026, rng=Random(7))
    done = DutyList.objects.get(org=archives, list_type="collective")
    assert done.status == DutyList.Status.PUBLISHED
    assert not DutyList.objects.filter(org=gazetteer).exists()
    missing = coverage.missing(county.county, 2026, ListType.COLLECTIVE)
    assert gazetteer in missing and archives not in missing
