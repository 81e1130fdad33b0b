"""The JSON API under /api/v1/: one router per app, the same access rules as the pages."""

import logging

from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFilesSent,
    ValidationError,
)
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError

from liangze import access
from liangze.api.auth import TokenAuth
from liangze.core import busy, limits
from liangze.core.paging import MAX_PAGE, MAX_PAGE_SIZE, PAGING_PARAMETERS
from liangze.dashboard.api import router as dashboard_router
from liangze.duties.lists.api import router as duties_router
from liangze.ledger.indicators.api import router as indicators_router
from liangze.notices.api import router as notices_router
from liangze.orgs.api import people_router
from liangze.orgs.api import router as orgs_router
from liangze.supervision.inspections.api import router as inspections_router

api = NinjaAPI(
    title="两责信息系统 API",
    version="1",
    description=(
        "党风廉政建设“两个责任”信息系统的数据接口。以 Bearer 令牌认证，权限不超过令牌所有人："
        "只读令牌只能 GET（写操作返回 403“令牌只读”）；令牌过期、被吊销时返回 401。"
    ),
    auth=TokenAuth(),
    urls_namespace="api",
)
logger = logging.getLogger("django.request")

api.add_router("/orgs", orgs_router)
api.add_router("/people", people_router)
api.add_router("/duty-lists", duties_router)
api.add_router("/ledger", indicators_router)
api.add_router("/dashboard", dashboard_router)
api.add_router("/notices", notices_router)
api.add_router("/inspections", inspections_router)


def _error(request: HttpRequest, status: int, message: str, **extra: object) -> HttpResponse:
    return api.create_response(request, {"detail": message, **extra}, status=status)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    access.record_carried_refusal(exc)
    return _error(request, 404, "对象不存在或无权查看。")


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    access.record_carried_refusal(exc)
    return _error(request, 403, "没有执行此操作的权限。")


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 401, "未认证：请在 Authorization 头中提供有效的 Bearer 令牌。")


_PAGING_RANGES = {"page": MAX_PAGE, "page_size": MAX_PAGE_SIZE}


@api.exception_handler(NinjaValidationError)
def invalid_request(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    fields = [
        {"field": ".".join(str(p) for p in e.get("loc", [])), "message": e.get("msg", "")}
        for e in exc.errors
    ]
    # A page the client cannot have is a bad request, named, not "unprocessable" data.
    for e in exc.errors:
        loc = tuple(e.get("loc", ()))
        if loc[:1] == ("query",) and loc[-1:] and loc[-1] in PAGING_PARAMETERS:
            name = str(loc[-1])
            message = f"{name} 参数无效：应为 1 至 {_PAGING_RANGES[name]} 之间的整数。"
            return _error(request, 400, message, errors=fields)
    return _error(request, 422, "请求参数不正确。", errors=fields)


@api.exception_handler(ValidationError)
def invalid_data(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return _error(request, 422, "数据校验未通过。", errors=errors)


@api.exception_handler(RequestDataTooBig)
def too_big(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 413, limits.too_big_message())


@api.exception_handler(TooManyFilesSent)
def too_many_files(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 413, limits.too_many_files_message())


@api.exception_handler(SuspiciousOperation)
def suspicious(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.warning("suspicious API request: %s", exc)
    return _error(request, 400, "请求不合法。")


@api.exception_handler(Exception)
def server_fault(request: HttpRequest, exc: Exception) -> HttpResponse:
    """Any other fault: logged with its traceback, answered in JSON without it."""
    if busy.is_busy(exc):
        response = _error(request, 503, "系统繁忙，请稍后重试。")
        response["Retry-After"] = str(busy.RETRY_AFTER_SECONDS)
        return response
    logger.error("API fault: %s %s", request.method, request.path, exc_info=exc)
    return _error(request, 500, "服务器内部错误，已记录，请联系系统管理员。")
