"""Runs: gather a cycle's validated contributions through the access policy, hand them to the pure
scoring core, and store what went in and what came out (docs/decisions/0041).

Confidentiality is decided here, before the core sees anything: a restricted run uses the validated
records the person running it may see (the secretariat), a public run only those marked TLP:CLEAR
and disseminated to all members. The core then scores exactly those inputs, so an aggregate never
carries a record its audience may not receive."""

from __future__ import annotations

import hashlib
import math
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

import ceiba
from ceiba.common import audit
from ceiba.common.access import Action, principal_for, restrict
from ceiba.common.models import AuditAction
from ceiba.core.choices import SECRETARIAT_ROLES
from ceiba.core.models import State
from ceiba.documentation.choices import ContributionStatus
from ceiba.documentation.models import (
    AssessmentCycle,
    CrimeArea,
    CriminalNetwork,
    StatisticRow,
    StatisticsDataset,
    ThreatReport,
)
from ceiba.sharing.choices import TLP, Scope, most_restrictive

from . import scoring
from .choices import Audience, RunKind
from .methodology import Methodology
from .models import AssessmentRun, IndicatorTable, MethodologyVersion, RecommendedPriority

SOURCE_FILES = ("scoring.py", "methodology.py", "runs.py")


@cache
def code_version() -> str:
    """Ceiba's version, a digest of the scoring code and NumPy's version: what a number depends on
    besides its inputs and methodology."""
    digest = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for name in SOURCE_FILES:
        digest.update((here / name).read_bytes())
    return f"ceiba {ceiba.__version__}; scoring {digest.hexdigest()[:12]}; numpy {np.__version__}"


def may_run(user: Any) -> bool:
    principal = principal_for(user)
    return principal.superuser or bool(principal.roles & SECRETARIAT_ROLES)


# --------------------------------------------------------------------------------------------------
# Inputs of a cycle


@dataclass
class CycleInputs:
    """What a run of a cycle scores, and where each input came from."""

    networks: list[scoring.NetworkInput]
    markets: list[scoring.MarketInput]
    geography: scoring.Geography
    crime_areas: tuple[str, ...]
    statistics: list[dict[str, Any]]
    #: key → {"model", "pk", "state", "tlp", "grading", "hash"}
    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    contributions: int = 0

    @property
    def tlp(self) -> str:
        markings = [r["tlp"] for r in self.records.values()]
        markings += [row["tlp"] for row in self.statistics]
        return str(most_restrictive(markings))


def _validated(queryset: QuerySet[Any], cycle: AssessmentCycle, audience: str) -> QuerySet[Any]:
    queryset = queryset.filter(contribution__cycle=cycle, contribution__status=ContributionStatus.VALIDATED)
    if audience == Audience.PUBLIC:
        queryset = queryset.filter(tlp=TLP.CLEAR, scope=Scope.ALL_MEMBERS)
    return queryset


def _confidence(methodology: Methodology, record: Any) -> float:
    try:
        return methodology.confidence(
            record.grading_scheme, record.source_reliability, record.information_credibility
        )
    except KeyError:
        return 1.0


