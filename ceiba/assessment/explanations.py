"""Explanations and comparisons of assessment runs, as plain data shared by the pages and the API:
every number of a run recomputed from its stored inputs (`runs.rebuilt`: once per run and
process, the filtering per viewer stays per request), the inputs behind it
filtered through the access policy (records a viewer may not see are counted, never named), and the
moves between two runs.

Nothing here writes; a network, place or run a viewer may not see raises `Http404`."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from ceiba.common.access import Action, restrict
from ceiba.core.choices import Subregion
from ceiba.core.models import State
from ceiba.documentation.models import CriminalNetwork, StatisticKind, StatisticUnit, ThreatReport
from ceiba.documentation.taxonomy import CRIME_AREA_NAMES
from ceiba.sharing.choices import TLP

from . import runs, scoring
from .choices import RunKind
from .labels import actor_indicator_label, band_label, market_indicator_label
from .methodology import Methodology
from .models import AssessmentRun

LEVELS = scoring.LEVELS


class ComparisonRefused(ValueError):
    """Two runs cannot be compared (a composite-index run, or a place neither run has); the message
    says why, in the viewer's language."""


# --------------------------------------------------------------------------------------------------
# Small helpers


def _number(value: float | None) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value)


def crime_area_name(code: str) -> str:
    return str(CRIME_AREA_NAMES.get(code, code))


def place_name(level: str, place: str) -> str:
    if level == scoring.REGION:
        return _("The region")
    if level == "subregion":
        return str(dict(Subregion.choices).get(place, place))
    state = State.objects.filter(iso3=place).first()
    return state.name if state is not None else place


def places_of(rebuilt: runs.Rebuilt, level: str) -> tuple[str, ...]:
    return rebuilt.area_scores.levels[level].places


def states_in(geography: scoring.Geography, level: str, place: str) -> list[str]:
    """The member states a place covers (the region: all of them)."""
    if level == scoring.REGION:
        return list(geography.states)
    if level == "subregion":
        return [s for s in geography.states if geography.subregion_of[s] == place]
    return [place] if place in geography.subregion_of else []


def _tlp_label(code: str | None) -> str:
    return str(dict(TLP.choices).get(code or "", code or ""))


def _network_rows(run: AssessmentRun, keys: Iterable[str], user: Any) -> list[dict[str, Any]]:
    """Networks the viewer may see, with their stored results and a link to their profile."""
    records = run.inputs.get("records", {})
    stored = {n["key"]: n for n in run.results.get("networks", [])}
    wanted = [k for k in keys if k in records]
    aliases = dict(
        restrict(CriminalNetwork, user, Action.VIEW)
        .filter(pk__in=[records[k]["pk"] for k in wanted])
        .values_list("pk", "alias")
    )
    rows = []
    for key in wanted:
        record, result = records[key], stored.get(key, {})
        pk = record["pk"]
        if pk not in aliases:
            continue
        rows.append(
            {
                "key": key,
                "alias": aliases[pk],
                "state": record["state"],
                "grading": record["grading"],
                "tlp": record["tlp"],
                "tlp_label": _tlp_label(record["tlp"]),
                "score": result.get("score"),
                "coverage": result.get("coverage"),
                "band": result.get("band"),
                "band_label": str(band_label(result.get("band"))),
                "confidence": result.get("confidence"),
                "included": result.get("included"),
                "explain_url": reverse("assessment:explain_network", args=[run.pk, key]),
                "profile_url": reverse("documentation:network_detail", args=[pk]),
            }
        )
    return rows


def _input_rows(
    explanation: scoring.Explanation,
    labels: Mapping[str, str],
    ranges: Mapping[str, tuple[float, float]],
) -> list[dict[str, Any]]:
    rows = []
    for driver in explanation.inputs:
        known = driver.normalised is not None
        low, high = ranges[driver.code]
        rows.append(
            {
                "code": driver.code,
                "label": labels[driver.code],
                "raw": driver.raw,
                "normalised": driver.normalised,
                "low": low,
                "high": high,
                "weight": driver.weight,
                "share": driver.contribution if known else None,
                "known": known,
                # None for a known input: without it nothing would be known any more.
                "if_unknown": explanation.if_unknown.get(driver.code) if known else None,
                "becomes_unknown": known and explanation.if_unknown.get(driver.code) is None,
            }
        )
    return rows


def _formula(explanation: scoring.Explanation) -> dict[str, Any]:
    """The weighted mean with the actual numbers: Σ weight × normalised value over the known inputs,
    divided by the sum of their weights."""
    terms = [
        {"weight": d.weight, "normalised": d.normalised}
        for d in explanation.inputs
        if d.normalised is not None
    ]
    numerator = math.fsum(t["weight"] * t["normalised"] for t in terms)
    denominator = math.fsum(t["weight"] for t in terms)
    return {
        "text": explanation.formula,
        "terms": terms,
        "numerator": numerator if terms else None,
        "denominator": denominator if terms else None,
        "total_weight": math.fsum(d.weight for d in explanation.inputs),
        "score": explanation.score,
    }


