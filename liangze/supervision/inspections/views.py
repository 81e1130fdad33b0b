"""Pages of inspections (SUP-3 … SUP-6): plan, draw, targets, findings, 逐项过堂, flags."""

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from liangze import access
from liangze.accounts.http import AuthedRequest
from liangze.core import downloads, xlsx
from liangze.core.formerrors import validation_errors
from liangze.core.paging import paginate
from liangze.duties.models import DutyItem
from liangze.supervision import policy
from liangze.supervision.inspections import forms, queries, services
from liangze.supervision.models import Inspection, UnitFlag, Verdict
from liangze.supervision.rectifications import services as rectification_services


# form_errors and act are public because the 整改 pages (rectifications.views) reuse them.
def form_errors(request: AuthedRequest, form: Form) -> None:
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}：{error}" if label else str(error))


def act(
    request: AuthedRequest,
    back: Any,
    run: Callable[[dict[str, Any]], str],
    form: Form | None = None,
    after: Any = None,
) -> HttpResponse:
    """A button on a detail page: check `form`, `run` the service with its data, say how it went.

    Bad input goes back to `back` before anything runs; the service's refusal or `run`'s
    success message is flashed, then to `after` (default `back`).
    """
    if form is not None and not form.is_valid():
        form_errors(request, form)
        return redirect(back)
    with validation_errors(request=request) as attempt:
        done = run(form.cleaned_data if form is not None else {})
    if attempt.ok:
        messages.success(request, done)
    return redirect(after if after is not None else back)


# Inspections ------------------------------------------------------------------------


@require_GET
def inspections(request: AuthedRequest) -> HttpResponse:
    form = forms.InspectionFilterForm(request.GET)
    found = queries.inspection_search(request.user, **form.filters())
    context = {
        "form": form,
        "page_obj": paginate(request, found),
        "may_plan": bool(queries.organisers_for(request.user)),
        "own_targets": queries.own_unit_targets(request.user),
    }
    return render(request, "supervision/inspections.html", context)


@require_http_methods(["GET", "POST"])
def inspection_new(request: AuthedRequest) -> HttpResponse:
    access.require_any(request.user, policy.PLAN, Inspection)
    form = forms.InspectionForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        with validation_errors(form) as attempt:
            inspection = services.inspection_plan(actor=request.user, **form.arguments())
        if attempt.ok:
            messages.success(request, _("已制定检查计划：%(t)s") % {"t": inspection.title})
            return redirect(inspection)
    return render(request, "supervision/inspection_form.html", {"form": form})


@require_GET
def inspection_detail(request: AuthedRequest, code: UUID) -> HttpResponse:
    inspection = queries.get_inspection_for_user(request.user, code)
    page = queries.inspection_page(request.user, inspection)
    context: dict[str, Any] = {
        "page": page,
        "inspection": inspection,
        "page_obj": paginate(request, page.findings),
    }
    if page.may_manage and inspection.status == inspection.Status.PLANNED:
        context["add_form"] = forms.TargetAddForm()
        context["draw_form"] = forms.DrawForm(initial={"size": 3, "rule": "children"})
    if page.may_manage and inspection.status == inspection.Status.IN_PROGRESS:
        context["conclude_form"] = forms.ConcludeForm()
    if page.sample:
        labels = queries.draw_labels(page.sample)
        context["drawn"] = [(no, labels.get(no, "")) for no in page.sample.result]
    return render(request, "supervision/inspection.html", context)


def _managed(request: AuthedRequest, code: UUID) -> Any:
    return queries.get_inspection_for_user(request.user, code, policy.MANAGE)


@require_POST
def target_add(request: AuthedRequest, code: UUID) -> HttpResponse:
    inspection = _managed(request, code)

    def run(data: dict[str, Any]) -> str:
        org = queries.find_org(queries.addable_orgs(inspection), data["org"])
        target = services.target_add(actor=request.user, inspection=inspection, org=org)
        return _("已列入名单：%(org)s（%(why)s）") % {
            "org": org.name,
            "why": target.get_why_display(),
        }

    return act(request, inspection, run, forms.TargetAddForm(request.POST))


@require_POST
def targets_sync(request: AuthedRequest, code: UUID) -> HttpResponse:
    inspection = _managed(request, code)
    with validation_errors(request=request) as attempt:
        added = services.targets_sync_mandatory(actor=request.user, inspection=inspection)
    if attempt.ok:
        if added:
            messages.success(request, _("新列入必查单位 %(n)d 个。") % {"n": len(added)})
        else:
            messages.info(request, _("没有新增的必查单位。"))
    return redirect(inspection)


