"""Drafts generated from data: 告知书 from the settled lists, 通知书 from task assignments,
督办书 from overdue ledger cells and from the escalation ladder — checked in the Word file."""

import re
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from liangze.duties.models import DutyList
from liangze.ledger.models import Rule
from liangze.notices import services
from liangze.notices.models import Notice, NoticeFile, NoticeKind
from liangze.notices.sources import Issuer
from liangze.orgs.models import Org, Person
from liangze.supervision.models import Reminder
from tests.fixtures.clock import On
from tests.fixtures.county import County, person_of
from tests.fixtures.ledger import load_rules
from tests.fixtures.notices import YEAR, docx_text, order_reminder


def issued_text(notice: Notice) -> list[str]:
    return docx_text(bytes(NoticeFile.objects.get(notice=notice).content))


# 责任分工告知书 ----------------------------------------------------------------------------


def test_it_drafts_a_duty_notice_for_every_team_member(
    county: County, collective: DutyList, member_list: DutyList, today: date
) -> None:
    result = services.duty_notices_generate(
        actor=county.township_secretary, org=county.chengguan, year=YEAR
    )
    recipients = [n.recipient_person.name if n.recipient_person else None for n in result.created]
    assert recipients == ["张建国", "李明华"]
    assert all(n.status == Notice.Status.DRAFT and n.number == "" for n in result.created)
    assert result.created[1].duty_list == member_list


def test_it_puts_the_members_items_portfolio_and_measures_into_the_word_file(
    county: County, collective: DutyList, member_list: DutyList, today: date
) -> None:
    created = services.duty_notices_generate(
        actor=county.township_secretary, org=county.chengguan, year=YEAR
    ).created
    notice = next(n for n in created if n.recipient_person == county.township_member.person)
    notice = services.notice_issue(actor=county.township_secretary, notice=notice)
    text = issued_text(notice)
    assert "城关镇党委" in text  # the red header
    assert "城委告〔2026〕1号" in text
    assert "2026年度党风廉政建设责任分工告知书" in text
    assert "李明华同志：" in text
    assert "职务：党委副书记。" in text
    assert "分管工作：党建、宣传。" in text
    assert "联系单位：城关镇第一党支部。" in text
    # The collective items with 李明华 responsible (every second), then his own list's items.
    person = person_of(county.township_member)
    his = [i.name for i in collective.items.order_by("seq") if i.responsible_id == person.pk]
    assert len(his) >= 2
    from_collective = [
        re.sub(r"^（[一二三四五六七八九十]+）", "", line).removesuffix("（领导班子主体责任清单）")
        for line in text
        if line.endswith("（领导班子主体责任清单）")
    ]
    assert from_collective == his
    own = list(member_list.items.order_by("seq"))
    from_own = [line for line in text if line.endswith("（班子成员责任清单）")]
    assert len(from_own) == len(own)
    assert from_own[0].endswith(f"{own[0].name}（班子成员责任清单）")
    assert f"三季度：{own[0].name}第3季度措施" in text
    assert f"项目任务：{own[0].name}的具体分解任务" in text
    assert text[-1].startswith("城关镇党委") and text[-1].endswith("印发")


def test_it_skips_members_who_already_have_a_duty_notice(
    county: County, collective: DutyList, today: date
) -> None:
    services.duty_notices_generate(actor=county.township_secretary, org=county.chengguan, year=YEAR)
    again = services.duty_notices_generate(
        actor=county.township_secretary, org=county.chengguan, year=YEAR
    )
    assert again.created == []
    assert again.skipped == ["张建国", "李明华"]
    assert Notice.objects.filter(kind=NoticeKind.DUTY).count() == 2


def test_it_refuses_a_duty_notice_without_settled_lists(county: County, today: date) -> None:
    with pytest.raises(ValidationError, match="审核通过的责任清单"):
        services.duty_notices_generate(
            actor=county.township_secretary, org=county.chengguan, year=YEAR
        )
    assert not Notice.objects.exists()


def test_it_lets_only_the_units_own_issuers_generate(
    county: County, collective: DutyList, today: date
) -> None:
    for outsider in (county.other_township_secretary, county.discipline_officer):
        with pytest.raises(PermissionDenied):
            services.duty_notices_generate(actor=outsider, org=county.chengguan, year=YEAR)
    # The clerk (联络员) prepares the unit's papers.
    result = services.duty_notices_generate(actor=county.clerk, org=county.chengguan, year=YEAR)
    assert len(result.created) == 2


# 目标任务通知书 ----------------------------------------------------------------------------