# --------------------------------------------------------------------------------------------------
# One network


def cycle_run(run: AssessmentRun) -> None:
    if run.kind != RunKind.CYCLE:
        raise Http404(_("Only a threat assessment has network and crime-area scores."))


def network_explanation(run: AssessmentRun, key: str, user: Any) -> dict[str, Any]:
    """A network's score: formula, indicators (raw level, normalised, weight, share, move if it were
    unknown), coverage, band, confidence and grading. 404 unless the viewer may see the network."""
    cycle_run(run)
    records = run.inputs.get("records", {})
    if key not in records or key not in runs.visible_network_keys(run, user):
        raise Http404(_("Not found."))
    rebuilt = runs.rebuilt(run)
    if key not in rebuilt.table.keys:
        raise Http404(_("Not found."))
    methodology = rebuilt.methodology
    explanation = scoring.explain_network(methodology, rebuilt.table, key)
    index = rebuilt.network_scores.keys.index(key)
    scores = rebuilt.network_scores
    band = scores.band_codes(methodology)[index]
    network = next(n for n in rebuilt.networks if n.key == key)
    labels = {i.code: str(actor_indicator_label(i.code)) for i in methodology.actor_indicators}
    ranges = {
        i.code: (float(methodology.scale_min), float(methodology.scale_max))
        for i in methodology.actor_indicators
    }
    row = _network_rows(run, [key], user)[0]
    record = records[key]
    return {
        "run": run.pk,
        "key": key,
        "alias": row["alias"],
        "profile_url": row["profile_url"],
        "state": record["state"],
        "grading": record["grading"],
        "tlp": record["tlp"],
        "tlp_label": _tlp_label(record["tlp"]),
        "crime_areas": [{"code": c, "name": crime_area_name(c)} for c in network.crime_areas],
        "states": list(network.states),
        "score": explanation.score,
        "coverage": explanation.coverage,
        "known": int(scores.known[index]),
        "indicators": len(methodology.actor_indicators),
        "min_coverage": methodology.min_coverage,
        "included": bool(scores.included[index]),
        "confidence": float(scores.confidence[index]),
        "weigh_by_confidence": methodology.weigh_by_confidence,
        "band": band,
        "band_label": str(band_label(band)),
        "bands": [
            {"code": b.code, "label": str(band_label(b.code)), "threshold": b.threshold}
            for b in methodology.bands
        ],
        "high_threat_band": methodology.high_threat_band,
        "scale": [methodology.scale_min, methodology.scale_max],
        "formula": _formula(explanation),
        "inputs": _input_rows(explanation, labels, ranges),
        "unknown": list(explanation.unknown),
    }


# --------------------------------------------------------------------------------------------------
# One crime-area score


def _check_place(rebuilt: runs.Rebuilt, code: str, level: str, place: str) -> None:
    if level not in LEVELS or code not in rebuilt.area_scores.areas or place not in places_of(rebuilt, level):
        raise Http404(_("Not found."))


def _reports(run: AssessmentRun, code: str, states: Sequence[str], user: Any) -> dict[str, Any]:
    """The threat reports behind a crime-area score at a place: those the viewer may see, the rest
    counted."""
    wanted = set(states)
    by_report: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for market in run.inputs.get("markets", []):
        if market["crime_area"] == code and market["state"] in wanted:
            by_report[market["key"].split(":", 1)[0]].append(market)
    visible = runs.visible_report_keys(run, user) & set(by_report)
    records = run.inputs.get("records", {})
    titles = dict(
        restrict(ThreatReport, user, Action.VIEW)
        .filter(pk__in=[records[k]["pk"] for k in visible])
        .values_list("pk", "title")
    )
    shown = []
    for key in sorted(visible, key=lambda k: int(k[1:])):
        record = records[key]
        if record["pk"] not in titles:
            continue
        markets = by_report[key]
        shown.append(
            {
                "key": key,
                "title": titles[record["pk"]],
                "url": reverse("documentation:report_detail", args=[record["pk"]]),
                "state": record["state"],
                "states": sorted(m["state"] for m in markets),
                "grading": record["grading"],
                "tlp": record["tlp"],
                "tlp_label": _tlp_label(record["tlp"]),
                "confidence": markets[0]["confidence"],
                "values": markets[0]["values"],
            }
        )
    return {"shown": shown, "hidden": len(by_report) - len(shown), "total": len(by_report)}


