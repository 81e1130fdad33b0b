"""Pages of responsibility lists (LIST-1 … LIST-8): thin; every write goes through services."""

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
from liangze.accounts.models import User
from liangze.core.formerrors import validation_errors
from liangze.core.paging import paginate
from liangze.duties import policy
from liangze.duties.lists import copydetect, diffing, queries, services
from liangze.duties.lists.forms import (
    CatalogueEntryForm,
    CatalogueFilterForm,
    CatalogueIssueForm,
    DiscussForm,
    DutyListCreateForm,
    DutyListFilterForm,
    ListFilterForm,
    PublishForm,
    ReviewForm,
    rows_from_paste,
    rows_from_post,
    rows_in_error,
)
from liangze.duties.models import Catalogue, DutyList, Review

# Lists ------------------------------------------------------------------------------


@require_GET
def index(request: AuthedRequest) -> HttpResponse:
    form = DutyListFilterForm.from_query(request.GET)
    filters = form.filters()
    page_obj = paginate(request, queries.duty_list_search(request.user, **filters))
    page_obj.object_list = queries.list_rows(page_obj.object_list)
    context = {"form": form, "page_obj": page_obj, "mine": filters.get("mine", False)}
    return render(request, "duties/index.html", context)


@require_http_methods(["GET", "POST"])
def create(request: AuthedRequest) -> HttpResponse:
    form = DutyListCreateForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with validation_errors(form, request=request) as attempt:
            duty_list = services.duty_list_create(
                actor=request.user,
                org=data["org"],
                year=data["catalogue"].year,
                list_type=data["list_type"],
                catalogue=data["catalogue"],
                person=data["person"],
                discipline_body=data["discipline_body"],
            )
        if attempt.ok:
            messages.success(request, _("清单已创建，请逐项填写项目任务、责任人和季度措施。"))
            return redirect("duties:edit", code=duty_list.code)
    context = {"form": form, "has_catalogues": queries.issued_catalogues().exists()}
    return render(request, "duties/create.html", context)


def _render_list(request: AuthedRequest, duty_list: DutyList, **forms: Form) -> HttpResponse:
    discussed = {
        "discussed_on": duty_list.discussed_on,
        "meeting": duty_list.discussion_meeting,
        "attendees": duty_list.discussion_attendees,
    }
    context = {
        "duty_list": duty_list,
        "page": queries.list_page(request.user, duty_list),
        "discuss_form": DiscussForm(initial=discussed),
        "review_form": ReviewForm(),
        "publish_form": PublishForm(),
        "comparison": copydetect.twin_comparison(duty_list, request.user),
        **forms,
    }
    return render(request, "duties/list.html", context)


@require_GET
def list_detail(request: AuthedRequest, code: UUID) -> HttpResponse:
    return _render_list(request, queries.get_duty_list_for_user(request.user, code))


@require_POST
def discuss(request: AuthedRequest, code: UUID) -> HttpResponse:
    duty_list = queries.get_duty_list_for_user(request.user, code, policy.EDIT)
    form = DiscussForm(request.POST)
    if form.is_valid():
        with validation_errors(form, request=request) as attempt:
            services.duty_list_discuss(
                actor=request.user,
                duty_list=duty_list,
                on=form.cleaned_data["discussed_on"],
                meeting=form.cleaned_data["meeting"],
                attendees=form.cleaned_data["attendees"],
            )
        if attempt.ok:
            messages.success(request, _("已记录集体讨论。"))
            return redirect(duty_list)
    return _render_list(request, duty_list, discuss_form=form)


@require_POST
def sign(request: AuthedRequest, code: UUID) -> HttpResponse:
    duty_list = queries.get_duty_list_for_user(request.user, code, policy.SIGN)
    with validation_errors(request=request) as attempt:
        services.duty_list_sign(actor=request.user, duty_list=duty_list)
    if attempt.ok:
        messages.success(request, _("已签字背书，清单内容已冻结。"))
    return redirect(duty_list)


@require_POST
def submit(request: AuthedRequest, code: UUID) -> HttpResponse:
    duty_list = queries.get_duty_list_for_user(request.user, code, policy.SUBMIT)
    with validation_errors(request=request) as attempt:
        services.duty_list_submit(actor=request.user, duty_list=duty_list)
    if attempt.ok:
        messages.success(request, _("已报送上级审核。"))
    return redirect(duty_list)


