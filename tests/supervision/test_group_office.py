"""An inspection planned 以领导小组办公室名义 (000 §五.4, ORG-5).

吴宣 works in the 宣教室, where the 纪委's 两书上会 group has its office: he plans
an inspection in the group's name, the 纪委 organises it, and he runs it. 孙小文
(城关镇) works in no office and is refused.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from liangze import access
from liangze.orgs import queries as org_queries
from liangze.supervision import policy
from liangze.supervision.inspections import queries
from liangze.supervision.models import Inspection
from tests.fixtures.clients import Login
from tests.fixtures.county import County
from tests.fixtures.groups import Groups
from tests.fixtures.supervision import YEAR, plan

pytestmark = pytest.mark.django_db
NEW = reverse("supervision:inspection_new")
OFFICE = "示范县纪委“两书上会”警示教育活动领导小组办公室"


def test_it_offers_the_offices_staff_the_group_as_organiser(county: County, groups: Groups) -> None:
    [organiser] = queries.organisers_for(groups.office_clerk)
    assert (organiser.label, organiser.group) == (OFFICE, groups.warning)
    assert organiser.body == county.county_commission
    assert queries.organisers_for(county.clerk) == []


def test_the_office_plans_and_runs_an_inspection_in_the_groups_name(
    login: Login, county: County, groups: Groups
) -> None:
    client = login(groups.office_clerk)
    data = {
        "kind": Inspection.Kind.SPOT,
        "title": "“两书上会”警示教育活动随机抽查",
        "year": YEAR,
        "period": f"{YEAR}-H2",
        "organiser": f"g{groups.warning.pk}",
        "org": county.county.pk,
        "planned_start": "2026-11-01",
        "planned_end": "2026-11-30",
    }
    response = client.post(NEW, data)
    inspection = Inspection.objects.get()
    assert response.url == inspection.get_absolute_url()  # type: ignore[attr-defined]
    assert inspection.organiser_body == county.county_commission
    assert org_queries.issuing_group(inspection) == groups.warning
    page = client.get(inspection.get_absolute_url())
    assert f"以{OFFICE}名义" in page.content.decode()
    assert page.context["page"].may_manage
    listed = client.get(reverse("supervision:inspections"))
    assert inspection.title in listed.content.decode()


def test_the_office_does_not_run_the_commissions_own_inspections(
    county: County, groups: Groups
) -> None:
    inspection = plan(county)
    assert not policy.may_manage(groups.office_clerk, inspection)
    clerk = groups.office_clerk
    seen = Inspection.objects.filter(policy.inspections_visible(clerk, access.scope_for(clerk)))
    assert list(seen) == []


def test_it_refuses_someone_outside_the_office(county: County, groups: Groups) -> None:
    with pytest.raises(PermissionDenied):
        plan(county, actor=county.clerk, issuing_group=groups.warning)
    assert not Inspection.objects.exists()


def test_it_refuses_another_organiser_in_the_groups_name(county: County, groups: Groups) -> None:
    with pytest.raises(ValidationError) as refused:
        plan(
            county,
            actor=groups.office_clerk,
            organiser_body=None,
            organiser_org=county.county,
            issuing_group=groups.warning,
        )
    assert "组织机关须为成立该领导小组的单位或纪检机构" in "".join(
        refused.value.message_dict["organiser"]
    )
