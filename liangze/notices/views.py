"""Pages of 三书: the register, one notice, its draft, and generating drafts from data. Thin."""

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from liangze import access
from liangze.accounts.http import AuthedRequest
from liangze.core import downloads
from liangze.core.formerrors import validation_errors
from liangze.core.paging import paginate
from liangze.duties.models import DutyList
from liangze.notices import document, policy, queries, services, sources
from liangze.notices.forms import (
    AbbreviationForm,
    AssignmentForm,
    IssuerYearForm,
    NoticeFilterForm,
    NoticeForm,
    ProgressForm,
)
from liangze.notices.models import Notice, NoticeKind, TaskAssignment
from liangze.notices.sources import Issuer
from liangze.orgs.models import Org, Person

# A notice's service names its recipient `recipient`; a form asks for a person or an org.
RECIPIENT = {"recipient": ("recipient_person", "recipient_org")}


# The register --------------------------------------------------------------------------


@require_GET
def index(request: AuthedRequest) -> HttpResponse:
    form = NoticeFilterForm(request.GET)
    filters = form.filters()
    found = queries.notice_search(request.user, **filters)
    if request.GET.get("export") == "xlsx":
        return _export(request, found)
    context = {
        "form": form,
        "page_obj": paginate(request, found),
        "box": filters.get("box", queries.BOX_ALL),
        "may_issue": bool(queries.issuers_for(request.user)),
        # The same question the 任务分解 page asks: never a button that leads to a refusal.
        "may_assign": access.user_can_any(request.user, policy.ASSIGN, TaskAssignment),
    }
    return render(request, "notices/index.html", context)


def _export(request: AuthedRequest, found: QuerySet[Notice]) -> HttpResponse:
    rows = queries.export_rows(found)
    return downloads.sheet_download(
        request, _("三书发文登记簿"), queries.EXPORT_HEADERS, rows, sheet=_("发文登记簿")
    )


# One notice ----------------------------------------------------------------------------


@require_GET
def detail(request: AuthedRequest, code: UUID) -> HttpResponse:
    notice = queries.get_notice_for_user(request.user, code)
    sheet = services.sheet_for(notice)
    context = {
        "notice": notice,
        "sheet": sheet,
        "paragraphs": [
            (document.paragraph_level(line.strip()), line.strip())
            for line in notice.body.splitlines()
            if line.strip()
        ],
        "actions": queries.actions_for(request.user, notice),
        "file": queries.file_check(notice),
        "cc_orgs": list(notice.cc_orgs.order_by("path")),
        "reminders": list(notice.reminders.order_by("raised_on", "pk")[:5]),
        "reminder_count": notice.reminders.count(),
    }
    return render(request, "notices/detail.html", context)


@require_http_methods(["GET", "POST"])
def edit(request: AuthedRequest, code: UUID) -> HttpResponse:
    notice = queries.get_notice_for_user(request.user, code, policy.ISSUE)
    if not notice.is_draft:
        messages.error(request, _("已发出的三书不能修改。"))
        return redirect(notice)
    form = NoticeForm(notice, request.POST or None)
    if request.method == "POST" and form.is_valid():
        with validation_errors(form, aliases=RECIPIENT) as attempt:
            services.notice_update(actor=request.user, notice=notice, **form.arguments())
        if attempt.ok:
            messages.success(request, _("草稿已保存。"))
            return redirect(notice)
    return render(request, "notices/edit.html", {"notice": notice, "form": form})


def _act(
    request: AuthedRequest, code: UUID, action: str, run: Callable[[Notice], Any], done: str
) -> HttpResponse:
    notice = queries.get_notice_for_user(request.user, code, action)
    with validation_errors(request=request) as attempt:
        run(notice)
    if attempt.ok:
        messages.success(request, done)
    return redirect(notice)


@require_POST
def issue(request: AuthedRequest, code: UUID) -> HttpResponse:
    notice = queries.get_notice_for_user(request.user, code, policy.ISSUE)
    with validation_errors(request=request) as attempt:
        notice = services.notice_issue(actor=request.user, notice=notice)
    if attempt.ok:
        messages.success(request, _("已发出，文号 %(number)s。") % {"number": notice.number})
    return redirect(notice)


@require_POST
def acknowledge(request: AuthedRequest, code: UUID) -> HttpResponse:
    return _act(
        request,
        code,
        policy.ACKNOWLEDGE,
        lambda n: services.notice_acknowledge(actor=request.user, notice=n),
        _("已签收。"),
    )


@require_POST
def delete(request: AuthedRequest, code: UUID) -> HttpResponse:
    notice = queries.get_notice_for_user(request.user, code, policy.ISSUE)
    label = str(notice)
    with validation_errors(request=request) as attempt:
        services.notice_delete(actor=request.user, notice=notice)
    if not attempt.ok:
        return redirect(notice)
    messages.success(request, _("已删除草稿：%(notice)s") % {"notice": label})
    return redirect("notices:index")


