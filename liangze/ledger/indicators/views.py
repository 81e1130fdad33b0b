"""The indicators page (RULE-2): each quantified duty's figure, and the records behind it."""

from uuid import UUID

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from liangze import access
from liangze.accounts.http import AuthedRequest
from liangze.core.periods import Period
from liangze.ledger.indicators import queries as indicator_queries
from liangze.orgs import queries as org_queries
from liangze.orgs.models import Org


def _org(request: AuthedRequest) -> Org | None:
    code = request.GET.get("org")
    if not code:
        return org_queries.tree_roots_for(request.user).first()
    try:
        return org_queries.get_org_for_user(request.user, UUID(code))
    except ValueError:
        raise Http404 from None


def _period(request: AuthedRequest) -> Period:
    try:
        return Period.parse(request.GET.get("period", ""))
    except ValueError:
        return indicator_queries.current_period()


def _choices(year: int) -> list[list[Period]]:
    """The periods of a year offered as links: the year, its halves, quarters, months."""
    whole = Period(year, "year")
    return [[whole], whole.parts("half"), whole.parts("quarter"), whole.parts("month")]


@require_GET
def indicators(request: AuthedRequest) -> HttpResponse:
    org = _org(request)
    period = _period(request)
    if org is None:
        return render(request, "ledger/indicators.html", {"org": None, "period": period})
    scope = access.scope_for(request.user)
    context = {
        "org": org,
        "period": period,
        "rows": indicator_queries.indicators_for(org, period),
        "ancestors": [a for a in org_queries.ancestors_of(org) if scope.covers_org(a)],
        "children": org_queries.children_of(request.user, org),
        "periods": _choices(period.year),
        "previous_year": Period(period.year - 1, "year"),
        "next_year": Period(period.year + 1, "year"),
    }
    return render(request, "ledger/indicators.html", context)
