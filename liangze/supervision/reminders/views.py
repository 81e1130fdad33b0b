"""Reminder pages (SUP-1): the user's reminders, why one was raised, and acknowledging it."""

from uuid import UUID

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from liangze.accounts.http import AuthedRequest
from liangze.core import downloads
from liangze.core.paging import paginate
from liangze.supervision.models import Reminder
from liangze.supervision.reminders import actions, policy, queries, services
from liangze.supervision.reminders.forms import ReminderFilterForm


@require_GET
def reminders(request: AuthedRequest) -> HttpResponse:
    form = ReminderFilterForm(request.GET)
    found = queries.reminder_search(request.user, **form.filters())
    if request.GET.get("export") == "xlsx":
        return _export(request, found)
    return render(
        request,
        "supervision/reminders/reminders.html",
        {"form": form, "page_obj": paginate(request, found)},
    )


def _export(request: AuthedRequest, found: QuerySet[Reminder]) -> HttpResponse:
    rows = queries.export_rows(found)
    return downloads.sheet_download(request, _("督促提醒"), queries.EXPORT_HEADERS, rows)


@require_GET
def reminder_detail(request: AuthedRequest, code: UUID) -> HttpResponse:
    reminder = queries.get_reminder_for_user(request.user, code)
    page = queries.reminder_page(request.user, reminder, timezone.localdate())
    context = {
        "reminder": reminder,
        "page": page,
        "action": actions.next_action(request.user, reminder),
    }
    return render(request, "supervision/reminders/reminder.html", context)


@require_POST
def reminder_acknowledge(request: AuthedRequest, code: UUID) -> HttpResponse:
    reminder = queries.get_reminder_for_user(request.user, code, policy.ACKNOWLEDGE)
    services.reminder_acknowledge(actor=request.user, reminder=reminder)
    messages.success(request, _("已阅，这条提醒已从待办中移除。"))
    return redirect(reminder)
