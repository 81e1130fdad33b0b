"""Each refusal of the supervision pages: its status, and one `denied` event naming who and why."""

from django.urls import reverse

from liangze.supervision.models import Inspection
from tests.fixtures.clients import Api, Login
from tests.fixtures.county import County
from tests.refusals import the_denial

NEW = reverse("supervision:inspection_new")
FLAGS = reverse("supervision:flags")


def test_it_refuses_a_clerk_the_new_inspection_page_and_audits_it(
    login: Login, county: County
) -> None:
    response = login(county.clerk).get(NEW)
    assert response.status_code == 403
    event = the_denial(county.clerk)
    assert event.actor_name == "sunxw"
    assert event.object_label == "督查检查"
    assert event.data["reason"] == "no_plan"
    assert event.data["page"] == f"GET {NEW}"


def test_it_refuses_a_plan_posted_by_a_clerk(login: Login, county: County) -> None:
    assert login(county.clerk).post(NEW, {"title": "自行检查"}).status_code == 403
    assert the_denial(county.clerk).data["page"] == f"POST {NEW}"


def test_it_refuses_a_flag_set_by_a_township_secretary(login: Login, county: County) -> None:
    response = login(county.township_secretary).post(FLAGS, {"org": "C-T2"})
    assert response.status_code == 403
    event = the_denial(county.township_secretary)
    assert event.object_label == "必查单位标记" and event.data["reason"] == "no_change"


def test_it_answers_404_to_a_draw_check_before_any_draw(
    api: Api, county: County, inspection: Inspection
) -> None:
    client = api(county.discipline_officer)
    response = client.post(f"/api/v1/inspections/{inspection.code}/verify-draw")
    assert response.status_code == 404
    event = the_denial(county.discipline_officer)
    assert event.object_label == "随机抽取记录（不存在）"
    assert event.data["reason"] == "not_found"
    assert event.data["lookup"] == {"inspection": str(inspection.code)}
