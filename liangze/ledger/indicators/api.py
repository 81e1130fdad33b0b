"""Indicators as JSON (RULE-2): the same figures and records as the page, the same access."""

from datetime import date
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from ninja import Router, Schema

from liangze.accounts.http import AuthedRequest
from liangze.core.apierrors import answers
from liangze.core.periods import Period
from liangze.ledger.indicators import queries as indicator_queries
from liangze.orgs import queries as org_queries

router = Router(tags=["量化指标"])


class IndicatorOut(Schema):
    rule_key: str
    rule_version: int
    rule_name: str
    subject_kind: str  # "person" or "org"
    subject_code: UUID
    subject_name: str
    period: str
    deadline: date
    population: int
    required: int
    actual: int
    status: str
    status_label: str
    activity_codes: list[UUID]
    late_activity_codes: list[UUID]


def _out(row: indicator_queries.Row) -> dict[str, Any]:
    return {
        "rule_key": row.rule.key,
        "rule_version": row.rule.version,
        "rule_name": row.rule.name,
        "subject_kind": "org" if row.is_unit else "person",
        "subject_code": row.subject.code,
        "subject_name": row.subject.name,
        "period": str(row.period),
        "deadline": row.deadline,
        "population": row.population,
        "required": row.required,
        "actual": row.actual,
        "status": row.status.value,
        "status_label": str(row.status.label),
        "activity_codes": [a.code for a in row.activities],
        "late_activity_codes": [a.code for a, late in row.records if late],
    }


@router.get(
    "/indicators", response=answers(list[IndicatorOut], 403, 404), summary="量化指标（逐人、逐期）"
)
def indicators(request: AuthedRequest, org: UUID, period: str = "") -> list[dict[str, Any]]:
    """`period` is 2026、2026-H1、2026-Q3 or 2026-M07; without it, the current quarter."""
    node = org_queries.get_org_for_user(request.user, org)
    try:
        chosen = Period.parse(period) if period else indicator_queries.current_period()
    except ValueError as error:
        raise ValidationError({"period": str(error)}) from error
    return [_out(row) for row in indicator_queries.indicators_for(node, chosen)]
