import re
from datetime import timedelta
from io import BytesIO
from typing import Any
from uuid import uuid4

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pytest_django import DjangoAssertNumQueries

from liangze.core.models import AuditEvent
from liangze.ledger.activities import services as activities
from liangze.ledger.models import Activity, ActivityKind
from liangze.orgs.models import Person
from tests.fixtures import threads
from tests.fixtures.clients import Login, Response
from tests.fixtures.county import County, person_of
from tests.fixtures.evidence import photo

pytestmark = pytest.mark.django_db
LIST = reverse("ledger:activities")
NEW = reverse("ledger:activity_new")


def url(name: str, activity: Activity) -> str:
    return reverse(f"ledger:{name}", args=[activity.code])


def page(response: Response) -> str:
    return response.content.decode()


def record(county: County, **changes: Any) -> Activity:
    arguments: dict[str, Any] = {
        "actor": county.township_secretary,
        "org": county.chengguan,
        "kind": ActivityKind.TALK,
        "held_on": timezone.localdate(),
        "host": county.township_secretary.person,
        "participants": [county.township_member.person],
        "subject": "谈心谈话：落实一岗双责",
    }
    return activities.activity_record(**(arguments | changes))


def many(county: County, count: int) -> None:
    """`count` activities of 城关镇, each with two participants, straight into the database."""
    rows = Activity.objects.bulk_create(
        Activity(
            org=county.chengguan,
            kind=ActivityKind.TALK,
            held_on=timezone.localdate(),
            host=county.township_secretary.person,
            subject=f"谈话{n}",
        )
        for n in range(count)
    )
    people = [county.township_member.person, county.clerk.person]
    Activity.participants.through.objects.bulk_create(
        Activity.participants.through(activity=row, person=p) for row in rows for p in people
    )


def form_data(county: County, **changes: Any) -> dict[str, Any]:
    return {
        "kind": ActivityKind.TALK,
        "held_on": timezone.localdate().isoformat(),
        "host": person_of(county.township_secretary).pk,
        "participants": [person_of(county.township_member).pk],
        "subject": "谈心谈话：落实一岗双责",
        "minutes": "谈了廉政风险。",
    } | changes


# List ------------------------------------------------------------------------------


def test_it_lists_the_activities_a_user_sees(login: Login, county: County) -> None:
    activity = record(county)
    response = login(county.township_secretary).get(LIST)
    assert response.status_code == 200
    assert list(response.context["page_obj"]) == [activity]
    assert "谈心谈话：落实一岗双责" in page(response) and "李明华" in page(response)


def test_it_filters_by_kind_dates_host_unit_and_text(login: Login, county: County) -> None:
    talk = record(county)
    lecture = record(
        county,
        kind=ActivityKind.LECTURE,
        participants=[],
        host=county.township_member.person,
        held_on=timezone.localdate() - timedelta(days=40),
        subject="党课：纪律建设",
    )
    client = login(county.discipline_officer)

    def found(**query: Any) -> list[Activity]:
        return list(client.get(LIST, query).context["page_obj"])

    assert found(kind="lecture") == [lecture]
    assert found(since=(timezone.localdate() - timedelta(days=7)).isoformat()) == [talk]
    assert found(until=(timezone.localdate() - timedelta(days=7)).isoformat()) == [lecture]
    assert found(host="李明华") == [lecture]
    assert found(org="城关") == [talk, lecture] and found(org="河口") == []
    assert found(q="纪律") == [lecture] and found(q="李明华") == [talk]


def test_it_explains_a_reversed_date_range(login: Login, county: County) -> None:
    response = login(county.township_secretary).get(
        LIST, {"since": "2026-05-01", "until": "2026-04-01"}
    )
    assert "截止日期不能早于起始日期" in page(response)


def test_it_shows_another_township_none_of_chengguans_activities(
    login: Login, county: County
) -> None:
    record(county)
    response = login(county.other_township_secretary).get(LIST)
    assert list(response.context["page_obj"]) == []
    assert "没有符合条件的活动记录" in page(response)


def test_it_refuses_posting_to_the_list(login: Login, county: County) -> None:
    assert login(county.township_secretary).post(LIST).status_code == 405


