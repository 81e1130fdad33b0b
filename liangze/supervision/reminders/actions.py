"""The next step a reminder speaks of, offered on its page to whoever may take it.

Each step names an action: the 督办书 step, making the 督办书 (or opening the one
made); the 约谈 step, recording the 约谈; the earlier steps, filling in the cell or
recording the activity the figure counts. Each is offered only when the target
page's own check would let the user through, and none once the cause is gone
(已消除). Kept apart from `queries` because it asks the 三书 app, which reads
escalation's queries in turn.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from liangze.accounts.models import User
from liangze.ledger import queries as ledger
from liangze.ledger.models import ActivityKind
from liangze.notices import queries as notices
from liangze.supervision.models import Reminder


@dataclass(frozen=True)
class NextAction:
    label: str
    url: str
    post: bool = False  # a form that does it, rather than a link to where it is done


def _activity_form(reminder: Reminder, kind: str) -> str:
    query = urlencode({"org": str(reminder.org.code), "kind": kind})
    return f"{reverse('ledger:activity_new')}?{query}"


def _order(user: User, reminder: Reminder) -> NextAction | None:
    made = notices.order_of_reminder(user, reminder)
    if made is not None:
        return NextAction(_("查看督办书"), made.get_absolute_url())
    if notices.may_order_from(user, reminder):
        url = reverse("notices:from_reminder", args=[reminder.code])
        return NextAction(_("生成任务落实督办书"), url, post=True)
    return None


def _fix(user: User, reminder: Reminder) -> NextAction | None:
    """Where the shortfall is made good: the ledger cell, or the activity the figure counts."""
    item = reminder.duty_item
    if item is not None:
        if not ledger.may_enter(user, item):
            return None
        url = reverse("ledger:cell", args=[reminder.duty_list.code, item.seq, reminder.period])  # type: ignore[union-attr]  # an item's reminder names its list
        return NextAction(_("去填报台账"), url)
    rule = reminder.rule
    if rule is None or not ledger.may_record_activities(user):
        return None
    label = _("记录%(kind)s") % {"kind": rule.get_activity_kind_display()}
    return NextAction(label, _activity_form(reminder, rule.activity_kind))


def next_action(user: User, reminder: Reminder) -> NextAction | None:
    if reminder.resolved_on is not None:
        return None
    if reminder.step == Reminder.Step.SUPERVISION_ORDER_DRAFT:
        return _order(user, reminder)
    if reminder.step == Reminder.Step.ADMONITION_PROPOSAL:
        if not ledger.may_record_activities(user):
            return None
        return NextAction(_("记录约谈"), _activity_form(reminder, ActivityKind.ADMONITION))
    return _fix(user, reminder)
