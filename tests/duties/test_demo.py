"""The demo's lists tell a true year (issue 9 item 21): January drafts, February submissions
and reviews by real people, publication in February and March, a few planted late or copied."""

from datetime import date, datetime
from random import Random
from zoneinfo import ZoneInfo

import pytest

from liangze.accounts.models import User
from liangze.core.models import AuditEvent
from liangze.demo import duties as demo
from liangze.demo import story
from liangze.duties import services
from liangze.duties.coverage import queries as coverage
from liangze.duties.lists import copydetect
from liangze.duties.lists.copydetect import THRESHOLD
from liangze.duties.lists.queries import is_late
from liangze.duties.models import DutyList, ListType, Review, Signature
from liangze.orgs import services as org_services
from liangze.orgs.models import OrgKind, OrgLevel, PositionKind
from tests.fixtures.county import County
from tests.fixtures.ledger import add_person

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 23)
DEADLINE = date(2026, 2, 14)
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def bigger(county: County, commission_head: User) -> County:
    """The test county with six more townships, each with a secretary and a deputy,
    城关镇's 纪委 secretary 周正风, and a secretary for its branch."""
    for i in range(6):
        town = org_services.org_create(
            actor=None,
            parent=county.county,
            org_no=f"C-T{3 + i}",
            name=f"第{i}镇党委",
            kind=OrgKind.PARTY_COMMITTEE,
            level=OrgLevel.TOWNSHIP,
        )
        add_person(town, f"T{i}1", f"书记{i}", PositionKind.PRINCIPAL, "党委书记")
        add_person(town, f"T{i}2", f"副书记{i}", PositionKind.MEMBER, "党委副书记")
    add_person(county.branch, "B01", "支书", PositionKind.BRANCH_SECRETARY, "支部书记")
    return county


def seed(county: County, seed: int = 7) -> demo.Made:
    return demo.seed_lists(root=county.county, year=2026, rng=Random(seed), today=TODAY)


def local(at: datetime | None) -> date:
    assert at is not None
    return at.astimezone(SHANGHAI).date()


def test_the_year_reads_true(bigger: County) -> None:
    made = seed(bigger)
    lists = DutyList.objects.filter(is_current=True)
    # Late: exactly the planted ones; the others went in by the deadline.
    assert made.late
    assert {dl.pk for dl in lists if is_late(dl, TODAY)} == made.late
    on_time = lists.filter(submitted_at__isnull=False).exclude(pk__in=made.late)
    assert on_time.exists()
    assert all(local(dl.submitted_at) <= DEADLINE for dl in on_time)
    # January drafts and meetings, reviews within days, publication in February and March.
    for dl in lists.exclude(discussed_on=None):
        assert dl.discussed_on is not None and dl.filled_on is not None
        assert date(2026, 1, 4) <= dl.filled_on <= dl.discussed_on <= TODAY
    # Reviews took days: in November nothing has been waiting since spring.
    assert not lists.filter(status=DutyList.Status.SUBMITTED).exists()
    published = lists.filter(status=DutyList.Status.PUBLISHED)
    assert published.count() > lists.count() / 2
    for dl in published:
        assert dl.signed_at and dl.submitted_at and dl.published_at
        assert dl.signed_at <= dl.submitted_at < dl.published_at
        assert date(2026, 2, 1) <= local(dl.published_at) <= date(2026, 3, 31)
        review = dl.reviews.get(verdict=Review.Verdict.ACCEPTED)
        assert dl.submitted_at < review.at < dl.published_at
    # Real people acted, at the story's moments: the county 纪委's officer reviewed.
    codes = [str(c) for c in DutyList.objects.values_list("code", flat=True)]
    events = AuditEvent.objects.filter(object_code__in=codes)
    assert events.exists()
    assert not events.filter(actor_name="命令行").exists()
    assert not events.filter(actor__isnull=True).exists()
    assert all(local(at) < date(2026, 4, 1) for at in events.values_list("at", flat=True))
    county_reviews = Review.objects.filter(duty_list__org__parent=bigger.county)
    assert set(county_reviews.values_list("reviewer_name", flat=True)) == {"赵纪平"}
    branch_reviews = Review.objects.filter(duty_list__org=bigger.branch)
    town_people = {"周正风", "张建国", "李明华"}
    assert set(branch_reviews.values_list("reviewer_name", flat=True)) <= town_people
    assert not Signature.objects.filter(signer__isnull=True).exists()
    # The 纪委's list is its secretary's: 责任人 in every row; 附件4 signed on both lines.
    supervisory = lists.get(org=bigger.chengguan, list_type=ListType.SUPERVISORY)
    assert set(supervisory.items.values_list("responsible__name", flat=True)) == {"周正风"}
    assert dict(supervisory.signatures.values_list("role", "signer_name")) == {
        Signature.Role.PRINCIPAL: "张建国",
        Signature.Role.DISCIPLINE: "周正风",
    }
    for duty_list in DutyList.objects.filter(digest__gt=""):
        assert services.verify_digest(duty_list)


