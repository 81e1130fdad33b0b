"""Pages of responsibility lists (LIST-1 … LIST-8) and their Word and Excel files: thin."""

from collections.abc import Callable
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from liangze.accounts.http import AuthedRequest
from liangze.core import downloads
from liangze.core.formerrors import validation_errors
from liangze.core.paging import paginate
from liangze.duties import policy
from liangze.duties.catalogues import queries as catalogue_queries
from liangze.duties.lists import copydetect, diffing, exports, importing, queries, services
from liangze.duties.lists.forms import (
    DiscussForm,
    DutyListCreateForm,
    DutyListFilterForm,
    ListFilterForm,
    PaperSignForm,
    PublishForm,
    ReviewForm,
    rows_from_paste,
    rows_from_post,
    rows_in_error,
)
from liangze.duties.models import DutyList, Review

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
    context = {"form": form, "has_catalogues": catalogue_queries.issued_catalogues().exists()}
    return render(request, "duties/create.html", context)


def _render_list(request: AuthedRequest, duty_list: DutyList, **forms: Form) -> HttpResponse:
    discussed = {
        "discussed_on": duty_list.discussed_on,
        "meeting": duty_list.discussion_meeting,
        "attendees": duty_list.discussion_attendees,
    }
    page = queries.list_page(request.user, duty_list)
    context = {
        "duty_list": duty_list,
        "page": page,
        "discuss_form": DiscussForm(initial=discussed),
        "paper_sign_form": PaperSignForm(page.sign_lines),
        "review_form": ReviewForm(),
        "publish_form": PublishForm(),
        "comparison": copydetect.twin_comparison(duty_list, request.user),
        **forms,
    }
    return render(request, "duties/list.html", context)


@require_GET
def list_detail(request: AuthedRequest, code: UUID) -> HttpResponse:
    return _render_list(request, queries.get_duty_list_for_user(request.user, code))


@require_GET
def print_form(request: AuthedRequest, code: UUID) -> HttpResponse:
    """The list as its official form (004 附件1–4) alone on the page, for the browser to print."""
    duty_list = queries.get_duty_list_for_user(request.user, code)
    form = exports.form_for(duty_list)
    rows = form.rows()
    context = {
        "duty_list": duty_list,
        "form": form,
        "head_rows": rows[: form.head_rows],
        "body_rows": rows[form.head_rows :],
    }
    return render(request, "duties/print.html", context)


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
        messages.success(request, _("已签字背书，清单内容已冻结。") + _still_to_sign(duty_list))
    return redirect(duty_list)


def _still_to_sign(duty_list: DutyList) -> str:
    """Who else must sign before the list counts as signed, for the message after a signature."""
    lines = queries.sign_lines(duty_list, list(duty_list.signatures.all()))
    pending = [line.who for line in lines if not line.signature]
    return _("还需%(lines)s签字。") % {"lines": "、".join(pending)} if pending else ""


@require_POST
def paper_sign(request: AuthedRequest, code: UUID) -> HttpResponse:
    duty_list = queries.get_duty_list_for_user(request.user, code, policy.PAPER_SIGN)
    lines = queries.sign_lines(duty_list, list(duty_list.signatures.all()))
    form = PaperSignForm(lines, request.POST, request.FILES)
    signer = queries.paper_signer(duty_list, form.data.get("role", ""))
    if form.is_valid() and signer is None:
        form.add_error("role", _("这一栏已经签过字，或没有在任的签字人。"))
    if form.is_valid() and signer is not None:
        with validation_errors(form, request=request) as attempt:
            services.duty_list_sign(
                actor=request.user,
                duty_list=duty_list,
                paper_signer=signer,
                scan=form.cleaned_data["scan"],
            )
        if attempt.ok:
            messages.success(
                request,
                _("已录入%(name)s的纸质签字，扫描件已留存。") % {"name": signer}
                + _still_to_sign(duty_list),
            )
            return redirect(duty_list)
    return _render_list(request, duty_list, paper_sign_form=form)


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
        if attempt.done:
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


# Word, Excel and the Excel import (DOC-1, DOC-2) ------------------------------------


@require_GET
def export_xlsx(request: AuthedRequest, code: UUID) -> HttpResponse:
    return _export(request, code, exports.xlsx_bytes, "xlsx")


@require_GET
def export_docx(request: AuthedRequest, code: UUID) -> HttpResponse:
    return _export(request, code, exports.docx_bytes, "docx")


def _export(
    request: AuthedRequest,
    code: UUID,
    render: Callable[[DutyList], bytes],
    extension: str,
) -> HttpResponse:
    duty_list = queries.get_duty_list_for_user(request.user, code)
    name = exports.filename(duty_list, extension)
    return downloads.audited_download(request, render(duty_list), name, obj=duty_list)


@require_POST
def import_xlsx(request: AuthedRequest, code: UUID) -> HttpResponse:
    duty_list = queries.get_duty_list_for_user(request.user, code, policy.EDIT)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("请选择要导入的 Excel 文件。"))
        return redirect(reverse("duties:list", args=[code]))
    with validation_errors(request=request) as attempt:
        items = importing.duty_items_import(actor=request.user, duty_list=duty_list, file=upload)
    if attempt.ok:
        messages.success(
            request,
            _("已从“%(file)s”导入 %(count)d 项清单事项。")
            % {"file": upload.name, "count": len(items)},
        )
    return redirect(reverse("duties:list", args=[code]))
