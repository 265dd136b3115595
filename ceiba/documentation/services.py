"""Writes of threat documentation. Every service checks who is acting, validates (`full_clean`), runs
in one transaction and leaves an audit event (directly, or through the history of the record)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ceiba.common import audit
from ceiba.common.access import Action, can, principal_for, require_secretariat
from ceiba.common.models import AuditAction
from ceiba.core.choices import Role
from ceiba.core.models import Membership, Organisation, State
from ceiba.sharing.models import SharedRecord
from ceiba.sharing.services import (
    dissemination_errors,
    shared_record_apply_recipients,
    shared_record_set_dissemination,
)

from .choices import (
    EDITABLE_STATUSES,
    INDICATOR_SCORE_MAX,
    INDICATOR_SCORE_MIN,
    NETWORK_INDICATOR_CODES,
    NETWORK_INDICATOR_LABELS,
    ContributionStatus,
    CycleStatus,
)
from .models import (
    AssessmentCycle,
    Contribution,
    CrimeArea,
    CriminalNetwork,
    NetworkIndicatorScore,
    ThreatReport,
    ThreatRoute,
)
from .search import search_index
from .taxonomy import crime_areas_sync


@dataclass
class RouteData:
    """A route as entered in a form or the API, before it is stored."""

    commodity: str
    origin: State | None = None
    destination: State | None = None
    transit: list[State] = field(default_factory=list)


@dataclass
class IndicatorData:
    """The score of one actor indicator as entered: `score` None means "unknown" (not 0)."""

    indicator: str
    score: int | None = None
    rationale: str = ""


def _national_membership(actor: Any, state_id: int, roles: Sequence[str]) -> Membership | None:
    return (
        Membership.objects.active()
        .filter(
            user_id=getattr(actor, "pk", None) or 0, organisation__state_id=state_id, role__in=list(roles)
        )
        .select_related("organisation")
        .order_by("role", "pk")
        .first()
    )


def _transition(contribution: Contribution, actor: Any, new_status: str, **extra: Any) -> Contribution:
    old_status = contribution.status
    contribution.status = new_status
    contribution.full_clean()
    contribution.save()
    audit.record(
        AuditAction.UPDATE,
        obj=contribution,
        actor=actor,
        changes={"status": {"old": old_status, "new": new_status}, **extra},
    )
    return contribution


def crime_areas_load() -> int:
    """Store the crime-area taxonomy (idempotent)."""
    return crime_areas_sync(CrimeArea)


@transaction.atomic
def cycle_open(
    *,
    actor: Any,
    name: str,
    contribution_deadline: date,
    crime_areas: Iterable[CrimeArea],
    description: str = "",
) -> AssessmentCycle:
    """Open an assessment cycle for contributions (secretariat administrator)."""
    if not principal_for(actor).has_role(Role.SECRETARIAT_ADMIN):
        raise PermissionDenied(_("Only the secretariat administrator opens assessment cycles."))
    areas = list(crime_areas)
    if not areas:
        raise ValidationError({"crime_areas": _("Choose at least one crime area.")})
    cycle = AssessmentCycle(
        name=name.strip(),
        description=description,
        contribution_deadline=contribution_deadline,
        status=CycleStatus.OPEN,
        opened_by=actor,
    )
    cycle.full_clean()
    cycle._history_user = actor  # type: ignore[attr-defined]
    cycle.save()
    cycle.crime_areas.set(areas)
    return cycle


@transaction.atomic
def contribution_start(*, cycle: AssessmentCycle, state: State, actor: Any) -> Contribution:
    """The state's contribution to a cycle, created by one of its analysts or its focal point."""
    if _national_membership(actor, state.pk, [Role.NATIONAL_ANALYST, Role.NATIONAL_FOCAL_POINT]) is None:
        raise PermissionDenied(
            _("Only the national analysts and focal point of a state draft its contribution.")
        )
    existing = Contribution.objects.filter(cycle=cycle, state=state).first()
    if existing is not None:
        return existing
    if not cycle.is_open:
        raise ValidationError(_("This cycle is closed: it takes no new contributions."))
    contribution = Contribution(cycle=cycle, state=state, created_by=actor)
    contribution.full_clean()
    contribution.save()
    audit.record(AuditAction.CREATE, obj=contribution, actor=actor, changes={"status": contribution.status})
    return contribution


