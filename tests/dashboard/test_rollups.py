"""Ledger roll-ups on hand-made data: cells by branch, org and person; indicators likewise."""

from collections import Counter
from datetime import date

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from liangze.core import workdays
from liangze.core.periods import Period
from liangze.dashboard.warning import Colour, classify, scale_for, unit_metrics
from liangze.duties.models import Catalogue, DutyList
from liangze.ledger.entries import rollups
from liangze.ledger.entries.clock import CellStatus
from liangze.ledger.indicators import queries as indicator_queries
from liangze.ledger.indicators.measures import Status
from liangze.ledger.models import Activity, ActivityKind, ProgressEntry, Rule
from liangze.orgs.models import Org, Person
from tests.fixtures.clock import moment
from tests.fixtures.county import County
from tests.fixtures.dashboard import add_entry, make_list
from tests.fixtures.ledger import load_rules, put_in_force

pytestmark = pytest.mark.django_db
# Q1's entries were due on 8 April, Q2's on 7 July; Q3 runs, Q4 has not begun.
ON = date(2026, 7, 20)
V = ProgressEntry.Status.VERIFIED


@pytest.fixture
def ledgers(county: County, catalogue: Catalogue) -> dict[str, Person]:
    """城关镇: 3 items (张建国 ×2, nobody); its branch: 2 items (李明华); 河口镇: 1 item (王志强).

    Q1: 城关镇 item 1 done, item 2 done by a monthly entry, item 3 returned; the branch's
    item 1 verified; 河口镇's verified. Q2: 河口镇's entered after ON (not yet, as of ON).
    """
    zhang = Person.objects.get(person_no="P001")
    li = Person.objects.get(person_no="P002")
    wang = Person.objects.get(person_no="P003")
    town = make_list(county.chengguan, catalogue, [zhang, zhang, None])
    branch = make_list(county.branch, catalogue, [li, li])
    river = make_list(county.hekou, catalogue, [wang])
    # Neither a draft nor another year's list has a ledger.
    make_list(county.education, catalogue, [None], status=DutyList.Status.DRAFT)
    make_list(county.education, catalogue, [None], year=2025)
    t1, t2, t3 = town.items.order_by("seq")
    add_entry(t1, "2026-Q1", entered=date(2026, 3, 30))
    add_entry(t2, "2026-M02", entered=date(2026, 2, 27))
    add_entry(
        t3, "2026-Q1", entered=date(2026, 3, 30), status="rejected", reviewed=date(2026, 4, 2)
    )
    b1 = branch.items.order_by("seq")[0]
    add_entry(b1, "2026-Q1", entered=date(2026, 3, 2), status=V, reviewed=date(2026, 3, 9))
    (r1,) = river.items.all()
    add_entry(r1, "2026-Q1", entered=date(2026, 3, 5), status=V, reviewed=date(2026, 3, 6))
    add_entry(r1, "2026-Q2", entered=date(2026, 7, 25))
    return {"zhang": zhang, "li": li, "wang": wang}


def cells(tally: rollups.Tally) -> dict[str, int]:
    return {str(k): v for k, v in tally.cells.items() if v}


def test_it_counts_cells_by_branch_of_the_county(
    county: County, ledgers: dict[str, Person]
) -> None:
    by = rollups.cells_by_branch(county.county, 2026, ON)
    assert set(by) == {county.chengguan.path, county.hekou.path}
    town = by[county.chengguan.path]  # 城关镇 and its branch: 5 items × 4 quarters
    assert cells(town) == {
        "verified": 1,  # the branch's Q1 item 1
        "done": 2,  # 城关镇 item 1 (Q1), item 2 (February counts for Q1)
        "overdue": 2 + 5,  # Q1: 城关镇 item 3 (returned) and the branch's item 2; Q2: all five
        "on_track": 5,
        "not_due": 5,
    }
    assert (town.overdue_cells, town.due_cells) == (7, 10)
    river = by[county.hekou.path]
    # Its Q2 entry came on 25 July: on the 20th that cell was overdue.
    assert cells(river) == {"verified": 1, "overdue": 1, "on_track": 1, "not_due": 1}


