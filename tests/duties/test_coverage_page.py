import pytest
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from liangze.duties import services
from liangze.duties.models import Catalogue, DutyList, Review
from liangze.orgs import services as org_services
from liangze.orgs.models import OrgKind, OrgLevel
from tests.fixtures.clients import Login
from tests.fixtures.county import County

pytestmark = pytest.mark.django_db
URL = reverse("duties:coverage")


def test_it_shows_the_roll_up_for_the_users_top_org(
    login: Login, county: County, submitted: DutyList
) -> None:
    services.duty_list_review(
        actor=county.discipline_officer, duty_list=submitted, verdict=Review.Verdict.ACCEPTED
    )
    services.duty_list_publish(
        actor=county.township_secretary,
        duty_list=submitted,
        publish_range=DutyList.PublishRange.UNIT,
    )
    response = login(county.discipline_officer).get(URL, {"year": "2026"})
    assert response.status_code == 200
    report = response.context["report"]
    assert report.org == county.county
    content = response.content.decode()
    assert "城关镇党委" in content and "1/2" in content


def test_it_drills_down_and_names_the_missing(
    login: Login, county: County, catalogue: Catalogue
) -> None:
    client = login(county.discipline_officer)
    response = client.get(
        URL, {"org": str(county.chengguan.code), "year": "2026", "type": "principal"}
    )
    assert [p.person.name for p in response.context["page_obj"]] == ["张建国"]
    assert [a.name for a in response.context["ancestors"]] == ["示范县委"]


def test_it_names_a_covered_unit_without_a_party_committee_among_the_missing(
    login: Login, county: County, catalogue: Catalogue
) -> None:
    org_services.org_create(
        actor=None,
        parent=county.county,
        org_no="C-G1",
        name="示范县档案馆",
        kind=OrgKind.GOVERNMENT,
        level=OrgLevel.DEPARTMENT,
    )
    response = login(county.discipline_officer).get(URL, {"year": "2026"})
    assert "示范县档案馆" in [o.name for o in response.context["page_obj"]]
    assert "未设党委（党组）的单位参照执行" in response.content.decode()


def test_it_hides_another_townships_coverage(
    login: Login, county: County, catalogue: Catalogue
) -> None:
    client = login(county.other_township_secretary)
    assert client.get(URL, {"org": str(county.chengguan.code)}).status_code == 404


def test_it_refuses_post(login: Login, county: County) -> None:
    assert login(county.discipline_officer).post(URL).status_code == 405


def test_it_stays_within_a_fixed_number_of_queries(
    login: Login,
    county: County,
    catalogue: Catalogue,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    from tests.fixtures.bulk import add_branches

    client = login(county.discipline_officer)
    add_branches(county.hekou, 3)
    with django_assert_max_num_queries(25) as small:
        client.get(URL, {"year": "2026", "org": str(county.hekou.code)})
    add_branches(county.hekou, 100)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(URL, {"year": "2026", "org": str(county.hekou.code)})
