"""Every change to 三书: draft (generated from data), edit, issue, acknowledge, delete;
task assignments and 发文机关代字. One transaction each, access checked, audited."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from liangze import access
from liangze.accounts.models import User
from liangze.core import audit, repeats
from liangze.core.periods import Period
from liangze.core.sm3 import sm3_hex
from liangze.core.workdays import add_workdays
from liangze.duties.models import DutyItem, DutyList, ListType
from liangze.notices import document, drafting, numbering, policy, sources
from liangze.notices.models import (
    FAMILY,
    IssuerCode,
    Notice,
    NoticeFile,
    NoticeKind,
    TaskAssignment,
)
from liangze.notices.sources import Issuer
from liangze.orgs.models import Org, Person
from liangze.supervision.models import Reminder
from liangze.supervision.reminders.services import reminders_acknowledge

# A 督办书 asks for a written account of the remedy: ten working days, two weeks of office time.
REPLY_WORKDAYS = 10
EDITABLE = ("title", "body", "recipient_name", "cc_text", "reply_due")


def _require_issuer(actor: User | None, issuer: Issuer, kind: str) -> None:
    if issuer.body is not None and kind != NoticeKind.ORDER:
        raise ValidationError(
            {
                "issuer": _(
                    "责任分工告知书和目标任务通知书由党委（党组）发出，纪检机构只能发督办书。"
                )
            }
        )
    probe = Notice(org=issuer.org, issuer_body=issuer.body, kind=kind, title=issuer.name)
    access.require(actor, policy.ISSUE, probe)


def _snapshot(notice: Notice) -> dict[str, Any]:
    return {
        "kind": notice.kind,
        "status": notice.status,
        "number": notice.number,
        "title": notice.title,
        "recipient": notice.recipient_name,
        "cc": notice.cc_text,
        "reply_due": notice.reply_due.isoformat() if notice.reply_due else None,
        "body_sm3": sm3_hex(notice.body.encode()),
    }


@transaction.atomic
def notice_draft(
    *,
    actor: User | None,
    kind: str,
    issuer: Issuer,
    year: int,
    title: str,
    body: str,
    recipient_person: Person | None = None,
    recipient_org: Org | None = None,
    recipient_name: str = "",
    cc_orgs: Iterable[Org] = (),
    cc_text: str = "",
    reply_due: date | None = None,
    duty_list: DutyList | None = None,
    reminders: Iterable[Reminder] = (),
) -> Notice:
    _require_issuer(actor, issuer, kind)
    _check_recipient(issuer, kind, recipient_person, recipient_org)
    if not recipient_name:
        recipient_name = (
            _("%(name)s同志") % {"name": recipient_person.name}
            if recipient_person is not None
            else recipient_org.name
            if recipient_org is not None
            else ""
        )
    notice = Notice(
        kind=kind,
        year=year,
        org=issuer.org,
        issuer_body=issuer.body,
        issuer_key=issuer.key,
        issuer_name=issuer.name,
        recipient_person=recipient_person,
        recipient_org=recipient_org,
        recipient_name=recipient_name,
        cc_text=cc_text,
        title=title,
        body=body,
        reply_due=reply_due,
        duty_list=duty_list,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    notice.full_clean()
    notice.save()
    notice.cc_orgs.set(list(cc_orgs))
    notice.reminders.set(list(reminders))
    audit.record(actor=actor, verb=audit.Verb.CREATE, obj=notice, data=_snapshot(notice))
    return notice


def _check_recipient(issuer: Issuer, kind: str, person: Person | None, org: Org | None) -> None:
    if (person is None) == (org is None):
        raise ValidationError({"recipient": _("主送对象必须是一名人员或一个单位（二选一）。")})
    if kind == NoticeKind.DUTY and person is None:
        raise ValidationError({"recipient": _("责任分工告知书的主送对象是班子成员本人。")})
    if kind == NoticeKind.TASK and org is None:
        raise ValidationError({"recipient": _("目标任务通知书的主送对象是牵头单位。")})
    target = org if org is not None else person.org if person is not None else None
    if target is None or not Org.objects.filter(issuer.area_q(), pk=target.pk).exists():
        raise ValidationError(
            {"recipient": _("主送对象不在%(issuer)s的管辖范围内。") % {"issuer": issuer.name}}
        )


@transaction.atomic
def notice_update(
    *,
    actor: User,
    notice: Notice,
    title: str,
    body: str,
    recipient_person: Person | None,
    recipient_org: Org | None,
    cc_orgs: Iterable[Org] = (),
    cc_text: str = "",
    reply_due: date | None = None,
) -> Notice:
    """Change a draft; once issued a notice never changes."""
    access.require(actor, policy.ISSUE, notice)
    _require_draft(notice)
    issuer = Issuer(notice.org, notice.issuer_body)
    _check_recipient(issuer, notice.kind, recipient_person, recipient_org)
    before = _snapshot(notice)
    changed_recipient = (notice.recipient_person_id, notice.recipient_org_id) != (
        getattr(recipient_person, "pk", None),
        getattr(recipient_org, "pk", None),
    )
    notice.title, notice.body = title.strip(), body.strip()
    notice.recipient_person, notice.recipient_org = recipient_person, recipient_org
    if changed_recipient:
        notice.recipient_name = (
            _("%(name)s同志") % {"name": recipient_person.name}
            if recipient_person is not None
            else recipient_org.name  # type: ignore[union-attr]  # _check_recipient wants one
        )
    notice.cc_text, notice.reply_due = cc_text.strip(), reply_due
    notice.full_clean()
    notice.save()
    notice.cc_orgs.set(list(cc_orgs))
    audit.record(
        actor=actor,
        verb=audit.Verb.UPDATE,
        obj=notice,
        data=audit.changes(before, _snapshot(notice)),
    )
    return notice


def _require_draft(notice: Notice) -> None:
    if not notice.is_draft:
        raise ValidationError(_("已发出的三书不能修改或删除。"))


def sheet_for(notice: Notice) -> document.Sheet:
    """What the Word file prints; a draft shows the 文号 it will get, without the number."""
    number = notice.number
    if not number:
        abbreviation = numbering.abbreviation_for(notice.org, notice.issuer_body)
        number = f"{abbreviation}{notice.family}〔{notice.year}〕　号"
    return document.Sheet(
        issuer_name=notice.issuer_name,
        number=number,
        title=notice.title,
        recipient_name=notice.recipient_name,
        body=notice.body,
        issued_on=notice.issued_on,
        cc_text=notice.cc_text,
        draft=notice.is_draft,
    )


@transaction.atomic
def notice_issue(*, actor: User | None, notice: Notice) -> Notice:
    """Number it, freeze its Word file with the SM3 digest, and send it to the recipient."""
    access.require(actor, policy.ISSUE, notice)
    # Re-read under lock: two clicks on 发出 must not number one notice twice.
    notice = (
        Notice.objects.select_for_update(of=("self",))
        .select_related("org", "issuer_body")
        .get(pk=notice.pk)
    )
    _require_draft(notice)
    if not notice.body.strip() or not notice.title.strip():
        raise ValidationError(_("标题和正文不能为空。"))
    seq = numbering.take_next(notice.issuer_key, FAMILY[NoticeKind(notice.kind)], notice.year)
    abbreviation = numbering.abbreviation_for(notice.org, notice.issuer_body)
    notice.seq = seq
    notice.number = numbering.format_number(abbreviation, notice.family, notice.year, seq)
    notice.status = Notice.Status.ISSUED
    notice.issued_at = timezone.now()
    notice.issued_on = timezone.localdate()
    notice.issued_by = actor if getattr(actor, "is_authenticated", False) else None
    notice.save(update_fields=["seq", "number", "status", "issued_at", "issued_on", "issued_by"])
    content = document.docx_bytes(sheet_for(notice))
    digest = sm3_hex(content)
    NoticeFile.objects.create(notice=notice, content=content, size=len(content), sm3=digest)
    audit.record(
        actor=actor,
        verb=audit.Verb.UPDATE,
        obj=notice,
        data={"issued": notice.number, "sm3": digest, "recipient": notice.recipient_name},
    )
    return notice


@transaction.atomic
def notice_delete(*, actor: User, notice: Notice) -> None:
    """Only a draft goes; its content stays in the audit trail."""
    access.require(actor, policy.ISSUE, notice)
    _require_draft(notice)
    data = {**_snapshot(notice), "body": notice.body}
    label = str(notice)
    audit.record(actor=actor, verb=audit.Verb.DELETE, obj=notice, data=data, label=label)
    notice.delete()


@transaction.atomic
def notice_acknowledge(
    *, actor: User | None, notice: Notice, paper_signer: Person | None = None
) -> Notice:
    """The recipient signs for it (签收): who and when. Signing twice changes nothing.

    A receipt signed on paper is entered by the operator (actor None) naming the `paper_signer`.
    """
    access.require(actor, policy.ACKNOWLEDGE, notice)
    # Two clicks at once: the second waits here and then finds it signed for.
    repeats.lock(notice)
    if notice.is_draft:
        raise ValidationError(_("草稿尚未发出，不能签收。"))
    if notice.status == Notice.Status.ACKNOWLEDGED:
        return notice
    person = paper_signer or getattr(actor, "person", None)
    if person is None:
        raise ValidationError(_("录入纸质签收时须指明签收人。"))
    notice.status = Notice.Status.ACKNOWLEDGED
    notice.acknowledged_at = timezone.now()
    notice.acknowledged_by = actor if getattr(actor, "is_authenticated", False) else None
    notice.acknowledged_name = person.name
    notice.save(update_fields=["status", "acknowledged_at", "acknowledged_by", "acknowledged_name"])
    audit.record(
        actor=actor,
        verb=audit.Verb.UPDATE,
        obj=notice,
        data={"acknowledged": notice.acknowledged_name},
    )
    return notice


# Generating ---------------------------------------------------------------------------


@dataclass
class Generated:
    created: list[Notice] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # who already had one, by name


def _existing(issuer: Issuer, kind: str, year: int) -> set[tuple[int | None, int | None]]:
    rows = Notice.objects.filter(issuer_key=issuer.key, kind=kind, year=year).values_list(
        "recipient_person_id", "recipient_org_id"
    )
    return set(rows)


@transaction.atomic
def duty_notices_generate(*, actor: User | None, org: Org, year: int) -> Generated:
    """为本单位全体班子成员生成告知书: a draft for each team member without one this year."""
    issuer = Issuer(org)
    _require_issuer(actor, issuer, NoticeKind.DUTY)
    members = sources.member_duties(org, year, timezone.localdate())
    if not members:
        raise ValidationError(_("%(org)s当前没有在任的班子成员。") % {"org": org.name})
    if not sources.settled_lists(org, year):
        raise ValidationError(
            _("%(org)s %(year)d 年度还没有审核通过的责任清单，无法生成告知书。")
            % {"org": org.name, "year": year}
        )
    existing = _existing(issuer, NoticeKind.DUTY, year)
    result = Generated()
    for member in members:
        if (member.person.pk, None) in existing:
            result.skipped.append(member.person.name)
            continue
        draft = drafting.duty_notice(issuer.name, year, member)
        result.created.append(
            notice_draft(
                actor=actor,
                kind=NoticeKind.DUTY,
                issuer=issuer,
                year=year,
                title=draft.title,
                body=draft.body,
                recipient_person=member.person,
                recipient_name=draft.recipient_name,
                duty_list=member.source_list,
            )
        )
    return result


@transaction.atomic
def task_notices_generate(*, actor: User | None, org: Org, year: int) -> Generated:
    """One 目标任务通知书 per lead unit, its assisting units copied (抄送/协办)."""
    issuer = Issuer(org)
    _require_issuer(actor, issuer, NoticeKind.TASK)
    duty_list = sources.collective_list(org, year)
    if duty_list is None:
        raise ValidationError(
            _("%(org)s %(year)d 年度的领导班子主体责任清单尚未审核通过。")
            % {"org": org.name, "year": year}
        )
    leads = sources.tasks_by_lead(duty_list)
    if not leads:
        raise ValidationError(_("还没有为任何任务指定牵头单位，请先分解任务。"))
    existing = _existing(issuer, NoticeKind.TASK, year)
    result = Generated()
    for lead in leads:
        if (None, lead.lead.pk) in existing:
            result.skipped.append(lead.lead.name)
            continue
        draft = drafting.task_notice(issuer.name, year, lead)
        result.created.append(
            notice_draft(
                actor=actor,
                kind=NoticeKind.TASK,
                issuer=issuer,
                year=year,
                title=draft.title,
                body=draft.body,
                recipient_org=lead.lead,
                recipient_name=draft.recipient_name,
                cc_orgs=lead.assisting,
                cc_text=draft.cc_text,
                duty_list=duty_list,
            )
        )
    return result


def reply_due_from(on: date) -> date:
    return add_workdays(on, REPLY_WORKDAYS)


@transaction.atomic
def order_draft(
    *,
    actor: User | None,
    issuer: Issuer,
    year: int,
    recipient_person: Person | None = None,
    recipient_org: Org | None = None,
    reminders: Sequence[Reminder] = (),
    findings: Sequence[str] = (),
    shortfalls: Sequence[drafting.Shortfall] = (),
) -> Notice:
    """A 督办书 draft naming every overdue cell of the member or unit, with its deadline."""
    _require_issuer(actor, issuer, NoticeKind.ORDER)
    _check_recipient(issuer, NoticeKind.ORDER, recipient_person, recipient_org)
    on = timezone.localdate()
    cells = _cells_of(issuer, year, on, recipient_person, recipient_org)
    if not cells and not findings and not shortfalls:
        raise ValidationError(_("没有逾期未完成的台账事项，无需督办。"))
    name = (
        _("%(name)s同志") % {"name": recipient_person.name}
        if recipient_person is not None
        else recipient_org.name  # type: ignore[union-attr]  # _check_recipient wants one
    )
    reply_due = reply_due_from(on)
    draft = drafting.order_notice(
        issuer.name,
        year,
        name,
        cells,
        to_person=recipient_person is not None,
        on=on,
        reply_due=reply_due,
        findings=findings,
        shortfalls=shortfalls,
    )
    return notice_draft(
        actor=actor,
        kind=NoticeKind.ORDER,
        issuer=issuer,
        year=year,
        title=draft.title,
        body=draft.body,
        recipient_person=recipient_person,
        recipient_org=recipient_org,
        recipient_name=name,
        reply_due=reply_due,
        duty_list=cells[0].item.duty_list if cells else None,
        reminders=reminders,
    )


def _cells_of(
    issuer: Issuer, year: int, on: date, person: Person | None, org: Org | None
) -> Sequence[sources.OverdueCell]:
    area = issuer.area_q("org__")
    if org is not None:
        return sources.overdue_cells(area & Q(org=org), year, on)
    assert person is not None  # noqa: S101 — _check_recipient guarantees one of the two
    answers_for = DutyItem.objects.filter(responsible=person).values("duty_list_id")
    lists = area & (Q(person=person) | Q(pk__in=answers_for))
    cells = sources.overdue_cells(lists, year, on)
    return [c for c in cells if c.responsible is not None and c.responsible.pk == person.pk]


# What a reminder's facts are read from; never its message, which is written to staff.
_FACTS = ("rule", "subject_person")


def _shortfall(reminder: Reminder) -> drafting.Shortfall:
    """An unmet quantified duty from the ladder's facts (ledger cells come from the ledger)."""
    assert reminder.rule is not None  # noqa: S101 — only asked of a quantified duty's step
    unmet = reminder.facts.get("unmet_periods") or [reminder.period]
    return drafting.Shortfall(
        rule=reminder.rule.name,
        subject=reminder.subject_person.name if reminder.subject_person else "",
        periods=sorted(Period.parse(p) for p in unmet),
        required=int(reminder.facts.get("required") or 0),
        actual=int(reminder.facts.get("actual") or 0),
        deadline=reminder.deadline,
    )


