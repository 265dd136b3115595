"""Writes of entities: an entity record in a contribution (validated by followthemoney), a link
between two entities, and `entities_store`, which the FtM, STIX and MISP importers call.

A contribution's record of an entity states exactly the values it was last given: values no longer
given are removed, values given again keep when they were first seen, and their last-seen date moves
only when the source gives a later one (so importing the same file twice changes nothing)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from ceiba.common import audit
from ceiba.common.access import Action, can, restrict
from ceiba.common.models import AuditAction
from ceiba.core.choices import Role
from ceiba.core.models import Organisation, State
from ceiba.sharing.models import SharedRecord
from ceiba.sharing.services import dissemination_errors, shared_record_apply_recipients

from .choices import EDITABLE_STATUSES
from .entity_schema import CleanEntity, EntityError, clean_entity, link_ends, range_error
from .interchange.base import ImportRequest, ImportSummary, RowError
from .models import Contribution, CriminalNetwork, Entity, EntityRecord, EntityStatement
from .search import search_index
from .services import _national_membership

#: The SharedRecord fields an entity record takes from a form, the API or an import's defaults.
MARKING_FIELDS = (
    *SharedRecord.DISSEMINATION_FIELDS,
    "grading_scheme",
    "source_reliability",
    "information_credibility",
)


@dataclass(frozen=True)
class Seen:
    """When a source says it saw the values (None: it does not say)."""

    first: datetime | None = None
    last: datetime | None = None


def _require_drafting(contribution: Contribution, actor: Any) -> None:
    if actor is not None and not can(actor, contribution, Action.CHANGE):
        raise PermissionDenied(
            _("Only the state's analysts and focal point add entities to its contribution.")
        )
    if contribution.status not in EDITABLE_STATUSES:
        raise ValidationError(
            _("This contribution has been submitted: its entities change only if the secretariat returns it.")
        )


def _originator(contribution: Contribution, actor: Any) -> Organisation:
    membership = _national_membership(
        actor, contribution.state_id, [Role.NATIONAL_ANALYST, Role.NATIONAL_FOCAL_POINT]
    )
    if membership is None:
        raise PermissionDenied(
            _("Only the state's analysts and focal point add entities to its contribution.")
        )
    return membership.organisation


def _errors_by_field(errors: list[EntityError]) -> dict[str, list[str]]:
    by_field: dict[str, list[str]] = {}
    for error in errors:
        field = error.prop if error.prop in ("id", "schema") else "properties"
        by_field.setdefault(field, []).append(error.message)
    return by_field


def _sync_statements(record: EntityRecord, entity: CleanEntity, seen: Seen, now: datetime) -> bool:
    """Make the record state exactly the entity's values; True if anything changed."""
    stored = {(s.prop, s.value): s for s in record.statements.all()}
    changed = False
    wanted: set[tuple[str, str]] = set()
    for prop, values in entity.properties.items():
        for value in values:
            key = (prop, value)
            wanted.add(key)
            statement = stored.get(key)
            if statement is None:
                EntityStatement.objects.create(
                    record=record,
                    prop=prop,
                    prop_type=entity.prop_types[prop],
                    value=value,
                    first_seen=seen.first or now,
                    last_seen=seen.last or seen.first or now,
                )
                changed = True
                continue
            first = min(statement.first_seen, seen.first) if seen.first else statement.first_seen
            last = max(statement.last_seen, seen.last) if seen.last else statement.last_seen
            if (first, last) != (statement.first_seen, statement.last_seen):
                statement.first_seen, statement.last_seen = first, last
                statement.save(update_fields=["first_seen", "last_seen"])
                changed = True
    gone = [s.pk for key, s in stored.items() if key not in wanted]
    if gone:
        EntityStatement.objects.filter(pk__in=gone).delete()
        changed = True
    return changed


