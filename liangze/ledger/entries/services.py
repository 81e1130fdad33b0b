"""Progress entries on a published list: entered by the unit, verified or returned above it.

LEDGER-1 … 3. After its period's deadline an entry is 补录: accepted only with a
reason, and marked late for good. A verified entry (对账销号) never changes.
"""

from collections.abc import Iterable
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from liangze import access
from liangze.accounts.models import User
from liangze.core import audit, repeats
from liangze.core.files import evidence_store
from liangze.core.periods import Period
from liangze.duties.models import DutyItem, DutyList
from liangze.ledger import policy
from liangze.ledger.entries import clock as ledger_rules
from liangze.ledger.models import Activity, ProgressEntry

# Items carry quarterly measures; a monthly rule (谈心谈话 every month) is entered by month.
ENTRY_KINDS = ("quarter", "month")


def entry_period(duty_list: DutyList, text: str) -> Period:
    """The period an entry of `duty_list` is for: a quarter, or a month, of the list's year."""
    try:
        period = Period.parse(text)
    except ValueError:
        raise ValidationError({"period": _("期间“%(p)s”格式不正确。") % {"p": text}}) from None
    if period.kind not in ENTRY_KINDS or period.year != duty_list.year:
        raise ValidationError(
            {"period": _("期间应为 %(year)d 年的某一季度或某一月。") % {"year": duty_list.year}}
        )
    return period


# The same entry again within this time is a second click on 提交, not a second entry.
REPEAT_WINDOW = timedelta(minutes=10)


@transaction.atomic
def entry_add(
    *,
    actor: User,
    item: DutyItem,
    period: str,
    text: str,
    done_on: date,
    uploads: Iterable[UploadedFile] = (),
    late_reason: str = "",
    activities: Iterable[Activity] = (),
) -> ProgressEntry:
    """Record what was done on `item` in `period`, with its evidence files.

    `activities` are the unit's activities of the period the entry reports on (the
    quarter's hearing meeting): once the entry is verified its files count as theirs.
    """
    duty_list = item.duty_list
    access.require(actor, policy.RECORD, ProgressEntry(item=item))
    if not duty_list.in_force:
        raise ValidationError(_("只能在已公示的现行清单上填报台账。"))
    when = entry_period(duty_list, period)
    today = timezone.localdate()
    deadline = ledger_rules.entry_deadline(when)
    late = today > deadline
    errors: dict[str, str] = {}
    if not text.strip():
        errors["text"] = _("请填写完成情况。")
    if done_on > today:
        errors["done_on"] = _("完成日期不能晚于今天。")
    elif done_on < when.start:
        errors["done_on"] = _("完成日期不能早于%(period)s的第一天（%(start)s）。") % {
            "period": when.label,
            "start": f"{when.start:%Y-%m-%d}",
        }
    linked = list(dict.fromkeys(activities))
    foreign = [a for a in linked if a.org_id != duty_list.org_id or not when.contains(a.held_on)]
    if foreign:
        errors["activities"] = _("关联活动须为%(org)s在%(period)s内的活动：%(names)s。") % {
            "org": duty_list.org.name,
            "period": when.label,
            "names": "、".join(str(a) for a in foreign),
        }
    if late and not late_reason.strip():
        errors["late_reason"] = _(
            "%(period)s的填报已于 %(deadline)s 截止，只能补录，请说明补录原因。"
        ) % {"period": when.label, "deadline": f"{deadline:%Y-%m-%d}"}
    if errors:
        raise ValidationError(errors)
    repeats.lock(item)
    if item.entries.filter(period=str(when), status=ProgressEntry.Status.VERIFIED).exists():
        raise ValidationError(_("该事项%(period)s已销号，不能再填报。") % {"period": when.label})
    same = item.entries.filter(
        period=str(when),
        status=ProgressEntry.Status.SUBMITTED,
        entered_by=actor,
        text=text.strip(),
        done_on=done_on,
        entered_at__gte=timezone.now() - REPEAT_WINDOW,
    ).first()
    if same is not None:
        raise repeats.AlreadyDone(_("这条进度刚才已提交，没有重复保存。"), existing=same)
    entry = ProgressEntry(
        item=item,
        period=str(when),
        text=text.strip(),
        done_on=done_on,
        entered_by=actor,
        is_late=late,
        late_reason=late_reason.strip() if late else "",
    )
    entry.full_clean()
    entry.save()
    stored = [evidence_store(actor=actor, org=duty_list.org, upload=upload) for upload in uploads]
    entry.evidence.add(*stored)
    entry.activities.add(*linked)
    audit.record(
        actor=actor,
        verb=audit.Verb.CREATE,
        obj=entry,
        data={
            "period": str(when),
            "late": late,
            "evidence": [e.sm3 for e in stored],
            "activities": [str(a.code) for a in linked],
        },
    )
    return entry


def _review(*, actor: User, entry: ProgressEntry, status: str, reason: str) -> None:
    """Close a submitted entry one way or the other, exactly once."""
    now = timezone.now()
    # A conditional update, so that two supervisors acting at once cannot both succeed
    # and a verified entry cannot be turned back.
    changed = ProgressEntry.objects.filter(
        pk=entry.pk, status=ProgressEntry.Status.SUBMITTED
    ).update(status=status, reviewed_by=actor, reviewed_at=now, review_reason=reason)
    if not changed:
        if ProgressEntry.objects.filter(pk=entry.pk, status=status).exists():
            raise repeats.AlreadyDone(
                _("这条进度%(status)s。") % {"status": ProgressEntry.Status(status).label}
            )
        raise ValidationError(_("这条进度已经核实或退回，不能再更改。"))
    entry.status, entry.reviewed_by, entry.reviewed_at = status, actor, now
    entry.review_reason = reason
    data = {"status": status} | ({"reason": reason} if reason else {})
    audit.record(actor=actor, verb=audit.Verb.UPDATE, obj=entry, data=data)


@transaction.atomic
def entry_verify(*, actor: User, entry: ProgressEntry) -> ProgressEntry:
    """对账销号: a supervisor of the unit accepts the entry and its evidence (LEDGER-2)."""
    access.require(actor, policy.VERIFY, entry)
    _review(actor=actor, entry=entry, status=ProgressEntry.Status.VERIFIED, reason="")
    return entry


@transaction.atomic
def entry_reject(*, actor: User, entry: ProgressEntry, reason: str) -> ProgressEntry:
    """Return the entry with a reason; it no longer counts, and the unit enters it again."""
    access.require(actor, policy.VERIFY, entry)
    if not reason.strip():
        raise ValidationError({"reason": _("退回必须写明理由。")})
    _review(actor=actor, entry=entry, status=ProgressEntry.Status.REJECTED, reason=reason.strip())
    return entry
