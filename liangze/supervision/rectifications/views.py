"""Pages of 整改 (SUP-5): the list, one rectification, and each step of its state machine."""

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from liangze.accounts.http import AuthedRequest
from liangze.core import downloads
from liangze.core.paging import paginate
from liangze.supervision import policy
from liangze.supervision.inspections.views import act
from liangze.supervision.models import Rectification
from liangze.supervision.rectifications import forms, queries, services


@require_GET
def rectifications(request: AuthedRequest) -> HttpResponse:
    form = forms.RectificationFilterForm(request.GET)
    found = queries.rectification_search(request.user, **form.filters())
    if request.GET.get("export") == "xlsx":
        rows = queries.rectification_rows(found)
        return downloads.sheet_download(request, _("整改"), queries.RECTIFICATION_HEADERS, rows)
    context = {"form": form, "page_obj": paginate(request, found), "today": timezone.localdate()}
    return render(request, "supervision/rectifications.html", context)


@require_GET
def rectification_detail(request: AuthedRequest, code: UUID) -> HttpResponse:
    rectification = queries.get_rectification_for_user(request.user, code)
    inspection = rectification.finding.inspection
    may_rectify = policy.may_rectify(request.user, rectification.org_id)
    may_manage = policy.may_manage(request.user, inspection)
    status = rectification.status
    R = Rectification.Status
    context: dict[str, Any] = {
        "rectification": rectification,
        "finding": rectification.finding,
        "inspection": inspection,
        "overdue": queries.is_overdue(rectification),
        "evidence": list(rectification.evidence.all()),
        "sanctions": list(rectification.finding.sanctions.all()),
        "steps": [
            (label, value == status)
            for value, label in R.choices
            if value != R.RETURNED or status == R.RETURNED
        ],
    }
    if may_rectify and status in (R.OPEN, R.PLANNED):
        context["plan_form"] = forms.PlanForm(initial={"plan": rectification.plan})
    if may_rectify and status in (R.PLANNED, R.RETURNED):
        context["report_form"] = forms.ReportForm(initial={"report": rectification.report})
    if may_manage and status == R.REPORTED:
        context["verify_form"] = forms.VerifyForm()
        context["return_form"] = forms.ReturnForm()
    return render(request, "supervision/rectification.html", context)


def _rectification_step(
    action: str, form_class: type[Form], service: str, done: str | Promise
) -> Callable[[AuthedRequest, UUID], HttpResponse]:
    """The view of one step of 整改's state machine: `service` names the service function."""

    @require_POST
    def step(request: AuthedRequest, code: UUID) -> HttpResponse:
        rectification = queries.get_rectification_for_user(request.user, code, action)

        def run(data: dict[str, Any]) -> str:
            getattr(services, service)(actor=request.user, rectification=rectification, **data)
            return str(done)

        form = form_class(request.POST, request.FILES or None)
        return act(request, rectification, run, form)

    step.__name__ = step.__qualname__ = service
    return step


rectification_plan = _rectification_step(
    policy.RECTIFY, forms.PlanForm, "rectification_plan", gettext_lazy("已报送整改方案。")
)
rectification_report = _rectification_step(
    policy.RECTIFY,
    forms.ReportForm,
    "rectification_report",
    gettext_lazy("已报告整改情况，等待验收。"),
)
rectification_verify = _rectification_step(
    policy.MANAGE, forms.VerifyForm, "rectification_verify", gettext_lazy("已验收销号。")
)
rectification_return = _rectification_step(
    policy.MANAGE, forms.ReturnForm, "rectification_return", gettext_lazy("已退回重改。")
)
