"""To-dos from the ledger: entries waiting for the user's 对账销号, and escalation reminders."""

from collections.abc import Iterator
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from liangze.core import access
from liangze.core.todos import Todo
from liangze.ledger import entry_queries
from liangze.ledger.models import Reminder

LIMIT = 50


def for_user(user: Any) -> Iterator[Todo]:
    for entry in entry_queries.pending_verification(user)[:LIMIT]:
        text = f"{entry.item.duty_list.org.name} · {entry.item.name}（{entry.period}）"
        yield Todo(_("核实台账"), text, reverse("ledger:entry", args=[entry.code]))


def reminders_for_user(user: Any) -> Iterator[Todo]:
    """Unread reminders addressed to the user, or to a discipline body they work in (SUP-1)."""
    if access.role(user) or not getattr(user, "is_authenticated", False):
        return
    scope = access.scope_for(user)
    mine = Q(recipient_body_id__in=scope.bodies)
    if scope.own_person_id is not None:
        mine |= Q(recipient_person_id=scope.own_person_id)
    reminders = (
        Reminder.objects.filter(mine, acknowledged_at__isnull=True)
        .select_related("duty_list")
        .order_by("deadline", "-raised_on")[:LIMIT]
    )
    today = timezone.localdate()
    for reminder in reminders:
        yield Todo(
            str(reminder.get_step_display()),
            reminder.message,
            reverse("ledger:grid", args=[reminder.duty_list.code]),
            due=reminder.deadline,
            overdue=reminder.deadline is not None and reminder.deadline < today,
        )
