"""The 三书 pages: happy path, wrong method (405), outsider (404), insider without right (403)."""

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pytest_django import DjangoAssertNumQueries

from liangze.core.models import AuditEvent
from liangze.duties.models import DutyList
from liangze.notices import services
from liangze.notices.models import Notice, NoticeFile, NoticeKind, TaskAssignment
from liangze.orgs.models import Org
from tests.fixtures import threads
from tests.fixtures.clients import Login
from tests.fixtures.county import County, person_of
from tests.fixtures.notices import docx_text, draft_order, order_reminder

INDEX = reverse("notices:index")


def url(name: str, notice: Notice) -> str:
    return reverse(f"notices:{name}", args=[notice.code])


# The register ------------------------------------------------------------------------


def test_it_lists_the_notices_the_user_may_see(
    login: Login, county: County, issued_order: Notice, duty_draft: Notice
) -> None:
    response = login(county.township_secretary).get(INDEX)
    assert response.status_code == 200
    shown = {n.recipient_name for n in response.context["page_obj"]}
    assert shown == {"城关镇党委", "李明华同志"}
    assert "示纪督〔2026〕1号" in response.content.decode()


def test_it_filters_by_kind_status_box_and_text(
    login: Login, county: County, issued_order: Notice, duty_draft: Notice
) -> None:
    client = login(county.township_secretary)

    def names(**query: str) -> set[str]:
        return {n.recipient_name for n in client.get(INDEX, query).context["page_obj"]}

    assert names(kind="order") == {"城关镇党委"}
    assert names(status="draft") == {"李明华同志"}
    assert names(box="received") == {"城关镇党委"}  # he signs for his unit
    assert names(box="sent") == {"李明华同志"}
    assert names(q="示纪督") == {"城关镇党委"}
    assert names(issuer="纪委", year="2026") == {"城关镇党委"}
    assert names(recipient="李明华") == {"李明华同志"}
    assert names(year="2025") == set()


def test_it_shows_an_empty_register_with_a_hint(login: Login, county: County) -> None:
    response = login(county.township_member).get(INDEX)
    assert "没有符合条件的三书" in response.content.decode()


