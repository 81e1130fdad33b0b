"""access.deny, get_within, require_any and the probe rows of access.require."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from liangze import access
from liangze.core.models import AuditEvent
from liangze.ledger import policy as ledger_policy
from liangze.ledger.models import Activity
from liangze.orgs.models import Org, Person
from liangze.supervision import policy as supervision_policy
from liangze.supervision.models import Inspection
from tests.fixtures.clients import Login
from tests.fixtures.county import County
from tests.refusals import the_denial

pytestmark = pytest.mark.django_db


def refused(error: pytest.ExceptionInfo[Exception]) -> None:
    """Write the event the refusal carries, as the request's top level does."""
    access.record_carried_refusal(error.value)


def test_it_answers_403_and_names_the_object_and_the_reason(county: County) -> None:
    with pytest.raises(PermissionDenied) as error:
        access.deny(county.clerk, obj=county.chengguan, reason="no_watch", hide=False)
    refused(error)
    event = the_denial(county.clerk)
    assert (event.object_type, event.object_code) == ("orgs.org", str(county.chengguan.code))
    assert event.object_label == "城关镇党委"
    assert event.data == {"reason": "no_watch", "lookup": {}}


def test_it_answers_404_for_what_is_hidden_and_names_the_lookup(county: County) -> None:
    with pytest.raises(Http404) as error:
        access.deny(
            county.clerk,
            model=Org,
            lookup={"code": "nonsense"},
            reason=access.BAD_LOOKUP,
            hide=True,
        )
    refused(error)
    event = the_denial(county.clerk)
    assert event.object_code == "" and event.object_label == "组织（不存在）"
    assert event.data == {"reason": "bad_lookup", "lookup": {"code": "nonsense"}}


def test_it_refuses_a_model_wide_action_the_policy_does_not_grant(county: County) -> None:
    assert access.user_can_any(county.discipline_officer, supervision_policy.PLAN, Inspection)
    assert access.user_can_any(county.township_secretary, supervision_policy.PLAN, Inspection)
    assert not access.user_can_any(county.clerk, supervision_policy.PLAN, Inspection)
    assert access.user_can_any(None, supervision_policy.PLAN, Inspection)  # the operator
    with pytest.raises(PermissionDenied) as error:
        access.require_any(county.clerk, supervision_policy.PLAN, Inspection)
    refused(error)
    event = the_denial(county.clerk)
    assert event.object_label == "督查检查" and event.data["reason"] == "no_plan"


def test_it_refuses_every_action_a_model_registers_nothing_for(county: County) -> None:
    assert access.user_can_any(county.clerk, ledger_policy.RECORD, Activity)
    assert not access.user_can_any(county.clerk, "delete", Activity)
    assert not access.user_can_any(county.clerk, ledger_policy.RECORD, Person)


def test_it_names_what_a_probe_row_points_to(county: County) -> None:
    probe = Activity(org=county.hekou)  # "an activity of 河口镇", to ask the policy
    with pytest.raises(PermissionDenied) as error:
        access.require(county.township_secretary, ledger_policy.RECORD, probe)
    refused(error)
    event = the_denial(county.township_secretary)
    assert event.object_code == ""  # never saved: the probe has no code of its own
    assert event.object_label == "新建工作活动（河口镇党委）"
    assert event.data == {"reason": "no_record", "lookup": {"org": str(county.hekou.code)}}


def test_it_finds_a_row_within_one_already_given(county: County) -> None:
    people = Person.objects.filter(org=county.chengguan)
    clerk = people.get(name="孙小文")
    assert access.get_within(county.township_secretary, people, code=clerk.code) == clerk
    with pytest.raises(Http404) as error:
        access.get_within(county.township_secretary, people, code=county.hekou.code)
    refused(error)
    event = the_denial(county.township_secretary)
    assert event.object_label == "人员（不存在）"
    assert event.data == {"reason": "not_found", "lookup": {"code": str(county.hekou.code)}}


def test_it_answers_404_to_a_malformed_lookup(county: County) -> None:
    with pytest.raises(Http404) as error:
        access.get_for_user(county.township_secretary, Org.objects.all(), code="not-a-uuid")
    refused(error)
    assert the_denial(county.township_secretary).data["reason"] == "bad_lookup"


def test_it_names_the_page_a_request_was_refused_on(login: Login, county: County) -> None:
    response = login(county.clerk).get("/supervision/new/")
    assert response.status_code == 403
    assert the_denial(county.clerk).data["page"] == "GET /supervision/new/"


def test_it_keeps_the_number_of_denied_events_to_one_per_refusal(
    login: Login, county: County
) -> None:
    client = login(county.clerk)
    client.get("/supervision/new/")
    client.get("/supervision/new/")
    assert AuditEvent.objects.filter(verb=AuditEvent.Verb.DENIED).count() == 2