def _store(
    *,
    contribution: Contribution,
    originator: Organisation,
    actor: Any,
    entity: CleanEntity,
    marking: dict[str, Any],
    seen: Seen = Seen(),
    network: CriminalNetwork | None = None,
    keep_network: bool = True,
    states: Iterable[State] = (),
    organisations: Iterable[Organisation] = (),
    now: datetime | None = None,
) -> tuple[EntityRecord, str]:
    """Store one cleaned entity in a contribution: ("created" | "updated" | "unchanged")."""
    now = now or timezone.now()
    stored, _created = Entity.objects.get_or_create(ftm_id=entity.ftm_id)
    record = EntityRecord.objects.filter(contribution=contribution, entity=stored).first()
    if record is None:
        states, organisations = list(states), list(organisations)
        record = EntityRecord(
            contribution=contribution,
            entity=stored,
            schema=entity.schema,
            caption=entity.caption,
            network=network,
            originator=originator,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            **{key: value for key, value in marking.items() if key in MARKING_FIELDS},
        )
        errors = dissemination_errors(scope=record.scope, states=states, organisations=organisations)
        try:
            # Uniqueness (one record per contribution and entity) was checked just above.
            record.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            errors = {**error.message_dict, **errors}
        if errors:
            raise ValidationError(errors)
        record.save()
        if states or organisations:
            shared_record_apply_recipients(record=record, states=states, organisations=organisations)
        EntityStatement.objects.bulk_create(
            EntityStatement(
                record=record,
                prop=prop,
                prop_type=entity.prop_types[prop],
                value=value,
                first_seen=seen.first or now,
                last_seen=seen.last or seen.first or now,
            )
            for prop, values in entity.properties.items()
            for value in values
        )
        search_index(record)
        return record, "created"
    changed = False
    new_network_id = record.network_id if keep_network else (network.pk if network else None)
    if (record.schema, record.caption, record.network_id) != (entity.schema, entity.caption, new_network_id):
        record.schema, record.caption, record.network_id = entity.schema, entity.caption, new_network_id
        record.save(update_fields=["schema", "caption", "network", "updated_at"])
        changed = True
    changed = _sync_statements(record, entity, seen, now) or changed
    if changed:
        search_index(record)
    return record, "updated" if changed else "unchanged"


def _check_network(contribution: Contribution, network: CriminalNetwork | None, actor: Any) -> None:
    if network is None:
        return
    if network.originator_state_id != contribution.state_id or not can(actor, network, Action.VIEW):
        raise ValidationError({"network": _("Choose a network profile of the contributing state.")})


def _visible_schemas(actor: Any, contribution: Contribution, ids: set[str]) -> dict[str, str]:
    """The schema of each of these entity ids the actor may reference: entities they may see (or,
    with no actor, those the contributing state has recorded), from the first such record. Others
    answer as if they did not exist."""
    if not ids:
        return {}
    if actor is not None and getattr(actor, "is_authenticated", False):
        records = restrict(EntityRecord, actor)
    else:
        records = EntityRecord.objects.filter(originator_state_id=contribution.state_id)
    schemas: dict[str, str] = {}
    for ftm_id, schema in (
        records.filter(entity__ftm_id__in=ids).order_by("pk").values_list("entity__ftm_id", "schema")
    ):
        schemas.setdefault(ftm_id, schema)
    return schemas


def _check_references(entity: CleanEntity, actor: Any, contribution: Contribution) -> None:
    wanted = entity.references() - {entity.ftm_id}
    known = _visible_schemas(actor, contribution, wanted)
    if entity.ftm_id in entity.references():
        known[entity.ftm_id] = entity.schema
    messages = [_("No entity with the id %(id)s.") % {"id": ftm_id} for ftm_id in sorted(wanted - set(known))]
    for prop, values in entity.properties.items():
        for value in values:
            if prop in entity.ranges and value in known:
                problem = range_error(prop, entity.ranges[prop], value, known[value])
                if problem:
                    messages.append(problem)
    if messages:
        raise ValidationError({"properties": messages})


def new_entity_id() -> str:
    """An id for an entity entered in Ceiba (sources bring their own)."""
    return f"ceiba-{uuid.uuid4().hex}"