def test_it_exports_the_register_to_excel_and_audits_it(
    login: Login, county: County, issued_order: Notice, duty_draft: Notice
) -> None:
    response = login(county.township_secretary).get(INDEX, {"export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("文号", "类别", "标题", "发文机关", "主送")
    numbers = {row[0] for row in rows[1:]}
    assert numbers == {"示纪督〔2026〕1号", "（未编号）"}
    assert AuditEvent.objects.filter(
        verb=AuditEvent.Verb.EXPORT, object_label="三书发文登记簿"
    ).exists()


def test_the_register_takes_a_fixed_number_of_queries(
    login: Login, county: County, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    client = login(county.discipline_officer)
    for _ in range(3):
        services.notice_issue(actor=county.discipline_officer, notice=draft_order(county))
    with django_assert_max_num_queries(20) as small:
        client.get(INDEX)
    for n in range(20):
        notice = draft_order(county, org=county.hekou if n % 2 else county.education)
        if n % 3:
            services.notice_issue(actor=county.discipline_officer, notice=notice)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(INDEX)
    assert len(response.context["page_obj"]) == 23


def test_the_register_refuses_post(login: Login, county: County) -> None:
    assert login(county.township_secretary).post(INDEX).status_code == 405


# One notice --------------------------------------------------------------------------


def test_it_shows_a_notice_as_it_prints(login: Login, county: County, issued_order: Notice) -> None:
    response = login(county.clerk).get(url("notice", issued_order))
    assert response.status_code == 200
    page = response.content.decode()
    assert "示纪督〔2026〕1号" in page and "城关镇党委：" in page
    assert response.context["actions"].acknowledge  # the clerk signs for the unit
    assert response.context["file"].intact


def test_a_notice_is_hidden_from_outsiders(
    login: Login, county: County, issued_order: Notice
) -> None:
    client = login(county.other_township_secretary)
    assert client.get(url("notice", issued_order)).status_code == 404
    assert client.get(url("download", issued_order)).status_code == 404
    # A draft is hidden from its recipient too.
    draft = draft_order(county)
    assert login(county.township_secretary).get(url("notice", draft)).status_code == 404


def test_the_detail_page_refuses_post(login: Login, county: County, issued_order: Notice) -> None:
    assert login(county.clerk).post(url("notice", issued_order)).status_code == 405


def test_it_downloads_the_issued_word_file_unchanged(
    login: Login, county: County, issued_order: Notice
) -> None:
    response = login(county.township_secretary).get(url("download", issued_order))
    assert response.status_code == 200
    assert response.content == bytes(NoticeFile.objects.get(notice=issued_order).content)
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    assert AuditEvent.objects.filter(verb=AuditEvent.Verb.EXPORT).exists()


def test_it_previews_a_draft_marked_as_such(login: Login, county: County, order: Notice) -> None:
    response = login(county.discipline_officer).get(url("download", order))
    text = docx_text(response.content)
    assert text[0] == "草稿（未发出，不作为正式文件）"
    assert "示纪督〔2026〕　号" in text


def test_download_refuses_post(login: Login, county: County, issued_order: Notice) -> None:
    assert login(county.township_secretary).post(url("download", issued_order)).status_code == 405


# Edit, issue, delete, acknowledge ----------------------------------------------------


def edit_data(notice: Notice, **changes: str) -> dict[str, str]:
    data = {
        "title": notice.title,
        "body": notice.body,
        "recipient_org": str(notice.recipient_org_id or ""),
        "recipient_person": str(notice.recipient_person_id or ""),
        "cc_text": "",
        "reply_due": "2026-12-10",
    }
    return data | changes


def test_it_edits_a_draft(login: Login, county: County, order: Notice) -> None:
    client = login(county.discipline_officer)
    assert client.get(url("edit", order)).status_code == 200
    response = client.post(url("edit", order), edit_data(order, body="一、新的督办事项"))
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.body == "一、新的督办事项"
    assert str(order.reply_due) == "2026-12-10"


def test_it_names_the_field_of_a_bad_edit_and_saves_nothing(
    login: Login, county: County, order: Notice
) -> None:
    client = login(county.discipline_officer)
    data = edit_data(order, recipient_person=str(person_of(county.township_member).pk))
    response = client.post(url("edit", order), data)
    assert response.status_code == 200
    assert "主送人员和主送单位请选择且只选择一个" in response.content.decode()
    response = client.post(url("edit", order), edit_data(order, title=""))
    assert "title" in response.context["form"].errors
    order.refresh_from_db()
    assert order.title.startswith("关于2026年度")


def test_editing_is_refused_to_the_recipient_and_hidden_from_outsiders(
    login: Login, county: County, order: Notice, issued_order: Notice
) -> None:
    assert login(county.dispatched_officer).get(url("edit", order)).status_code == 404
    # 城关镇's secretary sees the issued one but is not its issuer.
    assert login(county.township_secretary).get(url("edit", issued_order)).status_code == 403


def test_an_issued_notice_is_not_edited(login: Login, county: County, issued_order: Notice) -> None:
    response = login(county.discipline_officer).get(url("edit", issued_order))
    assert response.status_code == 302


def test_it_issues_a_draft_after_confirmation(login: Login, county: County, order: Notice) -> None:
    client = login(county.discipline_officer)
    page = client.get(url("notice", order)).content.decode()
    assert 'data-testid="confirm-issue"' in page  # the confirmation sits behind the button
    response = client.post(url("issue", order), follow=True)
    assert "已发出，文号 示纪督〔2026〕1号" in response.content.decode()
    order.refresh_from_db()
    assert order.status == Notice.Status.ISSUED


def test_issue_refuses_get_outsiders_and_the_recipient(
    login: Login, county: County, order: Notice, issued_order: Notice
) -> None:
    assert login(county.discipline_officer).get(url("issue", order)).status_code == 405
    assert login(county.other_township_secretary).post(url("issue", order)).status_code == 404
    # 城关镇's secretary sees the 督办书 sent to his unit, but it is not his to issue.
    assert login(county.township_secretary).post(url("issue", issued_order)).status_code == 403


def test_it_deletes_a_draft(login: Login, county: County, order: Notice) -> None:
    assert login(county.dispatched_officer).post(url("delete", order)).status_code == 404
    client = login(county.discipline_officer)
    assert client.get(url("delete", order)).status_code == 405
    response = client.post(url("delete", order))
    assert response.status_code == 302 and response["Location"] == INDEX
    assert not Notice.objects.exists()


def test_the_recipient_signs_for_a_notice(
    login: Login, county: County, issued_duty: Notice
) -> None:
    client = login(county.township_member)
    assert client.get(url("acknowledge", issued_duty)).status_code == 405
    response = client.post(url("acknowledge", issued_duty), follow=True)
    assert "已签收" in response.content.decode()
    issued_duty.refresh_from_db()
    assert issued_duty.acknowledged_name == "李明华"


def test_a_double_click_on_sign_for_signs_once(
    login: Login, county: County, issued_duty: Notice
) -> None:
    client = login(county.township_member)

    first, second = (client.post(url("acknowledge", issued_duty), follow=True) for _ in range(2))

    assert first.redirect_chain == second.redirect_chain == [(url("notice", issued_duty), 302)]
    assert AuditEvent.objects.filter(data__acknowledged="李明华").count() == 1


@pytest.mark.skipif(not threads.on_postgresql(), reason=threads.NEEDS_PG)
@pytest.mark.django_db(transaction=True)
def test_five_simultaneous_clicks_on_sign_for_sign_once(
    county: County, issued_duty: Notice
) -> None:
    codes = threads.posts_at_once(county.township_member, url("acknowledge", issued_duty))

    assert codes == [302] * 5
    assert AuditEvent.objects.filter(data__acknowledged="李明华").count() == 1


def test_others_may_not_sign(login: Login, county: County, issued_duty: Notice) -> None:
    assert login(county.township_secretary).post(url("acknowledge", issued_duty)).status_code == 403
    response = login(county.other_township_secretary).post(url("acknowledge", issued_duty))
    assert response.status_code == 404


# Generating --------------------------------------------------------------------------

GENERATE = reverse("notices:generate")


def test_the_generate_page_offers_what_the_user_may_issue(login: Login, county: County) -> None:
    page = login(county.township_secretary).get(GENERATE).content.decode()
    assert "为本单位全体班子成员生成告知书" in page and "从督办提醒生成督办书" not in page
    page = login(county.discipline_officer).get(GENERATE).content.decode()
    assert "为本单位全体班子成员生成告知书" not in page and "从督办提醒生成督办书" in page


def test_the_generate_page_is_refused_to_who_issues_nothing(login: Login, county: County) -> None:
    assert login(county.other_township_secretary).get(GENERATE).status_code == 200
    assert login(county.audit_admin).get(GENERATE).status_code == 403
    assert login(county.township_secretary).post(GENERATE).status_code == 405


def test_it_generates_duty_notices_in_bulk(
    login: Login, county: County, collective: DutyList, today: date
) -> None:
    client = login(county.township_secretary)
    data = {"issuer": f"o{county.chengguan.pk}", "year": "2026"}
    response = client.post(reverse("notices:generate_duty"), data, follow=True)
    assert "已生成 2 份责任分工告知书草稿" in response.content.decode()
    assert Notice.objects.filter(kind=NoticeKind.DUTY, status=Notice.Status.DRAFT).count() == 2


def test_bulk_generation_refuses_other_issuers_and_get(
    login: Login, county: County, collective: DutyList, today: date
) -> None:
    data = {"issuer": f"o{county.chengguan.pk}", "year": "2026"}
    client = login(county.other_township_secretary)
    assert client.post(reverse("notices:generate_duty"), data).status_code == 403
    assert client.post(reverse("notices:generate_tasks"), data).status_code == 403
    assert client.get(reverse("notices:generate_duty")).status_code == 405
    assert not Notice.objects.exists()


def test_it_reports_why_nothing_was_generated(login: Login, county: County, today: date) -> None:
    client = login(county.township_secretary)
    data = {"issuer": f"o{county.chengguan.pk}", "year": "2026"}
    response = client.post(reverse("notices:generate_duty"), data, follow=True)
    assert "还没有审核通过的责任清单" in response.content.decode()


def test_it_turns_the_units_reminders_into_one_order(
    login: Login, county: County, collective: DutyList, today: date
) -> None:
    first = order_reminder(county, collective)
    client = login(county.discipline_officer)
    page = client.get(GENERATE)
    assert [row.org for row in page.context["pending"]] == [county.chengguan]
    response = client.post(reverse("notices:from_reminder", args=[first.code]), follow=True)
    assert "涵盖该单位 1 条督办提醒" in response.content.decode()
    assert Notice.objects.get().reminders.get() == first
    assert client.get(GENERATE).context["pending"] == []


def test_from_reminder_refuses_get_outsiders_and_other_bodies(
    login: Login, county: County, collective: DutyList, today: date
) -> None:
    reminder = order_reminder(county, collective)
    target = reverse("notices:from_reminder", args=[reminder.code])
    assert login(county.discipline_officer).get(target).status_code == 405
    assert login(county.other_township_secretary).post(target).status_code == 404
    assert login(county.dispatched_officer).post(target).status_code == 404
    assert login(county.township_secretary).post(target).status_code == 403  # sees, may not
    assert not Notice.objects.exists()


# Tasks ---------------------------------------------------------------------------------

TASKS = reverse("notices:tasks")


def assign_url(duty_list: DutyList, seq: int) -> str:
    return reverse("notices:task_assign", args=[duty_list.code, seq])


def test_it_assigns_lead_and_assisting_units_and_generates_task_notices(
    login: Login, county: County, collective: DutyList, second_branch: Org, today: date
) -> None:
    client = login(county.township_secretary)
    page = client.get(TASKS)
    assert page.status_code == 200 and page.context["duty_list"] == collective
    assert client.get(assign_url(collective, 1)).status_code == 200
    data = {
        "lead_org": str(county.branch.pk),
        "assisting_orgs": [str(second_branch.pk)],
        "deadline": "2026-06-30",
    }
    assert client.post(assign_url(collective, 1), data).status_code == 302
    assignment = TaskAssignment.objects.get()
    assert assignment.lead_org == county.branch
    assert list(assignment.assisting_orgs.all()) == [second_branch]
    data = {"issuer": f"o{county.chengguan.pk}", "year": "2026"}
    response = client.post(reverse("notices:generate_tasks"), data, follow=True)
    assert "已生成 1 份目标任务通知书草稿" in response.content.decode()
    notice = Notice.objects.get(kind=NoticeKind.TASK)
    assert notice.recipient_org == county.branch


def test_it_names_a_bad_lead_unit(
    login: Login, county: County, collective: DutyList, today: date
) -> None:
    client = login(county.township_secretary)
    response = client.post(assign_url(collective, 1), {"lead_org": str(county.hekou.pk)})
    assert response.status_code == 200
    assert "lead_org" in response.context["form"].errors
    assert not TaskAssignment.objects.exists()


def test_it_clears_an_assignment(
    login: Login, county: County, collective: DutyList, today: date
) -> None:
    item = collective.items.get(seq=1)
    services.task_assign(actor=county.township_secretary, item=item, lead_org=county.branch)
    response = login(county.township_secretary).post(assign_url(collective, 1), {"clear": "1"})
    assert response.status_code == 302
    assert not TaskAssignment.objects.exists()


def test_task_pages_refuse_outsiders_and_those_who_do_not_issue(
    login: Login, county: County, collective: DutyList, today: date
) -> None:
    assert login(county.other_township_secretary).get(assign_url(collective, 1)).status_code == 404
    # The county 纪委 sees 城关镇's list but does not assign its tasks.
    assert login(county.discipline_officer).get(assign_url(collective, 1)).status_code == 403
    assert login(county.discipline_officer).get(TASKS).status_code == 403
    assert login(county.township_secretary).get(assign_url(collective, 99)).status_code == 404
    assert login(county.township_secretary).post(TASKS).status_code == 405


# Poor progress -------------------------------------------------------------------------

PROGRESS = reverse("notices:progress")


def test_it_lists_units_and_members_with_poor_progress(
    login: Login, county: County, collective: DutyList, today: date
) -> None:
    client = login(county.discipline_officer)
    response = client.get(PROGRESS)
    assert response.status_code == 200
    report = response.context["report"]
    assert [lag.org for lag in report.units] == [county.chengguan]
    assert {lag.person.name for lag in report.people} == {"张建国", "李明华"}
    assert report.units[0].count == collective.items.count() * 3


def test_a_higher_threshold_leaves_them_out(
    login: Login, county: County, collective: DutyList, today: date
) -> None:
    client = login(county.discipline_officer)
    key = f"b{county.county_commission.pk}"
    response = client.get(PROGRESS, {"issuer": key, "year": "2026", "minimum": "100"})
    assert response.context["report"].units == []
    response = client.get(PROGRESS, {"issuer": key, "year": "2026", "minimum": "0"})
    assert "minimum" in response.context["form"].errors


def test_it_drafts_an_order_for_a_member_from_the_list(
    login: Login, county: County, collective: DutyList, today: date
) -> None:
    client = login(county.discipline_officer)
    data = {
        "issuer": f"b{county.county_commission.pk}",
        "year": "2026",
        "target": f"person:{person_of(county.township_member).code}",
    }
    response = client.post(reverse("notices:progress_order"), data)
    notice = Notice.objects.get()
    assert response["Location"] == notice.get_absolute_url()
    assert notice.recipient_person == county.township_member.person


def test_progress_refuses_who_issues_nothing_and_foreign_issuers(
    login: Login, county: County, collective: DutyList, today: date
) -> None:
    assert login(county.audit_admin).get(PROGRESS).status_code == 403
    data = {
        "issuer": f"b{county.county_commission.pk}",
        "year": "2026",
        "target": f"org:{county.chengguan.code}",
    }
    assert (
        login(county.dispatched_officer).post(reverse("notices:progress_order"), data).status_code
        == 403
    )
    assert (
        login(county.discipline_officer).get(reverse("notices:progress_order")).status_code == 405
    )
    assert login(county.discipline_officer).post(PROGRESS).status_code == 405
    bad = data | {"target": "org:not-a-code"}
    assert (
        login(county.discipline_officer).post(reverse("notices:progress_order"), bad).status_code
        == 404
    )


def test_progress_order_hides_a_recipient_the_user_cannot_see(
    login: Login, county: County, collective: DutyList, today: date
) -> None:
    # 河口镇's secretary may issue for 河口镇, but 城关镇 and its people are outside his scope:
    # the answer is the same as for a code that does not exist.
    client = login(county.other_township_secretary)
    for target in (
        f"org:{county.chengguan.code}",
        f"person:{person_of(county.township_member).code}",
    ):
        data = {"issuer": f"o{county.hekou.pk}", "year": "2026", "target": target}
        assert client.post(reverse("notices:progress_order"), data).status_code == 404


# 发文机关代字 ----------------------------------------------------------------------------

ISSUERS = reverse("notices:issuers")


def test_it_sets_the_issuers_abbreviation(login: Login, county: County) -> None:
    client = login(county.discipline_officer)
    page = client.get(ISSUERS).content.decode()
    assert "示范县纪委" in page and "示纪督〔" in page
    key = f"b{county.county_commission.pk}"
    response = client.post(ISSUERS, {"issuer": key, "abbreviation": "示县纪"})
    assert response.status_code == 302
    issued = services.notice_issue(actor=county.discipline_officer, notice=draft_order(county))
    assert issued.number == "示县纪督〔2026〕1号"


def test_it_names_a_bad_abbreviation(login: Login, county: County) -> None:
    client = login(county.discipline_officer)
    key = f"b{county.county_commission.pk}"
    response = client.post(ISSUERS, {"issuer": key, "abbreviation": "示〔纪〕"})
    assert response.status_code == 200
    assert "不含括号" in response.content.decode()


@pytest.mark.parametrize("who", ["audit_admin", "system_admin"])
def test_the_abbreviation_page_is_for_issuers(login: Login, county: County, who: str) -> None:
    assert login(getattr(county, who)).get(ISSUERS).status_code == 403


def test_another_issuers_abbreviation_cannot_be_set(login: Login, county: County) -> None:
    key = f"b{county.county_commission.pk}"
    client = login(county.dispatched_officer)
    assert client.post(ISSUERS, {"issuer": key, "abbreviation": "乱"}).status_code == 403


def test_an_order_links_back_to_its_reminders(
    login: Login, county: County, collective: DutyList, today: date
) -> None:
    reminder = order_reminder(county, collective)
    notice = services.order_from_reminder(actor=county.discipline_officer, reminder=reminder)
    response = login(county.discipline_officer).get(url("notice", notice))
    assert response.context["reminder_count"] == 1
    assert reminder.get_absolute_url() in response.content.decode()


def test_deleting_an_order_puts_its_reminders_back(
    login: Login, county: County, collective: DutyList, today: date
) -> None:
    reminder = order_reminder(county, collective)
    notice = services.order_from_reminder(actor=county.discipline_officer, reminder=reminder)
    client = login(county.discipline_officer)
    assert client.get(GENERATE).context["pending"] == []
    services.notice_delete(actor=county.discipline_officer, notice=notice)
    assert [row.steps for row in client.get(GENERATE).context["pending"]] == [1]