@require_GET
def download(request: AuthedRequest, code: UUID) -> HttpResponse:
    """The Word file: as issued (stored, with its digest), or a draft rendered now."""
    notice = queries.get_notice_for_user(request.user, code)
    content = queries.issued_file(notice)
    if content is None:
        content = document.docx_bytes(services.sheet_for(notice))
    name = document.filename(notice.number, notice.get_kind_display(), notice.recipient_name)
    return downloads.audited_download(request, content, name, obj=notice)


# Generating ----------------------------------------------------------------------------


def _issuers(request: AuthedRequest) -> list[queries.IssuerChoice]:
    access.require_any(request.user, policy.ISSUE, Notice)
    return queries.issuers_for(request.user)


def _chosen(request: AuthedRequest, data: Any, *, orgs_only: bool = False) -> Issuer:
    key = data.get("issuer", "")
    issuer = queries.issuer_by_key(request.user, key, orgs_only=orgs_only)
    if issuer is None:
        access.deny(
            request.user, model=Notice, lookup={"issuer": key}, reason="no_issue", hide=False
        )
    return issuer


def _year(data: Any) -> int:
    try:
        return int(data.get("year", ""))
    except ValueError:
        return timezone.localdate().year


@require_GET
def generate(request: AuthedRequest) -> HttpResponse:
    choices = _issuers(request)
    org_choices = [c for c in choices if c.issuer.body is None]
    # Two forms with the same fields on one page: distinct ids, the same names.
    pending, pending_total = queries.pending_orders(request.user)
    context: dict[str, Any] = {
        "pending": pending,
        "pending_total": pending_total,
        "duty_form": IssuerYearForm(org_choices, auto_id="duty-%s") if org_choices else None,
        "task_form": IssuerYearForm(org_choices, auto_id="task-%s") if org_choices else None,
        "has_bodies": any(c.issuer.body is not None for c in choices),
    }
    return render(request, "notices/generate.html", context)


def _report(request: AuthedRequest, result: services.Generated, what: str) -> None:
    if result.created:
        messages.success(
            request,
            _("已生成 %(n)d 份%(what)s草稿，请逐份核对后发出。")
            % {"n": len(result.created), "what": what},
        )
    if result.skipped:
        messages.info(
            request,
            _("以下对象本年度已有%(what)s，未重复生成：%(names)s（如需重新生成，请先删除其草稿）。")
            % {"what": what, "names": "、".join(result.skipped)},
        )


@require_POST
def generate_duty(request: AuthedRequest) -> HttpResponse:
    issuer = _chosen(request, request.POST, orgs_only=True)
    year = _year(request.POST)
    with validation_errors(request=request) as attempt:
        result = services.duty_notices_generate(actor=request.user, org=issuer.org, year=year)
    if not attempt.ok:
        return redirect("notices:generate")
    _report(request, result, str(NoticeKind.DUTY.label))
    return redirect(_box_url(NoticeKind.DUTY, year))


@require_POST
def generate_tasks(request: AuthedRequest) -> HttpResponse:
    issuer = _chosen(request, request.POST, orgs_only=True)
    year = _year(request.POST)
    with validation_errors(request=request) as attempt:
        result = services.task_notices_generate(actor=request.user, org=issuer.org, year=year)
    if not attempt.ok:
        return redirect(f"{reverse('notices:tasks')}?issuer={issuer.key}&year={year}")
    _report(request, result, str(NoticeKind.TASK.label))
    return redirect(_box_url(NoticeKind.TASK, year))


def _box_url(kind: str, year: int) -> str:
    return f"{reverse('notices:index')}?box=sent&kind={kind}&status=draft&year={year}"


@require_POST
def from_reminder(request: AuthedRequest, code: UUID) -> HttpResponse:
    reminder = queries.get_order_reminder(request.user, code)
    with validation_errors(request=request) as attempt:
        notice = services.order_from_reminder(actor=request.user, reminder=reminder)
    if not attempt.ok:
        return redirect("notices:generate")
    count = notice.reminders.count()
    messages.success(
        request,
        _("督办书草稿已生成，涵盖该单位 %(n)d 条督办提醒，请核对正文后发出。") % {"n": count},
    )
    return redirect(notice)


# Tasks: lead and assisting units ---------------------------------------------------------


@require_GET
def tasks(request: AuthedRequest) -> HttpResponse:
    access.require_any(request.user, policy.ASSIGN, TaskAssignment)
    choices = [c for c in queries.issuers_for(request.user) if c.issuer.body is None]
    issuer = queries.issuer_by_key(request.user, request.GET.get("issuer", ""), orgs_only=True)
    issuer = issuer or choices[0].issuer
    year = _year(request.GET) if request.GET.get("year") else timezone.localdate().year
    form = IssuerYearForm(choices, initial={"issuer": issuer.key, "year": year})
    duty_list = queries.collective_for(request.user, issuer.org, year)
    items = sources.task_items(duty_list) if duty_list else []
    rows = [(item, sources.assignment_of(item)) for item in items]
    context = {
        "form": form,
        "issuer": issuer,
        "year": year,
        "duty_list": duty_list,
        "rows": rows,
        "assigned": sum(1 for _item, a in rows if a is not None),
    }
    return render(request, "notices/tasks.html", context)


