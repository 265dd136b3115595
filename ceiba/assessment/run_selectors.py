"""Reads of stored runs for pages and the API: the runs a person may see, and a run's results as
the viewer may receive them (networks the viewer may not see are counted, never named)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from ceiba.common.access import Action, restrict
from ceiba.core.choices import Subregion
from ceiba.core.models import State
from ceiba.documentation.models import AssessmentCycle, CrimeArea, CriminalNetwork

from . import runs
from .labels import BAND_LABELS, LEVEL_LABELS, band_label
from .models import AssessmentRun, MethodologyVersion, RecommendedPriority

BAND_ORDER = ("very_high", "high", "medium", "low", None)


def visible_runs(user: Any) -> QuerySet[AssessmentRun]:
    return restrict(AssessmentRun, user, Action.VIEW).select_related(
        "cycle", "methodology", "indicator_table", "created_by"
    )


def runnable_cycles(user: Any) -> QuerySet[AssessmentCycle]:
    return restrict(AssessmentCycle, user, Action.VIEW).order_by("-contribution_deadline", "name")


def scores_cycles(version: MethodologyVersion) -> bool:
    """Whether a stored version scores a cycle: every valid methodology has actor indicators (a
    composite index, when it declares one, is an addition for indicator tables)."""
    try:
        return bool(version.parsed().actor_indicators)
    except ValueError:
        return False


def cycle_methodologies() -> QuerySet[MethodologyVersion]:
    """Methodology versions that may score a cycle, newest first."""
    versions = list(MethodologyVersion.objects.all())
    return MethodologyVersion.objects.filter(pk__in=[v.pk for v in versions if scores_cycles(v)])


def run_url(run: AssessmentRun) -> str:
    return reverse("assessment:run_detail", args=[run.pk])


def explain_network_url(run: AssessmentRun, key: str) -> str:
    return f"/assessment/runs/{run.pk}/explain/network/{key}/"


def explain_area_url(run: AssessmentRun, code: str, level: str, place: str) -> str:
    return f"/assessment/runs/{run.pk}/explain/area/{code}/{level}/{place}/"


def area_names(codes: Any) -> dict[str, str]:
    return {a.code: a.name for a in CrimeArea.objects.filter(code__in=list(codes))}


def place_name(level: str, place: str, states: dict[str, str]) -> str:
    if level == "state":
        return states.get(place, place)
    if level == "subregion":
        return str(dict(Subregion.choices).get(place, place))
    return str(LEVEL_LABELS.get(place, place))


@dataclass
class Cell:
    score: float | None
    coverage: float | None
    url: str


@dataclass
class AreaRow:
    code: str
    name: str
    cells: list[Cell]
    stability: float | None = None


@dataclass
class LevelTable:
    level: str
    label: str
    places: list[tuple[str, str]]
    rows: list[AreaRow]
    omitted: int = 0


@dataclass
class NetworkRow:
    key: str
    name: str
    score: float | None
    band: str | None
    band_label: str
    coverage: float
    confidence: float
    included: bool
    url: str
    detail_pk: int | None


@dataclass
class PriorityView:
    priority: RecommendedPriority
    networks: list[NetworkRow]
    hidden_networks: int
    url: str
    form: Any = None


@dataclass
class RunResults:
    """What one viewer may see of a cycle run's results."""

    ranking: list[AreaRow] = field(default_factory=list)
    levels: dict[str, LevelTable] = field(default_factory=dict)
    networks: list[NetworkRow] = field(default_factory=list)
    hidden_networks: int = 0
    bands: list[tuple[str | None, str, int]] = field(default_factory=list)
    priorities: list[PriorityView] = field(default_factory=list)
    sensitivity: dict[str, Any] | None = None


def stability_of(run: AssessmentRun) -> dict[str, float | None]:
    sensitivity = run.results.get("sensitivity") or {}
    return dict(zip(sensitivity.get("areas", []), sensitivity.get("probability", []), strict=False))


