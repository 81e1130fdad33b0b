"""The reminder pages (SUP-1): the list, why one was raised, acknowledging it."""

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pytest_django import DjangoAssertNumQueries

from liangze.core.models import AuditEvent
from liangze.duties.models import DutyList
from liangze.orgs.models import Person
from liangze.supervision.models import Reminder
from liangze.supervision.reminders.services import run_escalation
from tests.fixtures import threads
from tests.fixtures.clients import Login
from tests.fixtures.clock import On
from tests.fixtures.county import County
from tests.fixtures.ledger import add_activity, load_rules, recorded

LIST = reverse("supervision:reminders")
Step = Reminder.Step


@pytest.fixture
def raised(county: County, published: DutyList, on: On) -> Person:
    """城关镇 on 9 April: its Q1 ledger overdue, 张建国 short of talks in March."""
    load_rules()
    secretary = Person.objects.get(person_no="P001")
    member = Person.objects.get(person_no="P002")
    for month in (1, 2):
        talk = add_activity(county.chengguan, "talk", date(2026, month, 9), secretary, member)
        recorded(talk, date(2026, month, 9))
    run_escalation(on=date(2026, 4, 9))
    on(date(2026, 4, 10))
    return secretary


def notice_of_talks(secretary: Person) -> Reminder:
    return Reminder.objects.get(
        step=Step.PRINCIPAL_NOTICE,
        rule__key="tz2017-principal-talks",
        subject_person=secretary,
        period="2026-M03",
    )


def test_it_lists_the_unread_reminders_addressed_to_the_user(
    county: County, raised: Person, login: Login
) -> None:
    response = login(county.township_secretary).get(LIST)
    assert response.status_code == 200
    shown = list(response.context["page_obj"])
    mine = Reminder.objects.filter(recipient_person=raised, acknowledged_at__isnull=True)
    assert {r.pk for r in shown} == set(mine.values_list("pk", flat=True))
    assert len(shown) > 5
    assert notice_of_talks(raised).message in response.content.decode()


def test_it_filters_by_step_and_state(county: County, raised: Person, login: Login) -> None:
    client = login(county.township_secretary)
    notices = client.get(LIST, {"step": Step.PRINCIPAL_NOTICE}).context["page_obj"]
    assert {r.step for r in notices} == {Step.PRINCIPAL_NOTICE}
    Reminder.objects.filter(pk=notice_of_talks(raised).pk).update(
        acknowledged_at="2026-04-03T02:00Z"
    )
    unread = client.get(LIST).context["page_obj"]
    read = client.get(LIST, {"state": "read"}).context["page_obj"]
    everything = client.get(LIST, {"state": ""}).context["page_obj"]
    assert [r.pk for r in read] == [notice_of_talks(raised).pk]
    assert notice_of_talks(raised).pk not in {r.pk for r in unread}
    assert everything.paginator.count == unread.paginator.count + 1


def test_a_supervisor_sees_the_units_ladder_when_asking_for_all(
    county: County, raised: Person, login: Login
) -> None:
    client = login(county.discipline_officer)
    assert client.get(LIST).context["page_obj"].paginator.count == 0
    assert "没有符合条件的督促提醒" in client.get(LIST).content.decode()
    everything = client.get(LIST, {"scope": "all", "state": ""}).context["page_obj"]
    assert everything.paginator.count == Reminder.objects.count()


def test_another_township_sees_none_of_them(county: County, raised: Person, login: Login) -> None:
    page = login(county.other_township_secretary).get(LIST, {"scope": "all", "state": ""})
    assert page.context["page_obj"].paginator.count > 0  # 河口镇's own
    assert not [r for r in page.context["page_obj"] if r.org == county.chengguan]


def test_it_exports_the_list(county: County, raised: Person, login: Login) -> None:
    response = login(county.township_secretary).get(LIST, {"export": "xlsx", "state": ""})
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("生成日期", "督促环节", "单位")
    assert len(rows) - 1 == Reminder.objects.filter(recipient_person=raised).count()
    assert AuditEvent.objects.filter(verb="export", object_label="督促提醒").exists()


def test_the_list_refuses_a_post(county: County, login: Login) -> None:
    assert login(county.township_secretary).post(LIST).status_code == 405


