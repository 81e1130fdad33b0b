"""Pages of activities (RULE-1): list and export, the fast form, detail, edit, delete."""

from uuid import UUID

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from liangze import access
from liangze.accounts.http import AuthedRequest
from liangze.core import downloads
from liangze.core.formerrors import validation_errors
from liangze.core.paging import paginate
from liangze.ledger import policy
from liangze.ledger.activities import queries, services
from liangze.ledger.activities.forms import ActivityFilterForm, ActivityForm
from liangze.ledger.models import Activity
from liangze.orgs.models import Org


@require_GET
def activities(request: AuthedRequest) -> HttpResponse:
    form = ActivityFilterForm(request.GET)
    found = queries.activity_search(request.user, **form.filters())
    if request.GET.get("export") == "xlsx":
        return _export(request, found)
    context = {
        "form": form,
        "page_obj": paginate(request, found),
        "may_record": queries.recordable_orgs(request.user).exists(),
    }
    return render(request, "ledger/activities.html", context)


def _export(request: AuthedRequest, found: QuerySet[Activity]) -> HttpResponse:
    rows = queries.export_rows(found)
    return downloads.sheet_download(request, _("工作活动"), queries.EXPORT_HEADERS, rows)


def _org_to_record_for(request: AuthedRequest) -> tuple[Org, list[Org]]:
    """The unit chosen by `?org=<code>` among those the user records for; their own by default."""
    access.require_any(request.user, policy.RECORD, Activity)
    orgs = list(queries.recordable_orgs(request.user))
    chosen = request.GET.get("org", "")
    own = access.scope_for(request.user).own_org_id
    org = next((o for o in orgs if str(o.code) == chosen), None)
    return org or next((o for o in orgs if o.pk == own), orgs[0]), orgs


@require_http_methods(["GET", "POST"])
def activity_new(request: AuthedRequest) -> HttpResponse:
    org, orgs = _org_to_record_for(request)
    form = ActivityForm(
        request.user,
        org,
        request.POST or None,
        request.FILES or None,
        kind=request.GET.get("kind", ""),
    )
    if request.method == "POST" and form.is_valid():
        with validation_errors(form) as attempt:
            activity = services.activity_record(actor=request.user, org=org, **form.arguments())
        if attempt.ok:
            messages.success(request, _("已记录：%(activity)s") % {"activity": activity})
            return redirect(activity)
        if attempt.repeat is not None:
            messages.info(request, attempt.repeat.messages[0])
            made = attempt.repeat.existing
            return redirect(made if isinstance(made, Activity) else "ledger:activities")
    return render(request, "ledger/activity_form.html", {"form": form, "org": org, "orgs": orgs})


@require_GET
def activity_detail(request: AuthedRequest, code: UUID) -> HttpResponse:
    activity = queries.get_activity_for_user(request.user, code)
    context = {
        "activity": activity,
        "may_change": policy.may_change_activity(request.user, activity),
        "locked": services.locked_message() if services.is_locked(activity) else "",
        "entries": activity.entries.count(),
    }
    return render(request, "ledger/activity.html", context)


def _changeable(request: AuthedRequest, code: UUID) -> Activity:
    """The activity, if the user may change it: outsiders 404, others 403 (both audited)."""
    activity = queries.get_activity_for_user(request.user, code, policy.RECORD)
    access.require(request.user, policy.CHANGE, activity)
    return activity


@require_http_methods(["GET", "POST"])
def activity_edit(request: AuthedRequest, code: UUID) -> HttpResponse:
    activity = _changeable(request, code)
    if services.is_locked(activity):
        messages.error(request, services.locked_message())
        return redirect(activity)
    form = ActivityForm(
        request.user, activity.org, request.POST or None, request.FILES or None, activity=activity
    )
    if request.method == "POST" and form.is_valid():
        with validation_errors(form) as attempt:
            services.activity_update(actor=request.user, activity=activity, **form.arguments())
        if attempt.ok:
            messages.success(request, _("已保存修改。"))
            return redirect(activity)
    context = {"form": form, "org": activity.org, "activity": activity}
    return render(request, "ledger/activity_form.html", context)


@require_POST
def activity_delete(request: AuthedRequest, code: UUID) -> HttpResponse:
    activity = _changeable(request, code)
    label = str(activity)
    with validation_errors(request=request) as attempt:
        services.activity_delete(actor=request.user, activity=activity)
    if not attempt.ok:
        return redirect(activity)
    messages.success(request, _("已删除：%(activity)s") % {"activity": label})
    return redirect("ledger:activities")
