from datetime import date, datetime
from typing import Any
from uuid import UUID

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from liangze.accounts.http import AuthedRequest
from liangze.core.apierrors import answers
from liangze.core.paging import ApiPages
from liangze.duties.coverage import queries as cover
from liangze.duties.lists import queries
from liangze.duties.models import DutyItem, DutyList, ListType
from liangze.orgs import queries as org_queries

router = Router(tags=["责任清单"])


class DutyListOut(Schema):
    code: UUID
    org_code: UUID = Field(alias="org.code")
    org_name: str = Field(alias="org.name")
    year: int
    list_type: str
    list_type_label: str = Field(alias="get_list_type_display")
    person_code: UUID | None = Field(None, alias="person.code")
    person_name: str | None = Field(None, alias="person.name")
    version: int
    is_current: bool
    status: str
    status_label: str = Field(alias="get_status_display")
    digest: str
    signed_at: datetime | None
    submitted_at: datetime | None
    deadline: date | None
    similarity: float | None


class DutyItemOut(Schema):
    seq: int
    entry_ref: str | None
    is_own: bool
    name: str
    task: str
    responsible_code: UUID | None = Field(None, alias="responsible.code")
    responsible_name: str | None = Field(None, alias="responsible.name")
    department: str
    q1: str
    q2: str
    q3: str
    q4: str


class ListFilter(Schema):
    year: int | None = None
    list_type: ListType | None = None
    status: DutyList.Status | None = None
    org: UUID | None = None
    all_versions: bool = False


class CellOut(Schema):
    required: int
    done: int
    percent: float


class CoverageRowOut(Schema):
    org_code: UUID | None
    org_name: str
    cells: dict[str, CellOut]


class CoverageOut(Schema):
    org_code: UUID
    org_name: str
    year: int
    reference_date: date
    covers_units_without_committee: bool = Field(
        description="未设党委（党组）的单位是否参照执行（计入领导班子主体责任清单）"
    )
    computed_at: datetime | None = Field(
        None, description="应编制数的统计时间（来自汇总表；为空表示实时计算）"
    )
    own_level: CoverageRowOut
    children: list[CoverageRowOut]
    total: CoverageRowOut


@router.get("/", response=answers(list[DutyListOut], 400, 403, 404), summary="可见的责任清单")
@paginate(ApiPages, page_size=50)
def lists(request: AuthedRequest, filters: Query[ListFilter]) -> Any:
    found = queries.duty_list_search(
        request.user,
        year=filters.year,
        list_type=filters.list_type or "",
        status=filters.status or "",
        all_versions=filters.all_versions,
        org=org_queries.get_org_for_user(request.user, filters.org) if filters.org else None,
    )
    # The API's own order (clients page through it by unit), not the page's newest year first.
    return found.order_by("org__path", "list_type", "-version")


@router.get(
    "/coverage", response=answers(CoverageOut, 403, 404), summary="清单全覆盖情况（逐级汇总）"
)
def coverage(request: AuthedRequest, org: UUID, year: int) -> dict[str, Any]:
    node = org_queries.get_org_for_user(request.user, org)
    report = cover.coverage(node, year)

    def row(r: cover.Row, name: str) -> dict[str, Any]:
        cells = {
            t: {"required": c.required, "done": c.done, "percent": c.percent}
            for t, c in r.cells.items()
        }
        return {"org_code": r.org.code if r.org else None, "org_name": name, "cells": cells}

    return {
        "org_code": node.code,
        "org_name": node.name,
        "year": year,
        "reference_date": report.on,
        "covers_units_without_committee": report.covers_units_without_committee,
        "computed_at": report.computed_at,
        "own_level": row(report.own, f"{node.name}（本级）"),
        "children": [row(r, r.org.name if r.org else "") for r in report.rows],
        "total": row(report.total, node.name),
    }


@router.get("/{code}", response=answers(DutyListOut, 403, 404), summary="清单详情")
def duty_list(request: AuthedRequest, code: UUID) -> DutyList:
    return queries.get_duty_list_for_user(request.user, code)


@router.get("/{code}/items", response=answers(list[DutyItemOut], 403, 404), summary="清单事项")
def items(request: AuthedRequest, code: UUID) -> list[DutyItem]:
    return list(queries.items_of(queries.get_duty_list_for_user(request.user, code)))
