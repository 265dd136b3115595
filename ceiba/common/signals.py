"""Audit receivers: record changes of every model with history, and every sign-in and sign-out."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from simple_history.signals import post_create_historical_record

from . import audit
from .models import AuditAction

_HISTORY_ACTIONS = {"+": AuditAction.CREATE, "~": AuditAction.UPDATE, "-": AuditAction.DELETE}


@receiver(post_create_historical_record)
def audit_history_record(sender: Any, instance: Any, history_instance: Any, **kwargs: Any) -> None:
    """Every tracked create/update/delete becomes an audit event listing the changed fields."""
    changes: dict[str, Any] = {}
    if history_instance.history_type == "~":
        previous = history_instance.prev_record
        if previous is not None:
            delta = history_instance.diff_against(previous)
            changes = {c.field: {"old": c.old, "new": c.new} for c in delta.changes}
    audit.record(
        _HISTORY_ACTIONS[history_instance.history_type],
        obj=instance,
        object_id=str(instance.pk if instance.pk is not None else history_instance.id),
        actor=history_instance.history_user,
        changes=changes,
    )


@receiver(user_logged_in)
def audit_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit.record(AuditAction.LOGIN, obj=user, actor=user, request=request)


@receiver(user_logged_out)
def audit_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit.record(AuditAction.LOGOUT, obj=user, actor=user, request=request)


@receiver(user_login_failed)
def audit_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    username = str(credentials.get("username") or credentials.get("email") or "")[:254]
    audit.record(
        AuditAction.LOGIN_FAILED,
        object_type="core.user",
        object_repr=username,
        changes={"username": username},
        request=request,
    )