def test_it_drafts_one_task_notice_per_lead_unit_naming_its_assisting_units(
    county: County, collective: DutyList, second_branch: Org, today: date
) -> None:
    items = list(collective.items.order_by("seq"))
    actor = county.township_secretary
    services.task_assign(
        actor=actor,
        item=items[0],
        lead_org=county.branch,
        assisting_orgs=[second_branch],
        deadline=date(2026, 6, 30),
    )
    services.task_assign(actor=actor, item=items[1], lead_org=county.branch)
    services.task_assign(actor=actor, item=items[2], lead_org=second_branch)
    result = services.task_notices_generate(actor=actor, org=county.chengguan, year=YEAR)
    assert [n.recipient_org.name if n.recipient_org else None for n in result.created] == [
        "城关镇第一党支部",
        "城关镇第二党支部",
    ]
    first = result.created[0]
    assert list(first.cc_orgs.all()) == [second_branch]
    assert first.cc_text == "城关镇第二党支部"
    notice = services.notice_issue(actor=actor, notice=first)
    text = issued_text(notice)
    assert "城委任〔2026〕1号" in text
    assert "城关镇第一党支部：" in text
    assert f"（一）{items[0].name}" in text and f"（二）{items[1].name}" in text
    assert f"（三）{items[2].name}" not in text
    assert "完成时限：2026年6月30日。" in text
    assert "协办单位：城关镇第二党支部。" in text
    assert f"一季度：{items[0].name}第1季度措施" in text
    assert "抄送：城关镇第二党支部。" in text


def test_it_refuses_a_lead_unit_outside_the_committee(
    county: County, collective: DutyList, today: date
) -> None:
    item = collective.items.order_by("seq").first()
    assert item is not None
    with pytest.raises(ValidationError) as error:
        services.task_assign(actor=county.township_secretary, item=item, lead_org=county.hekou)
    assert "lead_org" in error.value.message_dict


def test_it_refuses_to_generate_task_notices_before_any_assignment(
    county: County, collective: DutyList, today: date
) -> None:
    with pytest.raises(ValidationError, match="牵头单位"):
        services.task_notices_generate(
            actor=county.township_secretary, org=county.chengguan, year=YEAR
        )


# 任务落实督办书 ----------------------------------------------------------------------------


def test_it_drafts_an_order_listing_the_units_overdue_items_and_deadlines(
    county: County, collective: DutyList, today: date
) -> None:
    body = county.county_commission
    notice = services.order_draft(
        actor=county.discipline_officer,
        issuer=Issuer(body.org, body),
        year=YEAR,
        recipient_org=county.chengguan,
    )
    first = collective.items.order_by("seq").first()
    assert notice.kind == NoticeKind.ORDER
    assert notice.issuer_name == "示范县纪委"
    assert notice.reply_due == date(2026, 12, 7)  # ten working days on
    # One line per item, its three lapsed quarters together, from the oldest deadline.
    assert first is not None
    line = (
        f"1. 《领导班子主体责任清单》第{first.seq}项“{first.name}”"
        "2026年一季度、二季度、三季度工作措施落实情况未按期填报"
    )
    assert line + "，其中2026年一季度应于2026年4月8日前填报，已逾期" in notice.body
    assert "截至2026年11月23日" in notice.body
    items = collective.items.count()
    assert f"共有{items}项工作任务（{items * 3}个季度台账）未按期完成" in notice.body
    listed = min(items, 15)
    assert f"\n{listed}. 《" in notice.body and f"\n{listed + 1}. 《" not in notice.body
    if items > 15:
        assert f"另有{items - 15}项工作任务逾期未完成，详见工作台账。" in notice.body
    notice = services.notice_issue(actor=county.discipline_officer, notice=notice)
    text = issued_text(notice)
    assert "示纪督〔2026〕1号" in text
    assert "城关镇党委：" in text


def test_it_drafts_an_order_to_a_member_with_only_their_items(
    county: County, collective: DutyList, today: date
) -> None:
    body = county.county_commission
    member = county.township_member.person
    notice = services.order_draft(
        actor=county.discipline_officer,
        issuer=Issuer(body.org, body),
        year=YEAR,
        recipient_person=member,
    )
    assert notice.recipient_name == "李明华同志"
    assert "责任人：李明华" in notice.body and "责任人：张建国" not in notice.body


def test_it_turns_a_reminder_into_an_order_and_links_them(
    county: County, collective: DutyList, today: date
) -> None:
    reminder = order_reminder(county, collective)
    notice = services.order_from_reminder(actor=county.discipline_officer, reminder=reminder)
    reminder.refresh_from_db()
    assert list(reminder.notices.all()) == [notice]  # the reminder links to its 督办书
    assert reminder.acknowledged_at is not None  # handled: off the body's to-dos
    assert notice.recipient_org == county.chengguan
    assert notice.issuer_body == county.county_commission
    assert "应于2026年4月8日前填报" in notice.body
    again = services.order_from_reminder(actor=county.discipline_officer, reminder=reminder)
    assert again == notice
    assert Notice.objects.count() == 1


