"""Ledger pages (LEDGER-1 … 3): the year grid, entries with evidence, 对账销号. Thin views."""

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from liangze import access
from liangze.accounts.http import AuthedRequest
from liangze.core.formerrors import validation_errors
from liangze.core.paging import paginate
from liangze.core.periods import Period
from liangze.duties.models import DutyItem, DutyList
from liangze.ledger import policy
from liangze.ledger.entries import clock as ledger_rules
from liangze.ledger.entries import comments
from liangze.ledger.entries import queries as entry_queries
from liangze.ledger.entries import services as entries
from liangze.ledger.entries.forms import (
    CommentForm,
    EntryForm,
    GridFilterForm,
    LedgerYearForm,
    RejectForm,
)
from liangze.ledger.models import ProgressEntry

# How many entries awaiting verification the index shows; the to-do page lists them all.
PENDING_SHOWN = 10


@require_GET
def index(request: AuthedRequest) -> HttpResponse:
    form = LedgerYearForm(request.GET)
    year = (form.cleaned_data["year"] if form.is_valid() else None) or timezone.localdate().year
    page_obj = paginate(request, entry_queries.published_lists_for(request.user, year))
    pending = [
        (entry, Period.parse(entry.period))
        for entry in entry_queries.pending_verification(request.user)[:PENDING_SHOWN]
    ]
    context = {"form": form, "year": year, "page_obj": page_obj, "pending": pending}
    return render(request, "ledger/index.html", context)


@require_GET
def grid(request: AuthedRequest, code: UUID) -> HttpResponse:
    duty_list = entry_queries.get_ledger_list_for_user(request.user, code)
    choices = entry_queries.filter_choices(duty_list)
    form = GridFilterForm(
        request.GET, people=choices.people, responsibilities=choices.responsibilities
    )
    ledger = entry_queries.ledger_grid(
        request.user, duty_list, **form.filters(), today=timezone.localdate()
    )
    return render(request, "ledger/grid.html", {"grid": ledger, "form": form})


def _cell(
    request: AuthedRequest, code: UUID, seq: int, period: str
) -> tuple[DutyList, DutyItem, Period]:
    """The list, item and period a cell URL names; any of them unknown or unseen is a 404."""
    duty_list = entry_queries.get_ledger_list_for_user(request.user, code)
    item = access.get_within(request.user, duty_list.items.select_related("responsible"), seq=seq)
    return duty_list, item, _period(request, duty_list, period)


def _period(request: AuthedRequest, duty_list: DutyList, period: str) -> Period:
    try:
        return entries.entry_period(duty_list, period)
    except ValidationError:
        access.deny(
            request.user,
            model=ProgressEntry,
            lookup={"period": period},
            reason=access.BAD_LOOKUP,
            hide=True,
        )


def _thread(
    request: AuthedRequest,
    duty_list: DutyList,
    item: DutyItem,
    when: Period,
    form: CommentForm | None = None,
    back: str = "",
) -> dict[str, object]:
    """What the 批注 partial shows: the cell's comments and, to those who may, the form."""
    return {
        "duty_list": duty_list,
        "item": item,
        "period": when,
        "comments": entry_queries.cell_thread(item, when),
        "may_comment": policy.may_comment(request.user, duty_list.org),
        "form": form or CommentForm(),
        "back": back or request.get_full_path(),
    }


def _cell_page(
    request: AuthedRequest,
    duty_list: DutyList,
    item: DutyItem,
    when: Period,
    thread: dict[str, object],
) -> HttpResponse:
    cell_entries = entry_queries.cell_entries(item, when)
    context = {
        "duty_list": duty_list,
        "item": item,
        "period": when,
        "measure": entry_queries.measure_for(item, when),
        "deadline": ledger_rules.entry_deadline(when),
        "entries": cell_entries,
        # The way to enter the period, while it is open and not yet 销号.
        "may_record": policy.may_record(request.user, duty_list.org)
        and duty_list.in_force
        and not any(e.status == ProgressEntry.Status.VERIFIED for e in cell_entries),
        "thread": thread,
    }
    return render(request, "ledger/cell.html", context)


@require_GET
def cell(request: AuthedRequest, code: UUID, seq: int, period: str) -> HttpResponse:
    """One cell of the grid: its entries and its 批注 — reachable before anything is entered."""
    duty_list, item, when = _cell(request, code, seq, period)
    return _cell_page(request, duty_list, item, when, _thread(request, duty_list, item, when))


