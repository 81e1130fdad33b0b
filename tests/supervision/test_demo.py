from random import Random

import pytest
from django.core.management import call_command

from liangze.demo import duties as list_demo
from liangze.demo import supervision as demo
from liangze.orgs import services as org_services
from liangze.orgs.models import OrgKind, OrgLevel
from liangze.supervision.inspections import queries
from liangze.supervision.models import Inspection, Rectification, Sanction, UnitFlag, Verdict
from tests.fixtures.county import County

pytestmark = pytest.mark.django_db


@pytest.fixture
def bigger(county: County) -> County:
    """The test county with four more townships, and its lists seeded as seed_demo_lists does."""
    for i in range(4):
        org_services.org_create(
            actor=None,
            parent=county.county,
            org_no=f"C-T{3 + i}",
            name=f"第{i}镇党委",
            kind=OrgKind.PARTY_COMMITTEE,
            level=OrgLevel.TOWNSHIP,
        )
    list_demo.seed_lists(root=county.county, year=2026, rng=Random(7))
    return county


def test_it_seeds_inspections_in_every_state(bigger: County) -> None:
    made = demo.seed_inspections(root=bigger.county, year=2026, rng=Random(7))
    assert made == {"flags": 3, "inspections": 3}
    assert UnitFlag.objects.count() == 3
    kinds = dict(Inspection.objects.values_list("kind", "status"))
    assert kinds == {"special": "concluded", "year_end": "in_progress", "spot": "planned"}
    special = Inspection.objects.get(kind="special")
    assert special.targets.filter(why="mandatory").count() == 3
    assert queries.verification(special.sample).ok
    statuses = set(Rectification.objects.values_list("status", flat=True))
    assert statuses == {"open", "planned", "reported", "verified", "returned"}
    assert set(Sanction.objects.values_list("kind", flat=True)) == {"redo", "circular"}
    year_end = Inspection.objects.get(kind="year_end")
    assert 0 < Verdict.objects.filter(inspection=year_end).count()
    first = year_end.targets.order_by("org__path").first()
    assert first is not None and first.org == bigger.chengguan
    assert (
        Verdict.objects.filter(inspection=year_end).count()
        < queries.unit_items(bigger.chengguan, 2026).count()
    )


def test_the_command_runs_once(bigger: County, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("seed_demo_supervision", "--once", "--year", "2026")
    call_command("seed_demo_supervision", "--once", "--year", "2026")
    out = capsys.readouterr().out
    assert "已生成 2026 年度演示督查检查 3 项" in out
    assert "已存在，跳过" in out
    assert Inspection.objects.count() == 3
