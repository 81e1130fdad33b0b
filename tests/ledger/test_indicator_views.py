from datetime import date

import pytest
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from liangze.ledger.indicators.queries import current_period
from liangze.ledger.models import Activity
from liangze.orgs.models import Person, PositionKind
from tests.fixtures.clients import Api, Login
from tests.fixtures.county import County
from tests.fixtures.ledger import add_activity, add_person, load_rules

pytestmark = pytest.mark.django_db
URL = reverse("ledger:indicators")
API = "/api/v1/ledger/indicators"


@pytest.fixture
def talk(county: County) -> Activity:
    """张建国 talked with 李明华 in July 2026: his only team member, no heads below."""
    load_rules()
    secretary = Person.objects.get(person_no="P001")
    member = Person.objects.get(person_no="P002")
    return add_activity(county.chengguan, "talk", date(2026, 7, 10), secretary, member)


def test_it_shows_each_figure_with_the_records_behind_it(
    login: Login, county: County, talk: Activity
) -> None:
    response = login(county.township_secretary).get(
        URL, {"org": str(county.chengguan.code), "period": "2026-M07"}
    )
    assert response.status_code == 200
    (row,) = [r for r in response.context["rows"] if r.rule.key == "tz2017-principal-talks"]
    assert (row.required, row.actual, row.status, row.activities) == (1, 1, "met", [talk])
    content = response.content.decode()
    assert "主要负责人每月谈心谈话" in content and "达标" in content
    assert talk.get_absolute_url() in content
    assert "1 人的 8%" in content


def test_it_shows_a_share_of_nobody_as_a_grey_not_applicable_badge(
    login: Login, county: County, talk: Activity
) -> None:
    # 李明华's liaison branch has no secretary: his talks have nobody to measure against.
    response = login(county.township_secretary).get(
        URL, {"org": str(county.chengguan.code), "period": "2026-M07"}
    )
    (row,) = [r for r in response.context["rows"] if r.rule.key == "tz2017-member-talks"]
    assert row.status == "not_applicable"
    content = response.content.decode()
    assert 'data-status="not_applicable"' in content
    assert 'class="badge text-bg-light border text-secondary"' in content
    assert ">不适用</span>" in content and "本期无应谈话对象" in content


def test_it_starts_at_the_users_org_and_the_current_quarter(
    login: Login, county: County, talk: Activity
) -> None:
    response = login(county.township_secretary).get(URL)
    assert response.context["org"] == county.chengguan
    assert response.context["period"] == current_period()
    periods = [str(p) for group in response.context["periods"] for p in group]
    assert periods[:3] == ["2026", "2026-H1", "2026-H2"] and len(periods) == 19


def test_it_lets_the_county_drill_down(login: Login, county: County, talk: Activity) -> None:
    client = login(county.discipline_officer)
    response = client.get(URL, {"period": "2026-Q3"})
    assert response.context["org"] == county.county
    assert [c.name for c in response.context["children"]] == [
        "城关镇党委",
        "河口镇党委",
        "县教育局党组",
    ]
    response = client.get(URL, {"org": str(county.chengguan.code), "period": "2026-Q3"})
    assert [a.name for a in response.context["ancestors"]] == ["示范县委"]


def test_it_refuses_post(login: Login, county: County) -> None:
    assert login(county.township_secretary).post(URL).status_code == 405


def test_it_hides_another_townships_indicators(
    login: Login, county: County, talk: Activity
) -> None:
    client = login(county.other_township_secretary)
    assert client.get(URL, {"org": str(county.chengguan.code)}).status_code == 404
    assert client.get(URL, {"org": "not-a-code"}).status_code == 404


def test_it_builds_the_page_in_bounded_queries(
    login: Login,
    county: County,
    talk: Activity,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    client = login(county.township_secretary)
    secretary = Person.objects.get(person_no="P001")
    params = {"org": str(county.chengguan.code), "period": "2026-Q3"}

    def grow(first: int, size: int) -> None:
        for i in range(first, first + size):
            person = add_person(
                county.chengguan, f"G{i:03d}", f"成员{i}", PositionKind.MEMBER, "委员"
            )
            add_activity(county.chengguan, "talk", date(2026, 8, 3), secretary, person)
            add_activity(county.chengguan, "lecture", date(2026, 8, 4), person, subject="党课")

    grow(0, 3)
    with django_assert_max_num_queries(30) as small:
        client.get(URL, params)
    grow(3, 37)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(URL, params)
    assert len(response.context["rows"]) > 40


def test_it_answers_the_api_with_the_same_rows(api: Api, county: County, talk: Activity) -> None:
    response = api(county.township_secretary).get(
        API, {"org": str(county.chengguan.code), "period": "2026-M07"}
    )
    assert response.status_code == 200
    rows = {(r["rule_key"], r["subject_name"]): r for r in response.json()}
    talks = rows[("tz2017-principal-talks", "张建国")]
    assert (talks["required"], talks["actual"], talks["status"]) == (1, 1, "met")
    assert talks["activity_codes"] == [str(talk.code)] and talks["subject_kind"] == "person"
    assert rows[("tz2017-hearing-meeting", "城关镇党委")]["period"] == "2026-Q3"


def test_it_hides_another_townships_indicators_in_the_api(
    api: Api, county: County, talk: Activity
) -> None:
    client = api(county.other_township_secretary)
    response = client.get(API, {"org": str(county.chengguan.code), "period": "2026-Q3"})
    assert response.status_code == 404
    assert response.json()["detail"] == "对象不存在或无权查看。"


def test_it_explains_a_bad_period_in_the_api(api: Api, county: County) -> None:
    response = api(county.township_secretary).get(
        API, {"org": str(county.chengguan.code), "period": "2026-Q5"}
    )
    assert response.status_code == 422
    assert "不是有效的期间" in response.json()["errors"]["period"][0]
