"""To-dos from the ledger: entries waiting for the user's 对账销号, and escalation reminders."""

from collections.abc import Iterator

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from liangze.accounts.models import User
from liangze.core.todos import Todo
from liangze.ledger import entry_queries, reminder_queries
from liangze.ledger.models import Reminder

LIMIT = 50


def for_user(user: User) -> Iterator[Todo]:
    for entry in entry_queries.pending_verification(user)[:LIMIT]:
        text = f"{entry.item.duty_list.org.name} · {entry.item.name}（{entry.period}）"
        yield Todo(_("核实台账"), text, reverse("ledger:entry", args=[entry.code]))


def reminders_for_user(user: User) -> Iterator[Todo]:
    """Unread reminders addressed to the user, or to a discipline body they work in (SUP-1).

    Each links to the reminder's page, which says why it was raised and takes the
    acknowledgement that removes it from here.
    """
    reminders = (
        Reminder.objects.filter(reminder_queries.addressed_to_q(user), acknowledged_at__isnull=True)
        .only("code", "step", "message", "deadline")
        .order_by("deadline", "-raised_on")[:LIMIT]
    )
    today = timezone.localdate()
    for reminder in reminders:
        yield Todo(
            str(reminder.get_step_display()),
            reminder.message,
            reverse("ledger:reminder", args=[reminder.code]),
            due=reminder.deadline,
            overdue=reminder.deadline is not None and reminder.deadline < today,
        )
