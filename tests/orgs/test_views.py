import pytest
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from liangze.core.models import AuditEvent
from tests.fixtures.bulk import add_branches, add_people
from tests.fixtures.clients import Login
from tests.fixtures.county import County, person_of

pytestmark = pytest.mark.django_db
TREE = reverse("orgs:tree")
PEOPLE = reverse("orgs:people")


# Tree -----------------------------------------------------------------------


def test_it_shows_a_township_secretary_their_township_as_the_root(
    login: Login, county: County
) -> None:
    response = login(county.township_secretary).get(TREE)
    assert [o.name for o in response.context["roots"]] == ["城关镇党委"]


def test_it_expands_a_node_with_its_children(login: Login, county: County) -> None:
    client = login(county.township_secretary)
    response = client.get(reverse("orgs:children", args=[county.chengguan.code]))
    assert "城关镇第一党支部" in response.content.decode()
    assert "<html" not in response.content.decode()


def test_it_searches_the_visible_tree_by_name(login: Login, county: County) -> None:
    client = login(county.discipline_officer)
    response = client.get(TREE, {"q": "党支部"})
    orgs = list(response.context["page_obj"])
    assert [o.name for o in orgs] == ["城关镇第一党支部"]
    assert orgs[0].ancestry == "示范县委 / 城关镇党委"


def test_it_does_not_find_orgs_outside_the_scope(login: Login, county: County) -> None:
    response = login(county.other_township_secretary).get(TREE, {"q": "城关"})
    assert list(response.context["page_obj"]) == []
    assert "没有名称包含" in response.content.decode()


def test_it_builds_the_tree_page_in_bounded_queries(
    login: Login, county: County, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    client = login(county.discipline_officer)
    add_branches(county.chengguan, 5)
    with django_assert_max_num_queries(10) as small:
        client.get(reverse("orgs:children", args=[county.chengguan.code]))
    add_branches(county.chengguan, 200)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("orgs:children", args=[county.chengguan.code]))
    assert response.content.decode().count("<li>") == 206
    with django_assert_max_num_queries(12):
        client.get(TREE, {"q": "党支部"})


# Org page -------------------------------------------------------------------


def test_it_shows_leaders_discipline_body_and_children(login: Login, county: County) -> None:
    response = login(county.township_secretary).get(county.chengguan.get_absolute_url())
    content = response.content.decode()
    assert response.status_code == 200
    for text in ("张建国", "党委书记", "李明华", "党建、宣传", "城关镇纪委", "城关镇第一党支部"):
        assert text in content
    page = response.context["page"]
    assert [b.name for b in page.supervising] == ["示范县纪委", "城关镇纪委"]


def test_it_shows_the_units_of_a_members_portfolio(login: Login, county: County) -> None:
    member = person_of(county.township_member)
    member.positions.get().portfolio_orgs.add(county.branch)
    client = login(county.township_secretary)
    org_page = client.get(county.chengguan.get_absolute_url()).content.decode()
    assert "分管单位：城关镇第一党支部" in org_page
    person_page = client.get(member.get_absolute_url()).content.decode()
    assert "分管单位：城关镇第一党支部" in person_page


def test_it_lists_the_units_a_dispatched_group_supervises(login: Login, county: County) -> None:
    response = login(county.discipline_officer).get(county.county.get_absolute_url())
    assert [o.name for o in response.context["page"].supervised] == [
        "示范县委",
        "县教育局党组",
    ]


def test_it_answers_404_to_another_township_and_audits_it(login: Login, county: County) -> None:
    response = login(county.other_township_secretary).get(county.chengguan.get_absolute_url())
    assert response.status_code == 404
    assert "城关镇党委" not in response.content.decode()
    event = AuditEvent.objects.filter(verb="denied").latest("seq")
    assert event.actor_name == "wangzq" and event.object_label == "城关镇党委"


def test_it_answers_404_for_a_code_that_does_not_exist(login: Login, county: County) -> None:
    url = reverse("orgs:org", args=["00000000-0000-4000-8000-000000000000"])
    assert login(county.township_secretary).get(url).status_code == 404


def test_it_refuses_post_on_the_org_page(login: Login, county: County) -> None:
    client = login(county.township_secretary)
    assert client.post(county.chengguan.get_absolute_url()).status_code == 405


def test_it_builds_the_org_page_in_bounded_queries(
    login: Login, county: County, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    client = login(county.township_secretary)
    url = county.chengguan.get_absolute_url()
    with django_assert_max_num_queries(21) as small:  # one more: the 分管 units
        client.get(url)
    add_branches(county.chengguan, 120)
    add_people(county.chengguan, 30, leaders=True)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert len(response.context["page"].leaders) == 32


# People ---------------------------------------------------------------------


def test_it_lists_only_visible_people(login: Login, county: County) -> None:
    response = login(county.township_secretary).get(PEOPLE)
    names = {p.name for p in response.context["page_obj"]}
    assert names == {"张建国", "李明华", "孙小文"}


def test_it_filters_people_by_name_rank_and_org(login: Login, county: County) -> None:
    client = login(county.discipline_officer)
    assert [p.name for p in client.get(PEOPLE, {"q": "张"}).context["page_obj"]] == ["张建国"]
    clerks = client.get(PEOPLE, {"rank": "clerk"}).context["page_obj"]
    assert [p.name for p in clerks] == ["孙小文"]
    in_hekou = client.get(PEOPLE, {"org": str(county.hekou.code)}).context["page_obj"]
    assert [p.name for p in in_hekou] == ["王志强"]


def test_it_refuses_an_org_filter_outside_the_scope(login: Login, county: County) -> None:
    client = login(county.township_secretary)
    assert client.get(PEOPLE, {"org": str(county.hekou.code)}).status_code == 404


def test_it_pages_people_in_bounded_queries(
    login: Login, county: County, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    client = login(county.discipline_officer)
    add_people(county.hekou, 10)
    with django_assert_max_num_queries(10) as small:
        client.get(PEOPLE)
    add_people(county.education, 400)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(PEOPLE, {"page": 3})
    assert len(response.context["page_obj"]) == 50


def test_it_exports_the_filtered_people_and_audits_it(login: Login, county: County) -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    response = login(county.township_secretary).get(PEOPLE, {"export": "xlsx"})
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("人员编号", "姓名")
    assert {r[1] for r in rows[1:]} == {"张建国", "李明华", "孙小文"}
    assert AuditEvent.objects.filter(verb="export", actor_name="zhangjg").exists()


# Person page ------------------------------------------------------------------


def test_it_shows_current_and_past_positions(login: Login, county: County) -> None:
    from datetime import date

    from liangze.orgs import services

    member = person_of(county.township_member)
    services.position_create(
        actor=None,
        person=member,
        org=county.hekou,
        kind="member",
        title="党委委员",
        start_date=date(2020, 1, 1),
        end_date=date(2023, 12, 31),
    )
    response = login(county.discipline_officer).get(member.get_absolute_url())
    assert [p.title for p in response.context["current"]] == ["党委副书记"]
    assert [p.title for p in response.context["past"]] == ["党委委员"]
    assert "城关镇第一党支部" in response.content.decode()  # liaison unit


def test_it_lets_a_member_see_only_their_own_record(login: Login, county: County) -> None:
    client = login(county.clerk)
    assert client.get(person_of(county.clerk).get_absolute_url()).status_code == 200
    assert client.get(person_of(county.township_secretary).get_absolute_url()).status_code == 404
