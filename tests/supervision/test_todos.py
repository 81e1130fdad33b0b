import pytest

from liangze.accounts.models import User
from liangze.core import todos
from liangze.supervision.models import Rectification
from liangze.supervision.rectifications import services
from tests.fixtures.clients import Login
from tests.fixtures.county import County
from tests.fixtures.evidence import photo

pytestmark = pytest.mark.django_db


def kinds(user: User) -> list[tuple[str, str]]:
    return [
        (t.kind, t.url)
        for t in todos.for_user(user)
        if t.kind in ("制定整改方案", "报告整改情况", "验收整改")
    ]


def test_it_asks_the_unit_for_a_plan_then_a_report_with_the_deadline(
    county: County, rectification: Rectification
) -> None:
    url = rectification.get_absolute_url()
    assert kinds(county.clerk) == [("制定整改方案", url)]
    assert kinds(county.township_secretary) == [("制定整改方案", url)]
    (todo,) = [t for t in todos.for_user(county.township_member) if t.url == url]
    assert todo.due == rectification.deadline and not todo.overdue
    services.rectification_plan(actor=county.clerk, rectification=rectification, plan="方案")
    assert kinds(county.clerk) == [("报告整改情况", url)]
    assert kinds(county.other_township_secretary) == []
    assert kinds(county.discipline_officer) == []


def test_it_asks_the_organiser_to_verify_a_report(
    county: County, rectification: Rectification
) -> None:
    services.rectification_plan(actor=county.clerk, rectification=rectification, plan="方案")
    services.rectification_report(
        actor=county.clerk, rectification=rectification, report="已改", uploads=[photo()]
    )
    assert kinds(county.discipline_officer) == [("验收整改", rectification.get_absolute_url())]
    assert kinds(county.clerk) == []
    assert kinds(county.dispatched_officer) == []


def test_it_shows_the_todo_on_the_home_page(
    login: Login, county: County, rectification: Rectification
) -> None:
    response = login(county.township_secretary).get("/")
    assert "制定整改方案" in response.content.decode()
    assert rectification.get_absolute_url() in response.content.decode()
