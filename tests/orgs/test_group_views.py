"""The leading groups on the org page and their own pages (ORG-5)."""

from datetime import date

import pytest
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from liangze.orgs.models import GroupMembership, GroupRole, LeadingGroup
from tests.fixtures.bulk import add_people
from tests.fixtures.clients import Login
from tests.fixtures.county import START, County, person_of
from tests.fixtures.groups import Groups

pytestmark = pytest.mark.django_db


def test_the_org_page_shows_its_groups_with_members_and_history(
    login: Login, county: County, groups: Groups
) -> None:
    seat = groups.warning.memberships.get(role=GroupRole.MEMBER)
    seat.end_date = date(2025, 6, 30)
    seat.save(update_fields=["end_date"])
    response = login(county.discipline_officer).get(county.county.get_absolute_url())
    content = response.content.decode()
    [group] = response.context["page"].groups
    assert [m.person.name for m in group.current] == ["赵纪平"]
    assert [m.person.name for m in group.past] == ["钱监督"]
    for text in ("“两书上会”警示教育活动领导小组", "示范县委宣教室", "历任成员 1 人", "2025-06-30"):
        assert text in content
    assert "成立领导小组" not in content  # 纪委 staff see the group, do not keep it


def test_it_offers_the_system_admin_to_set_up_a_group(login: Login, county: County) -> None:
    response = login(county.system_admin).get(county.education.get_absolute_url())
    assert response.context["page"].may_add_group
    assert reverse("orgs:group_new", args=[county.education.code]) in response.content.decode()


def test_it_builds_the_org_page_in_bounded_queries_whatever_the_members(
    login: Login,
    county: County,
    groups: Groups,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    client = login(county.discipline_officer)
    url = county.county.get_absolute_url()
    with django_assert_max_num_queries(25) as small:
        client.get(url)
    GroupMembership.objects.bulk_create(
        GroupMembership(
            group=groups.warning, person=person, role=GroupRole.MEMBER, start_date=START
        )
        for person in add_people(county.county, 60)
    )
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert len(response.context["page"].groups[0].current) == 62


def test_the_system_admin_sets_up_a_group(login: Login, county: County) -> None:
    url = reverse("orgs:group_new", args=[county.education.code])
    data = {
        "name": "县教育局落实党风廉政建设责任制领导小组",
        "kind": LeadingGroup.Kind.RESPONSIBILITY,
        "established": "2017-02-01",
        "office_org": county.education.pk,
        "office_section": "监察室",
    }
    response = login(county.system_admin).post(url, data)
    group = LeadingGroup.objects.get()
    assert response.url == group.get_absolute_url()  # type: ignore[attr-defined]
    assert (group.org, group.office_section) == (county.education, "监察室")


def test_it_names_the_field_of_a_second_leader(
    login: Login, county: County, groups: Groups
) -> None:
    url = reverse("orgs:member_add", args=[groups.warning.code])
    post = person_of(county.township_secretary).positions.get()
    data = {"person_no": "P001", "role": GroupRole.LEADER, "start_date": "2025-01-01"}
    response = login(county.system_admin).post(url, data)
    assert response.status_code == 200
    assert "同一时间只能有一名组长" in "".join(response.context["member_form"].errors["role"])
    assert not groups.warning.memberships.filter(person=post.person).exists()


def test_it_asks_for_a_post_or_a_number_but_not_both(
    login: Login, county: County, groups: Groups
) -> None:
    url = reverse("orgs:member_add", args=[groups.warning.code])
    response = login(county.system_admin).post(url, {"role": GroupRole.MEMBER})
    errors = response.context["member_form"].errors
    assert "二者选一" in "".join(errors["position"])
    assert "start_date" in errors


def test_it_ends_a_seat_and_keeps_it_on_the_page(
    login: Login, county: County, groups: Groups
) -> None:
    seat = groups.warning.memberships.get(role=GroupRole.MEMBER)
    client = login(county.system_admin)
    client.post(reverse("orgs:member_end", args=[seat.code]), {"end_date": "2025-06-30"})
    response = client.get(groups.warning.get_absolute_url())
    assert [m.person.name for m in response.context["group"].past] == ["钱监督"]
    assert "2025-06-30" in response.content.decode()
