from datetime import date
from typing import Any
from uuid import UUID

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from liangze.accounts.http import AuthedRequest
from liangze.core.apierrors import answers
from liangze.core.paging import ApiPages
from liangze.orgs import queries
from liangze.orgs.models import Org, Person, Position

router = Router(tags=["组织"])
people_router = Router(tags=["人员"])


class OrgOut(Schema):
    code: UUID
    org_no: str
    name: str
    kind: str
    kind_label: str = Field(alias="get_kind_display")
    level: str
    depth: int
    child_count: int
    parent_code: UUID | None = Field(None, alias="parent.code")


class PersonOut(Schema):
    code: UUID
    person_no: str
    name: str
    gender: str
    is_party_member: bool
    rank: str
    rank_label: str = Field(alias="get_rank_display")
    org_code: UUID = Field(alias="org.code")
    org_name: str = Field(alias="org.name")
    department: str


class PositionOut(Schema):
    code: UUID
    org_code: UUID = Field(alias="org.code")
    org_name: str = Field(alias="org.name")
    kind: str
    title: str
    portfolio: str
    portfolio_org_codes: list[UUID]
    liaison_org_codes: list[UUID]
    start_date: date
    end_date: date | None

    @staticmethod
    def resolve_portfolio_org_codes(obj: Position) -> list[UUID]:
        return [o.code for o in obj.portfolio_orgs.all()]

    @staticmethod
    def resolve_liaison_org_codes(obj: Position) -> list[UUID]:
        return [o.code for o in obj.liaison_orgs.all()]


class PeopleFilter(Schema):
    q: str = ""
    org: UUID | None = None
    rank: str = ""


@router.get("/", response=answers(list[OrgOut], 403, 404), summary="可见组织树的根节点")
def roots(request: AuthedRequest) -> Any:
    return queries.tree_roots_for(request.user, administering=True).select_related("parent")


@router.get("/search", response=answers(list[OrgOut], 400, 403, 404), summary="按名称搜索组织")
@paginate(ApiPages, page_size=50)
def search(request: AuthedRequest, q: str) -> Any:
    return queries.org_search(request.user, q).select_related("parent")


@router.get("/{code}", response=answers(OrgOut, 403, 404), summary="组织详情")
def org(request: AuthedRequest, code: UUID) -> Org:
    return queries.get_org_for_user(request.user, code, administering=True)


@router.get("/{code}/children", response=answers(list[OrgOut], 400, 403, 404), summary="下级组织")
@paginate(ApiPages, page_size=100)
def children(request: AuthedRequest, code: UUID) -> Any:
    parent = queries.get_org_for_user(request.user, code, administering=True)
    return queries.children_of(request.user, parent, administering=True).select_related("parent")


@people_router.get("/", response=answers(list[PersonOut], 400, 403, 404), summary="人员列表")
@paginate(ApiPages, page_size=50)
def people(request: AuthedRequest, filters: Query[PeopleFilter]) -> Any:
    org = (
        queries.get_org_for_user(request.user, filters.org, administering=True)
        if filters.org
        else None
    )
    return queries.people_search(request.user, text=filters.q, org=org, rank=filters.rank)


@people_router.get("/{code}", response=answers(PersonOut, 403, 404), summary="人员详情")
def person(request: AuthedRequest, code: UUID) -> Person:
    return queries.get_person_for_user(request.user, code)


@people_router.get(
    "/{code}/positions",
    response=answers(list[PositionOut], 403, 404),
    summary="人员的任职（含历任）",
)
def positions(request: AuthedRequest, code: UUID) -> Any:
    current, past = queries.positions_of(queries.get_person_for_user(request.user, code))
    return current + past
