"""Evidence files for every app: type and size checked, named and sealed by their SM3 digest.

Files go through Django's storage API (`Evidence.file`), so a shared store
(object storage, a network filesystem) is a setting, not a change to the apps.
Access is the caller's question: a service asks `access` whether the actor
may record for the unit before it stores a file here.
"""

import hashlib

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Model
from django.http import FileResponse
from django.utils.translation import gettext as _

from liangze.core import audit, repeats
from liangze.core.models import Evidence

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
def evidence_store(*, actor: audit.Actor | None, org: Model, upload: UploadedFile) -> Evidence:
    """Keep one uploaded file for `org` (an orgs.Org); the same content is stored once per unit."""
    content_type = _kind(upload)
    digest = _digest(upload)
    # The same file sent twice at once (a double click) is still stored once per unit.
    repeats.hold(org)
    existing = Evidence.objects.filter(org_id=org.pk, sm3=digest, is_deleted=False).first()
    if existing is not None:
        return existing
    evidence = Evidence(
        org_id=org.pk,
        original_name=(upload.name or "")[:200],
        content_type=content_type,
        size=upload.size or 0,
        sm3=digest,
        uploaded_by_id=actor.pk if actor is not None else None,
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


@transaction.atomic
def evidence_delete(*, actor: audit.Actor | None, evidence: Evidence) -> None:
    """Hide a file from new use; the stored bytes stay, as records that cite it still stand."""
    if evidence.is_deleted:
        return
    evidence.is_deleted = True
    evidence.save(update_fields=["is_deleted"])
    audit.record(actor=actor, verb=audit.Verb.DELETE, obj=evidence, data={"sm3": evidence.sm3})


def evidence_response(evidence: Evidence) -> FileResponse:
    """Stream the stored file; images and PDF open in the browser, Word and Excel download."""
    return FileResponse(
        evidence.file.open("rb"),
        content_type=evidence.content_type,
        as_attachment=not (evidence.is_image or evidence.is_pdf),
        filename=evidence.original_name,
    )