def gather_cycle_inputs(
    cycle: AssessmentCycle, methodology: Methodology, user: Any, audience: str
) -> CycleInputs:
    """The validated records of `cycle` that `user` may see (and, for a public run, that may go to
    everyone), as inputs of the scoring core."""
    states = {s.pk: s for s in State.objects.all()}
    geography = scoring.Geography({s.iso3: s.subregion for s in states.values()})
    in_scope = tuple(sorted(cycle.crime_areas.values_list("code", flat=True)))
    scope = set(in_scope)

    def wanted(codes: Sequence[str]) -> tuple[str, ...]:
        return tuple(sorted({c for c in codes if not scope or c in scope}))

    records: dict[str, dict[str, Any]] = {}
    networks: list[scoring.NetworkInput] = []
    network_qs = (
        _validated(restrict(CriminalNetwork, user, Action.VIEW), cycle, audience)
        .select_related("main_crime_area")
        .prefetch_related("secondary_crime_areas", "countries", "indicator_scores")
        .order_by("pk")
    )
    contributions: set[int] = set()
    for network in network_qs:
        areas = wanted([network.main_crime_area.code, *(a.code for a in network.secondary_crime_areas.all())])
        if not areas:
            continue
        countries = [c.iso3 for c in network.countries.all()] or [states[network.originator_state_id].iso3]
        item = scoring.NetworkInput(
            key=f"N{network.pk}",
            scores={s.indicator: s.score for s in network.indicator_scores.all()},
            crime_areas=areas,
            states=tuple(sorted(set(countries))),
            confidence=_confidence(methodology, network),
        )
        networks.append(item)
        contributions.add(network.contribution_id)
        records[item.key] = _record("network", network, states, item)
    markets: list[scoring.MarketInput] = []
    report_qs = (
        _validated(restrict(ThreatReport, user, Action.VIEW), cycle, audience)
        .select_related("crime_area")
        .prefetch_related("affected_states", "routes__origin", "routes__destination", "routes__transit")
        .order_by("pk")
    )
    for report in report_qs:
        if scope and report.crime_area.code not in scope:
            continue
        affected = sorted({s.iso3 for s in report.affected_states.all()})
        concerned = set(affected)
        for route in report.routes.all():
            concerned.update(s.iso3 for s in (route.origin, route.destination) if s is not None)
            concerned.update(s.iso3 for s in route.transit.all())
        values: dict[str, float | str | None] = {
            "scale": report.scale,
            "trend": None if report.trend == "unknown" else report.trend,
            "geographic_spread": float(len(concerned)) if concerned else None,
            "enablers": float(len(report.enablers or [])),
            "harm_physical": report.harm_physical,
            "harm_economic": report.harm_economic,
            "harm_social": report.harm_social,
            "harm_environmental": report.harm_environmental,
            "harm_institutional": report.harm_institutional,
        }
        confidence = _confidence(methodology, report)
        items: list[scoring.MarketInput] = []
        for state in affected or [states[report.originator_state_id].iso3]:
            market = scoring.MarketInput(
                key=f"R{report.pk}:{state}",
                crime_area=report.crime_area.code,
                state=state,
                values=values,  # type: ignore[arg-type]  # trends are read by the core
                confidence=confidence,
            )
            items.append(market)
        markets.extend(items)
        contributions.add(report.contribution_id)
        records[f"R{report.pk}"] = _record("report", report, states, items)
    statistics = _statistics(cycle, user, audience, scope, states)
    contributions.update(row.pop("contribution") for row in statistics)
    return CycleInputs(
        networks=networks,
        markets=markets,
        geography=geography,
        crime_areas=in_scope,
        statistics=statistics,
        records=records,
        contributions=len(contributions),
    )


def _record(model: str, record: Any, states: Mapping[int, State], inputs: Any) -> dict[str, Any]:
    return {
        "model": model,
        "pk": record.pk,
        "state": states[record.originator_state_id].iso3,
        "tlp": record.tlp,
        "grading": record.grading,
        "hash": scoring.content_hash(inputs),
    }


def _statistics(
    cycle: AssessmentCycle, user: Any, audience: str, scope: set[str], states: Mapping[int, State]
) -> list[dict[str, Any]]:
    """Seizure, arrest and incident totals per dataset, crime area, state, kind and unit: context for
    the report (charts), not scored. Computed in the database (a million rows are summed there)."""
    datasets = _validated(restrict(StatisticsDataset, user, Action.VIEW), cycle, audience)
    marking = dict(datasets.values_list("pk", "tlp"))
    contribution = dict(datasets.values_list("pk", "contribution_id"))
    rows = (
        StatisticRow.objects.filter(dataset_id__in=list(marking))
        .values("dataset_id", "crime_area__code", "state_id", "kind", "unit")
        .annotate(total=Sum("quantity"))
        .order_by("dataset_id", "crime_area__code", "state_id", "kind", "unit")
    )
    result = []
    for row in rows:
        area = row["crime_area__code"]
        if scope and area not in scope:
            continue
        total = row["total"]
        result.append(
            {
                "dataset": row["dataset_id"],
                "crime_area": area,
                "state": states[row["state_id"]].iso3,
                "kind": row["kind"],
                "unit": row["unit"],
                "total": str(total.normalize() if isinstance(total, Decimal) else total),
                "tlp": marking[row["dataset_id"]],
                "contribution": contribution[row["dataset_id"]],
            }
        )
    return result


