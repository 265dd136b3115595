"""Runs: gather a cycle's validated contributions through the access policy, hand them to the pure
scoring core, and store what went in and what came out (docs/decisions/0041).

Confidentiality is decided here, before the core sees anything: a restricted run uses the validated
records the person running it may see (the secretariat), a public run only those marked TLP:CLEAR
and disseminated to all members. The core then scores exactly those inputs, so an aggregate never
carries a record its audience may not receive."""

from __future__ import annotations

import hashlib
import json
import math
import threading
import time
from collections import OrderedDict, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
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
    NetworkIndicatorScore,
    StatisticsDataset,
    StatisticTotal,
    ThreatReport,
    ThreatRoute,
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
    #: The same inputs as plain data (canonical order), as stored with the run and hashed.
    network_data: list[dict[str, Any]]
    market_data: list[dict[str, Any]]
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


def _pairs(model: Any, field: str, pks: QuerySet[Any]) -> dict[int, list[int]]:
    """{record pk: [related pks]} of a many-to-many field for the records of `pks` (a subquery of
    primary keys, so the database, not Python, matches them), in one query."""
    relation = model._meta.get_field(field)
    through = relation.remote_field.through
    source, target = relation.m2m_field_name(), relation.m2m_reverse_field_name()
    result: dict[int, list[int]] = defaultdict(list)
    rows = through.objects.filter(**{f"{source}_id__in": pks}).values_list(f"{source}_id", f"{target}_id")
    for left, right in rows:
        result[left].append(right)
    return result


GRADING_FIELDS = ("grading_scheme", "source_reliability", "information_credibility")


def _network(data: Mapping[str, Any]) -> scoring.NetworkInput:
    return scoring.NetworkInput(
        key=data["key"],
        scores=data["scores"],
        crime_areas=tuple(data["crime_areas"]),
        states=tuple(data["states"]),
        confidence=data["confidence"],
    )


def _market(data: Mapping[str, Any]) -> scoring.MarketInput:
    return scoring.MarketInput(
        key=data["key"],
        crime_area=data["crime_area"],
        state=data["state"],
        values=data["values"],
        confidence=data["confidence"],
    )


