"""Double submissions: the row lock that puts them in line, and the answer to the second one.

Two clicks on 签字 arrive together. Each service that changes the state of one
row first takes that row's lock and reads it again (`lock`), so the second
call sees what the first did and raises `AlreadyDone`; the page then shows a
neutral note and goes on as after success, instead of an error or a 500.

A form that makes a new row has no row to lock yet: it carries a one-time token
instead (`core.forms.SubmittedOnce`), and the service claims it (`claim`) in the
transaction that makes the row, then records the row it made (`settle`). The
second sending of the same form finds the claim and raises `AlreadyDone` with
that row.
"""

from typing import TypeVar
from uuid import UUID

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from liangze.core.models import Submission

M = TypeVar("M", bound=Model)


class AlreadyDone(ValidationError):
    """The act was done already (by this user, a moment ago): a note, not a refusal.

    A ValidationError still, so callers that do not know it (the API, commands)
    refuse the repeat rather than repeat the act. `existing` is the row the first
    act made, for a page that shows it.
    """

    def __init__(self, message: str, *, existing: Model | None = None) -> None:
        super().__init__(message)
        self.existing = existing


def hold(obj: Model) -> None:
    """Waits for and holds `obj`'s row until the transaction ends.

    On SQLite the write transaction (BEGIN IMMEDIATE) already holds the whole file;
    elsewhere SELECT … FOR UPDATE queues the concurrent callers on the row.
    """
    type(obj)._default_manager.select_for_update().filter(pk=obj.pk).values_list("pk").get()


def lock(obj: M) -> M:
    """`hold`, then reloads `obj` in place: what the caller before us left is what we check."""
    hold(obj)
    obj.refresh_from_db()
    return obj


def claim(token: UUID | None) -> Submission | None:
    """Claims `token` for the row the caller is about to make, inside the caller's transaction.

    Raises AlreadyDone with the row made under `token` before. A concurrent claim of the
    same token waits on the unique index until the first transaction ends: if it made
    the row, this one finds it; if it was refused, this one proceeds. No token (a client
    that sends none, a command) claims nothing.
    """
    if token is None:
        return None
    try:
        with transaction.atomic():  # a savepoint: the failed insert leaves the transaction usable
            return Submission.objects.create(token=token)
    except IntegrityError:
        first = Submission.objects.select_related("content_type").get(token=token)
    raise AlreadyDone(_("刚才已保存，没有重复保存。"), existing=_made_by(first))


def _made_by(submission: Submission) -> Model | None:
    """The row `submission` made; None once it is deleted."""
    model = submission.content_type.model_class() if submission.content_type else None
    if model is None:
        return None
    return model._default_manager.filter(pk=submission.object_id).first()


def settle(submission: Submission | None, made: Model) -> None:
    """Records that `submission` made `made`, for the repeats that `claim` turns away."""
    if submission is None:
        return
    submission.content_type = ContentType.objects.get_for_model(made)
    submission.object_id = made.pk
    submission.save(update_fields=["content_type", "object_id"])
