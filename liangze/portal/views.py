from uuid import UUID

from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET

from liangze import access
from liangze.accounts.http import AuthedRequest
from liangze.core import files, queries, todos
from liangze.core.models import Evidence
from liangze.core.paging import paginate
from liangze.orgs import queries as org_queries
from liangze.portal.forms import AuditSearchForm


@require_GET
def home(request: AuthedRequest) -> HttpResponse:
    person = request.user.person
    positions = org_queries.current_positions_of(person) if person is not None else []
    context = {"positions": positions, "todos": todos.for_user(request.user)}
    return render(request, "portal/home.html", context)


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