def test_it_lists_a_page_in_a_fixed_number_of_queries(
    login: Login, county: County, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    client = login(county.township_secretary)
    many(county, 5)
    with django_assert_max_num_queries(20) as small:
        client.get(LIST)
    many(county, 35)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(LIST)
    assert len(response.context["page_obj"]) == 40


def test_it_exports_the_search_to_excel_and_audits_it(login: Login, county: County) -> None:
    record(county)
    record(county, kind=ActivityKind.MEETING, participants=[], subject="专题会议")
    response = login(county.township_secretary).get(LIST, {"kind": "talk", "export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("日期", "类别", "单位")
    assert len(rows) == 2
    assert rows[1][1:6] == ("谈心谈话", "城关镇党委", "张建国", "李明华", "谈心谈话：落实一岗双责")
    assert AuditEvent.objects.filter(verb=AuditEvent.Verb.EXPORT, data__rows=1).exists()


# Form ------------------------------------------------------------------------------


def test_it_offers_the_units_people_and_the_leader_as_host(login: Login, county: County) -> None:
    response = login(county.township_secretary).get(NEW)
    assert response.status_code == 200
    form = response.context["form"]
    assert form["host"].value() == person_of(county.township_secretary).pk
    offered = {p.name for p in form.fields["participants"].queryset}
    assert {"张建国", "李明华", "孙小文"} <= offered and "王志强" not in offered
    assert "data-people-filter" in page(response)


def test_it_leaves_the_host_open_for_a_clerk(login: Login, county: County) -> None:
    response = login(county.clerk).get(NEW)
    assert response.context["form"]["host"].value() is None
    assert "李明华" in page(response)


def test_it_offers_the_heads_of_child_and_liaison_units(login: Login, county: County) -> None:
    head = Person.objects.create(person_no="P100", name="周支书", gender="M", org=county.branch)
    head.positions.create(
        org=county.branch, kind="branch_secretary", title="支部书记", start_date="2024-01-01"
    )
    Person.objects.create(person_no="P101", name="吴党员", gender="M", org=county.branch)
    offered = {
        p.name
        for p in login(county.township_secretary)
        .get(NEW)
        .context["form"]
        .fields["participants"]
        .queryset
    }
    assert "周支书" in offered and "吴党员" not in offered


def test_it_records_from_the_form_with_a_file(login: Login, county: County) -> None:
    client = login(county.township_secretary)
    response = client.post(NEW, form_data(county, uploads=[photo()]))
    activity = Activity.objects.get()
    assert response.status_code == 302 and response["Location"] == url("activity", activity)
    assert activity.evidence.count() == 1
    assert list(activity.participants.all()) == [county.township_member.person]


def test_it_records_a_reports_kind_and_recipients_from_the_form(
    login: Login, county: County
) -> None:
    client = login(county.township_secretary)
    report = {"kind": ActivityKind.WRITTEN_REPORT, "participants": [], "subject": "年度报告"}
    refused = client.post(NEW, form_data(county, **report))
    assert refused.status_code == 200 and not Activity.objects.exists()
    assert refused.context["form"].errors["recipients"] == [
        "书面报告须选择报送对象，例如上级党委、上级纪委。"
    ]
    both = ["higher_committee", "higher_commission"]
    client.post(NEW, form_data(county, **report, report_kind="first_responsible", recipients=both))
    activity = Activity.objects.get()
    assert (activity.report_kind, activity.recipients) == ("first_responsible", both)
    shown = page(client.get(url("activity", activity)))
    assert "第一责任人履责情况报告" in shown and "上级党委、上级纪委" in shown


def test_it_offers_the_heads_of_the_hosts_portfolio_units(login: Login, county: County) -> None:
    member = person_of(county.township_member)
    member.positions.get().portfolio_orgs.add(county.hekou)
    offered = login(county.township_member).get(NEW).context["form"].fields["participants"]
    assert "王志强" in {p.name for p in offered.queryset}


def test_it_shows_chinese_errors_and_saves_nothing(login: Login, county: County) -> None:
    client = login(county.township_secretary)
    blank = client.post(NEW, form_data(county, subject=""))
    assert blank.status_code == 200 and "这个字段是必填项" in page(blank)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    refused = client.post(NEW, form_data(county, participants=[], held_on=tomorrow))
    assert refused.status_code == 200
    assert "不能晚于今天" in page(refused) and "至少选择一名谈话对象" in page(refused)
    assert not Activity.objects.exists()


def token_of(response: Response) -> str:
    """The one-time token the form page carries in its hidden `submission` field."""
    found = re.search(r'name="submission" value="([0-9a-f-]{36})"', page(response))
    assert found is not None, "the form carries no submission token"
    return found[1]


def test_it_records_a_double_clicked_form_once_and_shows_it_both_times(
    login: Login, county: County
) -> None:
    client = login(county.township_secretary)
    data = form_data(county) | {"submission": token_of(client.get(NEW))}

    first, second = (client.post(NEW, data, follow=True) for _ in range(2))

    activity = Activity.objects.get()
    assert first.redirect_chain == second.redirect_chain == [(url("activity", activity), 302)]
    assert [str(m) for m in second.context["messages"]] == ["刚才已保存，没有重复保存。"]
    assert AuditEvent.objects.filter(verb="create", object_type="ledger.activity").count() == 1


def test_it_gives_every_new_form_its_own_token(login: Login, county: County) -> None:
    client = login(county.township_secretary)
    assert token_of(client.get(NEW)) != token_of(client.get(NEW))
    for _ in range(2):
        client.post(NEW, form_data(county) | {"submission": token_of(client.get(NEW))})
    assert Activity.objects.count() == 2  # the same activity recorded twice on purpose


def test_it_keeps_the_token_of_a_refused_form_and_records_the_corrected_one(
    login: Login, county: County
) -> None:
    client = login(county.township_secretary)
    token = token_of(client.get(NEW))
    refused = client.post(NEW, form_data(county, participants=[], submission=token))
    assert refused.status_code == 200 and token_of(refused) == token
    response = client.post(NEW, form_data(county, submission=token))
    assert response["Location"] == url("activity", Activity.objects.get())


@pytest.mark.skipif(not threads.on_postgresql(), reason=threads.NEEDS_PG)
@pytest.mark.django_db(transaction=True)
def test_five_simultaneous_sendings_of_one_form_record_one_activity(county: County) -> None:
    data = form_data(county, submission=str(uuid4()))

    codes = threads.posts_at_once(county.township_secretary, NEW, lambda: dict(data))

    assert codes == [302] * 5
    assert Activity.objects.count() == 1


def test_it_names_people_that_are_not_offered(login: Login, county: County) -> None:
    outsider = Person.objects.get(person_no="P003")
    response = login(county.township_secretary).post(
        NEW, form_data(county, participants=[outsider.pk])
    )
    assert response.status_code == 200 and not Activity.objects.exists()
    assert response.context["form"].errors["participants"]


def test_it_refuses_the_form_to_an_administrator(login: Login, county: County) -> None:
    assert login(county.system_admin).get(NEW).status_code == 403


def test_it_refuses_put_on_the_form(login: Login, county: County) -> None:
    assert login(county.township_secretary).put(NEW).status_code == 405


# Detail, edit, delete ------------------------------------------------------------------


def test_it_shows_an_activity_with_its_people_and_evidence(login: Login, county: County) -> None:
    activity = record(county, uploads=[photo(), photo("记录.pdf", b"%PDF-1.4")])
    response = login(county.discipline_officer).get(url("activity", activity))
    assert response.status_code == 200
    text = page(response)
    assert "李明华" in text and "记录.pdf" in text and "<img" in text
    assert 'data-testid="edit"' not in text


def test_it_hides_an_activity_from_another_township(login: Login, county: County) -> None:
    activity = record(county)
    assert login(county.other_township_secretary).get(url("activity", activity)).status_code == 404


def test_it_edits_an_activity(login: Login, county: County) -> None:
    activity = record(county)
    client = login(county.township_secretary)
    assert client.get(url("activity_edit", activity)).status_code == 200
    response = client.post(url("activity_edit", activity), form_data(county, subject="更正"))
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.subject == "更正"


def test_it_refuses_editing_to_a_supervisor(login: Login, county: County) -> None:
    activity = record(county)
    assert login(county.discipline_officer).get(url("activity_edit", activity)).status_code == 403


def test_it_sends_a_late_edit_back_to_the_page(login: Login, county: County) -> None:
    activity = record(county)
    Activity.objects.filter(pk=activity.pk).update(created_at=timezone.now() - timedelta(days=31))
    response = login(county.township_secretary).get(url("activity_edit", activity))
    assert response.status_code == 302 and response["Location"] == url("activity", activity)


def test_it_deletes_after_confirmation(login: Login, county: County) -> None:
    activity = record(county)
    client = login(county.township_secretary)
    assert 'data-testid="confirm-delete"' in page(client.get(url("activity", activity)))
    assert client.get(url("activity_delete", activity)).status_code == 405
    response = client.post(url("activity_delete", activity))
    assert response.status_code == 302 and response["Location"] == LIST
    assert not Activity.objects.exists()


def test_it_hides_deletion_from_another_township(login: Login, county: County) -> None:
    activity = record(county)
    response = login(county.other_township_secretary).post(url("activity_delete", activity))
    assert response.status_code == 404
    assert Activity.objects.exists()