def _level_table(
    run: AssessmentRun, level: str, names: dict[str, str], states: dict[str, str]
) -> LevelTable | None:
    data = run.results.get("levels", {}).get(level)
    if data is None:
        return None
    places = list(data["places"])
    if level == "state":
        # Only the states with at least one score: the others would be a column of "unknown".
        places = [p for j, p in enumerate(data["places"]) if any(row[j] is not None for row in data["score"])]
    index = {p: j for j, p in enumerate(data["places"])}
    rows = []
    for i, code in enumerate(run.results.get("areas", [])):
        cells = [
            Cell(
                score=data["score"][i][index[place]],
                coverage=data["coverage"][i][index[place]],
                url=explain_area_url(run, code, level, place),
            )
            for place in places
        ]
        rows.append(AreaRow(code=code, name=names.get(code, code), cells=cells))
    return LevelTable(
        omitted=len(data["places"]) - len(places),
        level=level,
        label=str(LEVEL_LABELS.get(level, level)),
        places=[(p, place_name(level, p, states)) for p in places],
        rows=rows,
    )


def network_rows(run: AssessmentRun, user: Any) -> tuple[list[NetworkRow], int]:
    """The run's networks the viewer may see (highest score first) and how many others there are."""
    visible = runs.visible_network_keys(run, user)
    pks = [int(key[1:]) for key in visible]
    aliases = dict(restrict(CriminalNetwork, user, Action.VIEW).filter(pk__in=pks).values_list("pk", "alias"))
    rows = []
    hidden = 0
    for item in run.results.get("networks", []):
        key = item["key"]
        if key not in visible:
            hidden += 1
            continue
        pk = int(key[1:])
        rows.append(
            NetworkRow(
                key=key,
                name=aliases.get(pk, key),
                score=item["score"],
                band=item["band"],
                band_label=str(band_label(item["band"])),
                coverage=item["coverage"],
                confidence=item["confidence"],
                included=item["included"],
                url=explain_network_url(run, key),
                detail_pk=pk,
            )
        )
    rows.sort(key=lambda r: (r.score is None, -(r.score or 0.0), r.key))
    return rows, hidden


def band_counts(run: AssessmentRun) -> list[tuple[str | None, str, int]]:
    counts = Counter(item["band"] for item in run.results.get("networks", []))
    return [
        (band, str(BAND_LABELS[band]) if band else str(band_label(None)), counts.get(band, 0))
        for band in BAND_ORDER
        if band is not None or counts.get(None)
    ]


def index_table(run: AssessmentRun) -> tuple[list[str], list[tuple[str, list[float | None]]]]:
    """A composite-index run's countries × indices."""
    results = run.results
    names = list(results.get("indices", {}))
    columns = [results["indices"][name] for name in names]
    states = {s.iso3: s.name for s in State.objects.all()}
    rows = [
        (states.get(country, country), [column[i] for column in columns])
        for i, country in enumerate(results.get("countries", []))
    ]
    return names, rows


def run_results(run: AssessmentRun, user: Any) -> RunResults:
    """Everything a cycle run's page shows, as the viewer may see it."""
    results = RunResults()
    if run.kind != "cycle":
        return results
    codes = run.results.get("areas", [])
    names = area_names(codes)
    states = {s.iso3: s.name for s in State.objects.all()}
    stability = stability_of(run)
    for level in ("region", "subregion", "state"):
        table = _level_table(run, level, names, states)
        if table is not None:
            results.levels[level] = table
    region = results.levels.get("region")
    if region is not None:
        ranking = [
            AreaRow(code=row.code, name=row.name, cells=row.cells[:1], stability=stability.get(row.code))
            for row in region.rows
        ]
        ranking.sort(key=lambda r: (r.cells[0].score is None, -(r.cells[0].score or 0.0), r.name))
        results.ranking = ranking
    results.networks, results.hidden_networks = network_rows(run, user)
    results.bands = band_counts(run)
    by_key = {row.key: row for row in results.networks}
    region_place = region.places[0][0] if region is not None and region.places else "region"
    for priority in run.priorities.select_related("crime_area", "updated_by").order_by("rank"):
        shown = [by_key[key] for key in priority.networks if key in by_key]
        results.priorities.append(
            PriorityView(
                priority=priority,
                networks=shown,
                hidden_networks=len(priority.networks) - len(shown),
                url=explain_area_url(run, priority.crime_area.code, "region", region_place),
            )
        )
    results.sensitivity = run.results.get("sensitivity")
    return results
