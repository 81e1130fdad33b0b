from uuid import UUID

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from liangze import access
from liangze.accounts.http import AuthedRequest
from liangze.core import downloads
from liangze.core.paging import paginate
from liangze.orgs import exports, importing, queries
from liangze.orgs.forms import OrgImportForm, PeopleFilterForm


@require_GET
def tree(request: AuthedRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()
    if text:
        page_obj = paginate(request, queries.org_search(request.user, text))
        page_obj.object_list = queries.with_ancestry(list(page_obj.object_list))
        return render(request, "orgs/tree.html", {"q": text, "page_obj": page_obj})
    roots = list(queries.tree_roots_for(request.user))
    return render(request, "orgs/tree.html", {"roots": roots, "q": ""})


@require_GET
def tree_children(request: AuthedRequest, code: UUID) -> HttpResponse:
    org = queries.get_org_for_user(request.user, code)
    children = queries.children_of(request.user, org)[:500]
    return render(request, "orgs/tree.html#children", {"children": children})


@require_GET
def org_detail(request: AuthedRequest, code: UUID) -> HttpResponse:
    org = queries.get_org_for_user(request.user, code)
    page = queries.org_page(request.user, org)
    children = paginate(request, queries.children_of(request.user, org))
    return render(request, "orgs/org.html", {"page": page, "org": org, "page_obj": children})


@require_GET
def people(request: AuthedRequest) -> HttpResponse:
    form = PeopleFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    org = queries.get_org_for_user(request.user, filters["org"]) if filters.get("org") else None
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