def _statistics(run: AssessmentRun, code: str, states: Sequence[str]) -> list[dict[str, Any]]:
    wanted = set(states)
    totals: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for (area, state, kind, unit), total in runs.statistics_totals(run).items():
        if area == code and state in wanted:
            totals[(kind, unit)] += total
    kinds, units = dict(StatisticKind.choices), dict(StatisticUnit.choices)
    return [
        {
            "kind": kind,
            "kind_label": str(kinds.get(kind, kind)),
            "unit": unit,
            "unit_label": str(units.get(unit, unit)),
            "total": format(total.normalize(), "f"),
        }
        for (kind, unit), total in sorted(totals.items())
    ]


def area_explanation(run: AssessmentRun, code: str, level: str, place: str, user: Any) -> dict[str, Any]:
    """A crime-area score at a level and place: formula, market indicators (raw, normalised, weight,
    share, move if unknown), coverage, the networks and threat reports behind it (only those the
    viewer may see; the others counted) and the statistics totals of the place."""
    cycle_run(run)
    rebuilt = runs.rebuilt(run)
    _check_place(rebuilt, code, level, place)
    methodology = rebuilt.methodology
    explanation = scoring.explain_crime_area(methodology, rebuilt.area_scores, code, level, place)
    labels = {i.code: str(market_indicator_label(i.code)) for i in methodology.market_indicators}
    ranges = {i.code: (i.low, i.high) for i in methodology.market_indicators}
    rows = _input_rows(explanation, labels, ranges)
    aggregate = {i.code: i.aggregate for i in methodology.market_indicators}
    for row in rows:
        row["from_networks"] = row["code"] in scoring.NETWORK_MARKET_INDICATORS
        row["aggregate"] = aggregate[row["code"]]
    states = states_in(rebuilt.geography, level, place)
    contributors = scoring.contributors(
        rebuilt.table, rebuilt.network_scores, rebuilt.geography, code, level, place
    )
    visible = runs.visible_network_keys(run, user)
    counted = _network_rows(run, [k for k in contributors.counted if k in visible], user)
    not_counted = _network_rows(run, [k for k in contributors.not_counted if k in visible], user)
    level_scores = rebuilt.area_scores.levels[level]
    i, j = rebuilt.area_scores.areas.index(code), level_scores.places.index(place)
    ranking = _ranks(rebuilt.area_scores, level, place)
    return {
        "run": run.pk,
        "crime_area": code,
        "crime_area_name": crime_area_name(code),
        "level": level,
        "place": place,
        "place_name": place_name(level, place),
        "states": states,
        "score": explanation.score,
        "coverage": explanation.coverage,
        "stored_coverage": _number(float(level_scores.coverage[i, j])),
        "rank": ranking.get(code),
        "ranked": len(ranking),
        "formula": _formula(explanation),
        "inputs": rows,
        "unknown": list(explanation.unknown),
        "weigh_by_confidence": methodology.weigh_by_confidence,
        "min_coverage": methodology.min_coverage,
        "networks": {
            "counted": counted,
            "counted_hidden": len(contributors.counted) - len(counted),
            "not_counted": not_counted,
            "not_counted_hidden": len(contributors.not_counted) - len(not_counted),
            "total": len(contributors.counted) + len(contributors.not_counted),
        },
        "reports": _reports(run, code, states, user),
        "statistics": _statistics(run, code, states),
    }


def _ranks(area_scores: scoring.AreaScores, level: str, place: str) -> dict[str, int]:
    scores = area_scores.levels[level]
    j = scores.places.index(place)
    known = [
        (float(s), a) for a, s in zip(area_scores.areas, scores.score[:, j], strict=True) if not math.isnan(s)
    ]
    return {area: rank for rank, (_score, area) in enumerate(sorted(known, key=lambda t: (-t[0], t[1])), 1)}


# --------------------------------------------------------------------------------------------------
# Two runs


def _weights(methodology: Methodology) -> dict[tuple[str, str], float]:
    weights = {("actor", i.code): i.weight for i in methodology.actor_indicators}
    weights.update({("market", i.code): i.weight for i in methodology.market_indicators})
    return weights


def methodology_changes(first: Methodology, second: Methodology) -> list[dict[str, Any]]:
    """The indicator weights that differ between two methodologies (None: not in that version)."""
    before, after = _weights(first), _weights(second)
    rows = []
    for kind, code in sorted(set(before) | set(after)):
        a, b = before.get((kind, code)), after.get((kind, code))
        if a != b:
            label = actor_indicator_label(code) if kind == "actor" else market_indicator_label(code)
            rows.append({"kind": kind, "code": code, "label": str(label), "before": a, "after": b})
    return rows