@transaction.atomic
def entity_record_create(
    *,
    contribution: Contribution,
    actor: Any,
    schema: str,
    properties: dict[str, list[str]],
    ftm_id: str | None = None,
    network: CriminalNetwork | None = None,
    originator: Organisation | None = None,
    shared_with_states: Iterable[State] = (),
    shared_with_organisations: Iterable[Organisation] = (),
    **marking: Any,
) -> EntityRecord:
    """Record an entity (a new one, or one already known by its id) in the state's contribution,
    validated by followthemoney: unknown schema or property and invalid values are field errors."""
    _require_drafting(contribution, actor)
    unknown = set(marking) - set(MARKING_FIELDS)
    if unknown:
        raise TypeError(f"unknown entity record fields: {sorted(unknown)}")
    originator = originator or _originator(contribution, actor)
    entity, errors = clean_entity(
        {"id": ftm_id or new_entity_id(), "schema": schema, "properties": properties}
    )
    if entity is None:
        raise ValidationError(_errors_by_field(errors))
    if EntityRecord.objects.filter(contribution=contribution, entity__ftm_id=entity.ftm_id).exists():
        raise ValidationError({"id": _("This contribution already records an entity with this id.")})
    _check_references(entity, actor, contribution)
    _check_network(contribution, network, actor)
    record, _status = _store(
        contribution=contribution,
        originator=originator,
        actor=actor,
        entity=entity,
        marking=marking,
        network=network,
        states=shared_with_states,
        organisations=shared_with_organisations,
    )
    audit.record(
        AuditAction.CREATE,
        obj=record,
        actor=actor,
        changes={"entity": entity.ftm_id, "schema": entity.schema},
    )
    return record


@transaction.atomic
def entity_record_update(
    *,
    record: EntityRecord,
    actor: Any,
    properties: dict[str, list[str]],
    schema: str | None = None,
    network: CriminalNetwork | None = None,
) -> EntityRecord:
    """Replace what a record states about its entity (values kept keep their dates). Marking and
    dissemination change only through `sharing.services.shared_record_set_dissemination`."""
    if not can(actor, record, Action.CHANGE):
        raise PermissionDenied(_("Only the originator changes an entity record."))
    _require_drafting(record.contribution, actor)
    entity, errors = clean_entity(
        {"id": record.entity.ftm_id, "schema": schema or record.schema, "properties": properties}
    )
    if entity is None:
        raise ValidationError(_errors_by_field(errors))
    _check_references(entity, actor, record.contribution)
    _check_network(record.contribution, network, actor)
    record, status = _store(
        contribution=record.contribution,
        originator=record.originator,
        actor=actor,
        entity=entity,
        marking={},
        network=network,
        keep_network=False,
    )
    if status != "unchanged":
        audit.record(AuditAction.UPDATE, obj=record, actor=actor, changes={"entity": entity.ftm_id})
    return record


@transaction.atomic
def entity_link_create(
    *,
    contribution: Contribution,
    actor: Any,
    schema: str,
    source: Entity,
    target: Entity,
    properties: dict[str, list[str]] | None = None,
    **marking: Any,
) -> EntityRecord:
    """Link two entities (membership, associate, family, ownership, directorship, payment): the link
    is an FtM entity of its own whose source and target properties name the two ends."""
    ends = link_ends(schema)
    if ends is None:
        raise ValidationError({"schema": _("Choose a kind of link.")})
    if source.pk == target.pk:
        raise ValidationError({"target": _("A link joins two different entities.")})
    values = {key: list(value) for key, value in (properties or {}).items() if key not in ends}
    values[ends[0]] = [source.ftm_id]
    values[ends[1]] = [target.ftm_id]
    return entity_record_create(
        contribution=contribution, actor=actor, schema=schema, properties=values, **marking
    )


