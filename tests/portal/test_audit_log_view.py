import pytest
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from liangze.core import audit
from liangze.core.models import AuditEvent
from tests.fixtures.clients import Login
from tests.fixtures.county import County

pytestmark = pytest.mark.django_db
URL = reverse("portal:audit")


def test_it_lets_the_audit_admin_search_by_person_and_kind(login: Login, county: County) -> None:
    audit.record(actor=county.township_secretary, verb=audit.Verb.DENIED, obj=county.hekou)
    audit.record(actor=county.clerk, verb=audit.Verb.UPDATE, obj=county.chengguan)
    client = login(county.audit_admin)
    response = client.get(URL, {"person": "zhangjg", "verb": "denied"})
    assert response.status_code == 200
    rows = list(response.context["page_obj"])
    assert [(e.actor_name, e.object_label) for e in rows] == [("zhangjg", "河口镇党委")]


def test_it_filters_by_object_and_day(login: Login, county: County) -> None:
    audit.record(actor=county.clerk, verb=audit.Verb.UPDATE, obj=county.chengguan)
    client = login(county.audit_admin)
    today = AuditEvent.objects.latest("seq").at.date().isoformat()
    wanted = {"obj": "城关镇党委", "verb": "update"}
    assert len(client.get(URL, {**wanted, "since": today}).context["page_obj"]) == 1
    assert len(client.get(URL, {**wanted, "until": "2000-01-01"}).context["page_obj"]) == 0


def test_it_explains_a_bad_date_range(login: Login, county: County) -> None:
    client = login(county.audit_admin)
    response = client.get(URL, {"since": "2026-02-01", "until": "2026-01-01"})
    assert "截止日期不能早于起始日期" in response.content.decode()


def test_it_refuses_post(login: Login, county: County) -> None:
    assert login(county.audit_admin).post(URL).status_code == 405


def test_it_pages_in_a_fixed_number_of_queries(
    login: Login, county: County, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    for n in range(120):
        audit.record(actor=county.clerk, verb=audit.Verb.UPDATE, data={"n": n})
    client = login(county.audit_admin)
    with django_assert_max_num_queries(8):
        response = client.get(URL, {"page": 2})
    assert response.context["page_obj"].number == 2
