"""The dashboard as JSON: the same table, people and sources as the page, the same access."""

from datetime import date
from typing import Any, Literal
from uuid import UUID

from django.utils import timezone
from ninja import Router, Schema

from liangze.accounts.http import AuthedRequest
from liangze.core.apierrors import answers
from liangze.dashboard import policy, queries
from liangze.orgs import queries as org_queries

router = Router(tags=["监督看板"])


class UnitOut(Schema):
    label: str
    org_code: UUID | None
    colour: str
    colour_label: str
    metrics: dict[str, float]
    cells: dict[str, int]


class PersonOut(Schema):
    person_code: UUID
    name: str
    colour: str
    colour_label: str
    metrics: dict[str, float]


class DashboardOut(Schema):
    org_code: UUID
    org_name: str
    year: int
    source: str
    as_of: date | None
    scale_code: str
    scale_version: int
    own: UnitOut | None
    children: list[UnitOut]
    total: UnitOut | None
    people: list[PersonOut]


def _unit(row: queries.UnitRow | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {
        "label": row.label,
        "org_code": row.org.code if row.org else None,
        "colour": row.colour.value,
        "colour_label": str(row.colour.label),
        "metrics": row.metrics,
        "cells": dict(row.cells),
    }


@router.get(
    "/units",
    response=answers(DashboardOut, 403, 404),
    summary="监督看板：下级单位与本级人员的四色预警",
)
def units(
    request: AuthedRequest,
    org: UUID,
    year: int | None = None,
    source: Literal["live", "snapshot"] | None = None,
) -> dict[str, Any]:
    """County and below are computed live unless `source=snapshot`; city and province read
    the latest weekly snapshot (its date in `as_of`)."""
    node = org_queries.get_org_for_user(request.user, org)
    policy.require_watch(request.user, node)
    board = queries.dashboard(
        request.user, node, year=year or timezone.localdate().year, source=source
    )
    return {
        "org_code": node.code,
        "org_name": node.name,
        "year": board.year,
        "source": board.source,
        "as_of": board.as_of,
        "scale_code": board.scale.code,
        "scale_version": board.scale.version,
        "own": _unit(board.own),
        "children": [_unit(row) for row in board.rows],
        "total": _unit(board.total),
        "people": [
            {
                "person_code": p.person.code,
                "name": p.person.name,
                "colour": p.colour.value,
                "colour_label": str(p.colour.label),
                "metrics": p.metrics,
            }
            for p in board.people
        ],
    }
