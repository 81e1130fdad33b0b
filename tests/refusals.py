"""Refusals in tests: the one `denied` event a refused request leaves in the audit trail."""

from typing import Any

from liangze.core.models import AuditEvent


def the_denial(actor: Any) -> AuditEvent:
    """The only `denied` event written so far, after checking that it names `actor`."""
    events = list(AuditEvent.objects.filter(verb=AuditEvent.Verb.DENIED))
    assert len(events) == 1, [(e.actor_name, e.object_label, e.data) for e in events]
    (event,) = events
    assert event.actor == actor
    return event
