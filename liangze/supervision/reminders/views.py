"""Reminder pages (SUP-1): the user's reminders, why one was raised, and acknowledging it."""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from liangze import access
from liangze.accounts.http import AuthedRequest
from liangze.core import downloads
from liangze.core.forms import YearForm
from liangze.core.issuing import issue_and_return
from liangze.core.paging import paginate
from liangze.orgs import queries as org_queries
from liangze.supervision.models import LadderVersion, Reminder
from liangze.supervision.reminders import actions, policy, queries, services
from liangze.supervision.reminders import ladder as escalation
from liangze.supervision.reminders.forms import (
    LadderVersionForm,
    ReminderFilterForm,
)


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


# The ladder by jurisdiction -------------------------------------------------------------


@require_GET
def ladder(request: AuthedRequest) -> HttpResponse:
    access.require_discipline_staff(request.user, model=LadderVersion, label="督促提醒升级标准")
    form = YearForm(request.GET)
    year = form.chosen()
    org = org_queries.chosen_org(request.user, request.GET.get("org"))
    context: dict[str, Any] = {"form": form, "year": year, "org": org, "here": "ladder"}
    context |= {"new_url": reverse("supervision:ladder_new"), "empty_icon": "bi-bell"}
    if org is not None:
        governing, allowed, name = queries.ladder_book(year).governing(org.path)
        default = escalation.load_ladder()
        issuers = list(org_queries.jurisdiction_orgs(request.user))
        context |= {
            "thresholds": [
                (label, getattr(governing, key), getattr(default, key))
                for key, (label, _stricter) in escalation.THRESHOLDS.items()
            ],
            "governing_name": name,
            "allow_tighten": allowed,
            "issuer_orgs": issuers,
            "children": org_queries.children_of(request.user, org),
            "may_issue": org in issuers,
            "page_obj": paginate(request, queries.ladder_versions_visible(request.user)),
        }
    return render(request, "supervision/reminders/ladder.html", context)


@require_http_methods(["GET", "POST"])
def ladder_new(request: AuthedRequest) -> HttpResponse:
    access.require_discipline_staff(request.user, model=LadderVersion, label="督促提醒升级标准")
    year = YearForm(request.GET).chosen()
    org = org_queries.issuing_org(
        request.user, request.GET.get("org"), model=LadderVersion, action=policy.ISSUE
    )
    governing, _allowed, name = queries.ladder_book(year).governing(org.path)
    initial = escalation.thresholds_of(governing) | {"year": year, "allow_tighten": True}
    form = LadderVersionForm(request.POST or None, initial=initial)
    done = issue_and_return(
        request,
        form,
        lambda data: services.ladder_issue(
            actor=request.user,
            issuer=org,
            year=data["year"],
            thresholds=form.thresholds(),
            source=data["source"],
            allow_tighten=data["allow_tighten"],
        ),
        said=lambda version: (
            _("已发布%(org)s督促提醒升级标准第%(version)s版，原有版本保持不变。")
            % {"org": org.name, "version": version.version}
        ),
        page="supervision:ladder",
        org_code=org.code,
    )
    if done is not None:
        return done
    back = f"{reverse('supervision:ladder')}?org={org.code}&year={year}"
    context = {"form": form, "org": org, "year": year, "governing_name": name, "back": back}
    return render(request, "supervision/reminders/ladder_form.html", context)
