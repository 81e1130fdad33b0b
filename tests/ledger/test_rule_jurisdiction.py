"""Rules belong to a jurisdiction: an org issues versions for its subtree, tightening only."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from liangze.accounts.models import User
from liangze.core.models import AuditEvent
from liangze.core.periods import Period
from liangze.ledger.entries import rollups
from liangze.ledger.indicators.jurisdiction import RuleBook, loosening
from liangze.ledger.indicators.queries import Row, indicators_for, rules_in_force
from liangze.ledger.indicators.services import rule_issue
from liangze.ledger.models import Rule
from liangze.orgs.models import Org, Person, PositionKind
from tests.fixtures.county import County, add_user
from tests.fixtures.ledger import add_person, load_rules

pytestmark = pytest.mark.django_db
TALKS = "tz2017-principal-talks"
REPORT = "tz2017-principal-report"
JULY = Period.parse("2026-M07")
AFTER = date(2027, 6, 30)


@pytest.fixture
def rules(db: None) -> None:
    load_rules()


@pytest.fixture
def township_officer(county: County) -> User:
    """纪检干部 of 城关镇纪委, which sits in 城关镇 and supervises it."""
    person = add_person(
        county.chengguan,
        "P201",
        "周纪检",
        PositionKind.DISCIPLINE_STAFF,
        "纪检干部",
        discipline_body=county.chengguan_commission,
    )
    return add_user("zhoujj", person)


def tighten(actor: User, issuer: Org, key: str = TALKS, **changes: object) -> Rule:
    fields: dict[str, object] = {"year": 2026, "source": "城关镇纪委〔2026〕3号"}
    return rule_issue(actor=actor, key=key, issuer=issuer, **(fields | changes))


def principal_talks(org: Org, principal: Person) -> Row:
    rows = indicators_for(org, JULY, today=AFTER)
    (row,) = [r for r in rows if r.rule.key == TALKS and r.subject == principal]
    return row


def members(org: Org, prefix: str, count: int) -> None:
    for n in range(count):
        add_person(org, f"{prefix}{n:02}", f"委员{prefix}{n}", PositionKind.MEMBER, "党委委员")


def test_it_measures_a_townships_units_by_its_tightened_rule_and_others_by_the_default(
    county: County, rules: None, township_officer: User
) -> None:
    version = tighten(township_officer, county.chengguan, threshold_percent=Decimal(10))
    chengguan = Person.objects.get(person_no="P001")
    hekou = Person.objects.get(person_no="P003")
    branch_head = add_person(county.branch, "P301", "周支书", PositionKind.BRANCH_SECRETARY, "书记")
    # Twelve people to talk with each: 8% asks for one talk a month, 10% for two.
    # 城关镇's secretary has 李明华 and the branch's head besides.
    members(county.chengguan, "A", 10)
    members(county.hekou, "B", 12)

    township = principal_talks(county.chengguan, chengguan)
    other = principal_talks(county.hekou, hekou)
    assert (township.rule, township.population, township.required) == (version, 12, 2)
    assert (other.rule.version, other.population, other.required) == (1, 12, 1)
    assert principal_talks(county.branch, branch_head).rule == version
    by_key = {rule.key: rule for rule in rules_in_force(county.education, 2026)}
    assert by_key[TALKS].threshold_percent == Decimal(8)
    # The dashboard's roll-ups read the same rules.
    counts = rollups.indicators_by_org(
        [(county.chengguan.pk, county.chengguan.path), (county.hekou.pk, county.hekou.path)],
        2026,
        AFTER,
    )
    assert counts.by_org[county.chengguan.pk] and counts.by_org[county.hekou.pk]


def test_it_refuses_to_loosen_what_the_level_above_set(
    county: County, rules: None, township_officer: User
) -> None:
    with pytest.raises(ValidationError) as refused:
        tighten(township_officer, county.chengguan, threshold_percent=Decimal(5))
    assert refused.value.message_dict["threshold_percent"] == [
        "比例（%）不得低于系统默认规则第1版的8。"
    ]
    with pytest.raises(ValidationError) as later:
        tighten(township_officer, county.chengguan, REPORT, deadline_month=2, deadline_day=1)
    assert "截止日期不得晚于" in later.value.message_dict["deadline_day"][0]
    assert Rule.objects.filter(key__in=[TALKS, REPORT]).count() == 2


def test_a_child_cannot_tighten_where_the_upper_level_does_not_allow_it(
    county: County, rules: None, township_officer: User
) -> None:
    closed = tighten(county.discipline_officer, county.county, allow_tighten=False)
    assert closed.issuer == county.county and closed.threshold_percent == Decimal(8)
    with pytest.raises(ValidationError) as refused:
        tighten(township_officer, county.chengguan, threshold_percent=Decimal(10))
    assert refused.value.message_dict["__all__"] == ["示范县委第2版不允许下级另行规定。"]


def test_a_new_version_leaves_the_old_one_as_it_was_and_is_audited(
    county: County, rules: None, township_officer: User
) -> None:
    first = Rule.objects.get(key=TALKS)
    second = tighten(township_officer, county.chengguan, threshold_percent=Decimal(10))
    first.refresh_from_db()
    assert (second.version, second.issuer, second.issuer_name) == (
        2,
        county.chengguan,
        "城关镇党委",
    )
    assert (first.version, first.issuer, first.threshold_percent) == (1, None, Decimal(8))
    event = AuditEvent.objects.get(verb="create", actor=township_officer)
    assert event.data["version"] == 2 and event.data["source"] == "城关镇纪委〔2026〕3号"


def test_it_needs_the_source_of_a_new_version(
    county: County, rules: None, township_officer: User
) -> None:
    with pytest.raises(ValidationError) as refused:
        tighten(township_officer, county.chengguan, threshold_percent=Decimal(10), source=" ")
    assert "出处" in refused.value.message_dict["source"][0]
    assert not Rule.objects.filter(issuer=county.chengguan).exists()


@pytest.mark.parametrize("who", ["township_secretary", "dispatched_officer", "clerk"])
def test_it_refuses_whoever_is_not_the_levels_discipline_staff(
    county: County, rules: None, who: str
) -> None:
    with pytest.raises(PermissionDenied):
        tighten(getattr(county, who), county.county, threshold_percent=Decimal(10))
    assert not Rule.objects.filter(issuer__isnull=False).exists()


def test_it_refuses_the_county_officer_a_townships_subtree(county: County, rules: None) -> None:
    with pytest.raises(PermissionDenied):
        tighten(county.discipline_officer, county.chengguan, threshold_percent=Decimal(10))


def test_a_version_the_level_above_has_overtaken_stops_governing(
    county: County, rules: None, township_officer: User
) -> None:
    tighten(township_officer, county.chengguan, threshold_percent=Decimal(10))
    county_version = tighten(
        county.discipline_officer, county.county, threshold_percent=Decimal(12)
    )
    book = RuleBook.load(2026)
    assert book.governing(county.branch.path)[TALKS] == county_version
    assert book.governing(county.hekou.path)[TALKS] == county_version


def test_the_top_of_the_tree_may_change_the_default_either_way(county: County, rules: None) -> None:
    version = tighten(county.discipline_officer, county.county, threshold_percent=Decimal(6))
    assert {r.key: r for r in rules_in_force(county.hekou, 2026)}[TALKS] == version
    # …and before the year it was issued for, the default still governs.
    assert {r.key: r for r in rules_in_force(county.hekou, 2025)}[TALKS].version == 1


def test_loosening_names_each_field_that_would_loosen() -> None:
    upper = Rule(
        key="k",
        version=1,
        issuer_name="县纪委",
        actor=Rule.Actor.UNIT,
        activity_kind="meeting",
        period_kind="quarter",
        threshold_count=2,
        deadline_month=1,
        deadline_day=15,
        evidence_workdays=5,
    )
    lower = Rule(
        key="k",
        actor=Rule.Actor.UNIT,
        activity_kind="meeting",
        period_kind="month",
        threshold_count=1,
        evidence_workdays=7,
    )
    assert sorted(loosening(lower, upper)) == [
        "deadline_month",
        "evidence_workdays",
        "period_kind",
        "threshold_count",
    ]
    stricter = Rule(
        key="k",
        actor=Rule.Actor.UNIT,
        activity_kind="meeting",
        period_kind="quarter",
        threshold_count=3,
        deadline_month=1,
        deadline_day=10,
        evidence_workdays=3,
    )
    assert loosening(stricter, upper) == {}