def _parse_seen(value: Any) -> datetime | bool | None:
    """A first/last-seen value of a source: a datetime, None when absent, False when unreadable."""
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        return False
    moment = parse_datetime(value)
    if moment is None:
        day = parse_date(value)
        if day is None:
            return False
        moment = datetime(day.year, day.month, day.day)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, UTC)
    return moment


def entities_store(
    *, request: ImportRequest, entities: Iterable[tuple[int | None, dict[str, Any]]], summary: ImportSummary
) -> list[RowError]:
    """Validate and store FtM entity dicts ({"id", "schema", "properties": {prop: [values]}}) into
    request.contribution with request.defaults as marking/grading; the int is the row/line number
    for errors. Returns every error (stores as it goes; the caller's transaction rolls back when
    errors are returned and it raises ImportAborted). Idempotent on entity id + contribution.

    A dict may carry "first_seen" and "last_seen" (ISO dates or date-times, as OpenSanctions writes
    them). References to other entities must name an entity of the same input or one the importing
    user may see."""
    contribution = request.contribution
    try:
        _require_drafting(contribution, request.user)
    except (PermissionDenied, ValidationError) as error:
        return [RowError(None, "", " ".join(getattr(error, "messages", [str(error)])))]
    marking = {key: value for key, value in request.defaults.items() if key in MARKING_FIELDS}
    states = list(request.defaults.get("shared_with_states") or [])
    organisations = list(request.defaults.get("shared_with_organisations") or [])
    errors: list[RowError] = []
    stored_ids: set[str] = set()
    seen_lines: dict[str, int | None] = {}
    file_schemas: dict[str, str] = {}
    references: list[tuple[int | None, str, str, str]] = []
    now = timezone.now()
    for row, data in entities:
        summary.rows += 1
        entity, problems = clean_entity(data)
        seen_values: dict[str, datetime | None] = {}
        for key in ("first_seen", "last_seen"):
            parsed = _parse_seen(data.get(key) if isinstance(data, dict) else None)
            if parsed is False:
                problems.append(
                    EntityError(key, _("Not a date: %(value)s.") % {"value": str(data.get(key))[:40]})
                )
            else:
                seen_values[key] = parsed if isinstance(parsed, datetime) else None
        if entity is None or problems:
            errors.extend(RowError(row, problem.prop, problem.message) for problem in problems)
            continue
        if entity.ftm_id in seen_lines:
            errors.append(
                RowError(
                    row,
                    "id",
                    _("The id %(id)s is used twice in the file (first on line %(line)s).")
                    % {"id": entity.ftm_id, "line": seen_lines[entity.ftm_id]},
                )
            )
            continue
        seen_lines[entity.ftm_id] = row
        file_schemas[entity.ftm_id] = entity.schema
        for prop, values in entity.properties.items():
            if entity.prop_types[prop] == "entity":
                references.extend((row, prop, value, entity.ranges.get(prop, "")) for value in values)
        if errors:
            continue  # the import fails anyway: keep validating, stop storing
        try:
            _record, status = _store(
                contribution=contribution,
                originator=request.originator,
                actor=request.user,
                entity=entity,
                marking=marking,
                seen=Seen(seen_values.get("first_seen"), seen_values.get("last_seen")),
                states=states,
                organisations=organisations,
                now=now,
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.extend(RowError(row, field, message) for message in messages)
            continue
        stored_ids.add(entity.ftm_id)
        setattr(summary, status, getattr(summary, status) + 1)
        summary.details[entity.schema] = summary.details.get(entity.schema, 0) + 1
    unresolved = {ftm_id for _row, _prop, ftm_id, _range in references} - set(file_schemas)
    known = {**_visible_schemas(request.user, contribution, unresolved), **file_schemas}
    for row, prop, ftm_id, wanted in references:
        if ftm_id not in known:
            errors.append(
                RowError(
                    row, prop, _("No entity with the id %(id)s in the file or in Ceiba.") % {"id": ftm_id}
                )
            )
        elif wanted and (problem := range_error(prop, wanted, ftm_id, known[ftm_id])):
            errors.append(RowError(row, prop, problem))
    return errors
