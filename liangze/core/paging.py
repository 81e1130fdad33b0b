from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

PAGE_SIZE = 50
# Far past any list this system holds, and small enough that page × size stays a
# 64-bit OFFSET: a larger number is a client's mistake, answered 400, not a 500.
MAX_PAGE = 100_000
MAX_PAGE_SIZE = 100
PAGING_PARAMETERS = ("page", "page_size")


def paginate(request: HttpRequest, queryset: QuerySet[Any], per_page: int = PAGE_SIZE) -> Page[Any]:
    """One page of a list; a page number out of range or not a number gives the nearest page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


class ApiPages(PageNumberPagination):
    """The API's `?page=&page_size=`, bounded in the schema; the API answers a bad one 400."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description=f"页码，1 至 {MAX_PAGE}")
        page_size: int | None = Field(
            None, ge=1, le=MAX_PAGE_SIZE, description=f"每页条数，1 至 {MAX_PAGE_SIZE}"
        )

    def __init__(self, page_size: int = PAGE_SIZE, **kwargs: Any) -> None:
        super().__init__(page_size=page_size, max_page_size=MAX_PAGE_SIZE, **kwargs)