def test_returned_lists_are_reworked_and_resubmitted_in_time(
    bigger: County, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(demo, "RETURNED_SHARE", 1.0)
    seed(bigger)
    returned = Review.objects.filter(verdict=Review.Verdict.RETURNED)
    reworked = DutyList.objects.filter(previous__reviews__in=returned)
    assert reworked.exists()
    for fresh in reworked:
        assert fresh.previous is not None and fresh.version == 2
        review = fresh.previous.reviews.get(verdict=Review.Verdict.RETURNED)
        assert fresh.submitted_at and review.at < fresh.submitted_at
        assert local(fresh.submitted_at) <= DEADLINE
        assert not is_late(fresh, TODAY)


def test_it_plants_copies_the_detector_finds_and_little_else(bigger: County) -> None:
    made = seed(bigger)
    assert made.copies
    for copy_pk, original_pk in made.copies:
        copy = DutyList.objects.get(pk=copy_pk)
        assert copy.similarity is not None and copy.similarity >= THRESHOLD
        assert copy.twin_id == original_pk
        assert copy.status == DutyList.Status.RETURNED
        assert copy.reviews.get().reason == demo.COPY_REASON
    planted = {pk for pair in made.copies for pk in pair}
    # Every other list, scored, stays below the line: the text differs from unit to unit.
    flagged = [
        dl.pk
        for dl in DutyList.objects.filter(is_current=True, submitted_at__isnull=False)
        if copydetect.refresh_similarity(dl).similarity >= THRESHOLD
    ]
    assert set(flagged) <= planted


def test_it_is_deterministic_for_a_seed(bigger: County) -> None:
    seed(bigger)
    first = sorted(DutyList.objects.values_list("org__name", "list_type", "version", "status"))
    Signature.objects.all().delete()
    Review.objects.all().delete()
    DutyList.objects.update(previous=None)
    DutyList.objects.all().delete()
    seed(bigger)
    assert sorted(DutyList.objects.values_list("org__name", "list_type", "version", "status")) == (
        first
    )


def test_the_story_has_not_happened_yet_in_january(bigger: County) -> None:
    demo.seed_lists(root=bigger.county, year=2026, rng=Random(7), today=date(2026, 1, 9))
    assert not DutyList.objects.filter(submitted_at__isnull=False).exists()
    assert all(dl.filled_on and dl.filled_on <= date(2026, 1, 9) for dl in DutyList.objects.all())


def test_a_timeline_meets_the_deadline_unless_late() -> None:
    rng = Random(1)
    for _ in range(200):
        t = story.plan(rng, DEADLINE)
        assert t.drafted_on < t.discussed_on <= t.signed_on <= t.submitted_on <= DEADLINE
        assert t.submitted_on < t.accepted_on <= t.published_on <= date(2026, 3, 31)
        assert t.published_on >= date(2026, 2, 2)
        r = story.plan(rng, DEADLINE, returned=True)
        assert r.returned_on and r.resubmitted_on
        assert r.submitted_on < r.returned_on < r.resubmitted_on <= DEADLINE
        assert r.resubmitted_on < r.accepted_on <= r.published_on
        assert story.plan(rng, DEADLINE, late=True).submitted_on > DEADLINE


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
    seed(county)
    done = DutyList.objects.get(org=archives, list_type="collective")
    assert done.status == DutyList.Status.PUBLISHED
    assert not DutyList.objects.filter(org=gazetteer).exists()
    missing = coverage.missing(county.county, 2026, ListType.COLLECTIVE)
    assert gazetteer in missing and archives not in missing
