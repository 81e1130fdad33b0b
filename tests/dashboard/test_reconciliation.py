"""数字准 (issue 9): a year of demo records, every figure recomputed from the raw rows."""

from datetime import date
from io import StringIO
from random import Random

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F

from liangze.dashboard.reconcile import reconcile
from liangze.demo.ledger import seed_ledger
from liangze.duties.coverage import queries as coverage
from liangze.duties.coverage import tallies
from liangze.duties.models import CoverageTally, DutyList
from liangze.orgs.models import PositionKind
from tests.fixtures.clock import On
from tests.fixtures.county import County
from tests.fixtures.ledger import add_person, load_rules

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 23)


@pytest.fixture
def year(county: County, published: DutyList, on: On) -> County:
    """The test county with its rules, a published list, more leaders and a year of records."""
    load_rules()
    for n in range(3):
        add_person(
            county.chengguan,
            f"D{n}",
            f"委员{n}",
            PositionKind.MEMBER,
            "委员",
            liaison_orgs=[county.branch],
            end_date=date(2026, 5, 15) if n == 0 else None,  # one leaves mid-year
        )
    add_person(county.branch, "D9", "周支书", PositionKind.BRANCH_SECRETARY, "支部书记")
    on(TODAY)
    seed_ledger(today=TODAY, rng=Random(2026))
    tallies.rebuild(2026)
    return county


def test_every_figure_of_the_county_reconciles(year: County) -> None:
    assert [str(m) for m in reconcile(year.county, 2026, today=TODAY)] == []


def test_it_names_a_figure_that_does_not(year: County) -> None:
    CoverageTally.objects.filter(org=year.county, year=2026).update(
        collective_done_sub=F("collective_done_sub") + 1
    )
    found = reconcile(year.county, 2026, today=TODAY)
    assert [m.what for m in found] == ["覆盖", "覆盖"]


def test_the_command_reports_and_fails_on_a_mismatch(year: County) -> None:
    out = StringIO()
    call_command("reconcile_figures", "--year", "2026", stdout=out)
    assert "不一致 0 项" in out.getvalue()
    CoverageTally.objects.filter(org=year.county, year=2026).update(
        collective_done_sub=F("collective_done_sub") + 1
    )
    coverage.invalidate()  # the stored roll-up is cached, and nothing told it of the edit
    with pytest.raises(CommandError, match="不一致 2 项"):
        call_command("reconcile_figures", "--year", "2026", stdout=StringIO())
