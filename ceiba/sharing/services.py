"""Writes of dissemination: only the originator changes a record's marking, handling or scope."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ceiba.common import audit
from ceiba.common.access import Action, can
from ceiba.common.models import AuditAction
from ceiba.core.choices import OrganisationType
from ceiba.core.models import Organisation, State

from .choices import Scope
from .models import SharedRecord

#: Organisations that never receive member data (their people take part in the forum only).
NON_RECIPIENT_ORGANISATION_TYPES = frozenset({OrganisationType.CIVIL_SOCIETY, OrganisationType.ACADEMIA})


def dissemination_errors(
    *, scope: str, states: Iterable[State], organisations: Iterable[Organisation]
) -> dict[str, Any]:
    """Field errors of a dissemination choice that the record's own `clean()` cannot see (its
    many-to-many recipients)."""
    states, organisations = list(states), list(organisations)
    errors: dict[str, Any] = {}
    if scope == Scope.NAMED and not states and not organisations:
        errors["scope"] = _("Name at least one state or organisation to share the record with.")
    refused = [o for o in organisations if o.kind in NON_RECIPIENT_ORGANISATION_TYPES]
    if refused:
        errors["shared_with_organisations"] = _(
            "Civil-society and academic organisations do not receive member data: %(names)s."
        ) % {"names": ", ".join(str(o) for o in refused)}
    return errors


def shared_record_apply_recipients(
    *, record: SharedRecord, states: Iterable[State], organisations: Iterable[Organisation]
) -> None:
    """Store the named recipients of a saved record (cleared unless its scope is "named")."""
    named = record.scope == Scope.NAMED
    record.shared_with_states.set(list(states) if named else [])
    record.shared_with_organisations.set(list(organisations) if named else [])


def _snapshot(record: SharedRecord) -> dict[str, Any]:
    """The stored dissemination of a record (read from the database, not from the instance, which a
    form may already have changed)."""
    stored = (
        type(record)._default_manager.filter(pk=record.pk).values(*SharedRecord.DISSEMINATION_FIELDS).first()
    )
    values: dict[str, Any] = dict(stored or {})
    if record.pk is not None:
        values["shared_with_states"] = sorted(record.shared_with_states.values_list("iso3", flat=True))
        values["shared_with_organisations"] = sorted(
            record.shared_with_organisations.values_list("pk", flat=True)
        )
    return values


@transaction.atomic
def shared_record_set_dissemination(
    *,
    record: SharedRecord,
    actor: Any,
    scope: str,
    tlp: str | None = None,
    handling_code: str | None = None,
    handling_conditions: str | None = None,
    states: Iterable[State] = (),
    organisations: Iterable[Organisation] = (),
) -> SharedRecord:
    """Widen or narrow who receives a record, or change its marking and handling. Only the originator
    (whoever may change the record) may; the change is audited with the values before and after."""
    if not can(actor, record, Action.CHANGE):
        raise PermissionDenied(_("Only the originator may change how a record is disseminated."))
    states, organisations = list(states), list(organisations)
    before = _snapshot(record)
    record.scope = scope
    if tlp is not None:
        record.tlp = tlp
    if handling_code is not None:
        record.handling_code = handling_code
    if handling_conditions is not None:
        record.handling_conditions = handling_conditions
    errors = dissemination_errors(scope=scope, states=states, organisations=organisations)
    try:
        record.full_clean()
    except ValidationError as error:
        errors = {**error.message_dict, **errors}
    if errors:
        raise ValidationError(errors)
    record._history_user = actor  # type: ignore[attr-defined]
    record.save()
    shared_record_apply_recipients(record=record, states=states, organisations=organisations)
    after = _snapshot(record)
    changes = {
        key: {"old": before.get(key), "new": value}
        for key, value in after.items()
        if before.get(key) != value
    }
    if changes:
        audit.record(AuditAction.UPDATE, obj=record, actor=actor, changes={"dissemination": changes})
    return record
