"""Recording activities (RULE-1): talks, meetings, lectures, receptions, reports, inspections.

Quantified duties (RULE-2) are computed from these rows, so what may be
recorded is checked here once: who is named, when, and what it proves.
"""

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from liangze import access
from liangze.accounts.models import User
from liangze.core import audit, repeats
from liangze.core.files import evidence_store
from liangze.core.models import Evidence
from liangze.duties.models import DutyItem
from liangze.ledger import policy
from liangze.ledger.models import Activity, ActivityKind, ReportRecipient
from liangze.orgs.models import Org, Person

# After a month the monthly and quarterly indicators have been computed and
# reported from an activity; changing or deleting it later would silently
# change figures others already relied on.
CHANGE_WINDOW = timedelta(days=30)
# A talk (谈心谈话) or an admonition (约谈) is counted by the people talked to.
TALKS = (ActivityKind.TALK, ActivityKind.ADMONITION)


def is_locked(activity: Activity) -> bool:
    return timezone.now() - activity.created_at > CHANGE_WINDOW


def locked_message() -> str:
    return _("录入已超过 %(days)d 天，相关指标已据此统计，不能再修改或删除。") % {
        "days": CHANGE_WINDOW.days
    }


def _refuse_if_locked(activity: Activity) -> None:
    if is_locked(activity):
        raise ValidationError(locked_message())


def _allowed_people_q(org: Org, host: Person) -> Q:
    """People of the unit's subtree, and of the subtrees of the host's 分管 and liaison units.

    Recording for a unit (policy.may_record) is what entitles the actor to name
    its people: a clerk (联络员) sees no one else's person record, yet enters
    the unit's talks and meetings.
    """
    positions = access.current_positions(host)
    units = Org.objects.filter(
        Q(portfolio_positions__in=positions) | Q(liaison_positions__in=positions)
    ).distinct()
    q = org.subtree_q("org__")
    for unit in units.only("path"):
        q |= unit.subtree_q("org__")
    return q


def _check(
    *,
    org: Org,
    kind: str,
    held_on: date,
    host: Person,
    participants: list[Person],
    report_kind: str,
    recipients: list[str],
    items: list[DutyItem],
) -> dict[str, str]:
    """The rules across rows an activity breaks, by field."""
    errors: dict[str, str] = {}
    if held_on > timezone.localdate():
        errors["held_on"] = _("活动日期不能晚于今天。")
    if not Person.objects.filter(pk=host.pk).filter(org.subtree_q("org__")).exists():
        errors["host"] = _("%(name)s 不属于%(org)s及其下级单位。") % {
            "name": host.name,
            "org": org.name,
        }
    allowed = set(
        Person.objects.filter(pk__in=[p.pk for p in participants])
        .filter(_allowed_people_q(org, host))
        .values_list("pk", flat=True)
    )
    outside = [p for p in participants if p.pk not in allowed]
    if outside:
        errors["participants"] = _(
            "以下人员不属于%(org)s及其下级单位，也不在主持人的分管、联系单位：%(names)s。"
        ) % {"org": org.name, "names": "、".join(p.name for p in outside)}
    elif kind in TALKS and not participants:
        errors["participants"] = _("谈话须至少选择一名谈话对象。")
    if kind == ActivityKind.WRITTEN_REPORT and not report_kind:
        errors["report_kind"] = _("书面报告须选择报告类别。")
    if kind == ActivityKind.WRITTEN_REPORT and not recipients:
        errors["recipients"] = _("书面报告须选择报送对象，例如上级党委、上级纪委。")
    current = set(
        DutyItem.objects.filter(
            pk__in=[i.pk for i in items], duty_list__org=org, duty_list__in_force=True
        ).values_list("pk", flat=True)
    )
    foreign = [i for i in items if i.pk not in current]
    if foreign:
        errors["items"] = _("以下事项不属于%(org)s的现行责任清单：%(names)s。") % {
            "org": org.name,
            "names": "、".join(i.name for i in foreign),
        }
    return errors


def _store(actor: User, org: Org, uploads: Iterable[UploadedFile]) -> list[Evidence]:
    try:
        return [evidence_store(actor=actor, org=org, upload=upload) for upload in uploads]
    except ValidationError as error:
        raise ValidationError({"uploads": error.messages}) from error


def _snapshot(activity: Activity) -> dict[str, Any]:
    """The whole row, as the audit trail keeps it (a deleted activity lives on only there)."""
    return {
        "org": activity.org.name,
        "kind": activity.kind,
        "held_on": activity.held_on.isoformat(),
        "host": f"{activity.host.name}（{activity.host.person_no}）",
        "participants": [f"{p.name}（{p.person_no}）" for p in activity.participants.all()],
        "subject": activity.subject,
        "minutes": activity.minutes,
        "report_kind": activity.report_kind,
        "recipients": activity.recipients,
        "recipient": activity.recipient,
        "evidence": [e.sm3 for e in activity.evidence.all()],
        "items": [str(i) for i in activity.items.all()],
    }


