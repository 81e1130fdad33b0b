import pytest
from pytest_django import DjangoAssertNumQueries

from liangze.duties import services
from liangze.duties.models import Catalogue, DutyList, Review
from tests.fixtures.clients import Login, Response
from tests.fixtures.county import County

pytestmark = pytest.mark.django_db


def kinds(response: Response) -> list[tuple[str, str]]:
    return [(t.kind, t.text) for t in response.context["todos"]]


def test_it_shows_an_empty_state_without_work(login: Login, county: County) -> None:
    response = login(county.clerk).get("/")
    assert response.context["todos"] == []
    assert "目前没有需要您处理的事项" in response.content.decode()


def test_it_asks_the_unit_to_fill_and_the_county_to_review(
    login: Login, county: County, draft: DutyList, catalogue: Catalogue
) -> None:
    assert ("编制清单", str(draft)) in kinds(login(county.township_secretary).get("/"))
    assert kinds(login(county.discipline_officer).get("/")) == []


def test_it_moves_the_to_do_along_the_workflow(
    login: Login, county: County, submitted: DutyList
) -> None:
    assert ("审核清单", str(submitted)) in kinds(login(county.discipline_officer).get("/"))
    assert kinds(login(county.township_secretary).get("/")) == []
    services.duty_list_review(
        actor=county.discipline_officer, duty_list=submitted, verdict=Review.Verdict.ACCEPTED
    )
    assert ("公示清单", str(submitted)) in kinds(login(county.township_secretary).get("/"))
    assert kinds(login(county.other_township_secretary).get("/")) == []


def test_it_builds_the_to_dos_in_bounded_queries(
    login: Login,
    county: County,
    draft: DutyList,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    client = login(county.township_secretary)
    # Every module's to-do provider runs on the home page (lists, ledger, 三书, inspections).
    with django_assert_max_num_queries(20):
        client.get("/")