@require_POST
def draw(request: AuthedRequest, code: UUID) -> HttpResponse:
    inspection = _managed(request, code)

    def run(data: dict[str, Any]) -> str:
        sample = services.sample_draw(actor=request.user, inspection=inspection, **data)
        return _("已从 %(n)d 个单位中随机抽取 %(k)d 个。") % {
            "n": len(sample.population),
            "k": len(sample.result),
        }

    form = forms.DrawForm(request.POST)
    return act(request, inspection, run, form, f"{inspection.get_absolute_url()}#draw")


@require_GET
def draw_verify(request: AuthedRequest, code: UUID) -> HttpResponse:
    """重新抽取以验证: re-run the recorded draw and compare (changes nothing)."""
    inspection = queries.get_inspection_for_user(request.user, code)
    sample = getattr(inspection, "sample", None)
    if sample is None:
        messages.info(request, _("本次检查没有随机抽取。"))
        return redirect(inspection)
    check = queries.verification(sample)
    labels = queries.draw_labels(sample)
    context = {
        "inspection": inspection,
        "sample": sample,
        "check": check,
        "recomputed": [(no, labels.get(no, "")) for no in check.recomputed],
    }
    if request.headers.get("HX-Request"):
        return render(request, "supervision/_verification.html", context)
    return render(request, "supervision/verification.html", context)


@require_POST
def inspection_start(request: AuthedRequest, code: UUID) -> HttpResponse:
    inspection = _managed(request, code)

    def run(data: dict[str, Any]) -> str:
        services.inspection_start(actor=request.user, inspection=inspection)
        return _("检查已开始。")

    return act(request, inspection, run)


@require_POST
def inspection_conclude(request: AuthedRequest, code: UUID) -> HttpResponse:
    inspection = _managed(request, code)

    def run(data: dict[str, Any]) -> str:
        services.inspection_conclude(
            actor=request.user, inspection=inspection, summary=data["summary"]
        )
        return _("检查已结束。")

    return act(request, inspection, run, forms.ConcludeForm(request.POST))


@require_GET
def inspection_export(request: AuthedRequest, code: UUID) -> HttpResponse:
    inspection = queries.get_inspection_for_user(request.user, code)
    content = xlsx.workbook_bytes(queries.export_sheets(inspection))
    name = _("督查检查结果-%(t)s-%(day)s.xlsx") % {
        "t": inspection.title[:40],
        "day": f"{timezone.localdate():%Y%m%d}",
    }
    return downloads.audited_download(request, content, name, obj=inspection)


# Targets ------------------------------------------------------------------------------


@require_GET
def target_detail(request: AuthedRequest, code: UUID) -> HttpResponse:
    target = queries.get_target_for_user(request.user, code)
    inspection = target.inspection
    may_inspect = policy.may_inspect(request.user, inspection)
    context: dict[str, Any] = {
        "target": target,
        "inspection": inspection,
        "findings": queries.target_findings(target),
        "may_manage": policy.may_manage(request.user, inspection),
        "may_inspect": may_inspect,
        "progress": queries.review_progress(target),
    }
    if may_inspect and inspection.status == inspection.Status.IN_PROGRESS:
        context["check_form"] = forms.CheckForm(initial={"conclusion": target.conclusion})
    if context["may_manage"] and inspection.status == inspection.Status.PLANNED:
        context["remove_form"] = forms.ReasonForm()
    context["sanction_form"] = forms.SanctionForm(initial={"decided_on": timezone.localdate()})
    context["rectify_form"] = forms.RectifyForm()
    return render(request, "supervision/target.html", context)


@require_POST
def target_remove(request: AuthedRequest, code: UUID) -> HttpResponse:
    target = queries.get_target_for_user(request.user, code, policy.MANAGE)
    form = forms.ReasonForm(request.POST)
    form.is_valid()
    with validation_errors(request=request) as attempt:
        services.target_remove(
            actor=request.user, target=target, reason=form.cleaned_data.get("reason", "")
        )
    if not attempt.ok:
        return redirect(target)
    messages.success(request, _("已将 %(org)s 移出检查名单。") % {"org": target.org.name})
    return redirect(target.inspection)


@require_POST
def target_check(request: AuthedRequest, code: UUID) -> HttpResponse:
    target = queries.get_target_for_user(request.user, code, policy.INSPECT)

    def run(data: dict[str, Any]) -> str:
        services.target_check(actor=request.user, target=target, conclusion=data["conclusion"])
        return _("已完成对 %(org)s 的检查。") % {"org": target.org.name}

    return act(request, target, run, forms.CheckForm(request.POST))


@require_http_methods(["GET", "POST"])
def finding_new(request: AuthedRequest, code: UUID) -> HttpResponse:
    target = queries.get_target_for_user(request.user, code, policy.INSPECT)
    form = forms.FindingForm(target, request.POST or None)
    if request.method == "POST" and form.is_valid():
        with validation_errors(form) as attempt:
            services.finding_record(actor=request.user, target=target, **form.arguments())
        if attempt.ok:
            messages.success(request, _("已记录问题。"))
            return redirect(target)
    return render(request, "supervision/finding_form.html", {"form": form, "target": target})