def test_one_order_answers_every_pending_step_of_the_unit(
    county: County, collective: DutyList, today: date
) -> None:
    items = list(collective.items.order_by("seq"))
    first = order_reminder(county, collective)
    second = order_reminder(
        county, collective, duty_item=items[1], cause=f"item:{items[1].pk}:2026-Q1"
    )
    notice = services.order_from_reminder(actor=county.discipline_officer, reminder=second)
    assert set(notice.reminders.all()) == {first, second}
    first.refresh_from_db()
    assert first.acknowledged_at is not None
    assert services.order_from_reminder(actor=county.discipline_officer, reminder=first) == notice
    # A step raised later joins the unit's open draft rather than making another.
    third = order_reminder(
        county, collective, duty_item=items[2], cause=f"item:{items[2].pk}:2026-Q1"
    )
    assert services.order_from_reminder(actor=county.discipline_officer, reminder=third) == notice
    assert notice.reminders.count() == 3
    assert Notice.objects.count() == 1


def test_a_quantified_duty_step_is_drafted_from_its_facts_not_its_message(
    county: County, collective: DutyList, today: date
) -> None:
    load_rules()
    rule = Rule.objects.get(key="tz2017-principal-talks")
    rule.name = "主要负责人“每月”谈心谈话"
    rule.save(update_fields=["name"])
    staff_words = "城关镇党委 张建国 连续 3 期未达标，已拟任务落实督办书草稿，请审核后发出。"
    reminder = order_reminder(
        county,
        collective,
        duty_item=None,
        rule=rule,
        subject_person=Person.objects.get(person_no="P001"),
        cause=f"ind:{rule.pk}:2026",
        period="2026",
        deadline=None,
        message=staff_words,
        facts={"required": 0, "actual": 0, "unmet_periods": ["2026-M01", "2026-M02", "2026-M03"]},
    )
    talk = order_reminder(
        county,
        collective,
        step=Reminder.Step.SUPERVISION_ORDER_DRAFT,
        cause="item:talk",
        message="城关镇党委“事项”台账已逾期，请督促落实，建议约谈。",
    )
    notice = services.order_from_reminder(actor=county.discipline_officer, reminder=reminder)
    assert set(notice.reminders.all()) == {reminder, talk}
    assert "张建国“主要负责人‘每月’谈心谈话”2026年1月、2月、3月未达标。" in notice.body
    for words in ("请审核后发出", "请督促落实", "建议约谈", "已拟"):
        assert words not in notice.body
    items = [line for line in notice.body.splitlines() if line[:1].isdigit()]
    assert items and all(line.count("城关镇") <= 1 for line in items)
    assert all("“" not in line.split("“", 1)[1].split("”", 1)[0] for line in items)


def test_only_the_addressed_body_turns_a_reminder_into_an_order(
    county: County, collective: DutyList, today: date
) -> None:
    reminder = order_reminder(county, collective)
    with pytest.raises(PermissionDenied):
        services.order_from_reminder(actor=county.dispatched_officer, reminder=reminder)
    assert not Notice.objects.exists()


def test_it_turns_only_order_draft_reminders_into_orders(
    county: County, collective: DutyList, today: date
) -> None:
    reminder = order_reminder(county, collective, step=Reminder.Step.PRINCIPAL_NOTICE)
    with pytest.raises(ValidationError, match="督办书草稿"):
        services.order_from_reminder(actor=county.discipline_officer, reminder=reminder)


def test_it_refuses_an_order_when_nothing_is_overdue(
    county: County, collective: DutyList, on: On
) -> None:
    on(date(2026, 3, 1))
    body = county.county_commission
    with pytest.raises(ValidationError, match="无需督办"):
        services.order_draft(
            actor=county.discipline_officer,
            issuer=Issuer(body.org, body),
            year=YEAR,
            recipient_org=county.chengguan,
        )


def test_a_discipline_body_issues_only_orders(county: County, today: date) -> None:
    body = county.county_commission
    with pytest.raises(ValidationError) as error:
        services.notice_draft(
            actor=county.discipline_officer,
            kind=NoticeKind.DUTY,
            issuer=Issuer(body.org, body),
            year=YEAR,
            title="告知书",
            body="正文",
            recipient_person=county.township_member.person,
        )
    assert "issuer" in error.value.message_dict
