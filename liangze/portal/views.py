from uuid import UUID

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_http_methods

from liangze import access
from liangze.accounts.http import AuthedRequest
from liangze.accounts.models import User
from liangze.core import files, holidays, queries, todos, workdays
from liangze.core.formerrors import validation_errors
from liangze.core.models import Evidence
from liangze.core.paging import paginate
from liangze.orgs import queries as org_queries
from liangze.portal.forms import AuditSearchForm, HolidayYearForm


@require_GET
def home(request: AuthedRequest) -> HttpResponse:
    person = request.user.person
    positions = org_queries.current_positions_of(person) if person is not None else []
    context = {
        "positions": positions,
        "todos": todos.for_user(request.user),
        "calendar_due": _calendar_due(request.user),
    }
    return render(request, "portal/home.html", context)


def _calendar_due(user: User) -> int | None:
    """In December the system administrator is reminded of next year's holidays, if missing."""
    if access.role(user) != access.SYSTEM:
        return None
    today = timezone.localdate()
    next_year = today.year + 1
    if today.month == 12 and not workdays.has_official_calendar(next_year):
        return next_year
    return None


@require_GET
def audit_log(request: AuthedRequest) -> HttpResponse:
    access.require_role(request.user, access.AUDITOR)
    form = AuditSearchForm(request.GET or None)
    events = (
        queries.audit_events_search(**form.cleaned_data)
        if form.is_valid()
        else (queries.audit_events_search())
    )
    return render(
        request, "portal/audit_log.html", {"form": form, "page_obj": paginate(request, events)}
    )


@require_GET
def healthz(request: AuthedRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@require_GET
@xframe_options_sameorigin  # the ledger's entry page previews a PDF in a frame
@cache_control(private=True, max_age=3600)
def evidence(request: AuthedRequest, code: UUID) -> FileResponse:
    """A stored evidence file, to the people who may see it — never a public media URL."""
    item = access.get_for_user(request.user, Evidence.objects.filter(is_deleted=False), code=code)
    return files.evidence_response(item)


@require_GET
def holiday_years(request: AuthedRequest) -> HttpResponse:
    access.require_role(request.user, access.SYSTEM)
    context = {
        "entered": list(queries.holiday_years()),
        "first_shipped": workdays.FIRST_SHIPPED_YEAR,
        "last_shipped": workdays.LAST_SHIPPED_YEAR,
        "next_year": _next_unknown_year(),
    }
    return render(request, "portal/holiday_years.html", context)


@require_GET
def job_runs(request: AuthedRequest) -> HttpResponse:
    """后台任务: each scheduled job's last run and the recent runs, for the system admin."""
    access.require_role(request.user, access.SYSTEM)
    context = {
        "latest": list(queries.job_runs_latest()),
        "page_obj": paginate(request, queries.job_runs_recent()),
    }
    return render(request, "portal/job_runs.html", context)


@require_http_methods(["GET", "POST"])
def holiday_year_form(request: AuthedRequest) -> HttpResponse:
    access.require_role(request.user, access.SYSTEM)
    year = _year_param(request) or _next_unknown_year()
    existing = queries.holiday_years().filter(year=year).first()
    initial = {"year": year, "notice_title": holidays.notice_title(year)}
    if existing is not None:
        initial |= {
            "notice_title": existing.notice_title,
            "notice_number": existing.notice_number,
            "rows": holidays.as_rows(existing),
        }
    form = HolidayYearForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with validation_errors(form) as attempt:
            saved = holidays.holiday_year_save(
                actor=request.user,
                year=data["year"],
                notice_title=data["notice_title"],
                notice_number=data["notice_number"],
                arrangement=data["arrangement"],
                file_name=data["file"].name if data.get("file") else "",
            )
        if attempt.ok:
            messages.success(request, _("已保存%(year)s年节假日安排。") % {"year": saved.year})
            return redirect("portal:holidays")
    context = {"form": form, "existing": existing, "header": holidays.HEADER}
    return render(request, "portal/holiday_year_form.html", context)


def _year_param(request: AuthedRequest) -> int | None:
    text = request.GET.get("year", "")
    return int(text) if text.isdigit() and 2000 <= int(text) <= 2100 else None


def _next_unknown_year() -> int:
    """The first year after today's with no calendar: the one to enter next."""
    year = timezone.localdate().year + 1
    while workdays.has_official_calendar(year):
        year += 1
    return year