@require_POST
def finding_rectify(request: AuthedRequest, code: UUID) -> HttpResponse:
    finding = queries.get_finding_for_user(request.user, code, policy.INSPECT)

    def run(data: dict[str, Any]) -> str:
        rectification_services.rectification_open(actor=request.user, finding=finding, **data)
        return _("已下达整改。")

    return act(request, finding.target, run, forms.RectifyForm(request.POST))


@require_POST
def finding_sanction(request: AuthedRequest, code: UUID) -> HttpResponse:
    finding = queries.get_finding_for_user(request.user, code, policy.MANAGE)

    def run(data: dict[str, Any]) -> str:
        sanction = services.sanction_decide(actor=request.user, finding=finding, **data)
        return _("已作出处理：%(kind)s") % {"kind": sanction.get_kind_display()}

    return act(request, finding.target, run, forms.SanctionForm(request.POST))


# 逐项过堂 -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def review(request: AuthedRequest, code: UUID) -> HttpResponse:
    """Every item of every current list of the unit, a verdict each; saved one by one (htmx)."""
    if request.method == "POST":
        return _verdict(request, code)
    target = queries.get_target_for_user(request.user, code)
    inspection = target.inspection
    context = {
        "target": target,
        "inspection": inspection,
        "review": queries.review(target),
        "may_judge": policy.may_inspect(request.user, inspection)
        and inspection.status == inspection.Status.IN_PROGRESS,
        "values": Verdict.Value.choices,
    }
    return render(request, "supervision/review.html", context)


def _verdict(request: AuthedRequest, code: UUID) -> HttpResponse:
    target = queries.get_target_for_user(request.user, code, policy.INSPECT)
    form = forms.VerdictForm(request.POST)
    item = None
    if form.is_valid():
        # Only the unit's own items: the row echoes the item's name, even when refused.
        item = (
            DutyItem.objects.select_related("duty_list")
            .filter(pk=form.cleaned_data["item"], duty_list__org=target.org)
            .first()
        )
    if item is None:
        error = _("请选择落实、基本落实或未落实。") if form.errors else _("事项不存在。")
        if not request.headers.get("HX-Request"):
            messages.error(request, error)
            return redirect("supervision:review", code=target.code)
        return HttpResponse(error, status=422)
    error = ""
    try:
        verdict = services.verdict_set(
            actor=request.user,
            target=target,
            duty_item=item,
            value=form.cleaned_data["value"],
            note=form.cleaned_data.get("note", ""),
        )
    except ValidationError as refusal:
        error = "；".join(refusal.messages)
        verdict = None
    if not request.headers.get("HX-Request"):
        if error:
            messages.error(request, error)
        return redirect(f"{reverse('supervision:review', args=[target.code])}#item-{item.pk}")
    context = {
        "target": target,
        "row": queries.ReviewRow(item, verdict),
        "progress": queries.review_progress(target),
        "may_judge": True,
        "values": Verdict.Value.choices,
        "error": error,
        "oob": True,
    }
    # 200 even for a refusal: htmx swaps only successful responses, and the row shows the error.
    return render(request, "supervision/_review_row.html", context)


# Unit flags ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def flags(request: AuthedRequest) -> HttpResponse:
    orgs = queries.flaggable_orgs(request.user)
    may_flag = orgs.exists()
    form = forms.FlagForm(request.POST or None)
    if request.method == "POST":
        access.require_any(request.user, policy.CHANGE, UnitFlag)
        if form.is_valid():
            data = form.cleaned_data
            with validation_errors(form) as attempt:
                org = queries.find_org(orgs, data["org"])
                flag = services.flag_set(
                    actor=request.user,
                    org=org,
                    year=data["year"],
                    reason=data["reason"],
                    note=data["note"],
                )
            if attempt.ok:
                messages.success(request, _("已标记：%(flag)s") % {"flag": flag})
                return redirect("supervision:flags")
    filter_form = forms.FlagFilterForm(request.GET)
    found = queries.flag_search(request.user, **filter_form.filters())
    context = {
        "form": form,
        "filter_form": filter_form,
        "page_obj": paginate(request, found),
        "may_flag": may_flag,
        "org_names": list(orgs.values_list("name", flat=True)[: queries.PICKER_LIMIT]),
    }
    return render(request, "supervision/flags.html", context, status=422 if form.errors else 200)


@require_POST
def flag_delete(request: AuthedRequest, code: UUID) -> HttpResponse:
    flag = queries.get_flag_for_user(request.user, code, policy.CHANGE)
    label = str(flag)
    services.flag_clear(actor=request.user, flag=flag)
    messages.success(request, _("已取消标记：%(flag)s") % {"flag": label})
    return redirect("supervision:flags")