@transaction.atomic
def order_from_reminder(*, actor: User | None, reminder: Reminder) -> Notice:
    """从督办提醒生成督办书: the ladder's 督办书草稿 steps for a unit become one draft, handled.

    The ladder raises a step per overdue cell; the unit gets one 督办书 naming all
    its overdue items, which answers every pending step of the unit for the same
    body. A quantified duty's step is drafted from its facts, as are the cells: a
    reminder's message speaks to staff and never enters the document. Asking
    again gives the draft already made; a later step joins the unit's open draft.
    """
    if reminder.step != Reminder.Step.SUPERVISION_ORDER_DRAFT:
        raise ValidationError(_("只有“督办书草稿”环节的督促提醒可以生成督办书。"))
    linked = reminder.notices.first()
    if linked is not None:
        return linked
    body = reminder.recipient_body
    if body is None:
        raise ValidationError(_("该督促提醒没有接收的纪检机构，无法生成督办书。"))
    issuer = Issuer(body.org, body)
    _require_issuer(actor, issuer, NoticeKind.ORDER)
    year = int(reminder.period[:4])
    pending = Reminder.objects.filter(
        step=Reminder.Step.SUPERVISION_ORDER_DRAFT,
        recipient_body=body,
        org=reminder.org,
        notices__isnull=True,
        resolved_on__isnull=True,
    ).exclude(pk=reminder.pk)
    group = [reminder, *pending.select_related(*_FACTS).order_by("raised_on", "pk")]
    notice = Notice.objects.filter(
        issuer_key=issuer.key,
        kind=NoticeKind.ORDER,
        year=year,
        recipient_org=reminder.org,
        status=Notice.Status.DRAFT,
    ).first()
    if notice is None:
        notice = order_draft(
            actor=actor,
            issuer=issuer,
            year=year,
            recipient_org=reminder.org,
            reminders=group,
            shortfalls=[_shortfall(r) for r in group if r.rule is not None],
        )
    else:
        notice.reminders.add(*group)
        audit.record(
            actor=actor,
            verb=audit.Verb.UPDATE,
            obj=notice,
            data={"reminders": [str(r.code) for r in group]},
        )
    # Handled, all at once: a unit can have a hundred pending steps.
    reminders_acknowledge(actor=actor, reminders=group)
    return notice