def _changed_records(before: AssessmentRun, after: AssessmentRun, user: Any) -> dict[str, dict[str, Any]]:
    changed = runs.changed_inputs(before, after)
    visible = (
        runs.visible_network_keys(before, user)
        | runs.visible_network_keys(after, user)
        | runs.visible_report_keys(before, user)
        | runs.visible_report_keys(after, user)
    )
    records = {**before.inputs.get("records", {}), **after.inputs.get("records", {})}
    shown_keys = {k for keys in changed.values() for k in keys if k in visible}
    networks = {
        pk: alias
        for pk, alias in restrict(CriminalNetwork, user, Action.VIEW)
        .filter(pk__in=[records[k]["pk"] for k in shown_keys if records[k]["model"] == "network"])
        .values_list("pk", "alias")
    }
    reports = {
        pk: title
        for pk, title in restrict(ThreatReport, user, Action.VIEW)
        .filter(pk__in=[records[k]["pk"] for k in shown_keys if records[k]["model"] == "report"])
        .values_list("pk", "title")
    }
    result = {}
    for what, keys in changed.items():
        shown = []
        for key in keys:
            if key not in shown_keys:
                continue
            record = records[key]
            names = networks if record["model"] == "network" else reports
            if record["pk"] not in names:
                continue
            view = (
                "documentation:network_detail"
                if record["model"] == "network"
                else "documentation:report_detail"
            )
            shown.append(
                {
                    "key": key,
                    "model": record["model"],
                    "name": names[record["pk"]],
                    "url": reverse(view, args=[record["pk"]]),
                    "state": record["state"],
                    "grading": record["grading"],
                    "tlp": record["tlp"],
                    "tlp_label": _tlp_label(record["tlp"]),
                }
            )
        result[what] = {"shown": shown, "hidden": len(keys) - len(shown), "total": len(keys)}
    return result


def comparison(
    before: AssessmentRun,
    after: AssessmentRun,
    user: Any,
    *,
    level: str = scoring.REGION,
    place: str = scoring.REGION,
) -> dict[str, Any]:
    """Which crime-area scores and ranks moved between two cycle runs at a level and place, which of
    their inputs (values, weights) changed, which input records were added, removed or changed (only
    those the viewer may see named) and the weights that differ between the methodologies."""
    for run in (before, after):
        if run.kind != RunKind.CYCLE:
            raise ComparisonRefused(
                _("%(run)s is a composite index over an indicator table: only threat assessments compare.")
                % {"run": run.title}
            )
    first, second = runs.rebuilt(before), runs.rebuilt(after)
    if level not in LEVELS:
        raise ComparisonRefused(_("Choose the level: state, subregion or region."))
    if place not in places_of(first, level) and place not in places_of(second, level):
        raise ComparisonRefused(
            _("%(place)s is not a place at the level “%(level)s” of these runs.")
            % {"place": place, "level": level}
        )
    movements = scoring.compare(
        (first.methodology, first.area_scores),
        (second.methodology, second.area_scores),
        level=level,
        place=place,
    )
    labels = {
        i.code: str(market_indicator_label(i.code))
        for i in (*first.methodology.market_indicators, *second.methodology.market_indicators)
    }
    rows = []
    for movement in movements:
        rank_move = (
            movement.rank_before - movement.rank_after
            if movement.rank_before is not None and movement.rank_after is not None
            else None
        )
        rows.append(
            {
                "crime_area": movement.crime_area,
                "crime_area_name": crime_area_name(movement.crime_area),
                "score_before": movement.score_before,
                "score_after": movement.score_after,
                "delta": movement.delta,
                "rank_before": movement.rank_before,
                "rank_after": movement.rank_after,
                # Positive: the crime area moved up the ranking (towards rank 1).
                "rank_move": rank_move,
                "rank_fall": -rank_move if rank_move is not None and rank_move < 0 else None,
                "moved": bool(movement.delta)
                or movement.rank_before != movement.rank_after
                or (movement.score_before is None) != (movement.score_after is None),
                "changes": [
                    {
                        "code": c.code,
                        "label": labels.get(c.code, c.code),
                        "before": c.before,
                        "after": c.after,
                        "weight_before": c.weight_before,
                        "weight_after": c.weight_after,
                    }
                    for c in movement.changes
                ],
            }
        )
    return {
        "before": _run_summary(before),
        "after": _run_summary(after),
        "level": level,
        "place": place,
        "place_name": place_name(level, place),
        "same_methodology": before.methodology_hash == after.methodology_hash,
        "weight_changes": methodology_changes(first.methodology, second.methodology),
        "movements": rows,
        "moved": sum(1 for r in rows if r["moved"]),
        "inputs": _changed_records(before, after, user),
        "same_inputs": before.input_hash == after.input_hash,
    }


def _run_summary(run: AssessmentRun) -> dict[str, Any]:
    return {
        "pk": run.pk,
        "title": run.title,
        "audience": run.audience,
        "tlp": run.tlp,
        "methodology": str(run.methodology),
        "methodology_hash": run.methodology_hash,
        "input_hash": run.input_hash,
        "created_at": run.created_at.isoformat(),
    }
