"""Every orgs view with a code in its URL: happy path, 405, outsider 404, read-only 403.

The org pages only read, and whoever sees an org or a person may read its page,
so no insider is refused: 403 does not apply. 河口镇's secretary is the outsider.
The leading groups are kept by the system administrator (and the org's principal):
the 纪委 staff see the county's groups and are refused changing them.
"""

import pytest

from liangze.orgs.models import GroupMembership, GroupRole, LeadingGroup, Org, Person
from tests.fixtures.county import CLERK, JW_STAFF, SECRETARY, County, person_of
from tests.fixtures.groups import Groups
from tests.fixtures.views import (
    View,
    ViewMatrix,
)

pytestmark = pytest.mark.django_db

READ = "GET only, and whoever sees it may read it"


@pytest.fixture
def chengguan(county: County) -> Org:
    return county.chengguan


@pytest.fixture
def secretary(county: County) -> Person:
    return person_of(county.township_secretary)


@pytest.fixture
def county_org(county: County) -> Org:
    return county.county


@pytest.fixture
def group(groups: Groups) -> LeadingGroup:
    return groups.warning


@pytest.fixture
def seat(groups: Groups) -> GroupMembership:
    return groups.warning.memberships.get(role=GroupRole.MEMBER)


KEEPER = "system_admin"
GROUP = {
    "name": "示范县纪委“两书上会”警示教育活动领导小组",
    "kind": LeadingGroup.Kind.WARNING_EDUCATION,
    "established": "2024-01-01",
    "office_section": "宣教室",
}


def group_data(obj: Org | LeadingGroup, county: County) -> dict[str, object]:
    return GROUP | {"office_org": county.county.pk, "body": county.county_commission.pk}


# View(URL name, object fixture, who may, method, data, status, outsider=…, read_only=…)
VIEWS = [
    View("orgs:org", "chengguan", CLERK, why=READ),
    View("orgs:children", "chengguan", SECRETARY, why=READ),
    View("orgs:person", "secretary", SECRETARY, why=READ),
    View("orgs:group", "group", JW_STAFF, why=READ),
    View("orgs:group_new", "county_org", KEEPER, wrong="put", read_only=JW_STAFF),
    View(
        "orgs:group_new",
        "county_org",
        KEEPER,
        "post",
        group_data,
        302,
        wrong="put",
        read_only=JW_STAFF,
        label="group_new-post",
    ),
    View("orgs:group_edit", "group", KEEPER, wrong="put", read_only=JW_STAFF),
    View(
        "orgs:group_edit",
        "group",
        KEEPER,
        "post",
        group_data,
        302,
        wrong="put",
        read_only=JW_STAFF,
        label="group_edit-post",
    ),
    View(
        "orgs:member_add",
        "group",
        KEEPER,
        "post",
        lambda g, c: {"person_no": "P006", "role": "member", "start_date": "2024-05-01"},
        302,
        read_only=JW_STAFF,
    ),
    View(
        "orgs:member_end",
        "seat",
        KEEPER,
        "post",
        {"end_date": "2025-06-30"},
        302,
        read_only=JW_STAFF,
    ),
]


class TestViews(ViewMatrix):
    views = VIEWS