def _write(
    activity: Activity,
    *,
    kind: str,
    held_on: date,
    host: Person,
    participants: Iterable[Person],
    subject: str,
    minutes: str,
    report_kind: str,
    recipients: Iterable[str],
    recipient: str,
    items: Iterable[DutyItem],
) -> None:
    """Set the fields and check everything at once, so every mistake shows on the form together;
    then save the row and link its people and items. Nothing is written before all checks pass.
    """
    # The host is on record as the host; as a participant too they would be
    # counted among the people talked to.
    people = [p for p in dict.fromkeys(participants) if p.pk != host.pk]
    linked = list(dict.fromkeys(items))
    activity.kind = kind
    activity.held_on = held_on
    activity.host = host
    activity.subject = subject.strip()
    activity.minutes = minutes.strip()
    # Only a written report goes to someone; values left from another kind are not kept.
    is_report = kind == ActivityKind.WRITTEN_REPORT
    activity.report_kind = report_kind if is_report else ""
    # Once each, in the order of the choices, so that the same recipients are stored alike;
    # an unknown one is kept for full_clean to name.
    order = ReportRecipient.values
    chosen = sorted(
        set(recipients), key=lambda r: (order.index(r) if r in order else len(order), r)
    )
    activity.recipients = chosen if is_report else []
    activity.recipient = recipient.strip() if is_report else ""
    errors: dict[str, list[str]] = {}
    try:
        activity.full_clean()
    except ValidationError as error:
        errors = error.message_dict
    rules = _check(
        org=activity.org,
        kind=kind,
        held_on=held_on,
        host=host,
        participants=people,
        report_kind=activity.report_kind,
        recipients=activity.recipients,
        items=linked,
    )
    for field, message in rules.items():
        errors.setdefault(field, []).append(message)
    if errors:
        raise ValidationError(errors)
    activity.save()
    activity.participants.set(people)
    activity.items.set(linked)


def activity_record(
    *,
    actor: User,
    org: Org,
    kind: str,
    held_on: date,
    host: Person,
    participants: Iterable[Person],
    subject: str,
    minutes: str = "",
    report_kind: str = "",
    recipients: Iterable[str] = (),
    recipient: str = "",
    uploads: Iterable[UploadedFile] = (),
    items: Iterable[DutyItem] = (),
    submission: UUID | None = None,
) -> Activity:
    """Record one activity of `org`, with its people, evidence files and linked list items.

    `submission` is the form's one-time token: the same form sent again raises
    AlreadyDone with the activity the first sending recorded.
    """
    activity = Activity(
        org=org, kind=kind, held_on=held_on, host=host, subject=subject, entered_by=actor
    )
    access.require(actor, policy.RECORD, activity)
    with transaction.atomic():
        claimed = repeats.claim(submission)
        _write(
            activity,
            kind=kind,
            held_on=held_on,
            host=host,
            participants=participants,
            subject=subject,
            minutes=minutes,
            report_kind=report_kind,
            recipients=recipients,
            recipient=recipient,
            items=items,
        )
        activity.evidence.set(_store(actor, org, uploads))
        repeats.settle(claimed, activity)
        audit.record(actor=actor, verb=audit.Verb.CREATE, obj=activity, data=_snapshot(activity))
    return activity


def activity_update(
    *,
    actor: User,
    activity: Activity,
    kind: str,
    held_on: date,
    host: Person,
    participants: Iterable[Person],
    subject: str,
    minutes: str = "",
    report_kind: str = "",
    recipients: Iterable[str] = (),
    recipient: str = "",
    uploads: Iterable[UploadedFile] = (),
    items: Iterable[DutyItem] = (),
    dropped_evidence: Iterable[Evidence] = (),
) -> Activity:
    """Correct an activity; files are added, or unlinked (the stored file itself stays)."""
    access.require(actor, policy.CHANGE, activity)
    with transaction.atomic():
        _refuse_if_locked(activity)
        before = _snapshot(activity)
        _write(
            activity,
            kind=kind,
            held_on=held_on,
            host=host,
            participants=participants,
            subject=subject,
            minutes=minutes,
            report_kind=report_kind,
            recipients=recipients,
            recipient=recipient,
            items=items,
        )
        activity.evidence.remove(*dropped_evidence)
        activity.evidence.add(*_store(actor, activity.org, uploads))
        audit.record(
            actor=actor,
            verb=audit.Verb.UPDATE,
            obj=activity,
            data=audit.changes(before, _snapshot(activity)),
        )
    return activity


def activity_delete(*, actor: User, activity: Activity) -> None:
    """Delete a mistaken entry; one that progress entries rely on as proof stays."""
    access.require(actor, policy.CHANGE, activity)
    with transaction.atomic():
        _refuse_if_locked(activity)
        linked = activity.entries.count()
        if linked:
            raise ValidationError(
                _("该活动已被 %(n)d 条台账进度引用为佐证，不能删除；如有错误请修改。")
                % {"n": linked}
            )
        audit.record(actor=actor, verb=audit.Verb.DELETE, obj=activity, data=_snapshot(activity))
        activity.delete()
