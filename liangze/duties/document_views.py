"""Word and Excel downloads and the Excel import of one responsibility list (DOC-1, DOC-2)."""

from collections.abc import Callable
from uuid import UUID

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from liangze import access
from liangze.accounts.http import AuthedRequest
from liangze.core import downloads
from liangze.core.formerrors import validation_errors
from liangze.duties import policy
from liangze.duties.lists import exports, importing
from liangze.duties.models import DutyList

RELATED = ("org", "person", "discipline_body", "catalogue")


@require_GET
def export_xlsx(request: AuthedRequest, code: UUID) -> HttpResponse:
    return _export(request, code, exports.xlsx_bytes, "xlsx")


@require_GET
def export_docx(request: AuthedRequest, code: UUID) -> HttpResponse:
    return _export(request, code, exports.docx_bytes, "docx")


def _export(
    request: AuthedRequest,
    code: UUID,
    render: Callable[[DutyList], bytes],
    extension: str,
) -> HttpResponse:
    duty_list = access.get_for_user(
        request.user, DutyList.objects.select_related(*RELATED), access.VIEW, code=code
    )
    name = exports.filename(duty_list, extension)
    return downloads.audited_download(request, render(duty_list), name, obj=duty_list)


@require_POST
def import_xlsx(request: AuthedRequest, code: UUID) -> HttpResponse:
    duty_list = access.get_for_user(
        request.user, DutyList.objects.select_related(*RELATED), policy.EDIT, code=code
    )
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("请选择要导入的 Excel 文件。"))
        return redirect(reverse("duties:list", args=[code]))
    with validation_errors(request=request) as attempt:
        items = importing.duty_items_import(actor=request.user, duty_list=duty_list, file=upload)
    if attempt.ok:
        messages.success(
            request,
            _("已从“%(file)s”导入 %(count)d 项清单事项。")
            % {"file": upload.name, "count": len(items)},
        )
    return redirect(reverse("duties:list", args=[code]))
