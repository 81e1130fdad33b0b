"""The audit trail: append events to the SM3 chain and verify it (NF-3, NF-4)."""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC
from typing import Any, Protocol

from django.db import models, transaction
from django.utils import timezone

from liangze.core.context import current_ip
from liangze.core.models import AuditEvent, AuditHead
from liangze.core.sm3 import GENESIS, sm3_hex

Verb = AuditEvent.Verb


class Actor(Protocol):
    """Who acted: an account, or AnonymousUser at the door (core names no user model)."""

    @property
    def pk(self) -> Any: ...

    @property
    def is_authenticated(self) -> bool: ...

    def get_username(self) -> str: ...


def _payload(event: AuditEvent) -> bytes:
    fields = {
        "seq": event.seq,
        "at": event.at.astimezone(UTC).isoformat(),
        "actor": event.actor_id,
        "actor_name": event.actor_name,
        "ip": event.ip,
        "verb": event.verb,
        "object_type": event.object_type,
        "object_code": event.object_code,
        "object_label": event.object_label,
        "data": event.data,
        "prev": event.prev_digest,
    }
    return json.dumps(fields, sort_keys=True, ensure_ascii=False).encode()


def describe(obj: models.Model | None) -> tuple[str, str, str]:
    """(type, code, label) naming an object in the trail; UUID codes where the model has one."""
    if obj is None:
        return "", "", ""
    code = getattr(obj, "code", None) or obj.pk
    return obj._meta.label_lower, str(code), str(obj)[:255]


def record(
    *,
    actor: Actor | None,
    verb: str,
    obj: models.Model | None = None,
    data: dict[str, Any] | None = None,
    actor_name: str = "",
    label: str = "",
) -> AuditEvent:
    """Append one event. Call inside the service's transaction so both land or neither."""
    object_type, object_code, object_label = describe(obj)
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(
            pk=1, defaults={"seq": 0, "digest": GENESIS}
        )
        event = AuditEvent(
            seq=head.seq + 1,
            at=timezone.now(),
            actor_id=actor_id,
            actor_name=actor_name or _name_of(actor),
            ip=current_ip() or "",
            verb=verb,
            object_type=object_type,
            object_code=object_code,
            object_label=label or object_label,
            data=data or {},
            prev_digest=head.digest,
        )
        event.digest = sm3_hex(_payload(event))
        event.save(force_insert=True)
        head.seq, head.digest = event.seq, event.digest
        head.save(update_fields=["seq", "digest"])
    return event


def _name_of(actor: Actor | None) -> str:
    if actor is None:
        return "命令行"
    return actor.get_username() if actor.is_authenticated else "匿名用户"


def changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Field → [old, new] for the fields that differ, for an update event's data."""
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


@dataclass(frozen=True)
class Break:
    seq: int
    reason: str


def head(using: str = "default") -> tuple[int, str]:
    """The chain's tip (seq, digest); (0, GENESIS) before the first event."""
    tip = AuditHead.objects.using(using).filter(pk=1).first()
    return (tip.seq, tip.digest) if tip else (0, GENESIS)


def find_break(batch_size: int = 2000, using: str = "default") -> Break | None:
    """The first link that does not hold, or None when the whole chain verifies."""
    expected_prev, expected_seq = GENESIS, 1
    for event in _in_order(batch_size, using):
        if event.seq != expected_seq:
            return Break(
                expected_seq, f"缺少序号 {expected_seq} 至 {event.seq - 1} 的事件（已被删除）"
            )
        if event.prev_digest != expected_prev:
            return Break(event.seq, "与前一事件的摘要不衔接")
        if sm3_hex(_payload(event)) != event.digest:
            return Break(event.seq, "内容与摘要不符（已被篡改）")
        expected_prev, expected_seq = event.digest, event.seq + 1
    tip = AuditHead.objects.using(using).filter(pk=1).first()
    if tip and (tip.seq, tip.digest) != (expected_seq - 1, expected_prev):
        return Break(expected_seq, f"链尾缺少事件（链头记录到序号 {tip.seq}）")
    return None


def _in_order(batch_size: int, using: str) -> Iterator[AuditEvent]:
    last = 0
    events = AuditEvent.objects.using(using)
    while True:
        batch = list(events.filter(seq__gt=last).order_by("seq")[:batch_size])
        if not batch:
            return
        yield from batch
        last = batch[-1].seq
