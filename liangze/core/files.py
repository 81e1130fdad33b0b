"""Evidence files for every app: type and size checked, named and sealed by their SM3 digest.

Files go through Django's storage API (`Evidence.file`), so a shared store
(object storage, a network filesystem) is a setting, not a change to the apps.
Access is the caller's question: a service asks `access` whether the actor
may record for the unit before it stores a file here.
"""

import hashlib
import posixpath
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import FileField, Model
from django.http import FileResponse
from django.utils import timezone
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
    # Written before the row commits (a row must never name a missing file). A failure
    # here removes it; a rollback later in the caller's transaction, or a killed process,
    # leaves it to orphan_files_clean.
    evidence.file.save(evidence.original_name, upload, save=False)
    try:
        evidence.save()
        audit.record(actor=actor, verb=audit.Verb.CREATE, obj=evidence, data={"sm3": digest})
    except BaseException:
        evidence.file.delete(save=False)
        raise
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


# Longer than any upload or request takes: a file younger than this may belong to a row
# whose transaction has not committed yet.
ORPHAN_GRACE = timedelta(hours=24)


@dataclass
class OrphanCounts:
    removed: int = 0
    recent: int = 0  # unreferenced, but within the grace period: left for the next run
    kept: int = 0  # referenced by a row
    names: list[str] = field(default_factory=list)


def orphan_files_clean(*, grace: timedelta = ORPHAN_GRACE) -> OrphanCounts:
    """Delete the stored files no row names (a rolled-back upload, a killed seed) that are
    older than `grace`, in every storage a FileField of any model writes to."""
    counts = OrphanCounts()
    cutoff = timezone.now() - grace
    for storage, referenced in _references().values():
        for name in _walk(storage, ""):
            if name in referenced:
                counts.kept += 1
            elif storage.get_modified_time(name) > cutoff:
                counts.recent += 1
            else:
                storage.delete(name)
                counts.removed += 1
                counts.names.append(name)
    audit.record(
        actor=None,
        verb=audit.Verb.DELETE,
        label=_("清理孤立文件（%(count)d 个）") % {"count": counts.removed},
        # The names, so an operator can tell what went; capped, as the event is one row.
        data={
            "removed": counts.removed,
            "recent": counts.recent,
            "kept": counts.kept,
            "names": counts.names[:200],
        },
    )
    return counts


def _references() -> dict[int, tuple[Storage, set[str]]]:
    """For each storage (by identity), the names every FileField row on it holds."""
    found: dict[int, tuple[Storage, set[str]]] = {}
    for model in apps.get_models():
        for model_field in model._meta.get_fields():
            if not isinstance(model_field, FileField):
                continue
            storage = model_field.storage
            names = found.setdefault(id(storage), (storage, set()))[1]
            rows = model._base_manager.exclude(**{model_field.name: ""})
            names.update(rows.values_list(model_field.name, flat=True).iterator())
    return found


def _walk(storage: Storage, folder: str) -> Iterator[str]:
    try:
        folders, names = storage.listdir(folder)
    except FileNotFoundError:  # nothing stored yet: the media folder is made on first save
        return
    for name in names:
        yield posixpath.join(folder, name)
    for sub in folders:
        yield from _walk(storage, posixpath.join(folder, sub))
