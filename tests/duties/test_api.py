from typing import Any

import pytest

from liangze.duties.lists import queries
from liangze.duties.models import DutyList
from tests.fixtures.clients import Api
from tests.fixtures.county import County


@pytest.fixture
def lists(draft: DutyList, member_draft: DutyList, supervisory_list: DutyList) -> list[DutyList]:
    return [draft, member_draft, supervisory_list]


@pytest.mark.parametrize(
    ("query", "filters"),
    [
        ({}, {}),
        ({"year": 2026}, {"year": 2026}),
        ({"year": 2025}, {"year": 2025}),
        ({"list_type": "member"}, {"list_type": "member"}),
        ({"status": "draft"}, {"status": "draft"}),
        ({"all_versions": "true"}, {"all_versions": True}),
    ],
)
def test_it_filters_as_the_list_page_does(
    county: County, lists: list[DutyList], api: Api, query: dict[str, Any], filters: dict[str, Any]
) -> None:
    user = county.discipline_officer
    body = api(user).get("/api/v1/duty-lists/", query).json()
    expected = {str(d.code) for d in queries.duty_list_search(user, **filters)}
    assert {row["code"] for row in body["items"]} == expected
    assert body["count"] == len(expected)


def test_it_narrows_to_a_units_subtree_as_the_query_does(
    county: County, lists: list[DutyList], api: Api
) -> None:
    user = county.discipline_officer
    body = api(user).get("/api/v1/duty-lists/", {"org": str(county.chengguan.code)}).json()
    found = queries.duty_list_search(user, org=county.chengguan)
    assert [row["code"] for row in body["items"]] == [
        str(d.code) for d in found.order_by("org__path", "list_type", "-version")
    ]
    assert {row["org_name"] for row in body["items"]} == {"城关镇党委"}


def test_it_answers_an_unseen_unit_as_missing(
    county: County, lists: list[DutyList], api: Api
) -> None:
    response: Any = api(county.other_township_secretary).get(
        "/api/v1/duty-lists/", {"org": str(county.chengguan.code)}
    )
    assert response.status_code == 404
