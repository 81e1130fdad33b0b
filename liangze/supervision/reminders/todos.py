"""To-dos from the escalation ladder: unread live reminders addressed to the user."""

from collections.abc import Iterator

from django.urls import reverse
from django.utils import timezone

from liangze.accounts.models import User
from liangze.core.todos import Todo
from liangze.supervision.models import Reminder
from liangze.supervision.reminders import queries as reminder_queries

LIMIT = 50


def for_user(user: User) -> Iterator[Todo]:
    """Unread reminders addressed to the user, or to a discipline body they work in (SUP-1),
    whose cause is still there: one 已消除 asks nothing more of anyone.

    Each links to the reminder's page, which says why it was raised and takes the
    acknowledgement that removes it from here.
    """
    reminders = (
        Reminder.objects.filter(
            reminder_queries.addressed_to_q(user),
            acknowledged_at__isnull=True,
            resolved_on__isnull=True,
        )
        .only("code", "step", "message", "deadline")
        .order_by("deadline", "-raised_on")[:LIMIT]
    )
    today = timezone.localdate()
    for reminder in reminders:
        yield Todo(
            str(reminder.get_step_display()),
            reminder.message,
            reverse("supervision:reminder", args=[reminder.code]),
            due=reminder.deadline,
            overdue=reminder.deadline is not None and reminder.deadline < today,
        )
