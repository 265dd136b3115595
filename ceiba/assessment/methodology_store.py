"""Methodology versions in the database: validated on the way in, never changed once used."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ceiba.common import audit
from ceiba.common.access import principal_for
from ceiba.common.models import AuditAction
from ceiba.core.choices import Role

from .methodology import METHODOLOGIES_DIR, MethodologyError, load_methodology
from .models import MethodologyVersion

DEFAULT_FILE = METHODOLOGIES_DIR / "ideal-ceiba-v1.yaml"


def may_edit(user: Any) -> bool:
    return principal_for(user).has_role(Role.SECRETARIAT_ADMIN)


def save_version(definition: str, *, user: Any, change_note: str = "") -> MethodologyVersion:
    """Store a new methodology version. Its code and version are read from the definition; a code
    and version already stored with another text is refused (a change is a new version). Raises
    `MethodologyError` (every issue with its line) or `ValidationError`; writes nothing then."""
    if user is not None and not may_edit(user):
        raise PermissionDenied(_("Only the secretariat administrator writes methodologies."))
    methodology = load_methodology(definition)
    existing = MethodologyVersion.objects.filter(code=methodology.code, version=methodology.version).first()
    if existing is not None:
        if existing.definition == definition:
            return existing
        latest = MethodologyVersion.objects.filter(code=methodology.code).order_by("-version").first()
        raise ValidationError(
            {
                "definition": _(
                    "Version %(version)d of %(code)s already exists and is never changed: set "
                    '"version: %(next)d" to save this as a new version.'
                )
                % {
                    "version": methodology.version,
                    "code": methodology.code,
                    "next": (latest.version if latest else methodology.version) + 1,
                }
            }
        )
    with transaction.atomic():
        version = MethodologyVersion.objects.create(
            code=methodology.code,
            version=methodology.version,
            name=methodology.name,
            definition=definition,
            change_note=change_note,
            created_by=user,
        )
        audit.record(
            AuditAction.CREATE, obj=version, actor=user, changes={"definition_hash": version.definition_hash}
        )
    return version


def ensure_default(user: Any = None) -> MethodologyVersion:
    """The shipped default ("IDEAL-Ceiba v1") in the database (idempotent)."""
    text = DEFAULT_FILE.read_text(encoding="utf-8")
    methodology = load_methodology(text)
    existing = MethodologyVersion.objects.filter(code=methodology.code, version=methodology.version).first()
    if existing is not None:
        return existing
    return save_version(text, user=None, change_note=_("Shipped with Ceiba."))


__all__ = ["MethodologyError", "ensure_default", "may_edit", "save_version"]