@require_POST
def cell_comment(request: AuthedRequest, code: UUID, seq: int, period: str) -> HttpResponse:
    """Add a 批注: htmx gets the thread back; without script, back to the page it came from."""
    duty_list, item, when = _cell(request, code, seq, period)
    back = request.POST.get("back", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = ""
    here = reverse("ledger:cell", args=[duty_list.code, item.seq, str(when)])
    form = CommentForm(request.POST)
    form.is_valid()
    with validation_errors(form) as attempt:
        comments.cell_comment(
            actor=request.user, item=item, period=str(when), text=form.cleaned_data.get("text", "")
        )
    if attempt.ok:
        if not request.headers.get("HX-Request"):
            messages.success(request, _("已添加批注。"))
            return redirect(back or here)
        form = CommentForm()
    thread = _thread(request, duty_list, item, when, form, back or here)
    if request.headers.get("HX-Request"):
        # 200 with the errors in it: htmx swaps only successful responses.
        return render(request, "ledger/_comments.html", {"thread": thread})
    return _cell_page(request, duty_list, item, when, thread)


@require_http_methods(["GET", "POST"])
def entry_new(request: AuthedRequest, code: UUID, seq: int, period: str) -> HttpResponse:
    duty_list, item, when = _cell(request, code, seq, period)
    access.require(request.user, policy.RECORD, ProgressEntry(item=item))
    deadline = ledger_rules.entry_deadline(when)
    late = timezone.localdate() > deadline
    linkable = entry_queries.linkable_activities(duty_list, when)
    form = EntryForm(
        request.POST or None,
        request.FILES or None,
        late=late,
        activities=linkable if linkable.exists() else None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with validation_errors(form) as attempt:
            entry = entries.entry_add(
                actor=request.user,
                item=item,
                period=str(when),
                text=data["text"],
                done_on=data["done_on"],
                uploads=data["uploads"],
                late_reason=data.get("late_reason", ""),
                activities=data.get("activities", ()),
            )
        if attempt.ok:
            messages.success(request, _("已填报%(period)s进度。") % {"period": when.label})
            return redirect("ledger:entry", code=entry.code)
        if attempt.repeat is not None and isinstance(attempt.repeat.existing, ProgressEntry):
            messages.info(request, attempt.repeat.messages[0])
            return redirect("ledger:entry", code=attempt.repeat.existing.code)
    context = {
        "duty_list": duty_list,
        "item": item,
        "period": when,
        "measure": entry_queries.measure_for(item, when),
        "deadline": deadline,
        "late": late,
        "form": form,
        "thread": _thread(request, duty_list, item, when),
    }
    return render(request, "ledger/entry_form.html", context)


def _render_entry(
    request: AuthedRequest, entry: ProgressEntry, reject_form: RejectForm | None = None
) -> HttpResponse:
    item = entry.item
    when = Period.parse(entry.period)
    back = reverse("ledger:entry", args=[entry.code])
    context = {
        "entry": entry,
        "page": entry_queries.entry_page(request.user, entry),
        "reject_form": reject_form or RejectForm(),
        "thread": _thread(request, item.duty_list, item, when, back=back),
    }
    return render(request, "ledger/entry.html", context)


@require_GET
def entry_detail(request: AuthedRequest, code: UUID) -> HttpResponse:
    return _render_entry(request, entry_queries.get_entry_for_user(request.user, code))


@require_POST
def entry_verify(request: AuthedRequest, code: UUID) -> HttpResponse:
    entry = entry_queries.get_entry_for_user(request.user, code, policy.VERIFY)
    with validation_errors(request=request) as attempt:
        entries.entry_verify(actor=request.user, entry=entry)
    if attempt.ok:
        messages.success(request, _("已核实，该事项本期已销号。"))
    return redirect("ledger:entry", code=code)


@require_POST
def entry_reject(request: AuthedRequest, code: UUID) -> HttpResponse:
    entry = entry_queries.get_entry_for_user(request.user, code, policy.VERIFY)
    form = RejectForm(request.POST)
    if form.is_valid():
        with validation_errors(form) as attempt:
            entries.entry_reject(
                actor=request.user, entry=entry, reason=form.cleaned_data["reason"]
            )
        if attempt.ok:
            messages.success(request, _("已退回，填报单位需重新填报。"))
        if attempt.done:
            return redirect("ledger:entry", code=code)
    return _render_entry(request, entry, form)
