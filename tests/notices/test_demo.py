"""The demo's 目标任务通知书: a township's duties are led by its own organs, never by a village."""

from datetime import date

from liangze.demo.notices import seed_notices
from liangze.duties.models import Catalogue, DutyList
from liangze.notices.models import TaskAssignment
from liangze.orgs import services as org_services
from liangze.orgs.models import OrgKind, OrgLevel
from tests.fixtures.county import County
from tests.fixtures.notices import YEAR


def test_no_village_branch_leads_a_township_duty(
    county: County, catalogue: Catalogue, collective: DutyList, today: date
) -> None:
    organ = org_services.org_create(
        actor=None,
        parent=county.chengguan,
        org_no="C-T1-JG",
        name="城关镇机关党支部",
        kind=OrgKind.BRANCH,
        level=OrgLevel.BRANCH,
    )
    village = org_services.org_create(
        actor=None,
        parent=county.chengguan,
        org_no="C-T1-V1",
        name="张庄村党支部",
        kind=OrgKind.BRANCH,
        level=OrgLevel.BRANCH,
    )
    seed_notices(root=county.county, year=YEAR, on=today)
    assignments = TaskAssignment.objects.filter(org=county.chengguan)
    assert assignments.exists()
    assert set(assignments.values_list("lead_org", flat=True)) == {organ.pk}
    assert village.pk in set(assignments.values_list("assisting_orgs", flat=True))
    assert county.branch.pk not in set(assignments.values_list("lead_org", flat=True))
