"""The supervision dashboard (issue 4 item 7): per subordinate unit, how the ledger stands.

Read only for everyone: higher levels see their subordinates' figures and may
follow the links to the ledgers, where the ledger's own policy keeps them from
editing.
"""

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from liangze import access
from liangze.accounts.http import AuthedRequest
from liangze.core import dbrouting, downloads
from liangze.core.forms import YearForm
from liangze.core.issuing import issue_and_return
from liangze.core.paging import paginate
from liangze.dashboard import exports, policy, queries, services
from liangze.dashboard.forms import ScaleVersionForm
from liangze.dashboard.models import ScaleVersion
from liangze.dashboard.warning import METRICS
from liangze.orgs import queries as org_queries
from liangze.orgs.models import Org


def _org(request: AuthedRequest) -> Org:
    """The org asked for (404 for an outsider, 403 for an insider who may not watch it),
    or the first the user may watch."""
    code = request.GET.get("org")
    if code:
        # A malformed code is refused by access like an unknown one (404, audited).
        org = org_queries.get_org_for_user(request.user, code)
        policy.require_watch(request.user, org)
        return org
    first = policy.first_watched(request.user)
    policy.require_watch(request.user, first)
    assert first is not None  # require_watch refused otherwise
    return first


def _year(request: AuthedRequest) -> int:
    today = timezone.localdate().year
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return today
    return year if 2000 <= year <= today + 1 else today


def _source(request: AuthedRequest) -> queries.Source | None:
    value = request.GET.get("source")
    return value if value in ("live", "snapshot") else None  # type: ignore[return-value]  # one of the two


SIGNS = {">=": "≥", ">": "＞", "<=": "≤", "<": "＜", "==": "＝"}


def _scale_rules(board: queries.Dashboard) -> list[tuple[str, str, str, list[str]]]:
    """The scale's rules in words, for the legend: (对象, colour, 任一/全部, conditions)."""
    lines = []
    for subject, label in (("unit", "单位"), ("person", "个人")):
        for rule in board.scale.rules(subject):  # type: ignore[arg-type]  # one of the two subjects
            conditions = [
                f"{METRICS[subject][c.metric]} {SIGNS[c.op]} {c.value:g}"  # type: ignore[index]  # one of the two subjects
                for c in rule.conditions
            ]
            match = "满足任一" if rule.match == "any" else "同时满足"
            lines.append((label, rule.colour.value, match, conditions))
    return lines


def _board(request: AuthedRequest) -> queries.Dashboard:
    org = _org(request)
    return queries.dashboard(request.user, org, year=_year(request), source=_source(request))


@require_GET
def index(request: AuthedRequest) -> HttpResponse:
    board = _board(request)
    today = timezone.localdate().year
    context = {
        "board": board,
        "ancestors": queries.ancestors_in_view(request.user, board.org),
        "years": range(today, today - 4, -1),
        "scale_colours": board.scale.colours,
        "scale_rules": _scale_rules(board),
    }
    return render(request, "dashboard/index.html", context)


@require_GET
def export(request: AuthedRequest) -> HttpResponse:
    # A year's roll-up may come from the read replica; the audit event goes to the primary.
    with dbrouting.reporting():
        board = _board(request)
        content = exports.workbook(board)
    filename = f"监督看板-{board.org.name}-{board.year}年.xlsx"
    return downloads.audited_download(request, content, filename, obj=board.org)


# The scale by jurisdiction ----------------------------------------------------------------


@require_GET
def scale(request: AuthedRequest) -> HttpResponse:
    access.require_discipline_staff(request.user, model=ScaleVersion, label="四色预警标准")
    form = YearForm(request.GET)
    year = form.chosen()
    org = org_queries.chosen_org(request.user, request.GET.get("org"))
    context: dict[str, Any] = {"form": form, "year": year, "org": org, "here": "scale"}
    context |= {"new_url": reverse("dashboard:scale_new"), "empty_icon": "bi-palette"}
    if org is not None:
        governing, allowed, name = queries.scale_book(year).governing(org.path)
        issuers = list(org_queries.jurisdiction_orgs(request.user))
        context |= {
            "governing": governing,
            "governing_name": name,
            "allow_tighten": allowed,
            "conditions": ScaleVersionForm(governing).condition_fields(),
            "issuer_orgs": issuers,
            "children": org_queries.children_of(request.user, org),
            "may_issue": org in issuers,
            "page_obj": paginate(request, queries.scale_versions_visible(request.user)),
        }
    return render(request, "dashboard/scale.html", context)


@require_http_methods(["GET", "POST"])
def scale_new(request: AuthedRequest) -> HttpResponse:
    access.require_discipline_staff(request.user, model=ScaleVersion, label="四色预警标准")
    year = YearForm(request.GET).chosen()
    org = org_queries.issuing_org(
        request.user, request.GET.get("org"), model=ScaleVersion, action=policy.ISSUE
    )
    governing, _allowed, name = queries.scale_book(year).governing(org.path)
    initial = {"year": year, "allow_tighten": True}
    form = ScaleVersionForm(governing, request.POST or None, initial=initial)
    done = issue_and_return(
        request,
        form,
        lambda data: services.scale_issue(
            actor=request.user,
            issuer=org,
            year=data["year"],
            values=form.values(),
            source=data["source"],
            allow_tighten=data["allow_tighten"],
        ),
        said=lambda version: (
            _("已发布%(org)s四色预警标准第%(version)s版，原有版本保持不变。")
            % {"org": org.name, "version": version.version}
        ),
        page="dashboard:scale",
        org_code=org.code,
    )
    if done is not None:
        return done
    back = f"{reverse('dashboard:scale')}?org={org.code}&year={year}"
    context = {"form": form, "org": org, "year": year, "governing_name": name, "back": back}
    return render(request, "dashboard/scale_form.html", context)