@transaction.atomic
def contribution_submit(*, contribution: Contribution, actor: Any) -> Contribution:
    """The focal point releases the state's contribution to the secretariat (and to the recipients
    of its threat reports)."""
    if _national_membership(actor, contribution.state_id, [Role.NATIONAL_FOCAL_POINT]) is None:
        raise PermissionDenied(_("Only the state's national focal point submits its contribution."))
    if contribution.status not in EDITABLE_STATUSES:
        raise ValidationError(_("Only a draft or a returned contribution can be submitted."))
    if not contribution.threat_reports.exists():
        raise ValidationError(_("Add at least one threat report before submitting."))
    contribution.submitted_at = timezone.now()
    contribution.submitted_by = actor
    return _transition(contribution, actor, ContributionStatus.SUBMITTED)


#: What a person other than the secretariat is told when validating or returning a contribution.
ONLY_THE_SECRETARIAT_REVIEWS = _("Only the secretariat validates or returns contributions.")


@transaction.atomic
def contribution_validate(*, contribution: Contribution, actor: Any, comments: str = "") -> Contribution:
    """The secretariat accepts a submitted contribution for the assessment."""
    require_secretariat(actor, ONLY_THE_SECRETARIAT_REVIEWS)
    if contribution.status != ContributionStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted contribution can be validated."))
    contribution.reviewed_at = timezone.now()
    contribution.reviewed_by = actor
    contribution.review_comments = comments.strip()
    return _transition(contribution, actor, ContributionStatus.VALIDATED, comments=comments.strip())


@transaction.atomic
def contribution_return(*, contribution: Contribution, actor: Any, comments: str) -> Contribution:
    """The secretariat sends a submitted contribution back to the state, saying what to change."""
    require_secretariat(actor, ONLY_THE_SECRETARIAT_REVIEWS)
    if contribution.status != ContributionStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted contribution can be returned."))
    if not comments.strip():
        raise ValidationError({"review_comments": _("Say what the state should change.")})
    contribution.reviewed_at = timezone.now()
    contribution.reviewed_by = actor
    contribution.review_comments = comments.strip()
    return _transition(contribution, actor, ContributionStatus.RETURNED, comments=comments.strip())


def _require_editable(contribution: Contribution) -> None:
    if contribution.status not in EDITABLE_STATUSES:
        raise ValidationError(
            _("This contribution has been submitted: its reports change only if the secretariat returns it.")
        )


def _set_routes(report: ThreatReport, routes: Iterable[RouteData]) -> None:
    report.routes.all().delete()
    for position, data in enumerate(routes):
        route = ThreatRoute(
            report=report,
            origin=data.origin,
            destination=data.destination,
            commodity=data.commodity.strip(),
            position=position,
        )
        route.full_clean()
        route.save()
        route.transit.set(data.transit)


CONTENT_FIELDS = (
    "crime_area",
    "title",
    "period_start",
    "period_end",
    "subregions",
    "border_areas",
    "scale",
    "scale_notes",
    "trend",
    "harm_physical",
    "harm_economic",
    "harm_social",
    "harm_environmental",
    "harm_institutional",
    "modus_operandi",
    "enablers",
    "narrative",
    "grading_scheme",
    "source_reliability",
    "information_credibility",
)


