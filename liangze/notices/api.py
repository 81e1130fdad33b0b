"""三书 in the JSON API: the register, one notice, and signing for it — the pages' access rules."""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from liangze.accounts.http import AuthedRequest
from liangze.core.apierrors import answers
from liangze.core.paging import ApiPages
from liangze.notices import policy, queries, services
from liangze.notices.models import Notice, NoticeKind

router = Router(tags=["三书"])


class NoticeOut(Schema):
    code: UUID
    kind: str
    kind_label: str = Field(alias="get_kind_display")
    year: int
    status: str
    status_label: str = Field(alias="get_status_display")
    number: str
    title: str
    issuer_name: str
    issuer_org_code: UUID = Field(alias="org.code")
    recipient_name: str
    recipient_person_code: UUID | None = Field(None, alias="recipient_person.code")
    recipient_org_code: UUID | None = Field(None, alias="recipient_org.code")
    cc_text: str
    reply_due: date | None
    issued_on: date | None
    issued_at: datetime | None
    acknowledged_at: datetime | None
    acknowledged_name: str


class NoticeDetailOut(NoticeOut):
    body: str
    file_sm3: str | None = None


class NoticeFilter(Schema):
    kind: NoticeKind | None = None
    status: Notice.Status | None = None
    year: int | None = None
    box: str = Field(queries.BOX_ALL, pattern="^(all|received|sent)$")
    q: str = ""


@router.get(
    "/", response=answers(list[NoticeOut], 400, 403, 404), summary="可见的三书（发文登记簿）"
)
@paginate(ApiPages, page_size=50)
def notices(request: AuthedRequest, filters: Query[NoticeFilter]) -> Any:
    return queries.notice_search(
        request.user,
        text=filters.q.strip(),
        kind=filters.kind or "",
        status=filters.status or "",
        year=filters.year,
        box=filters.box,
    )


def _detail(notice: Notice) -> Notice:
    check = queries.file_check(notice)
    notice.file_sm3 = check.sm3 if check else None  # type: ignore[attr-defined]  # for the output schema
    return notice


@router.get("/{code}", response=answers(NoticeDetailOut, 403, 404), summary="三书详情")
def notice(request: AuthedRequest, code: UUID) -> Notice:
    return _detail(queries.get_notice_for_user(request.user, code))


@router.post("/{code}/acknowledge", response=answers(NoticeDetailOut, 403, 404), summary="签收")
def acknowledge(request: AuthedRequest, code: UUID) -> Notice:
    found = queries.get_notice_for_user(request.user, code, policy.ACKNOWLEDGE)
    return _detail(services.notice_acknowledge(actor=request.user, notice=found))
