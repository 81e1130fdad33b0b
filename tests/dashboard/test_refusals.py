"""Each refusal of the dashboard: its status, and one `denied` event naming who and why."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from liangze import access
from liangze.dashboard.services import warning_snapshot_take
from tests.fixtures.clients import Api, Login
from tests.fixtures.county import County
from tests.refusals import the_denial

URL = reverse("dashboard:index")


def test_it_refuses_a_clerk_the_dashboard(login: Login, county: County) -> None:
    assert login(county.clerk).get(URL).status_code == 403
    event = the_denial(county.clerk)
    assert event.object_label == "监督看板" and event.data["reason"] == "no_watch"
    assert event.data["page"] == f"GET {URL}"


def test_it_refuses_a_clerk_his_own_units_dashboard(login: Login, county: County) -> None:
    assert login(county.clerk).get(URL, {"org": str(county.chengguan.code)}).status_code == 403
    event = the_denial(county.clerk)
    assert event.object_code == str(county.chengguan.code)
    assert event.data["reason"] == "no_watch"


def test_it_answers_404_to_a_malformed_org(login: Login, county: County) -> None:
    assert login(county.township_secretary).get(URL, {"org": "not-a-uuid"}).status_code == 404
    event = the_denial(county.township_secretary)
    assert event.data["reason"] == access.BAD_LOOKUP
    assert event.data["lookup"] == {"code": "not-a-uuid"}


def test_the_api_refuses_the_same_way(api: Api, county: County) -> None:
    response = api(county.clerk).get("/api/v1/dashboard/units", {"org": str(county.chengguan.code)})
    assert response.status_code == 403
    assert the_denial(county.clerk).data["reason"] == "no_watch"


def test_only_the_bodys_staff_take_its_snapshot(county: County) -> None:
    with pytest.raises(PermissionDenied) as refused:
        warning_snapshot_take(
            actor=county.township_secretary, on=date(2026, 7, 20), body=county.county_commission
        )
    access.record_carried_refusal(refused.value)  # as the request's top level does
    event = the_denial(county.township_secretary)
    assert event.object_code == str(county.county_commission.code)
    assert event.data["reason"] == "no_snapshot"