def test_the_list_costs_the_same_queries_for_a_few_and_a_full_page(
    county: County,
    raised: Person,
    login: Login,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    client = login(county.township_secretary)
    keep = list(Reminder.objects.filter(recipient_person=raised).values_list("pk", flat=True)[:3])
    Reminder.objects.filter(recipient_person=raised).exclude(pk__in=keep).delete()
    with django_assert_max_num_queries(20) as few:
        client.get(LIST)
    for day in (date(2026, 7, 9), date(2026, 10, 15)):  # two more quarters: over a page
        run_escalation(on=day)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(LIST)
    assert len(response.context["page_obj"]) == 50


# The detail page ------------------------------------------------------------------------


def test_it_shows_why_an_indicators_reminder_was_raised(
    county: County, raised: Person, login: Login
) -> None:
    notice = notice_of_talks(raised)
    response = login(county.township_secretary).get(notice.get_absolute_url())
    assert response.status_code == 200
    (line,) = response.context["page"].figures
    assert (str(line.period), line.indicator.required, line.indicator.actual) == ("2026-M03", 1, 0)
    assert str(line.indicator.status) == "unmet"
    body = response.content.decode()
    assert "主要负责人每月谈心谈话" in body and "确认已阅" in body


def test_it_shows_the_months_behind_a_repeated_failure(
    county: County, published: DutyList, login: Login, on: On
) -> None:
    load_rules()
    secretary = Person.objects.get(person_no="P001")
    member = Person.objects.get(person_no="P002")
    talk = add_activity(county.chengguan, "talk", date(2026, 2, 9), secretary, member)
    recorded(talk, date(2026, 2, 9))
    run_escalation(on=date(2026, 4, 1))
    proposal = Reminder.objects.get(
        step=Step.ADMONITION_PROPOSAL, rule__key="tz2017-principal-talks"
    )
    assert proposal.recipient_body == county.chengguan_commission
    on(date(2026, 4, 2))
    response = login(county.discipline_officer).get(proposal.get_absolute_url())
    lines = response.context["page"].figures
    assert [(str(x.period), str(x.indicator.status)) for x in lines] == [
        ("2026-M01", "unmet"),
        ("2026-M03", "unmet"),
    ]
    # Seen from above, not addressed to the county 纪委: no acknowledging.
    assert not response.context["page"].may_acknowledge


def test_it_shows_the_ledger_cell_behind_a_cell_reminder(
    county: County, raised: Person, login: Login
) -> None:
    cell = Reminder.objects.filter(step=Step.PRINCIPAL_NOTICE, duty_item__isnull=False).first()
    assert cell is not None
    response = login(county.township_secretary).get(cell.get_absolute_url())
    (line,) = response.context["page"].cells
    assert (line.item, str(line.period), line.status) == (cell.duty_item, "2026-Q1", "overdue")
    assert cell.duty_list is not None
    assert reverse("ledger:grid", args=[cell.duty_list.code]) in response.content.decode()


def test_the_detail_is_hidden_from_another_township(
    county: County, raised: Person, login: Login
) -> None:
    notice = notice_of_talks(raised)
    assert login(county.other_township_secretary).get(notice.get_absolute_url()).status_code == 404


def test_the_detail_refuses_a_post(county: County, raised: Person, login: Login) -> None:
    notice = notice_of_talks(raised)
    assert login(county.township_secretary).post(notice.get_absolute_url()).status_code == 405


def test_the_detail_costs_a_bounded_number_of_queries(
    county: County,
    raised: Person,
    login: Login,
    django_assert_max_num_queries: DjangoAssertNumQueries,
) -> None:
    client = login(county.township_secretary)
    with django_assert_max_num_queries(20):
        client.get(notice_of_talks(raised).get_absolute_url())


# Acknowledging ------------------------------------------------------------------------------


def acknowledge_url(reminder: Reminder) -> str:
    return reverse("supervision:reminder_acknowledge", args=[reminder.code])


def test_the_recipient_acknowledges_and_it_leaves_the_todo_page(
    county: County, raised: Person, login: Login
) -> None:
    notice = notice_of_talks(raised)
    client = login(county.township_secretary)
    assert notice.get_absolute_url() in {t.url for t in client.get("/").context["todos"]}
    response = client.post(acknowledge_url(notice))
    assert response.status_code == 302 and response["Location"] == notice.get_absolute_url()
    notice.refresh_from_db()
    assert notice.acknowledged_at is not None
    assert notice.get_absolute_url() not in {t.url for t in client.get("/").context["todos"]}
    page = client.get(notice.get_absolute_url())
    assert "已阅" in page.content.decode() and not page.context["page"].may_acknowledge
    # Twice is harmless, and does not move the time.
    first = notice.acknowledged_at
    client.post(acknowledge_url(notice))
    notice.refresh_from_db()
    assert notice.acknowledged_at == first


def test_only_the_recipient_acknowledges(county: County, raised: Person, login: Login) -> None:
    notice = notice_of_talks(raised)
    # 李明华 is on 城关镇's team and sees its reminders, but this one is not his.
    response = login(county.township_member).post(acknowledge_url(notice))
    assert response.status_code == 403
    notice.refresh_from_db()
    assert notice.acknowledged_at is None


def test_an_outsider_cannot_acknowledge(county: County, raised: Person, login: Login) -> None:
    notice = notice_of_talks(raised)
    assert login(county.other_township_secretary).post(acknowledge_url(notice)).status_code == 404


def test_acknowledging_takes_a_post(county: County, raised: Person, login: Login) -> None:
    notice = notice_of_talks(raised)
    assert login(county.township_secretary).get(acknowledge_url(notice)).status_code == 405


def test_the_filters_show_unread_and_mine_when_nothing_is_chosen(
    county: County, raised: Person, login: Login
) -> None:
    body = login(county.township_secretary).get(LIST).content.decode()
    assert '<option value="unread" selected>' in body
    assert '<option value="mine" selected>' in body


# The next step each reminder speaks of ------------------------------------------------------


def reminder_page(reminder: Reminder) -> str:
    return reverse("supervision:reminder", args=[reminder.code])


def test_a_late_cell_leads_whoever_may_fill_it_to_the_cell(
    county: County, raised: Person, login: Login
) -> None:
    late = Reminder.objects.filter(step=Step.PRINCIPAL_NOTICE, duty_item__isnull=False).first()
    assert late is not None and late.duty_item is not None and late.duty_list is not None
    client = login(county.township_secretary)
    action = client.get(reminder_page(late)).context["action"]
    cell = reverse("ledger:cell", args=[late.duty_list.code, late.duty_item.seq, late.period])
    assert (action.label, action.url, action.post) == ("去填报台账", cell, False)
    assert client.get(cell).status_code == 200
    # The county 纪委 sees the ladder but does not fill in the town's ledger.
    response = login(county.discipline_officer).get(reminder_page(late))
    assert response.status_code == 200
    assert response.context["action"] is None
    assert 'data-testid="next-action"' not in response.content.decode()


def test_an_unmet_figure_leads_to_recording_the_activity_it_counts(
    county: County, raised: Person, login: Login
) -> None:
    client = login(county.township_secretary)
    action = client.get(reminder_page(notice_of_talks(raised))).context["action"]
    assert action.label == "记录谈心谈话"
    form = client.get(action.url).context["form"]
    assert form.initial["kind"] == "talk"


def test_a_proposed_talk_leads_to_recording_the_talk(
    county: County, raised: Person, login: Login
) -> None:
    proposed = Reminder.objects.get(step=Step.ADMONITION_PROPOSAL, duty_item__isnull=True)
    client = login(county.township_secretary)
    response = client.get(reminder_page(proposed))
    action = response.context["action"]
    assert action.label == "记录约谈"
    assert 'data-testid="next-action"' in response.content.decode()
    form = client.get(action.url).context["form"]
    assert form.initial["kind"] == "admonition"
    Reminder.objects.filter(pk=proposed.pk).update(resolved_on=date(2026, 4, 10))
    assert client.get(reminder_page(proposed)).context["action"] is None


@pytest.mark.skipif(not threads.on_postgresql(), reason=threads.NEEDS_PG)
@pytest.mark.django_db(transaction=True)
def test_five_simultaneous_acknowledgements_are_one(county: County, raised: Person) -> None:
    notice = notice_of_talks(raised)

    codes = threads.posts_at_once(county.township_secretary, acknowledge_url(notice))

    assert codes == [302] * 5
    assert AuditEvent.objects.filter(data__acknowledged=True).count() == 1
