"""Refusals: the exception to raise and its `denied` line in the audit trail."""

from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import Model
from django.http import Http404

from liangze.access import page
from liangze.accounts.models import User
from liangze.core import audit

# Reasons of refusals that are not about a right: the page asked for a row that
# is not there, or named it in a form no row can have (an unknown period).
NOT_FOUND = "not_found"
BAD_LOOKUP = "bad_lookup"


E = TypeVar("E", bound=Exception)


def _refusal(
    error: E,
    user: User | AnonymousUser | None,
    model: type[Model] | None,
    lookup: dict[str, Any],
    obj: Model | None,
    why: str,
    *,
    label: str = "",
) -> E:
    """The refusal to raise, its audit event written now or carried with it.

    Inside a transaction the event would be rolled back with everything the
    refused service did; it then travels on the exception and is written by
    whoever catches it at the top (access.middleware, the API's handlers).
    """
    if obj is not None and obj._state.adding:
        # A probe built to ask the policy: it has no identity of its own, so name
        # the saved rows it points to.
        pointed_to = _pointed_to(obj)
        names = "、".join(str(row) for row in pointed_to.values())
        lookup = {**pointed_to, **lookup}
        label = label or f"新建{obj._meta.verbose_name}（{names}）"
        obj = None
    if not label:
        if obj is not None:
            label = str(obj)
        elif model is None:
            label = "（不存在）"
        elif isinstance(error, Http404):
            label = f"{model._meta.verbose_name}（不存在）"
        else:
            label = str(model._meta.verbose_name)
    data: dict[str, Any] = {"reason": why, "lookup": {k: _text(v) for k, v in lookup.items()}}
    if page.current():
        data["page"] = page.current()
    event: dict[str, Any] = {
        "actor": user,
        "verb": audit.Verb.DENIED,
        "obj": obj,
        "label": label,
        "data": data,
    }
    if transaction.get_connection().in_atomic_block:
        error.audit_event = event  # type: ignore[attr-defined]  # carried to the middleware
    else:
        audit.record(**event)
    return error


def _pointed_to(probe: Model) -> dict[str, Model]:
    return {
        field.name: getattr(probe, field.name)
        for field in probe._meta.concrete_fields
        if field.is_relation and getattr(probe, field.attname) is not None
    }


def _text(value: Any) -> str:
    """A row by its URL code where it has one (the trail names objects so), else its key."""
    if isinstance(value, Model):
        return str(getattr(value, "code", None) or value.pk)
    return str(value)


def record_carried_refusal(error: BaseException) -> None:
    """Write the audit event a refusal carried out of a rolled-back transaction."""
    event = getattr(error, "audit_event", None)
    if event is not None:
        error.audit_event = None  # type: ignore[attr-defined]  # written once
        audit.record(**event)