def test_it_counts_the_orgs_own_lists_apart_from_its_children(
    county: County, ledgers: dict[str, Person]
) -> None:
    by = rollups.cells_by_branch(county.chengguan, 2026, ON)
    assert set(by) == {county.chengguan.path, county.branch.path}
    assert by[county.chengguan.path].overdue_cells == 1 + 3
    assert by[county.branch.path].overdue_cells == 1 + 2


def test_it_reads_the_ledger_as_it_stood_on_the_day(
    county: County, ledgers: dict[str, Person]
) -> None:
    later = rollups.cells_by_branch(county.county, 2026, date(2026, 7, 26))[county.hekou.path]
    assert cells(later) == {"verified": 1, "done": 1, "on_track": 1, "not_due": 1}
    # Before the return on 2 April, 城关镇's item 3 counted as done; before 9 March the
    # branch's entry was not yet verified.
    early = rollups.cells_by_branch(county.chengguan, 2026, date(2026, 3, 31))
    assert early[county.chengguan.path].cells[CellStatus.DONE] == 3
    assert early[county.branch.path].cells[CellStatus.VERIFIED] == 1
    march_5 = rollups.cells_by_branch(county.chengguan, 2026, date(2026, 3, 5))
    assert march_5[county.branch.path].cells[CellStatus.DONE] == 1
    assert march_5[county.branch.path].cells[CellStatus.VERIFIED] == 0


def test_it_counts_cells_per_person_responsible(county: County, ledgers: dict[str, Person]) -> None:
    by = rollups.cells_by_person(Q(org=county.chengguan), 2026, ON)
    zhang = by[(county.chengguan.pk, ledgers["zhang"].pk)]
    assert (zhang.overdue_cells, zhang.due_cells) == (2, 4)  # Q2 of both items
    nobody = by[(county.chengguan.pk, None)]
    assert (nobody.overdue_cells, nobody.due_cells) == (2, 2)  # item 3: Q1 returned, Q2


def test_it_counts_cells_per_org_for_a_whole_subtree(
    county: County, ledgers: dict[str, Person]
) -> None:
    by = rollups.cells_by_org(county.county.subtree_q("org__"), 2026, ON)
    assert {org_id: t.overdue_cells for org_id, t in by.items()} == {
        county.chengguan.pk: 4,
        county.branch.pk: 3,
        county.hekou.pk: 1,
    }


# Indicators -------------------------------------------------------------------------------


@pytest.fixture
def rules(db: None) -> None:
    load_rules()


def unmet_by_org(org: Org, on: date) -> int:
    rows = indicator_queries.indicators_for(org, Period(2026, "year"), today=on)
    return sum(1 for row in rows if row.status == Status.UNMET)


def test_it_counts_failing_indicators_per_branch_as_the_indicator_page_does(
    county: County, rules: None, ledgers: dict[str, Person]
) -> None:
    by = rollups.by_branch(county.county, 2026, ON)
    expected_town = unmet_by_org(county.chengguan, ON) + unmet_by_org(county.branch, ON)
    assert expected_town > 0
    assert by[county.chengguan.path].failing_indicators == expected_town
    assert by[county.hekou.path].failing_indicators == unmet_by_org(county.hekou, ON)
    assert by[county.county.path].failing_indicators == unmet_by_org(county.county, ON)
    # The cells came along in the same tallies.
    assert by[county.chengguan.path].overdue_cells == 7


