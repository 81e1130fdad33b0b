"""The indicators page (RULE-2): each quantified duty's figure, and the records behind it;
the rule pages (RULE-3): the rules in force for an org, a rule's versions, a new version."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from liangze import access
from liangze.accounts.http import AuthedRequest
from liangze.core.forms import YearForm
from liangze.core.issuing import issue_and_return
from liangze.core.paging import paginate
from liangze.core.periods import Period
from liangze.ledger import policy
from liangze.ledger.indicators import queries as indicator_queries
from liangze.ledger.indicators import services
from liangze.ledger.indicators.forms import RuleHistoryForm, RuleVersionForm
from liangze.ledger.models import Rule
from liangze.orgs import queries as org_queries
from liangze.orgs.models import Org


def _org(request: AuthedRequest) -> Org | None:
    code = request.GET.get("org")
    if not code:
        return org_queries.tree_roots_for(request.user).first()
    # A malformed code is refused by access like an unknown one (404, audited).
    return org_queries.get_org_for_user(request.user, code)


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


# The rules by jurisdiction ----------------------------------------------------------------


@require_GET
def rules(request: AuthedRequest) -> HttpResponse:
    policy.require_rule_reader(request.user)
    form = YearForm(request.GET)
    year = form.chosen()
    org = org_queries.chosen_org(request.user, request.GET.get("org"))
    context = {"form": form, "year": year, "org": org}
    if org is not None:
        issuers = list(org_queries.jurisdiction_orgs(request.user))
        context |= {
            "rules": indicator_queries.rules_in_force(org, year),
            "may_issue": org in issuers,
            "issuer_orgs": issuers,
            "ancestors": [
                a
                for a in org_queries.ancestors_of(org)
                if access.scope_for(request.user).covers_org(a)
            ],
            "children": org_queries.children_of(request.user, org),
        }
    return render(request, "ledger/rules.html", context)


@require_GET
def rule_history(request: AuthedRequest, key: str) -> HttpResponse:
    policy.require_rule_reader(request.user)
    form = RuleHistoryForm(request.GET)
    text = form.cleaned_data.get("q", "").strip() if form.is_valid() else ""
    versions = indicator_queries.rule_versions(request.user, key)
    first = versions.first()
    if first is None:
        access.deny(request.user, model=Rule, lookup={"key": key}, reason="not_found", hide=True)
    found = indicator_queries.rule_versions(request.user, key, text=text)
    context = {"form": form, "rule": first, "page_obj": paginate(request, found)}
    return render(request, "ledger/rule_history.html", context)


@require_http_methods(["GET", "POST"])
def rule_new(request: AuthedRequest, key: str) -> HttpResponse:
    policy.require_rule_reader(request.user)
    access.require_any(request.user, policy.ISSUE, Rule)
    org = org_queries.chosen_org(request.user, request.GET.get("org"))
    year = YearForm(request.GET).chosen()
    base = indicator_queries.rule_base(org, key, year) if org is not None else None
    if org is None or base is None:
        access.deny(request.user, model=Rule, lookup={"key": key}, reason="not_found", hide=True)
    initial = {name: getattr(base, name) for name in services.EDITABLE} | {
        "year": year,
        "source": "",
    }
    form = RuleVersionForm(base, request.POST or None, initial=initial)
    done = issue_and_return(
        request,
        form,
        lambda data: services.rule_issue(actor=request.user, key=key, issuer=org, **data),
        said=lambda rule: (
            _("已发布“%(name)s”第%(version)s版，原有版本保持不变。")
            % {"name": rule.name, "version": rule.version}
        ),
        page="ledger:rules",
        org_code=org.code,
    )
    if done is not None:
        return done
    context = {"form": form, "base": base, "org": org, "year": year}
    return render(request, "ledger/rule_form.html", context)