def gather_cycle_inputs(
    cycle: AssessmentCycle, methodology: Methodology, user: Any, audience: str
) -> CycleInputs:
    """The validated records of `cycle` that `user` may see (and, for a public run, that may go to
    everyone), as inputs of the scoring core. Read with a handful of set-based queries (values, not
    model instances), so ten thousand networks take well under a second."""
    states = {s.pk: s for s in State.objects.all()}
    iso3 = {pk: s.iso3 for pk, s in states.items()}
    geography = scoring.Geography({s.iso3: s.subregion for s in states.values()})
    area_codes = dict(CrimeArea.objects.values_list("pk", "code"))
    in_scope = tuple(sorted(cycle.crime_areas.values_list("code", flat=True)))
    scope = set(in_scope)

    def wanted(codes: Sequence[str]) -> tuple[str, ...]:
        return tuple(sorted({c for c in codes if not scope or c in scope}))

    confidence_cache: dict[tuple[str, str, str], float] = {}

    def confidence(row: Mapping[str, Any]) -> float:
        key = (row["grading_scheme"], row["source_reliability"], row["information_credibility"])
        if key not in confidence_cache:
            try:
                confidence_cache[key] = methodology.confidence(*key)
            except KeyError:
                confidence_cache[key] = 1.0
        return confidence_cache[key]

    def record(model: str, row: Mapping[str, Any], inputs: Any) -> dict[str, Any]:
        return {
            "model": model,
            "pk": row["pk"],
            "state": iso3[row["originator_state_id"]],
            "tlp": row["tlp"],
            "grading": f"{row['source_reliability']}{row['information_credibility']}",
            "hash": scoring.plain_hash(inputs),
        }

    records: dict[str, dict[str, Any]] = {}
    contributions: set[int] = set()
    fields = ("pk", "contribution_id", "originator_state_id", "tlp", *GRADING_FIELDS)
    network_qs = _validated(restrict(CriminalNetwork, user, Action.VIEW), cycle, audience)
    network_rows = list(network_qs.order_by("pk").values(*fields, "main_crime_area_id"))
    network_pks = network_qs.values("pk")
    secondary = _pairs(CriminalNetwork, "secondary_crime_areas", network_pks)
    countries = _pairs(CriminalNetwork, "countries", network_pks)
    scores: dict[int, dict[str, int | None]] = defaultdict(dict)
    for network, indicator, score in NetworkIndicatorScore.objects.filter(
        network_id__in=network_pks
    ).values_list("network_id", "indicator", "score"):
        scores[network][indicator] = score
    network_data: list[dict[str, Any]] = []
    for row in network_rows:
        pk = row["pk"]
        areas = wanted([area_codes[row["main_crime_area_id"]], *(area_codes[a] for a in secondary[pk])])
        if not areas:
            continue
        active = [iso3[c] for c in countries[pk]] or [iso3[row["originator_state_id"]]]
        data: dict[str, Any] = {
            "key": f"N{pk}",
            "scores": dict(sorted(scores[pk].items())),
            "crime_areas": list(areas),
            "states": sorted(set(active)),
            "confidence": confidence(row),
        }
        network_data.append(data)
        contributions.add(row["contribution_id"])
        records[f"N{pk}"] = record("network", row, data)

    report_qs = _validated(restrict(ThreatReport, user, Action.VIEW), cycle, audience)
    report_rows = list(
        report_qs.order_by("pk").values(*fields, "crime_area_id", "scale", "trend", "enablers", *HARM_FIELDS)
    )
    report_pks = report_qs.values("pk")
    affected_of = _pairs(ThreatReport, "affected_states", report_pks)
    route_states: dict[int, set[int]] = defaultdict(set)
    route_rows = ThreatRoute.objects.filter(report_id__in=report_pks).values_list(
        "pk", "report_id", "origin_id", "destination_id"
    )
    route_report = {}
    for route, report, origin, destination in route_rows:
        route_report[route] = report
        route_states[report].update(s for s in (origin, destination) if s is not None)
    routes = ThreatRoute.objects.filter(report_id__in=report_pks).values("pk")
    for route, transit in _pairs(ThreatRoute, "transit", routes).items():
        route_states[route_report[route]].update(transit)
    market_data: list[dict[str, Any]] = []
    for row in report_rows:
        pk = row["pk"]
        code = area_codes[row["crime_area_id"]]
        if scope and code not in scope:
            continue
        affected = sorted({iso3[s] for s in affected_of[pk]})
        concerned = set(affected) | {iso3[s] for s in route_states[pk]}
        values: dict[str, float | str | None] = {
            "scale": row["scale"],
            "trend": None if row["trend"] == "unknown" else row["trend"],
            "geographic_spread": float(len(concerned)) if concerned else None,
            "enablers": float(len(row["enablers"] or [])),
            **{name: row[name] for name in HARM_FIELDS},
        }
        items = [
            {
                "key": f"R{pk}:{state}",
                "crime_area": code,
                "state": state,
                "values": values,
                "confidence": confidence(row),
            }
            for state in affected or [iso3[row["originator_state_id"]]]
        ]
        market_data.extend(items)
        contributions.add(row["contribution_id"])
        records[f"R{pk}"] = record("report", row, items)
    statistics = _statistics(cycle, user, audience, scope, states)
    contributions.update(row.pop("contribution") for row in statistics)
    network_data.sort(key=lambda n: n["key"])  # the core's canonical order (keys as strings)
    market_data.sort(key=lambda m: (m["crime_area"], m["state"], m["key"]))
    return CycleInputs(
        networks=[_network(n) for n in network_data],
        markets=[_market(m) for m in market_data],
        network_data=network_data,
        market_data=market_data,
        geography=geography,
        crime_areas=in_scope,
        statistics=statistics,
        records=records,
        contributions=len(contributions),
    )


HARM_FIELDS = ("harm_physical", "harm_economic", "harm_social", "harm_environmental", "harm_institutional")


