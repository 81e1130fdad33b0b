"""The coverage page (LIST-6): drill down the tree level by level, missing names listed."""

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from liangze.accounts.http import AuthedRequest
from liangze.core.paging import PAGE_SIZE
from liangze.duties.coverage import queries as cover
from liangze.duties.models import ListType
from liangze.orgs import queries as org_queries
from liangze.orgs.models import Org


def _year(request: AuthedRequest) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


@require_GET
def coverage_page(request: AuthedRequest) -> HttpResponse:
    code = request.GET.get("org")
    org = (
        org_queries.get_org_for_user(request.user, code)
        if code
        else org_queries.tree_roots_for(request.user).first()
    )
    if org is None:
        return render(request, "duties/coverage.html", {"report": None})
    year = _year(request)
    list_type = request.GET.get("type", ListType.COLLECTIVE)
    if list_type not in ListType.values:
        list_type = ListType.COLLECTIVE
    report = cover.coverage(org, year)
    # Counted by the roll-up: a COUNT of the missing would read the whole subtree again.
    missing: Paginator[Any] = Paginator(cover.missing_counted(report, list_type), PAGE_SIZE)
    ancestors = org_queries.ancestors_of(org)
    page_obj = missing.get_page(request.GET.get("page"))
    units = [row.org for row in report.rows]
    units += [row for row in page_obj.object_list if isinstance(row, Org)]  # units missing lists
    context = {
        "report": report,
        "ancestors": ancestors,
        # A unit the user may not open is named, not linked: no link ends in a refusal.
        "followable": org_queries.followable(request.user, [*ancestors, *units]),
        "year": year,
        "years": range(timezone.localdate().year + 1, timezone.localdate().year - 4, -1),
        "list_type": list_type,
        "list_types": ListType.choices,
        "page_obj": page_obj,
    }
    return render(request, "duties/coverage.html", context)
