"""Inspections over the API: the list, one with its targets and draw, the draw re-run."""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from liangze import access
from liangze.accounts.http import AuthedRequest
from liangze.core.apierrors import answers
from liangze.core.paging import ApiPages
from liangze.supervision.inspections import queries
from liangze.supervision.models import Inspection, Sample

router = Router(tags=["督查检查"])


class InspectionOut(Schema):
    code: UUID
    kind: str
    kind_label: str = Field(alias="get_kind_display")
    title: str
    year: int
    period: str
    status: str
    status_label: str = Field(alias="get_status_display")
    organiser: str = Field(alias="organiser_name")
    org_code: UUID = Field(alias="org.code")
    org_name: str = Field(alias="org.name")
    planned_start: date
    planned_end: date
    started_at: datetime | None
    concluded_at: datetime | None


class InspectionListOut(InspectionOut):
    targets: int = Field(alias="target_count")
    checked: int = Field(alias="checked_count")
    findings: int = Field(alias="finding_count")


class TargetOut(Schema):
    code: UUID
    org_code: UUID = Field(alias="org.code")
    org_no: str = Field(alias="org.org_no")
    org_name: str = Field(alias="org.name")
    why: str
    why_label: str = Field(alias="get_why_display")
    reasons: str
    status: str
    conclusion: str
    removed_reason: str


class SampleOut(Schema):
    population: list[str]
    population_digest: str
    population_rule: str
    seed: str
    seed_source: str
    size: int
    algorithm: str
    result: list[str]
    drawn_by: str = Field(alias="drawn_by_name")
    drawn_at: datetime


class InspectionDetailOut(InspectionOut):
    requirements: str
    summary: str
    targets: list[TargetOut] = Field(alias="target_list")
    sample: SampleOut | None = Field(None, alias="sample_record")


class VerificationOut(Schema):
    matches: bool
    digest_ok: bool
    ok: bool
    recomputed: list[str]
    population_unchanged: bool | None
    added: list[str]
    removed: list[str]


class InspectionFilter(Schema):
    year: int | None = None
    kind: Inspection.Kind | None = None
    status: Inspection.Status | None = None
    q: str = ""


@router.get("/", response=answers(list[InspectionListOut], 400, 403, 404), summary="可见的督查检查")
@paginate(ApiPages, page_size=50)
def inspections(request: AuthedRequest, filters: Query[InspectionFilter]) -> Any:
    return queries.inspection_search(
        request.user,
        text=filters.q.strip(),
        kind=filters.kind or "",
        status=filters.status or "",
        year=filters.year,
    )


@router.get(
    "/{code}",
    response=answers(InspectionDetailOut, 403, 404),
    summary="检查详情：被检查单位和随机抽取记录",
)
def inspection(request: AuthedRequest, code: UUID) -> Inspection:
    found = queries.get_inspection_for_user(request.user, code)
    found.target_list = list(found.targets.select_related("org").order_by("org__path"))  # type: ignore[attr-defined]  # for InspectionDetailOut
    found.sample_record = Sample.objects.filter(inspection=found).first()  # type: ignore[attr-defined]  # for InspectionDetailOut
    return found


@router.post(
    "/{code}/verify-draw", response=answers(VerificationOut, 403, 404), summary="重新抽取以验证"
)
def verify_draw(request: AuthedRequest, code: UUID) -> dict[str, Any]:
    """Re-run the recorded draw from its recorded population and seed; changes nothing."""
    found = queries.get_inspection_for_user(request.user, code)
    sample = access.get_within(request.user, Sample.objects.all(), inspection=found)
    check = queries.verification(sample)
    return {
        "matches": check.matches,
        "digest_ok": check.digest_ok,
        "ok": check.ok,
        "recomputed": check.recomputed,
        "population_unchanged": check.population_unchanged,
        "added": check.added,
        "removed": check.removed,
    }
