"""The audit trail: appending events to the hash chain and verifying it.

Every event is hashed over its own content and the hash of the event before it. Removing or altering
any stored event therefore breaks the chain at that point, which `verify_chain` reports.
"""

from __future__ import annotations

import contextvars
import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC
from typing import TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from .models import AuditAction, AuditChainHead, AuditEvent

if TYPE_CHECKING:
    from django.http import HttpRequest

_current_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar(
    "ceiba_audit_request", default=None
)


@contextmanager
def request_context(request: HttpRequest) -> Iterator[None]:
    """Make the current request (hence actor and address) available to audit writers."""
    token = _current_request.set(request)
    try:
        yield
    finally:
        _current_request.reset(token)


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def _normalise(value: Any) -> Any:
    """Round-trip through JSON so the hashed form equals what the database returns."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, sort_keys=True))


def compute_hash(event: AuditEvent) -> str:
    payload = {
        "seq": event.seq,
        "created_at": event.created_at.astimezone(UTC).isoformat(),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "ip_address": event.ip_address,
        "changes": event.changes,
        "prev_hash": event.prev_hash,
    }
    encoded = json.dumps(payload, sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def record(
    action: str,
    *,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    actor: Any = None,
    changes: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> AuditEvent:
    """Append one event to the audit trail, in the caller's transaction (rolled back with it)."""
    request = request or _current_request.get()
    if actor is None and request is not None:
        actor = getattr(request, "user", None)
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)
    with transaction.atomic():
        head, _created = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        event = AuditEvent(
            seq=head.last_seq + 1,
            created_at=timezone.now(),
            actor=actor,
            actor_label=(actor.get_username() if actor is not None else "")[:254],
            action=str(action),
            object_type=object_type[:100],
            object_id=str(object_id)[:64],
            object_repr=str(object_repr)[:300],
            ip_address=client_ip(request),
            changes=_normalise(changes or {}),
            prev_hash=head.last_hash,
        )
        event.hash = compute_hash(event)
        event.save()
        head.last_seq = event.seq
        head.last_hash = event.hash
        head.save(update_fields=["last_seq", "last_hash"])
    return event


@dataclass(frozen=True)
class ChainReport:
    """What `verify_chain` found: the number of events checked and the first problem, if any."""

    checked: int
    ok: bool
    first_bad_seq: int | None = None
    problem: str = ""


def verify_chain(batch_size: int = 2000) -> ChainReport:
    """Walk the chain in order and report the first event that was altered or removed."""
    expected_seq = 1
    previous_hash = ""
    checked = 0
    events = AuditEvent.objects.order_by("seq")
    for event in events.iterator(chunk_size=batch_size):
        if event.seq != expected_seq:
            return ChainReport(
                checked,
                False,
                expected_seq,
                f"event #{expected_seq} is missing: it was removed (the chain jumps to #{event.seq})",
            )
        if event.prev_hash != previous_hash:
            return ChainReport(
                checked, False, event.seq, f"event #{event.seq} does not follow the event before it"
            )
        if compute_hash(event) != event.hash:
            return ChainReport(
                checked, False, event.seq, f"event #{event.seq} was altered after it was written"
            )
        previous_hash = event.hash
        expected_seq += 1
        checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and head.last_seq >= expected_seq:
        return ChainReport(
            checked,
            False,
            expected_seq,
            f"events #{expected_seq} to #{head.last_seq} are missing: they were removed from the end",
        )
    if head is not None and head.last_seq and head.last_hash != previous_hash:
        return ChainReport(
            checked, False, head.last_seq, f"event #{head.last_seq} was altered after it was written"
        )
    return ChainReport(checked, True)


__all__ = ["AuditAction", "ChainReport", "record", "request_context", "verify_chain"]
