"""Storing evidence files: type and size checked, named and sealed by their SM3 digest."""

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from liangze.accounts.models import User
from liangze.core import audit
from liangze.ledger import policy
from liangze.ledger.models import Evidence
from liangze.orgs.models import Org

MAX_BYTES = 20 * 1024 * 1024
# Accepted by extension and checked by the file's first bytes, so a renamed
# executable is not accepted as a "photo".
KINDS: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "gif": ("image/gif", (b"GIF87a", b"GIF89a")),
    "pdf": ("application/pdf", (b"%PDF-",)),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK\x03\x04",),
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    "doc": ("application/msword", (b"\xd0\xcf\x11\xe0",)),
    "xls": ("application/vnd.ms-excel", (b"\xd0\xcf\x11\xe0",)),
}


def _kind(upload: UploadedFile) -> str:
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in KINDS:
        raise ValidationError(
            _("文件“%(name)s”的类型不支持，只能上传图片（jpg、png、gif）、PDF、Word 或 Excel。")
            % {"name": name}
        )
    if upload.size is not None and upload.size > MAX_BYTES:
        raise ValidationError(_("文件“%(name)s”超过 20 MB。") % {"name": name})
    content_type, signatures = KINDS[extension]
    upload.seek(0)
    head = upload.read(16)
    if not any(head.startswith(s) for s in signatures):
        raise ValidationError(_("文件“%(name)s”的内容与扩展名不符。") % {"name": name})
    return content_type


def _digest(upload: UploadedFile) -> str:
    upload.seek(0)
    hasher = hashlib.new("sm3")
    for chunk in upload.chunks():
        hasher.update(chunk)
    upload.seek(0)
    return hasher.hexdigest()


@transaction.atomic
def evidence_store(*, actor: User | None, org: Org, upload: UploadedFile) -> Evidence:
    """Keep one uploaded file for `org`; the same content is stored once per unit."""
    if not policy.may_record(actor, org):
        raise PermissionDenied
    content_type = _kind(upload)
    digest = _digest(upload)
    existing = Evidence.objects.filter(org=org, sm3=digest, is_deleted=False).first()
    if existing is not None:
        return existing
    evidence = Evidence(
        org=org,
        original_name=(upload.name or "")[:200],
        content_type=content_type,
        size=upload.size or 0,
        sm3=digest,
        uploaded_by=actor,
    )
    evidence.file.save(evidence.original_name, upload, save=False)
    evidence.save()
    audit.record(actor=actor, verb=audit.Verb.CREATE, obj=evidence, data={"sm3": digest})
    return evidence


def evidence_intact(evidence: Evidence) -> bool:
    """Is the stored file still the one that was uploaded?"""
    hasher = hashlib.new("sm3")
    with evidence.file.open("rb") as stored:
        for chunk in stored.chunks():
            hasher.update(chunk)
    return hasher.hexdigest() == evidence.sm3