def _statistics(
    cycle: AssessmentCycle, user: Any, audience: str, scope: set[str], states: Mapping[int, State]
) -> list[dict[str, Any]]:
    """Seizure, arrest and incident totals per dataset, crime area, state, kind and unit: context for
    the report (charts), not scored. Read from the per-dataset totals the importers keep, so a
    million rows are not summed again for every run."""
    datasets = _validated(restrict(StatisticsDataset, user, Action.VIEW), cycle, audience)
    marking = dict(datasets.values_list("pk", "tlp"))
    contribution = dict(datasets.values_list("pk", "contribution_id"))
    rows = (
        restrict(StatisticTotal, user, Action.VIEW)
        .filter(dataset_id__in=list(marking))
        .values("dataset_id", "crime_area__code", "state_id", "kind", "unit", "total")
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
                "total": format(total.normalize(), "f") if isinstance(total, Decimal) else str(total),
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


def _plain(data: Any) -> Any:
    """Data as it reads back from the JSON column (tuples as lists), so a fresh run compares equal
    to a stored one."""
    return json.loads(json.dumps(data, allow_nan=False))


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
        digest=False,
    )
    core_hash = scoring.plain_hash(
        scoring.run_digest_data(
            methodology,
            inputs.network_data,
            inputs.market_data,
            inputs.geography,
            inputs.crime_areas,
            (samples, spread, seed),
        )
    )
    input_hash = scoring.plain_hash({"core": core_hash, "statistics": inputs.statistics})
    snapshot = {
        "networks": inputs.network_data,
        "markets": inputs.market_data,
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
            results=_plain(results_json(methodology, result)),
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


@dataclass(frozen=True)
class Rebuilt:
    """A cycle run's core objects recomputed from its stored inputs (bit-identical to its results).
    Shared between requests by `rebuilt` (read it, never change it)."""

    methodology: Methodology
    networks: list[scoring.NetworkInput]
    markets: list[scoring.MarketInput]
    geography: scoring.Geography
    table: scoring.NetworkTable
    network_scores: scoring.NetworkScores
    area_scores: scoring.AreaScores


def stored_networks(run: AssessmentRun) -> list[scoring.NetworkInput]:
    return [_network(n) for n in run.inputs.get("networks", [])]


def stored_markets(run: AssessmentRun) -> list[scoring.MarketInput]:
    return [_market(m) for m in run.inputs.get("markets", [])]


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


#: How many rebuilt runs a process keeps (`rebuilt`): the few runs being explained or compared (a run
#: of 10,000 networks takes about 11 MB).
REBUILT_CACHE_SIZE = 4
_rebuilt_cache: OrderedDict[tuple[Any, ...], Rebuilt] = OrderedDict()
_rebuilt_lock = threading.Lock()


def rebuilt(run: AssessmentRun) -> Rebuilt:
    """`rebuild(run)`, computed once per process and kept in a small LRU (docs/decisions/0041): a run
    is immutable, so its id with its stored hashes names the result. Only the computed run is kept;
    what a viewer may see of it is filtered per request by the callers. An unsaved run is not kept."""
    if run.pk is None:
        return rebuild(run)
    key = (run.pk, run.input_hash, run.methodology_id, run.methodology_hash, run.code_version)
    with _rebuilt_lock:
        if key in _rebuilt_cache:
            _rebuilt_cache.move_to_end(key)
            return _rebuilt_cache[key]
    value = rebuild(run)  # outside the lock: two first requests may both compute, one is kept
    with _rebuilt_lock:
        _rebuilt_cache[key] = value
        _rebuilt_cache.move_to_end(key)
        while len(_rebuilt_cache) > REBUILT_CACHE_SIZE:
            _rebuilt_cache.popitem(last=False)
    return value


def clear_rebuilt() -> None:
    """Forget every rebuilt run (tests; a run deleted and its id reused by a test database)."""
    with _rebuilt_lock:
        _rebuilt_cache.clear()


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


def edit_rationale(priority: RecommendedPriority, text: str, user: Any) -> RecommendedPriority:
    _check_runner(user)
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

    _check_runner(user)
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

    _check_runner(user)
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
    _check_runner(user)
    if run.audience != Audience.PUBLIC:
        raise ValidationError(_("Only a public run is published; a restricted run stays restricted."))
    if run.published_at is not None:
        raise ValidationError(_("This run is already published."))
    with transaction.atomic():
        run.published_at = timezone.now()
        run.save(update_fields=["published_at"])
        audit.record(AuditAction.UPDATE, obj=run, actor=user, changes={"published": True})
    return run
