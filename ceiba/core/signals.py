"""Audit of second-factor failures and API token lifecycle."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.dispatch import receiver

from ceiba.common import audit
from ceiba.common.models import AuditAction


@receiver(user_locked_out)
def audit_lockout(sender: Any, request: Any = None, username: str = "", **kwargs: Any) -> None:
    audit.record(
        AuditAction.LOCKED_OUT, object_type="core.user", object_repr=str(username)[:300], request=request
    )