# Task assignments --------------------------------------------------------------------


@transaction.atomic
def task_assign(
    *,
    actor: User | None,
    item: DutyItem,
    lead_org: Org,
    assisting_orgs: Sequence[Org] = (),
    deadline: date | None = None,
) -> TaskAssignment:
    """Name the lead unit and the assisting units of a collective-list task (牵头单位, 协办单位)."""
    duty_list = item.duty_list
    org = duty_list.org
    assignment = TaskAssignment.objects.filter(item=item).first() or TaskAssignment(
        org=org, item=item
    )
    access.require(actor, policy.ASSIGN, assignment)
    if duty_list.list_type != ListType.COLLECTIVE or duty_list.status not in sources.SETTLED:
        raise ValidationError(_("只能分解审核通过的领导班子主体责任清单中的任务。"))
    below = sources.assignable_orgs(org)
    if not below.filter(pk=lead_org.pk).exists():
        raise ValidationError({"lead_org": _("牵头单位必须是本单位的下级单位或部门。")})
    assisting = [o for o in assisting_orgs if o.pk != lead_org.pk]
    outside = {o.pk for o in assisting} - set(
        below.filter(pk__in=[o.pk for o in assisting]).values_list("pk", flat=True)
    )
    if outside:
        raise ValidationError({"assisting_orgs": _("协办单位必须是本单位的下级单位或部门。")})
    if deadline is not None and deadline.year != duty_list.year:
        raise ValidationError(
            {"deadline": _("完成时限应在 %(year)d 年度内。") % {"year": duty_list.year}}
        )
    before = (
        {"lead": assignment.lead_org.name, "deadline": str(assignment.deadline)}
        if assignment.pk
        else {}
    )
    assignment.lead_org, assignment.deadline = lead_org, deadline
    assignment.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    assignment.full_clean()
    assignment.save()
    assignment.assisting_orgs.set(assisting)
    after = {"lead": lead_org.name, "deadline": str(deadline)}
    audit.record(
        actor=actor,
        verb=audit.Verb.UPDATE if before else audit.Verb.CREATE,
        obj=assignment,
        data={**audit.changes(before, after), "assisting": [o.name for o in assisting]},
    )
    return assignment


