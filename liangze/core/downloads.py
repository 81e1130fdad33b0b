"""File downloads; an export of data is audited here, once, for every page that offers one.

A list page is a read, but taking its rows away in a file is something the
audit trail must show (NF-3): who, what, how many rows, in which format, under
which filter. Pages call `audited_download` (or `sheet_download` for one
sheet of rows) instead of writing the event themselves, so no export goes
unrecorded and no view writes.
"""

from collections.abc import Iterable, Iterator, Sequence
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from liangze.core import audit, xlsx

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CONTENT_TYPES = {".xlsx": xlsx.XLSX, ".docx": DOCX}


def attachment(content: bytes, filename: str) -> HttpResponse:
    """`content` as a file to save under `filename`, its type told by the extension."""
    suffix = PurePath(filename).suffix.lower()
    response = HttpResponse(
        content, content_type=CONTENT_TYPES.get(suffix, "application/octet-stream")
    )
    # RFC 5987: Chinese names survive only percent-encoded as UTF-8; "/" too must be encoded.
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename, safe='')}"
    return response


def audited_download(
    request: HttpRequest,
    content: bytes,
    filename: str,
    *,
    obj: Model | None = None,
    label: str = "",
    rows: int | None = None,
) -> HttpResponse:
    """Record the export by `request.user` of `obj` (or of what `label` names), then the file."""
    data: dict[str, Any] = {"format": PurePath(filename).suffix.lower().lstrip(".")}
    if rows is not None:
        data["rows"] = rows
    if request.GET:
        data["query"] = request.GET.urlencode()
    if obj is None:
        label = label or filename
    audit.record(actor=request.user, verb=audit.Verb.EXPORT, obj=obj, label=label, data=data)
    return attachment(content, filename)


def sheet_download(
    request: HttpRequest,
    name: str,
    headers: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    *,
    sheet: str = "",
) -> HttpResponse:
    """A list page's rows as `<name>-<today>.xlsx`, audited under `name`, counted as written."""
    written = 0

    def counted() -> Iterator[Sequence[Any]]:
        nonlocal written
        for row in rows:
            written += 1
            yield row

    content = xlsx.workbook_bytes([(sheet or name, [str(h) for h in headers], counted())])
    filename = f"{name}-{timezone.localdate():%Y%m%d}.xlsx"
    return audited_download(request, content, filename, label=name, rows=written)
