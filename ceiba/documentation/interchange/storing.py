"""Storing what an importer read: threat reports and criminal networks keyed by their source
identifier, created, updated or found unchanged, all or nothing.

Importers turn a file into `Candidate`s and row errors; `candidates_store` checks the contribution,
validates every candidate (`full_clean`, dissemination) and writes them in one savepoint, so a file
with one bad record stores nothing even when the caller forgot its own transaction."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from ceiba.common import audit
from ceiba.common.access import Action, can
from ceiba.common.models import AuditAction
from ceiba.core.models import State
from ceiba.sharing.models import SharedRecord
from ceiba.sharing.services import dissemination_errors, shared_record_apply_recipients

from ..choices import EDITABLE_STATUSES
from ..models import CriminalNetwork, ThreatReport, ThreatRoute
from ..search import search_index
from .base import ImportAborted, ImportRequest, ImportSummary, Progress, RowError

#: The `ImportRequest.defaults` keys that are the record's dissemination, grading and handling.
DEFAULT_KEYS = (
    "tlp",
    "handling_code",
    "handling_conditions",
    "scope",
    "grading_scheme",
    "source_reliability",
    "information_credibility",
)
#: Keys a file may carry itself (its marking, handling and grading), which win over the defaults.
FILE_KEYS = (
    "tlp",
    "handling_code",
    "handling_conditions",
    "grading_scheme",
    "source_reliability",
    "information_credibility",
)


RouteTuple = tuple[str, State | None, tuple[State, ...], State | None]


@dataclass
class Candidate:
    """One record read from a file: its model, row (object or event number in the file), source
    identifier, content fields, what the file says of its marking/handling/grading, and its states
    (a report's states concerned, a network's countries of activity)."""

    model: type[ThreatReport] | type[CriminalNetwork]
    row: int
    source_id: str
    fields: dict[str, Any]
    carried: dict[str, Any] = field(default_factory=dict)
    states: list[State] = field(default_factory=list)
    #: A report's routes as (commodity, origin, transit, destination); None: the file has none.
    routes: list[RouteTuple] | None = None

    @property
    def states_field(self) -> str:
        return "affected_states" if self.model is ThreatReport else "countries"


def _field_errors(row: int, error: ValidationError) -> list[RowError]:
    if not hasattr(error, "error_dict"):
        return [RowError(row, "", message) for message in error.messages]
    return [
        RowError(row, "" if name == "__all__" else name, str(message))
        for name, messages in error.message_dict.items()
        for message in messages
    ]


def contribution_errors(request: ImportRequest) -> list[RowError]:
    """Why nothing may be imported into the request's contribution (empty when it may)."""
    contribution = request.contribution
    if contribution.status not in EDITABLE_STATUSES:
        return [
            RowError(None, "", _("This contribution has been submitted: nothing can be imported into it."))
        ]
    if request.user is not None and not can(request.user, contribution, Action.CHANGE):
        return [RowError(None, "", _("You may not add records to this contribution."))]
    if request.originator.state_id != contribution.state_id:
        return [RowError(None, "", _("The originator must be an organisation of the contributing state."))]
    return []


def duplicate_errors(candidates: Iterable[Candidate]) -> list[RowError]:
    seen: dict[tuple[str, str], int] = {}
    errors = []
    for candidate in candidates:
        key = (candidate.model._meta.label, candidate.source_id)
        if key in seen:
            errors.append(
                RowError(
                    candidate.row,
                    "id",
                    _("%(id)s appears twice in the file (first at %(row)s).")
                    % {"id": candidate.source_id, "row": seen[key]},
                )
            )
        else:
            seen[key] = candidate.row
    return errors


def _state_ids(record: Model, name: str) -> set[int]:
    return set(getattr(record, name).values_list("pk", flat=True))


def _differences(record: SharedRecord, candidate: Candidate) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for name, value in {**candidate.fields, **candidate.carried}.items():
        old = getattr(record, name)
        if old != value:
            changes[name] = {"old": str(old), "new": str(value)}
    wanted = {state.pk for state in candidate.states}
    if _state_ids(record, candidate.states_field) != wanted:
        changes[candidate.states_field] = sorted(state.iso3 for state in candidate.states)
    if (
        candidate.routes is not None
        and isinstance(record, ThreatReport)
        and _route_keys(_stored_routes(record)) != _route_keys(candidate.routes)
    ):
        changes["routes"] = len(candidate.routes)
    return changes


def _stored_routes(report: ThreatReport) -> list[RouteTuple]:
    return [
        (route.commodity, route.origin, tuple(route.transit.all()), route.destination)
        for route in report.routes.select_related("origin", "destination").prefetch_related("transit")
    ]


def _route_keys(routes: list[RouteTuple]) -> list[tuple[Any, ...]]:
    return [
        (
            commodity,
            getattr(origin, "pk", None),
            tuple(s.pk for s in transit),
            getattr(destination, "pk", None),
        )
        for commodity, origin, transit, destination in routes
    ]


