"""Numbering the versions of issued data (a rule, the escalation ladder, the warning scale).

A version is never edited: each change is a row with the next number. Two people issuing
at one moment must not both take it: the newest row is locked while the number is read
(PostgreSQL; SQLite lets one writer in at a time already), and where there is no row yet
to lock the unique constraint decides, which `save_new_version` turns into a message.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _


def next_number(versions: QuerySet[Model]) -> int:
    """The number after the highest of `versions` (1 for the first), the newest row locked."""
    latest = versions.select_for_update().order_by("-version").values_list("version", flat=True)
    return (latest.first() or 0) + 1


def save_new_version(version: Model) -> None:
    """Save a new version; one that lost the race for its number is refused, not a 500."""
    try:
        with transaction.atomic():
            version.save()
    except IntegrityError:
        raise ValidationError(_("同一时间已有人发布了新版本，请刷新页面后重试。")) from None