# --------------------------------------------------------------------------------------------------
# Results as plain data


def _number(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def _array(values: Any) -> Any:
    """A NumPy array as nested lists, NaN as None."""
    if isinstance(values, np.ndarray):
        if values.ndim == 0:
            return _number(float(values))
        return [_array(v) for v in values]
    if isinstance(values, float | np.floating):
        return _number(float(values))
    return values


def results_json(methodology: Methodology, result: scoring.Run) -> dict[str, Any]:
    scores = result.network_scores
    bands = scores.band_codes(methodology)
    areas = result.area_scores
    return {
        "networks": [
            {
                "key": key,
                "score": _number(float(scores.score[i])),
                "coverage": float(scores.coverage[i]),
                "known": int(scores.known[i]),
                "confidence": float(scores.confidence[i]),
                "band": bands[i],
                "included": bool(scores.included[i]),
            }
            for i, key in enumerate(scores.keys)
        ],
        "areas": list(areas.areas),
        "indicators": list(areas.indicators),
        "levels": {
            name: {
                "places": list(level.places),
                "score": _array(level.score),
                "coverage": _array(level.coverage),
                "values": _array(level.values),
            }
            for name, level in areas.levels.items()
        },
        "priorities": [asdict(p) for p in result.priorities],
        "sensitivity": (
            {
                "areas": list(result.sensitivity.areas),
                "probability": _array(result.sensitivity.probability),
                "samples": result.sensitivity.samples,
                "spread": result.sensitivity.spread,
                "seed": result.sensitivity.seed,
            }
            if result.sensitivity is not None
            else None
        ),
    }


def computed_rationale(priority: scoring.Priority, labels: Mapping[str, str]) -> str:
    """A sentence or two on why an item is recommended, from its drivers and networks."""
    score = "–" if priority.score is None else f"{priority.score:.2f}"
    drivers = [d for d in priority.drivers if d.normalised is not None and d.contribution > 0][:3]
    parts = [
        _("Regional score %(score)s (coverage %(coverage)d%%).")
        % {"score": score, "coverage": round(priority.coverage * 100)}
    ]
    if drivers:
        parts.append(
            _("Main drivers: %(drivers)s.")
            % {"drivers": ", ".join(f"{labels.get(d.code, d.code)} ({d.contribution:.2f})" for d in drivers)}
        )
    if priority.mandatory and not priority.by_score:
        parts.append(_("Included as a mandatory area of the methodology."))
    if priority.networks:
        parts.append(_("Highest-scoring networks: %(count)d listed.") % {"count": len(priority.networks)})
    return " ".join(parts)


# --------------------------------------------------------------------------------------------------
# Running


class RunError(ValidationError):
    """A run cannot be made; nothing is written."""


def _check_runner(user: Any) -> None:
    if not may_run(user):
        raise PermissionDenied(_("Only the secretariat runs assessments."))


def run_cycle(
    *,
    methodology_version: MethodologyVersion,
    cycle: AssessmentCycle,
    user: Any,
    audience: str = Audience.RESTRICTED,
    title: str = "",
    samples: int = 1000,
    spread: float = 0.2,
    seed: int = 0,
) -> AssessmentRun:
    """Score a cycle's validated contributions and store the run (atomic, audited)."""
    _check_runner(user)
    started = time.perf_counter()
    methodology = methodology_version.parsed()
    if audience not in Audience.values:
        raise RunError({"audience": _("Choose public or restricted.")})
    if not 0 <= spread < 1:
        raise RunError({"spread": _("The weight spread must be at least 0 and below 1.")})
    validated = cycle.contributions.filter(status=ContributionStatus.VALIDATED)
    if not validated.exists():
        raise RunError(
            {"cycle": _("The cycle %(cycle)s has no validated contribution to assess.") % {"cycle": cycle}}
        )
    inputs = gather_cycle_inputs(cycle, methodology, user, audience)
    if not inputs.records and not inputs.statistics:
        raise RunError(
            {
                "cycle": _("No validated record of the cycle %(cycle)s may be used for this audience.")
                % {"cycle": cycle}
            }
        )
    result = scoring.run(
        methodology,
        inputs.networks,
        inputs.markets,
        inputs.geography,
        crime_areas=inputs.crime_areas,
        samples=samples,
        spread=spread,
        seed=seed,
    )
    input_hash = scoring.content_hash({"core": result.input_hash, "statistics": inputs.statistics})
    snapshot = {
        "networks": [asdict(n) for n in sorted(inputs.networks, key=lambda n: n.key)],
        "markets": [asdict(m) for m in sorted(inputs.markets, key=lambda m: (m.crime_area, m.state, m.key))],
        "geography": dict(sorted(inputs.geography.subregion_of.items())),
        "crime_areas": list(inputs.crime_areas),
        "statistics": inputs.statistics,
        "records": dict(sorted(inputs.records.items())),
    }
    areas = {a.code: a for a in CrimeArea.objects.filter(code__in=[p.crime_area for p in result.priorities])}
    labels = _indicator_labels(methodology)
    probability = (
        dict(zip(result.sensitivity.areas, result.sensitivity.probability.tolist(), strict=True))
        if result.sensitivity is not None
        else {}
    )
    with transaction.atomic():
        run = AssessmentRun.objects.create(
            kind=RunKind.CYCLE,
            title=title
            or _("%(cycle)s · %(methodology)s") % {"cycle": cycle, "methodology": methodology_version},
            methodology=methodology_version,
            cycle=cycle,
            audience=audience,
            tlp=inputs.tlp,
            input_hash=input_hash,
            methodology_hash=methodology_version.definition_hash,
            code_version=code_version(),
            samples=samples,
            spread=spread,
            seed=seed,
            inputs=snapshot,
            results=results_json(methodology, result),
            counts={
                "contributions": inputs.contributions,
                "networks": len(inputs.networks),
                "reports": sum(1 for r in inputs.records.values() if r["model"] == "report"),
                "statistics": len(inputs.statistics),
            },
            created_by=user,
            duration_ms=round((time.perf_counter() - started) * 1000),
        )
        RecommendedPriority.objects.bulk_create(
            [
                RecommendedPriority(
                    run=run,
                    rank=p.rank,
                    crime_area=areas[p.crime_area],
                    score=p.score,
                    coverage=p.coverage,
                    probability=probability.get(p.crime_area),
                    mandatory=p.mandatory,
                    by_score=p.by_score,
                    drivers=[asdict(d) for d in p.drivers],
                    networks=list(p.networks),
                    computed_rationale=(text := computed_rationale(p, labels)),
                    rationale=text,
                )
                for p in result.priorities
            ]
        )
        audit.record(AuditAction.CREATE, obj=run, actor=user, changes={"input_hash": input_hash})
    return run


def _indicator_labels(methodology: Methodology) -> dict[str, str]:
    from .labels import market_indicator_label

    return {i.code: str(market_indicator_label(i.code)) for i in methodology.market_indicators}


def run_table(
    *, methodology_version: MethodologyVersion, table: IndicatorTable, user: Any, title: str = ""
) -> AssessmentRun:
    """Compute a composite methodology over an imported indicator table (public reference data)."""
    _check_runner(user)
    started = time.perf_counter()
    methodology = methodology_version.parsed()
    if methodology.composite is None:
        raise RunError({"methodology": _("This methodology declares no composite index.")})
    content = table.content
    columns = list(content.get("indicators", []))
    rows = [
        {"country": country, **dict(zip(columns, values, strict=True))}
        for country, values in sorted(content.get("rows", {}).items())
    ]
    try:
        country_table = scoring.country_table(
            methodology, rows, known_countries=State.objects.values_list("iso3", flat=True)
        )
    except scoring.TableError as error:
        raise RunError({"indicator_table": [str(issue) for issue in error.issues]}) from error
    result = scoring.composite_index(methodology, country_table)
    input_hash = scoring.content_hash(
        {
            "methodology": methodology.definition,
            "table": {
                "columns": country_table.columns,
                "countries": country_table.countries,
                "values": country_table.values,
            },
        }
    )
    with transaction.atomic():
        run = AssessmentRun.objects.create(
            kind=RunKind.TABLE,
            title=title
            or _("%(table)s · %(methodology)s") % {"table": table, "methodology": methodology_version},
            methodology=methodology_version,
            indicator_table=table,
            audience=Audience.PUBLIC,
            tlp=TLP.CLEAR,
            input_hash=input_hash,
            methodology_hash=methodology_version.definition_hash,
            code_version=code_version(),
            samples=0,
            inputs={
                "columns": list(country_table.columns),
                "countries": list(country_table.countries),
                "values": _array(country_table.values),
            },
            results={
                "countries": list(result.countries),
                "indices": {name: _array(values) for name, values in result.indices.items()},
                "quadrant": list(result.quadrant),
            },
            counts={"countries": len(country_table.countries), "indicators": len(country_table.columns)},
            created_by=user,
            duration_ms=round((time.perf_counter() - started) * 1000),
        )
        audit.record(AuditAction.CREATE, obj=run, actor=user, changes={"input_hash": input_hash})
    return run


# --------------------------------------------------------------------------------------------------
# Reading a run back


@dataclass
class Rebuilt:
    """A cycle run's core objects recomputed from its stored inputs (bit-identical to its results)."""

    methodology: Methodology
    networks: list[scoring.NetworkInput]
    markets: list[scoring.MarketInput]
    geography: scoring.Geography
    table: scoring.NetworkTable
    network_scores: scoring.NetworkScores
    area_scores: scoring.AreaScores


def stored_networks(run: AssessmentRun) -> list[scoring.NetworkInput]:
    return [
        scoring.NetworkInput(
            key=n["key"],
            scores=n["scores"],
            crime_areas=tuple(n["crime_areas"]),
            states=tuple(n["states"]),
            confidence=n["confidence"],
        )
        for n in run.inputs.get("networks", [])
    ]


def stored_markets(run: AssessmentRun) -> list[scoring.MarketInput]:
    return [
        scoring.MarketInput(
            key=m["key"],
            crime_area=m["crime_area"],
            state=m["state"],
            values=m["values"],
            confidence=m["confidence"],
        )
        for m in run.inputs.get("markets", [])
    ]


def rebuild(run: AssessmentRun) -> Rebuilt:
    if run.kind != RunKind.CYCLE:
        raise ValueError("only cycle runs have networks and crime areas")
    methodology = run.methodology.parsed()
    networks = stored_networks(run)
    markets = stored_markets(run)
    geography = scoring.Geography(run.inputs["geography"])
    table = scoring.network_table(methodology, networks, geography, run.inputs.get("crime_areas", ()))
    network_scores = scoring.score_networks(methodology, table)
    area_scores = scoring.score_crime_areas(methodology, table, network_scores, markets, geography)
    return Rebuilt(methodology, networks, markets, geography, table, network_scores, area_scores)


def visible_network_keys(run: AssessmentRun, user: Any) -> set[str]:
    """The keys of the run's networks whose profile `user` may see today (the rest are counted,
    never shown)."""
    pks = [r["pk"] for r in run.inputs.get("records", {}).values() if r["model"] == "network"]
    return {
        f"N{pk}"
        for pk in restrict(CriminalNetwork, user, Action.VIEW).filter(pk__in=pks).values_list("pk", flat=True)
    }


def visible_report_keys(run: AssessmentRun, user: Any) -> set[str]:
    pks = [r["pk"] for r in run.inputs.get("records", {}).values() if r["model"] == "report"]
    return {
        f"R{pk}"
        for pk in restrict(ThreatReport, user, Action.VIEW).filter(pk__in=pks).values_list("pk", flat=True)
    }


def changed_inputs(before: AssessmentRun, after: AssessmentRun) -> dict[str, list[str]]:
    """Which input records were added, removed or changed between two runs (by their hashes)."""
    first = {k: r["hash"] for k, r in before.inputs.get("records", {}).items()}
    second = {k: r["hash"] for k, r in after.inputs.get("records", {}).items()}
    return {
        "added": sorted(set(second) - set(first)),
        "removed": sorted(set(first) - set(second)),
        "changed": sorted(k for k in set(first) & set(second) if first[k] != second[k]),
    }


def statistics_totals(run: AssessmentRun) -> dict[tuple[str, str, str, str], Decimal]:
    """(crime area, state, kind, unit) → total over the run's datasets."""
    totals: dict[tuple[str, str, str, str], Decimal] = defaultdict(Decimal)
    for row in run.inputs.get("statistics", []):
        totals[(row["crime_area"], row["state"], row["kind"], row["unit"])] += Decimal(row["total"])
    return dict(totals)


# --------------------------------------------------------------------------------------------------
# The priority list and publication


def _secretariat(user: Any) -> None:
    _check_runner(user)


def edit_rationale(priority: RecommendedPriority, text: str, user: Any) -> RecommendedPriority:
    _secretariat(user)
    if not priority.run.priorities_editable:
        raise ValidationError(_("The list is frozen: its rationales no longer change."))
    text = text.strip()
    if not text:
        raise ValidationError({"rationale": _("Write a rationale.")})
    with transaction.atomic():
        before = priority.rationale
        priority.rationale = text
        priority.updated_by = user
        priority.save(update_fields=["rationale", "updated_by", "updated_at"])
        audit.record(AuditAction.UPDATE, obj=priority, actor=user, changes={"rationale": [before, text]})
    return priority


def freeze_priorities(run: AssessmentRun, user: Any) -> AssessmentRun:
    from .choices import PriorityListStatus

    _secretariat(user)
    if run.kind != RunKind.CYCLE:
        raise ValidationError(_("Only a threat assessment recommends priorities."))
    if run.priorities_status != PriorityListStatus.PROPOSED:
        raise ValidationError(_("The list is already frozen."))
    with transaction.atomic():
        run.priorities_status = PriorityListStatus.FROZEN
        run.frozen_at = timezone.now()
        run.frozen_by = user
        run.save(update_fields=["priorities_status", "frozen_at", "frozen_by"])
        audit.record(AuditAction.UPDATE, obj=run, actor=user, changes={"priorities": "frozen"})
    return run


def hand_over_priorities(run: AssessmentRun, user: Any) -> AssessmentRun:
    """Hand a frozen list to the committee (the policy cycle takes it from there)."""
    from .choices import PriorityListStatus

    _secretariat(user)
    if run.priorities_status != PriorityListStatus.FROZEN:
        raise ValidationError(_("Freeze the list before handing it over."))
    with transaction.atomic():
        run.priorities_status = PriorityListStatus.HANDED_OVER
        run.handed_over_at = timezone.now()
        run.handed_over_by = user
        run.save(update_fields=["priorities_status", "handed_over_at", "handed_over_by"])
        audit.record(AuditAction.UPDATE, obj=run, actor=user, changes={"priorities": "handed over"})
    return run


def publish(run: AssessmentRun, user: Any) -> AssessmentRun:
    """Make a public run (and its report) readable by everyone."""
    _secretariat(user)
    if run.audience != Audience.PUBLIC:
        raise ValidationError(_("Only a public run is published; a restricted run stays restricted."))
    if run.published_at is not None:
        raise ValidationError(_("This run is already published."))
    with transaction.atomic():
        run.published_at = timezone.now()
        run.save(update_fields=["published_at"])
        audit.record(AuditAction.UPDATE, obj=run, actor=user, changes={"published": True})
    return run