@require_POST
def review(request: AuthedRequest, code: UUID) -> HttpResponse:
    duty_list = queries.get_duty_list_for_user(request.user, code, policy.REVIEW)
    form = ReviewForm(request.POST)
    if form.is_valid():
        verdict = form.cleaned_data["verdict"]
        with validation_errors(form, request=request) as attempt:
            services.duty_list_review(
                actor=request.user,
                duty_list=duty_list,
                verdict=verdict,
                reason=form.cleaned_data["reason"],
            )
        if attempt.ok:
            done = (
                _("已审核通过：%(list)s")
                if verdict == Review.Verdict.ACCEPTED
                else _("已退回修改：%(list)s")
            )
            messages.success(request, done % {"list": duty_list})
            return redirect("duties:reviews")
    return _render_list(request, duty_list, review_form=form)


@require_POST
def publish(request: AuthedRequest, code: UUID) -> HttpResponse:
    duty_list = queries.get_duty_list_for_user(request.user, code, policy.PUBLISH)
    form = PublishForm(request.POST)
    if not form.is_valid():
        return _render_list(request, duty_list, publish_form=form)
    with validation_errors(request=request) as attempt:
        services.duty_list_publish(
            actor=request.user,
            duty_list=duty_list,
            publish_range=form.cleaned_data["publish_range"],
        )
    if attempt.ok:
        messages.success(request, _("清单已公示。"))
    return redirect(duty_list)


@require_POST
def revise(request: AuthedRequest, code: UUID) -> HttpResponse:
    duty_list = queries.get_duty_list_for_user(request.user, code, policy.EDIT)
    with validation_errors(request=request) as attempt:
        fresh = services.duty_list_revise(actor=request.user, duty_list=duty_list)
    if not attempt.ok:
        return redirect(duty_list)
    messages.success(
        request, _("已生成第 %(n)d 版，修改后需重新讨论、签字。") % {"n": fresh.version}
    )
    return redirect("duties:edit", code=fresh.code)


@require_http_methods(["GET", "POST"])
def edit(request: AuthedRequest, code: UUID) -> HttpResponse:
    """The grid editor: the whole list posts at once and is saved all or nothing."""
    duty_list = queries.get_duty_list_for_user(request.user, code, policy.EDIT)
    if not duty_list.is_current:
        messages.error(request, _("这是历史版本，不能修改。"))
        return redirect(duty_list)
    if duty_list.is_frozen:
        messages.error(request, _("清单已签字背书，不能直接修改；请在清单页“生成新版本”后修改。"))
        return redirect(duty_list)
    errors: list[str] = []
    paste = ""
    if request.method == "GET":
        rows = queries.grid_rows(duty_list)
    elif request.POST.get("action") == "paste":
        rows = rows_from_post(request.POST)
        pasted, errors = rows_from_paste(request.POST.get("paste", ""))
        if errors:
            paste = request.POST.get("paste", "")
        else:
            rows += pasted
            messages.info(request, _("已追加 %(n)d 行，检查无误后请保存。") % {"n": len(pasted)})
    else:
        rows = rows_from_post(request.POST)
        try:
            services.duty_items_save(actor=request.user, duty_list=duty_list, rows=rows)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("已保存 %(n)d 项。") % {"n": len(rows)})
            return redirect("duties:edit", code=duty_list.code)
    editor = queries.editor_for(duty_list)
    context = {
        "duty_list": duty_list,
        "grid": editor.grid(rows),
        "blank": editor.grid([{}])[0],
        "people": editor.people,
        "errors": errors,
        "error_rows": rows_in_error(errors),
        "paste": paste,
        "problems": queries.completeness(duty_list),
    }
    return render(request, "duties/edit.html", context)


@require_GET
def diff(request: AuthedRequest, code: UUID) -> HttpResponse:
    duty_list = queries.get_duty_list_for_user(request.user, code)
    previous = queries.previous_version(request.user, duty_list)
    rows = (
        diffing.diff_versions(queries.version_rows(previous), queries.version_rows(duty_list))
        if previous is not None
        else []
    )
    changed = [row for row in rows if row.kind != "unchanged"]
    context = {
        "duty_list": duty_list,
        "previous": previous,
        "changed": changed,
        "unchanged": len(rows) - len(changed),
    }
    return render(request, "duties/diff.html", context)


@require_GET
def reviews(request: AuthedRequest) -> HttpResponse:
    # No default year here: a submission left over from last year is still work to do.
    form = ListFilterForm(request.GET)
    page_obj = paginate(request, queries.review_queue(request.user, **form.filters()))
    page_obj.object_list = queries.list_rows(page_obj.object_list)
    return render(request, "duties/reviews.html", {"form": form, "page_obj": page_obj})


# Catalogues ---------------------------------------------------------------------------


