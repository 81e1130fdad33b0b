"""Each refusal of the 三书 pages: its status, and one `denied` event naming who and why."""

from datetime import date

from django.urls import reverse

from liangze import access
from liangze.duties.models import DutyList
from tests.fixtures.clients import Login
from tests.fixtures.county import County, person_of
from tests.refusals import the_denial

GENERATE = reverse("notices:generate")
TASKS = reverse("notices:tasks")
ORDER = reverse("notices:progress_order")


def test_it_refuses_the_generate_page_to_who_issues_nothing(login: Login, county: County) -> None:
    assert login(county.audit_admin).get(GENERATE).status_code == 403
    event = the_denial(county.audit_admin)
    assert event.object_label == "三书" and event.data["reason"] == "no_issue"
    assert event.data["page"] == f"GET {GENERATE}"


def test_it_refuses_an_issuer_the_user_does_not_hold(
    login: Login, county: County, collective: DutyList, today: date
) -> None:
    data = {"issuer": f"o{county.chengguan.pk}", "year": "2026"}
    response = login(county.other_township_secretary).post(reverse("notices:generate_duty"), data)
    assert response.status_code == 403
    event = the_denial(county.other_township_secretary)
    assert event.data["reason"] == "no_issue"
    assert event.data["lookup"] == {"issuer": f"o{county.chengguan.pk}"}


def test_it_refuses_the_task_pages_to_a_discipline_body(
    login: Login, county: County, collective: DutyList, today: date
) -> None:
    assert login(county.discipline_officer).get(TASKS).status_code == 403
    event = the_denial(county.discipline_officer)
    assert event.object_label == "任务分解" and event.data["reason"] == "no_assign"


def test_it_answers_404_to_an_item_the_list_does_not_have(
    login: Login, county: County, collective: DutyList, today: date
) -> None:
    page = reverse("notices:task_assign", args=[collective.code, 99])
    assert login(county.township_secretary).get(page).status_code == 404
    event = the_denial(county.township_secretary)
    assert event.object_label == "清单事项（不存在）"
    assert event.data["reason"] == access.NOT_FOUND and event.data["lookup"] == {"seq": "99"}


def test_it_answers_404_to_a_target_of_no_known_kind(
    login: Login, county: County, collective: DutyList, today: date
) -> None:
    data = {"issuer": f"b{county.county_commission.pk}", "year": "2026", "target": "unit:1"}
    assert login(county.discipline_officer).post(ORDER, data).status_code == 404
    event = the_denial(county.discipline_officer)
    assert event.data["reason"] == access.BAD_LOOKUP
    assert event.data["lookup"] == {"target": "unit:1"}


def test_it_hides_a_recipient_outside_the_users_scope(
    login: Login, county: County, collective: DutyList, today: date
) -> None:
    person = person_of(county.township_member)
    data = {"issuer": f"o{county.hekou.pk}", "year": "2026", "target": f"person:{person.code}"}
    assert login(county.other_township_secretary).post(ORDER, data).status_code == 404
    event = the_denial(county.other_township_secretary)
    assert event.object_code == str(person.code) and event.data["reason"] == "not_visible"
