"""How much one request may carry: a total body cap checked before the body is read, and
the answers (a page, or JSON under /api/) when a request is too big or has too many files.

Django's own limits (DATA_UPLOAD_MAX_NUMBER_FILES and the rest) raise while the body is
parsed; Django then answers a bare 400. `bad_request` (handler400) says why instead.
"""

from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults

API_PREFIX = "/api/"
MB = 1024 * 1024


def too_big_message() -> str:
    return f"请求内容超过 {settings.LIANGZE_MAX_REQUEST_MB} MB 的上限。"


def too_many_files_message() -> str:
    return f"一次最多上传 {settings.DATA_UPLOAD_MAX_NUMBER_FILES} 个文件，请分次上传。"


def too_many_fields_message() -> str:
    return f"一次提交的字段超过 {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS} 个。"


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def refusal(request: HttpRequest, status: int, reason: str) -> HttpResponse:
    """The answer to a request refused for its size: JSON on the API, a page elsewhere."""
    if is_api(request):
        return JsonResponse({"detail": reason}, status=status)
    # Rendered without context processors: the body (and so the session's form) is unread.
    content = loader.get_template("too_big.html").render({"reason": reason})
    return HttpResponse(content, status=status)


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class RequestSizeMiddleware:
    """Refuses a body over LIANGZE_MAX_REQUEST_MB from its Content-Length, before reading it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _declared_length(request) > settings.LIANGZE_MAX_REQUEST_MB * MB:
            return refusal(request, 413, too_big_message())
        return self.get_response(request)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler400: Django's upload limits named in Chinese; the API answered in JSON."""
    if isinstance(exception, RequestDataTooBig):
        return refusal(request, 413, too_big_message())
    if isinstance(exception, TooManyFilesSent):
        return refusal(request, 413, too_many_files_message())
    if isinstance(exception, TooManyFieldsSent):
        return refusal(request, 413, too_many_fields_message())
    if is_api(request):
        return JsonResponse({"detail": "请求不合法。"}, status=400)
    return defaults.bad_request(request, exception)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler404: an unknown /api/ address answers JSON, like the API's own 404s."""
    if is_api(request):
        return JsonResponse({"detail": "接口地址不存在。"}, status=404)
    return defaults.page_not_found(request, exception)


def forbidden(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler403: refused outside the API's own handlers (CSRF, middleware) still JSON there."""
    if is_api(request):
        return JsonResponse({"detail": "没有执行此操作的权限。"}, status=403)
    return defaults.permission_denied(request, exception)


class TooManyRows(Exception):
    """A spreadsheet past an import's row limit, found while reading, before the rest is parsed."""

    def __init__(self, sheet: str, limit: int) -> None:
        super().__init__(
            _("工作表「%(sheet)s」超过 %(limit)d 行的导入上限，请删除多余的行或拆分后分批导入。")
            % {"sheet": sheet, "limit": limit}
        )


def bounded_rows(sheet: Any, limit: int, *, min_row: int = 1) -> Iterator[tuple[Any, ...]]:
    """The values of a (read-only) worksheet's rows, stopping at row `limit` + 1.

    Counted while reading, not from the sheet's recorded used range, which some writers
    get wrong; a workbook of a million rows costs only the rows up to the limit.
    """
    for number, row in enumerate(sheet.iter_rows(min_row=min_row, values_only=True), min_row):
        if number > limit:
            raise TooManyRows(sheet.title, limit)
        yield row