def _routes_store(report: SharedRecord, candidate: Candidate) -> list[RowError]:
    if candidate.routes is None or not isinstance(report, ThreatReport):
        return []
    report.routes.all().delete()
    errors: list[RowError] = []
    for position, (commodity, origin, transit, destination) in enumerate(candidate.routes):
        route = ThreatRoute(
            report=report, commodity=commodity, origin=origin, destination=destination, position=position
        )
        try:
            route.full_clean()
        except ValidationError as error:
            errors.extend(
                RowError(candidate.row, "x_ceiba_routes", f"{position + 1}: {message}")
                for message in error.messages
            )
            continue
        route.save()
        route.transit.set(transit)
    return errors


def _new_record(request: ImportRequest, candidate: Candidate) -> tuple[SharedRecord, list[RowError]]:
    defaults = {key: request.defaults[key] for key in DEFAULT_KEYS if key in request.defaults}
    record = candidate.model(
        contribution=request.contribution,
        originator=request.originator,
        created_by=request.user,
        source_id=candidate.source_id,
        **{**defaults, **candidate.fields, **candidate.carried},
    )
    errors: list[RowError] = []
    try:
        record.full_clean()
    except ValidationError as error:
        errors.extend(_field_errors(candidate.row, error))
    for name, message in dissemination_errors(
        scope=record.scope,
        states=request.defaults.get("shared_with_states", []),
        organisations=request.defaults.get("shared_with_organisations", []),
    ).items():
        errors.append(RowError(candidate.row, name, str(message)))
    return record, errors


def candidates_store(
    *,
    request: ImportRequest,
    candidates: list[Candidate],
    errors: list[RowError],
    summary: ImportSummary,
    progress: Progress,
    entities: list[dict[str, Any]] | None = None,
) -> None:
    """Create, update or leave alone each candidate (and hand `entities` to the entity store); raise
    `ImportAborted` with `errors` and every error found here, storing nothing, if there is any."""
    errors = [*errors, *contribution_errors(request), *duplicate_errors(candidates)]
    if errors:
        raise ImportAborted(errors)
    total = max(len(candidates), 1)
    typed = _typed_records_by_stix_id(request)
    with transaction.atomic():
        for done, candidate in enumerate(candidates, start=1):
            errors.extend(_store_one(request, candidate, summary, typed))
            progress(done / total)
        errors.extend(entities_forward(request=request, entities=entities or [], summary=summary))
        if errors:
            # Leaving the savepoint by an exception rolls back whatever was written above.
            raise ImportAborted(errors)
    progress(1.0)


def _typed_records_by_stix_id(request: ImportRequest) -> dict[str, SharedRecord]:
    """The records typed in this contribution (blank source identifier) by the STIX id our export
    gives them, so that importing an export back into its contribution does not copy them."""
    from .stix_export import record_stix_id

    typed: dict[str, SharedRecord] = {}
    for model in (ThreatReport, CriminalNetwork):
        for record in model._default_manager.filter(contribution=request.contribution, source_id=""):
            typed[record_stix_id(record)] = record
    return typed


def _store_one(
    request: ImportRequest, candidate: Candidate, summary: ImportSummary, typed: dict[str, SharedRecord]
) -> list[RowError]:
    existing = candidate.model._default_manager.filter(
        contribution=request.contribution, source_id=candidate.source_id
    ).first() or typed.get(candidate.source_id)
    if existing is None:
        record, errors = _new_record(request, candidate)
        if errors:
            return errors
        record._history_user = request.user  # type: ignore[attr-defined]
        record.save()
        getattr(record, candidate.states_field).set(candidate.states)
        if route_errors := _routes_store(record, candidate):
            return route_errors
        shared_record_apply_recipients(
            record=record,
            states=request.defaults.get("shared_with_states", []),
            organisations=request.defaults.get("shared_with_organisations", []),
        )
        search_index(record)
        summary.created += 1
        return []
    changes = _differences(existing, candidate)
    if not changes:
        summary.unchanged += 1
        return []
    for name, value in {**candidate.fields, **candidate.carried}.items():
        setattr(existing, name, value)
    try:
        existing.full_clean()
    except ValidationError as error:
        return _field_errors(candidate.row, error)
    existing._history_user = request.user  # type: ignore[attr-defined]
    existing.save()
    getattr(existing, candidate.states_field).set(candidate.states)
    if route_errors := _routes_store(existing, candidate):
        return route_errors
    carried_changes = {
        key: value for key, value in changes.items() if key in SharedRecord.DISSEMINATION_FIELDS
    }
    if carried_changes:
        audit.record(
            AuditAction.UPDATE,
            obj=existing,
            actor=request.user,
            changes={"dissemination": carried_changes, "imported": True},
        )
    search_index(existing)
    summary.updated += 1
    return []


def entities_forward(
    *, request: ImportRequest, entities: list[dict[str, Any]], summary: ImportSummary
) -> list[RowError]:
    """Hand the FtM entity dicts a bundle or event describes to the entity store (same transaction);
    the summary counts them apart from the reports and networks, in its details."""
    if not entities:
        return []
    from ..entity_services import entities_store

    counts = ImportSummary()
    errors = entities_store(request=request, entities=((None, entity) for entity in entities), summary=counts)
    for name in ("created", "updated", "unchanged"):
        if value := getattr(counts, name):
            summary.details[f"entities {name}"] = value
    return errors
