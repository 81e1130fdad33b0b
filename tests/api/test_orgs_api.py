import pytest
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from liangze.accounts import services
from liangze.core.models import AuditEvent
from tests.fixtures.bulk import add_people
from tests.fixtures.clients import Api
from tests.fixtures.county import County, person_of

pytestmark = pytest.mark.django_db


def test_it_refuses_a_request_without_a_token_in_chinese(client: Client, county: County) -> None:
    response = client.get("/api/v1/orgs/")
    assert response.status_code == 401
    assert "令牌" in response.json()["detail"]


def test_it_refuses_a_revoked_token(county: County) -> None:
    token, clear = services.api_token_create(actor=county.clerk, name="x")
    services.api_token_revoke(actor=county.clerk, token=token)
    response = Client(HTTP_AUTHORIZATION=f"Bearer {clear}").get("/api/v1/orgs/")
    assert response.status_code == 401


def test_it_returns_the_roots_of_the_visible_tree(api: Api, county: County) -> None:
    body = api(county.township_secretary).get("/api/v1/orgs/").json()
    assert [o["name"] for o in body] == ["城关镇党委"]
    assert body[0]["kind_label"] == "党委"
    assert body[0]["parent_code"] == str(county.county.code)


def test_it_returns_children_and_search(api: Api, county: County) -> None:
    client = api(county.discipline_officer)
    children = client.get(f"/api/v1/orgs/{county.county.code}/children").json()
    assert [o["name"] for o in children["items"]] == ["城关镇党委", "河口镇党委", "县教育局党组"]
    found = client.get("/api/v1/orgs/search", {"q": "支部"}).json()
    assert [o["name"] for o in found["items"]] == ["城关镇第一党支部"]


def test_it_answers_404_for_another_townships_org_person_and_positions(
    api: Api, county: County
) -> None:
    client = api(county.other_township_secretary)
    person = person_of(county.township_secretary)
    for url in (
        f"/api/v1/orgs/{county.chengguan.code}",
        f"/api/v1/orgs/{county.chengguan.code}/children",
        f"/api/v1/people/{person.code}",
        f"/api/v1/people/{person.code}/positions",
        f"/api/v1/people/?org={county.chengguan.code}",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json() == {"detail": "对象不存在或无权查看。"}
    assert AuditEvent.objects.filter(verb="denied", actor_name="wangzq").count() == 5


def test_it_lists_people_with_filters(api: Api, county: County) -> None:
    client = api(county.township_secretary)
    body = client.get("/api/v1/people/", {"q": "李"}).json()
    assert body["count"] == 1
    assert body["items"][0]["name"] == "李明华"
    assert body["items"][0]["org_name"] == "城关镇党委"


def test_it_returns_a_persons_positions(api: Api, county: County) -> None:
    person = person_of(county.township_member)
    body = api(county.township_secretary).get(f"/api/v1/people/{person.code}/positions").json()
    assert body[0]["title"] == "党委副书记"
    assert body[0]["liaison_org_codes"] == [str(county.branch.code)]
    assert body[0]["portfolio_org_codes"] == []


def test_it_explains_bad_parameters_in_chinese(api: Api, county: County) -> None:
    response = api(county.township_secretary).get("/api/v1/orgs/not-a-uuid")
    assert response.status_code == 422
    assert response.json()["detail"] == "请求参数不正确。"
    assert response.json()["errors"][0]["field"]


def test_it_pages_people_in_bounded_queries(
    api: Api, county: County, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    client = api(county.discipline_officer)
    add_people(county.hekou, 300)
    with django_assert_max_num_queries(8):
        body = client.get("/api/v1/people/", {"page": 2}).json()
    assert len(body["items"]) == 50


def test_it_serves_the_openapi_schema(client: Client, county: County) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/orgs/" in schema["paths"]
    assert schema["info"]["title"] == "两责信息系统 API"