@require_http_methods(["GET", "POST"])
def task_assign(request: AuthedRequest, code: UUID, seq: int) -> HttpResponse:
    duty_list = access.get_for_user(request.user, DutyList.objects.select_related("org"), code=code)
    # Before any assignment exists: ask the policy about one for this unit (403, audited).
    access.require(request.user, policy.ASSIGN, TaskAssignment(org=duty_list.org))
    item = access.get_within(request.user, duty_list.items.all(), seq=seq)
    current = sources.assignment_of(item)
    orgs = sources.assignable_orgs(duty_list.org)
    initial = (
        {
            "lead_org": current.lead_org_id,
            "assisting_orgs": list(current.assisting_orgs.values_list("pk", flat=True)),
            "deadline": current.deadline,
        }
        if current
        else {}
    )
    form = AssignmentForm(orgs, request.POST or None, initial=initial)
    back = f"{reverse('notices:tasks')}?issuer=o{duty_list.org_id}&year={duty_list.year}"
    if request.method == "POST" and request.POST.get("clear") and current is not None:
        services.task_unassign(actor=request.user, assignment=current)
        messages.success(request, _("已取消“%(item)s”的任务分解。") % {"item": item.name})
        return redirect(back)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with validation_errors(form) as attempt:
            services.task_assign(
                actor=request.user,
                item=item,
                lead_org=data["lead_org"],
                assisting_orgs=list(data["assisting_orgs"]),
                deadline=data["deadline"],
            )
        if attempt.ok:
            messages.success(
                request, _("已保存“%(item)s”的牵头单位和协办单位。") % {"item": item.name}
            )
            return redirect(back)
    context = {"duty_list": duty_list, "item": item, "form": form, "current": current, "back": back}
    return render(request, "notices/task_assign.html", context)


# Poor progress (督办书) -----------------------------------------------------------------


# Two lists on one page: shorter pages keep both in sight.
PROGRESS_PAGE = 15


@require_GET
def progress(request: AuthedRequest) -> HttpResponse:
    choices = _issuers(request)
    form = ProgressForm(choices, request.GET or None)
    issuer, year, minimum = (
        choices[0].issuer,
        timezone.localdate().year,
        queries.POOR_PROGRESS_CELLS,
    )
    if request.GET and form.is_valid():
        issuer = queries.issuer_by_key(request.user, form.cleaned_data["issuer"]) or issuer
        year, minimum = form.cleaned_data["year"], form.cleaned_data["minimum"]
    elif not request.GET:
        form = ProgressForm(
            choices, initial={"issuer": issuer.key, "year": year, "minimum": minimum}
        )
    report = queries.poor_progress(issuer, year, minimum, timezone.localdate())
    units = Paginator(report.units, PROGRESS_PAGE).get_page(request.GET.get("units"))
    people = Paginator(report.people, PROGRESS_PAGE).get_page(request.GET.get("people"))
    context = {
        "form": form,
        "issuer": issuer,
        "year": year,
        "report": report,
        "units": units,
        "people": people,
    }
    return render(request, "notices/progress.html", context)


@require_POST
def progress_order(request: AuthedRequest) -> HttpResponse:
    issuer = _chosen(request, request.POST)
    year = _year(request.POST)
    target = request.POST.get("target", "")
    kind, _sep, code = target.partition(":")
    person: Person | None = None
    org: Org | None = None
    if kind == "person":
        person = access.get_for_user(request.user, Person.objects.select_related("org"), code=code)
    elif kind == "org":
        org = access.get_for_user(request.user, Org.objects.all(), code=code)
    else:
        access.deny(
            request.user,
            model=Notice,
            lookup={"target": target},
            reason=access.BAD_LOOKUP,
            hide=True,
        )
    with validation_errors(request=request) as attempt:
        notice = services.order_draft(
            actor=request.user,
            issuer=issuer,
            year=year,
            recipient_person=person,
            recipient_org=org,
        )
    if not attempt.ok:
        return redirect(f"{reverse('notices:progress')}?issuer={issuer.key}&year={year}")
    messages.success(request, _("已生成督办书草稿，请核对正文后发出。"))
    return redirect(notice)


# 发文机关代字 ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def issuers(request: AuthedRequest) -> HttpResponse:
    choices = _issuers(request)
    errors: dict[str, Form] = {}
    if request.method == "POST":
        issuer = _chosen(request, request.POST)
        form = AbbreviationForm(request.POST)
        if form.is_valid():
            with validation_errors(form) as attempt:
                services.issuer_code_set(
                    actor=request.user,
                    issuer=issuer,
                    abbreviation=form.cleaned_data["abbreviation"],
                )
            if attempt.ok:
                messages.success(
                    request, _("已保存%(issuer)s的发文机关代字。") % {"issuer": issuer.name}
                )
                return redirect("notices:issuers")
        errors[issuer.key] = form
        choices = queries.issuers_for(request.user)
    rows = [
        (c, errors.get(c.key) or AbbreviationForm(initial={"abbreviation": c.abbreviation}))
        for c in choices
    ]
    return render(request, "notices/issuers.html", {"rows": rows})
