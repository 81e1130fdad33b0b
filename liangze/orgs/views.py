from uuid import UUID

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from liangze import access
from liangze.accounts.http import AuthedRequest
from liangze.core import downloads
from liangze.core.formerrors import validation_errors
from liangze.core.paging import paginate
from liangze.orgs import exports, importing, queries, services
from liangze.orgs.forms import (
    LeadingGroupForm,
    MembershipEndForm,
    MembershipForm,
    OrgImportForm,
    PeopleFilterForm,
)
from liangze.orgs.models import LeadingGroup


@require_GET
def tree(request: AuthedRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()
    if text:
        page_obj = paginate(request, queries.org_search(request.user, text))
        page_obj.object_list = queries.with_ancestry(list(page_obj.object_list))
        return render(request, "orgs/tree.html", {"q": text, "page_obj": page_obj})
    roots = list(queries.tree_roots_for(request.user, administering=True))
    return render(request, "orgs/tree.html", {"roots": roots, "q": ""})


@require_GET
def tree_children(request: AuthedRequest, code: UUID) -> HttpResponse:
    org = queries.get_org_for_user(request.user, code, administering=True)
    children = queries.children_of(request.user, org, administering=True)[:500]
    return render(request, "orgs/tree.html#children", {"children": children})


@require_GET
def org_detail(request: AuthedRequest, code: UUID) -> HttpResponse:
    org = queries.get_org_for_user(request.user, code, administering=True)
    page = queries.org_page(request.user, org)
    children = paginate(request, queries.children_of(request.user, org, administering=True))
    return render(request, "orgs/org.html", {"page": page, "org": org, "page_obj": children})


@require_GET
def people(request: AuthedRequest) -> HttpResponse:
    form = PeopleFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    org = (
        queries.get_org_for_user(request.user, filters["org"], administering=True)
        if filters.get("org")
        else None
    )
    found = queries.people_search(
        request.user,
        text=filters.get("q", ""),
        org=org,
        rank=filters.get("rank", ""),
        party=filters.get("party", ""),
    )
    if request.GET.get("export") == "xlsx":
        rows = exports.people_rows(found)
        return downloads.sheet_download(
            request, "人员名单", exports.PEOPLE_HEADERS, rows, sheet="人员"
        )
    context = {"form": form, "org": org, "page_obj": paginate(request, found)}
    return render(request, "orgs/people.html", context)


@require_GET
def person_detail(request: AuthedRequest, code: UUID) -> HttpResponse:
    person = queries.get_person_for_user(request.user, code)
    current, past = queries.positions_of(person)
    context = {"person": person, "current": current, "past": past}
    return render(request, "orgs/person.html", context)


@require_http_methods(["GET", "POST"])
def import_page(request: AuthedRequest) -> HttpResponse:
    access.require_role(request.user, access.SYSTEM)
    form = OrgImportForm(request.POST or None, request.FILES or None)
    report = problems = None
    if request.method == "POST" and form.is_valid():
        try:
            report = importing.import_workbook(actor=request.user, file=form.cleaned_data["file"])
        except importing.ImportFailed as failed:
            problems = failed.problems
    context = {"form": form, "sheets": importing.SHEETS, "report": report, "problems": problems}
    return render(request, "orgs/import.html", context)


@require_GET
def import_template(request: AuthedRequest) -> HttpResponse:
    access.require_role(request.user, access.SYSTEM)
    return downloads.attachment(importing.template_workbook(), "组织人员导入模板.xlsx")


# Leading groups (ORG-5) ---------------------------------------------------------


@require_http_methods(["GET", "POST"])
def group_new(request: AuthedRequest, code: UUID) -> HttpResponse:
    org = queries.get_org_for_user(request.user, code, administering=True)
    access.require(request.user, access.CHANGE, LeadingGroup(org=org))
    form = LeadingGroupForm(org, request.POST or None, initial={"office_org": org})
    if request.method == "POST" and form.is_valid():
        with validation_errors(form) as attempt:
            group = services.leading_group_create(actor=request.user, org=org, **form.cleaned_data)
        if attempt.ok:
            messages.success(request, _("已成立领导小组：%(name)s") % {"name": group.name})
            return redirect(group)
    return render(request, "orgs/group_form.html", {"form": form, "org": org, "group": None})


@require_http_methods(["GET", "POST"])
def group_edit(request: AuthedRequest, code: UUID) -> HttpResponse:
    group = queries.get_group_for_user(request.user, code, access.CHANGE)
    initial = {name: getattr(group, name) for name in services.GROUP_FIELDS}
    form = LeadingGroupForm(group.org, request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        with validation_errors(form) as attempt:
            services.leading_group_update(actor=request.user, group=group, **form.cleaned_data)
        if attempt.ok:
            messages.success(request, _("已保存领导小组：%(name)s") % {"name": group.name})
            return redirect(group)
    context = {"form": form, "org": group.org, "group": group}
    return render(request, "orgs/group_form.html", context)


def _group_page(
    request: AuthedRequest, group: LeadingGroup, form: MembershipForm | None = None
) -> HttpResponse:
    may_change = access.user_can(request.user, access.CHANGE, group)
    if may_change and form is None:
        form = MembershipForm(request.user, group)
    context = {
        "group": group,
        "org": group.org,
        "ancestors": queries.ancestors_of(group.org),
        "may_change": may_change,
        "member_form": form,
        "end_form": MembershipEndForm() if may_change else None,
    }
    return render(request, "orgs/group.html", context)


@require_GET
def group_detail(request: AuthedRequest, code: UUID) -> HttpResponse:
    return _group_page(request, queries.get_group_for_user(request.user, code))


@require_POST
def member_add(request: AuthedRequest, code: UUID) -> HttpResponse:
    group = queries.get_group_for_user(request.user, code, access.CHANGE)
    form = MembershipForm(request.user, group, request.POST)
    if form.is_valid():
        aliases = {"person": ("position",)}
        with validation_errors(form, aliases=aliases) as attempt:
            seat = services.group_membership_add(
                actor=request.user, group=group, **form.arguments()
            )
        if attempt.ok:
            messages.success(request, _("已添加成员：%(seat)s") % {"seat": seat})
            return redirect(group)
    return _group_page(request, group, form)


@require_POST
def member_end(request: AuthedRequest, code: UUID) -> HttpResponse:
    seat = queries.get_membership_for_user(request.user, code, access.CHANGE)
    form = MembershipEndForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("end_date", []):
            messages.error(request, _("离任日期：%(error)s") % {"error": error})
        return redirect(seat.group)
    with validation_errors(request=request) as attempt:
        services.group_membership_end(actor=request.user, membership=seat, **form.cleaned_data)
    if attempt.ok:
        messages.success(request, _("已结束任职：%(seat)s") % {"seat": seat})
    return redirect(seat.group)