@transaction.atomic
def threat_report_create(
    *,
    contribution: Contribution,
    actor: Any,
    originator: Organisation | None = None,
    affected_states: Iterable[State] = (),
    routes: Iterable[RouteData] = (),
    shared_with_states: Iterable[State] = (),
    shared_with_organisations: Iterable[Organisation] = (),
    **fields: Any,
) -> ThreatReport:
    """Draft a threat report in the state's contribution. The originator is the actor's organisation
    in that state unless given; the dissemination chosen here is the originator's."""
    if not can(actor, contribution, Action.CHANGE):
        raise PermissionDenied(
            _("Only the state's analysts and focal point add reports to its contribution.")
        )
    _require_editable(contribution)
    unknown = set(fields) - set(CONTENT_FIELDS) - set(SharedRecord.DISSEMINATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown threat report fields: {sorted(unknown)}")
    if originator is None:
        membership = _national_membership(
            actor, contribution.state_id, [Role.NATIONAL_ANALYST, Role.NATIONAL_FOCAL_POINT]
        )
        if membership is None:
            raise PermissionDenied(
                _("Only the state's analysts and focal point add reports to its contribution.")
            )
        originator = membership.organisation
    shared_with_states, shared_with_organisations = list(shared_with_states), list(shared_with_organisations)
    report = ThreatReport(contribution=contribution, originator=originator, created_by=actor, **fields)
    errors = dissemination_errors(
        scope=report.scope, states=shared_with_states, organisations=shared_with_organisations
    )
    try:
        report.full_clean()
    except ValidationError as error:
        errors = {**error.message_dict, **errors}
    if errors:
        raise ValidationError(errors)
    report._history_user = actor  # type: ignore[attr-defined]
    report.save()
    report.affected_states.set(list(affected_states))
    shared_record_apply_recipients(
        record=report, states=shared_with_states, organisations=shared_with_organisations
    )
    _set_routes(report, routes)
    search_index(report)
    return report


@transaction.atomic
def threat_report_update(
    *,
    report: ThreatReport,
    actor: Any,
    affected_states: Iterable[State] | None = None,
    routes: Iterable[RouteData] | None = None,
    dissemination: dict[str, Any] | None = None,
    **fields: Any,
) -> ThreatReport:
    """Change the content of a threat report while its contribution is editable. Marking, handling
    and scope change only through `sharing.services.shared_record_set_dissemination` (called here
    when `dissemination` is given), which checks and audits the originator's choice."""
    if not can(actor, report, Action.CHANGE):
        raise PermissionDenied(_("Only the originator changes a threat report."))
    _require_editable(report.contribution)
    unknown = set(fields) - set(CONTENT_FIELDS)
    if unknown:
        raise TypeError(f"not content fields of a threat report: {sorted(unknown)}")
    # Whatever a form put on the instance, dissemination stays as stored until the originator's
    # explicit change below.
    stored = ThreatReport.objects.filter(pk=report.pk).values(*SharedRecord.DISSEMINATION_FIELDS).get()
    for name, value in {**stored, **fields}.items():
        setattr(report, name, value)
    report.full_clean()
    report._history_user = actor  # type: ignore[attr-defined]
    report.save()
    if affected_states is not None:
        report.affected_states.set(list(affected_states))
    if routes is not None:
        _set_routes(report, routes)
    if dissemination is not None:
        shared_record_set_dissemination(record=report, actor=actor, **dissemination)
    search_index(report)
    return report


# --- criminal networks -------------------------------------------------------------------------------

NETWORK_CONTENT_FIELDS = (
    "alias",
    "main_crime_area",
    "size_band",
    "structure",
    "summary",
    "grading_scheme",
    "source_reliability",
    "information_credibility",
)


def _require_network_editable(contribution: Contribution) -> None:
    if contribution.status not in EDITABLE_STATUSES:
        raise ValidationError(
            _(
                "This contribution has been submitted: its network profiles change only if the "
                "secretariat returns it."
            )
        )


def indicator_errors(indicators: Iterable[IndicatorData]) -> list[str]:
    """Messages for unknown indicators, repeated ones and scores outside the scale, naming each."""
    errors: list[str] = []
    seen: set[str] = set()
    for row in indicators:
        if row.indicator not in NETWORK_INDICATOR_CODES:
            errors.append(str(_("Unknown indicator: %(code)s.") % {"code": row.indicator}))
            continue
        label = NETWORK_INDICATOR_LABELS[row.indicator]
        if row.indicator in seen:
            errors.append(str(_("%(indicator)s is scored twice.") % {"indicator": label}))
        seen.add(row.indicator)
        if row.score is not None and not INDICATOR_SCORE_MIN <= row.score <= INDICATOR_SCORE_MAX:
            errors.append(
                str(
                    _("%(indicator)s: the score must be from %(low)s to %(high)s, or unknown.")
                    % {"indicator": label, "low": INDICATOR_SCORE_MIN, "high": INDICATOR_SCORE_MAX}
                )
            )
    return errors


def _set_indicators(network: CriminalNetwork, indicators: Iterable[IndicatorData], actor: Any) -> None:
    stored = {row.indicator: row for row in network.indicator_scores.all()}
    for data in indicators:
        row = stored.get(data.indicator) or NetworkIndicatorScore(network=network, indicator=data.indicator)
        if row.pk is not None and row.score == data.score and row.rationale == data.rationale.strip():
            continue
        row.score = data.score
        row.rationale = data.rationale.strip()
        row.full_clean()
        row._history_user = actor  # type: ignore[attr-defined]
        row.save()


def _set_network_relations(
    network: CriminalNetwork,
    secondary_crime_areas: Iterable[CrimeArea] | None,
    countries: Iterable[State] | None,
) -> None:
    if secondary_crime_areas is not None:
        network.secondary_crime_areas.set(
            [area for area in secondary_crime_areas if area.pk != network.main_crime_area_id]
        )
    if countries is not None:
        network.countries.set(list(countries))


@transaction.atomic
def network_create(
    *,
    contribution: Contribution,
    actor: Any,
    originator: Organisation | None = None,
    secondary_crime_areas: Iterable[CrimeArea] = (),
    countries: Iterable[State] = (),
    indicators: Iterable[IndicatorData] = (),
    shared_with_states: Iterable[State] = (),
    shared_with_organisations: Iterable[Organisation] = (),
    **fields: Any,
) -> CriminalNetwork:
    """Draft a criminal network profile in the state's contribution (same rules as threat reports:
    the originator is the actor's organisation in that state unless given)."""
    if not can(actor, contribution, Action.CHANGE):
        raise PermissionDenied(
            _("Only the state's analysts and focal point add network profiles to its contribution.")
        )
    _require_network_editable(contribution)
    unknown = set(fields) - set(NETWORK_CONTENT_FIELDS) - set(SharedRecord.DISSEMINATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown criminal network fields: {sorted(unknown)}")
    if originator is None:
        membership = _national_membership(
            actor, contribution.state_id, [Role.NATIONAL_ANALYST, Role.NATIONAL_FOCAL_POINT]
        )
        if membership is None:
            raise PermissionDenied(
                _("Only the state's analysts and focal point add network profiles to its contribution.")
            )
        originator = membership.organisation
    indicators = list(indicators)
    shared_with_states, shared_with_organisations = list(shared_with_states), list(shared_with_organisations)
    network = CriminalNetwork(contribution=contribution, originator=originator, created_by=actor, **fields)
    errors: dict[str, Any] = dissemination_errors(
        scope=network.scope, states=shared_with_states, organisations=shared_with_organisations
    )
    try:
        network.full_clean()
    except ValidationError as error:
        errors = {**error.message_dict, **errors}
    if scores := indicator_errors(indicators):
        errors["indicators"] = scores
    if errors:
        raise ValidationError(errors)
    network._history_user = actor  # type: ignore[attr-defined]
    network.save()
    _set_network_relations(network, secondary_crime_areas, countries)
    shared_record_apply_recipients(
        record=network, states=shared_with_states, organisations=shared_with_organisations
    )
    _set_indicators(network, indicators, actor)
    search_index(network)
    return network


@transaction.atomic
def network_update(
    *,
    network: CriminalNetwork,
    actor: Any,
    secondary_crime_areas: Iterable[CrimeArea] | None = None,
    countries: Iterable[State] | None = None,
    indicators: Iterable[IndicatorData] | None = None,
    dissemination: dict[str, Any] | None = None,
    **fields: Any,
) -> CriminalNetwork:
    """Change a network profile while its contribution is editable. Indicators given replace the
    stored score and rationale of those indicators; dissemination changes go through
    `shared_record_set_dissemination`."""
    if not can(actor, network, Action.CHANGE):
        raise PermissionDenied(_("Only the originator changes a network profile."))
    _require_network_editable(network.contribution)
    unknown = set(fields) - set(NETWORK_CONTENT_FIELDS)
    if unknown:
        raise TypeError(f"not content fields of a criminal network: {sorted(unknown)}")
    indicators = list(indicators) if indicators is not None else None
    stored = CriminalNetwork.objects.filter(pk=network.pk).values(*SharedRecord.DISSEMINATION_FIELDS).get()
    for name, value in {**stored, **fields}.items():
        setattr(network, name, value)
    errors: dict[str, Any] = {}
    try:
        network.full_clean()
    except ValidationError as error:
        errors.update(error.message_dict)
    if indicators is not None and (scores := indicator_errors(indicators)):
        errors["indicators"] = scores
    if errors:
        raise ValidationError(errors)
    network._history_user = actor  # type: ignore[attr-defined]
    network.save()
    _set_network_relations(network, secondary_crime_areas, countries)
    if indicators is not None:
        _set_indicators(network, indicators, actor)
    if dissemination is not None:
        shared_record_set_dissemination(record=network, actor=actor, **dissemination)
    search_index(network)
    return network