def _require_catalogue_reader(user: User) -> None:
    """Catalogues are for business users and the system admin, not the other two admins."""
    if access.role(user) not in ("", access.SYSTEM):
        access.require_role(user, access.SYSTEM)


@require_GET
def catalogues(request: AuthedRequest) -> HttpResponse:
    _require_catalogue_reader(request.user)
    form = CatalogueFilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    found = queries.catalogue_search(
        request.user,
        text=data.get("q", "").strip(),
        year=data.get("year"),
        status=data.get("status", ""),
    )
    return render(
        request, "duties/catalogues.html", {"form": form, "page_obj": paginate(request, found)}
    )


def _render_catalogue(
    request: AuthedRequest,
    catalogue: Catalogue,
    *,
    bound: tuple[str, CatalogueEntryForm] | None = None,
    issue_form: CatalogueIssueForm | None = None,
) -> HttpResponse:
    editable = not catalogue.is_issued and queries.may_edit_catalogue(request.user, catalogue)

    def entry_form(entry: Any) -> CatalogueEntryForm | None:
        if bound is not None and bound[0] == entry.ref:
            return bound[1]
        if not editable:
            return None
        initial = {"name": entry.name, "text": entry.text}
        return CatalogueEntryForm(initial=initial, auto_id=f"id_{entry.ref}_%s")

    sections = [
        (label, [(entry, entry_form(entry)) for entry in entries])
        for label, entries in queries.catalogue_sections(catalogue)
    ]
    if catalogue.is_issued or not access.user_can_any(request.user, policy.ISSUE, Catalogue):
        issue_form = None
    elif issue_form is None:
        today = timezone.localdate()
        initial = {"year": today.year, "submit_deadline": catalogue.submit_deadline}
        issue_form = CatalogueIssueForm(request.user, initial=initial)
    context = {
        "catalogue": catalogue,
        "sections": sections,
        "issue_form": issue_form,
        "may_revise": catalogue.is_issued
        and not hasattr(catalogue, "next_version")
        and queries.may_edit_catalogue(request.user, catalogue),
    }
    return render(request, "duties/catalogue.html", context)


@require_GET
def catalogue_detail(request: AuthedRequest, code: UUID) -> HttpResponse:
    _require_catalogue_reader(request.user)
    return _render_catalogue(request, queries.get_catalogue_for_user(request.user, code))


@require_POST
def catalogue_entry(request: AuthedRequest, code: UUID, ref: str) -> HttpResponse:
    _require_catalogue_reader(request.user)
    catalogue = queries.get_catalogue_for_user(request.user, code)
    entry = access.get_within(request.user, catalogue.entries.all(), ref=ref)
    form = CatalogueEntryForm(request.POST, auto_id=f"id_{entry.ref}_%s")
    if form.is_valid():
        with validation_errors(form, request=request) as attempt:
            services.catalogue_entry_update(actor=request.user, entry=entry, **form.cleaned_data)
        if attempt.ok:
            messages.success(request, _("已修改“%(name)s”。") % {"name": entry.name})
            return redirect(reverse("duties:catalogue", args=[code]) + f"#entry-{entry.ref}")
    return _render_catalogue(request, catalogue, bound=(entry.ref, form))


@require_POST
def catalogue_issue(request: AuthedRequest, code: UUID) -> HttpResponse:
    _require_catalogue_reader(request.user)
    catalogue = queries.get_catalogue_for_user(request.user, code)
    # One with no org to issue from is refused here, not shown an empty choice.
    access.require_any(request.user, policy.ISSUE, Catalogue)
    form = CatalogueIssueForm(request.user, request.POST)
    if form.is_valid():
        with validation_errors(form, request=request) as attempt:
            services.catalogue_issue(actor=request.user, catalogue=catalogue, **form.cleaned_data)
        if attempt.ok:
            messages.success(request, _("目录已下发。"))
            return redirect("duties:catalogue", code=code)
    return _render_catalogue(request, catalogue, issue_form=form)


@require_POST
def catalogue_new_version(request: AuthedRequest, code: UUID) -> HttpResponse:
    _require_catalogue_reader(request.user)
    catalogue = queries.get_catalogue_for_user(request.user, code)
    with validation_errors(request=request) as attempt:
        fresh = services.catalogue_new_version(actor=request.user, catalogue=catalogue)
    if not attempt.ok:
        return redirect("duties:catalogue", code=code)
    messages.success(request, _("已创建第 %(n)d 版草稿，修改后请重新下发。") % {"n": fresh.version})
    return redirect("duties:catalogue", code=fresh.code)