def test_a_talk_held_turns_one_failing_month_into_a_met_one(
    county: County, rules: None, ledgers: dict[str, Person]
) -> None:
    zhang, li = ledgers["zhang"], ledgers["li"]
    before = rollups.by_person(county.chengguan, 2026, ON)[zhang.pk]
    # 张建国 must talk to 8% of 李明华 and the heads below (rounded up: one person) each month.
    talk = Activity.objects.create(
        org=county.chengguan, kind=ActivityKind.TALK, held_on=date(2026, 5, 12), host=zhang,
        subject="谈心谈话",
    )  # fmt: skip
    talk.participants.set([li])
    # Recorded today, after ON: as of ON it was not on record yet.
    unchanged = rollups.by_person(county.chengguan, 2026, ON)[zhang.pk]
    assert unchanged.failing_indicators == before.failing_indicators
    Activity.objects.filter(pk=talk.pk).update(created_at=moment(date(2026, 5, 13)))
    after = rollups.by_person(county.chengguan, 2026, ON)[zhang.pk]
    assert after.failing_indicators == before.failing_indicators - 1
    assert after.indicators[Status.MET] == before.indicators[Status.MET] + 1
    # The ledger part of the person's tally is unchanged: two items, Q2 overdue.
    assert (after.overdue_cells, after.due_cells) == (2, 4)


def test_nobody_to_talk_to_is_neither_met_nor_assessed(
    county: County, rules: None, ledgers: dict[str, Person]
) -> None:
    # 李明华's liaison branch has no secretary: his 12 months of 8% talks measure nobody.
    # Counted as met they made 城关镇's failing rate 58.6 % instead of 100 % (issue 9).
    li = rollups.by_person(county.chengguan, 2026, ON)[ledgers["li"].pk]
    assert (li.indicators[Status.MET], li.indicators[Status.NOT_APPLICABLE]) == (0, 0)
    # Both receptions, the 一岗双责 report and the hearing of his units, of 2026 H1.
    assert (li.failing_indicators, li.assessed_indicators) == (4, 4)
    town = rollups.by_branch(county.county, 2026, ON)[county.chengguan.path]
    assert (town.failing_indicators, town.assessed_indicators) == (18, 18)
    assert unit_metrics(town)["failing_rate"] == 100.0


def test_a_share_of_nobody_does_not_colour_a_unit_green(county: County, rules: None) -> None:
    Rule.objects.exclude(key="tz2017-principal-talks").update(is_active=False)
    # 河口镇 has only its secretary: no team and no unit below, so nobody to talk to.
    # A branch with nothing to count has no tally at all.
    river = rollups.by_branch(county.county, 2026, ON).get(county.hekou.path, rollups.Tally())
    assert +river.indicators == Counter()
    # Nothing to judge is 蓝; twelve months "met" by talking to nobody made it 绿.
    assert classify(unit_metrics(river), scale_for(2026)) == Colour.BLUE


def test_it_counts_the_people_of_the_org_only(
    county: County, rules: None, ledgers: dict[str, Person]
) -> None:
    people = rollups.by_person(county.chengguan, 2026, ON)
    assert ledgers["li"].pk in people  # a member measured by indicators
    assert ledgers["wang"].pk not in people  # 河口镇's
    assert people[None].overdue_cells == 2


def test_it_costs_the_same_queries_for_one_township_and_the_county(
    county: County, rules: None, ledgers: dict[str, Person]
) -> None:
    counts = []
    workdays.has_official_calendar(2027)  # entered holiday years: loaded once a process
    for org in (county.hekou, county.county):
        with CaptureQueriesContext(connection) as captured:
            rollups.by_branch(org, 2026, ON)
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def test_it_runs_the_ledger_on_the_published_version_not_yet_superseded(
    county: County, catalogue: Catalogue
) -> None:
    first = make_list(county.hekou, catalogue, [None])
    DutyList.objects.filter(pk=first.pk).update(is_current=False)
    draft = make_list(
        county.hekou, catalogue, [None, None], status=DutyList.Status.DRAFT, version=2
    )
    DutyList.objects.filter(pk=draft.pk).update(previous=first)
    # While version 2 is drafted, version 1's single item still runs.
    assert rollups.cells_by_branch(county.county, 2026, ON)[county.hekou.path].due_cells == 2
    put_in_force(draft, on=date(2026, 6, 1))
    assert rollups.cells_by_branch(county.county, 2026, ON)[county.hekou.path].due_cells == 4