@transaction.atomic
def task_unassign(*, actor: User, assignment: TaskAssignment) -> None:
    access.require(actor, policy.ASSIGN, assignment)
    audit.record(actor=actor, verb=audit.Verb.DELETE, obj=assignment, label=str(assignment))
    assignment.delete()


# 发文机关代字 -------------------------------------------------------------------------


@transaction.atomic
def issuer_code_set(*, actor: User, issuer: Issuer, abbreviation: str) -> IssuerCode:
    """Set the issuer's 代字; numbers already given keep the 代字 they were given with."""
    _require_issuer(actor, issuer, NoticeKind.ORDER)
    abbreviation = abbreviation.strip()
    if not abbreviation or len(abbreviation) > 8 or any(ch in abbreviation for ch in "〔〕[]号 "):
        raise ValidationError(
            {"abbreviation": _("发文机关代字应为 1 至 8 个字，不含括号、空格和“号”字。")}
        )
    code, created = IssuerCode.objects.get_or_create(
        issuer_key=issuer.key,
        defaults={"org": issuer.org, "issuer_body": issuer.body, "abbreviation": abbreviation},
    )
    before = code.abbreviation
    if not created:
        code.abbreviation = abbreviation
        code.save(update_fields=["abbreviation"])
    audit.record(
        actor=actor,
        verb=audit.Verb.CREATE if created else audit.Verb.UPDATE,
        obj=code,
        label=_("%(issuer)s发文机关代字") % {"issuer": issuer.name},
        data={"abbreviation": [None if created else before, abbreviation]},
    )
    return code
