"""The scoring core of the regional threat assessment: network scores, bands, crime-area scores per
state / subregion / region, recommended priorities, explanations, composite indices and a seeded
sensitivity analysis. Pure NumPy, no Django.

Determinism: inputs are put in a canonical order (by key, crime area, state) before any arithmetic,
sums over networks and reports run in that order (`np.add.at`, row sums), and the sensitivity
analysis draws from a seeded generator; the same inputs give the same numbers bit for bit on the
same NumPy build. "Unknown" is NaN throughout and never read as zero: it is left out of weighted
means and reported as coverage."""

from __future__ import annotations

import ast
import hashlib
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, is_dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from .methodology import NETWORK_MARKET_INDICATORS, Methodology, literal_number

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

#: The numeric value of a threat report's trend, on the `trend` market indicator's 0–2 range.
TREND_VALUES = {"decreasing": 0.0, "stable": 1.0, "increasing": 2.0}
#: The level names of crime-area scores, from the smallest place to the largest.
LEVELS = ("state", "subregion", "region")
#: Scores are compared with band thresholds at this many decimals, so that rounding in the last bits
#: (weights scaled by a constant, inputs summed in another order) never moves a network across a band.
COMPARISON_DECIMALS = 12
REGION = "region"


# --------------------------------------------------------------------------------------------------
# Inputs


@dataclass(frozen=True)
class NetworkInput:
    """One network: its indicator scores (code → level, None or absent meaning unknown), the crime
    areas and states where it is active, and the confidence factor of its grading."""

    key: str
    scores: Mapping[str, int | float | None]
    crime_areas: tuple[str, ...]
    states: tuple[str, ...]
    confidence: float = 1.0


@dataclass(frozen=True)
class MarketInput:
    """One threat report's market values for a crime area in a state (code → raw value or None)."""

    key: str
    crime_area: str
    state: str
    values: Mapping[str, float | None]
    confidence: float = 1.0


@dataclass(frozen=True)
class Geography:
    """The member states and the subregion of each."""

    subregion_of: Mapping[str, str]

    @property
    def states(self) -> tuple[str, ...]:
        return tuple(sorted(self.subregion_of))

    @property
    def subregions(self) -> tuple[str, ...]:
        return tuple(sorted(set(self.subregion_of.values())))


@dataclass(frozen=True)
class NetworkTable:
    """Networks in canonical (key) order as arrays: `values` is networks × actor indicators of the
    methodology (NaN = unknown); `areas`/`states` are (network index, area or state index) pairs."""

    keys: tuple[str, ...]
    values: FloatArray
    confidence: FloatArray
    area_codes: tuple[str, ...]
    area_pairs: npt.NDArray[np.intp]
    state_pairs: npt.NDArray[np.intp]


def network_table(
    methodology: Methodology,
    networks: Iterable[NetworkInput],
    geography: Geography,
    areas: Iterable[str] = (),
) -> NetworkTable:
    """Arrange networks as arrays in canonical order (the order of the input does not matter)."""
    rows = sorted(networks, key=lambda n: n.key)
    keys = tuple(n.key for n in rows)
    if len(set(keys)) != len(keys):
        raise ValueError("network keys must be unique")
    codes = [i.code for i in methodology.actor_indicators]
    values = np.array(
        [[_value(n.scores.get(code)) for code in codes] for n in rows], dtype=np.float64
    ).reshape(len(rows), len(codes))
    low, high = methodology.scale_min, methodology.scale_max
    outside = ~np.isnan(values) & ((values < low) | (values > high))
    if outside.any():
        row, column = (int(i) for i in np.argwhere(outside)[0])
        raise ValueError(f"network {keys[row]}: {codes[column]} is outside the scale {low}–{high}")
    area_codes = tuple(sorted(set(areas) | {a for n in rows for a in n.crime_areas}))
    area_index = {code: i for i, code in enumerate(area_codes)}
    state_index = {code: i for i, code in enumerate(geography.states)}
    unknown_states = sorted({s for n in rows for s in n.states} - set(state_index))
    if unknown_states:
        raise ValueError(f"unknown states: {', '.join(unknown_states)}")
    area_pairs = [(i, area_index[a]) for i, n in enumerate(rows) for a in sorted(set(n.crime_areas))]
    state_pairs = [(i, state_index[s]) for i, n in enumerate(rows) for s in sorted(set(n.states))]
    return NetworkTable(
        keys=keys,
        values=values,
        confidence=np.array([float(n.confidence) for n in rows], dtype=np.float64),
        area_codes=area_codes,
        area_pairs=np.array(area_pairs, dtype=np.intp).reshape(-1, 2),
        state_pairs=np.array(state_pairs, dtype=np.intp).reshape(-1, 2),
    )


def _value(raw: float | None) -> float:
    return math.nan if raw is None else float(raw)


# --------------------------------------------------------------------------------------------------
# Weighted means with unknowns


def weighted_mean(normalised: FloatArray, weights: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Weighted mean over the last axis of values in 0–1, leaving NaN (unknown) out; and coverage,
    the share of the total weight that is known. NaN where nothing is known."""
    known = ~np.isnan(normalised)
    known_weight = (known * weights).sum(axis=-1)
    total = (np.where(known, normalised, 0.0) * weights).sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        score = np.where(known_weight > 0, total / np.where(known_weight > 0, known_weight, 1.0), np.nan)
    return score, known_weight / weights.sum(axis=-1)


def actor_weights(methodology: Methodology) -> FloatArray:
    return np.array([i.weight for i in methodology.actor_indicators], dtype=np.float64)


def market_weights(methodology: Methodology) -> FloatArray:
    return np.array([i.weight for i in methodology.market_indicators], dtype=np.float64)


def normalise_actor(methodology: Methodology, values: FloatArray) -> FloatArray:
    return (values - methodology.scale_min) / (methodology.scale_max - methodology.scale_min)


def normalise_market(methodology: Methodology, values: FloatArray) -> FloatArray:
    low = np.array([i.low for i in methodology.market_indicators])
    high = np.array([i.high for i in methodology.market_indicators])
    return np.clip((values - low) / (high - low), 0.0, 1.0)


# --------------------------------------------------------------------------------------------------
# Networks


@dataclass(frozen=True)
class NetworkScores:
    """Per network (canonical order): score 0–1 (NaN if nothing known), weighted coverage, number of
    known indicators, confidence, band index, and whether it counts in crime-area aggregates."""

    keys: tuple[str, ...]
    score: FloatArray
    coverage: FloatArray
    known: npt.NDArray[np.int64]
    confidence: FloatArray
    band: npt.NDArray[np.int64]
    included: BoolArray

    def band_codes(self, methodology: Methodology) -> list[str | None]:
        codes = [b.code for b in methodology.bands]
        return [codes[i] if i >= 0 else None for i in self.band.tolist()]


def band_index(methodology: Methodology, scores: FloatArray) -> npt.NDArray[np.int64]:
    """The index of each score's band (-1 for NaN): the last band whose threshold it reaches."""
    thresholds = np.array([b.threshold for b in methodology.bands])
    comparable = np.round(np.nan_to_num(scores, nan=-1.0), COMPARISON_DECIMALS)
    index = np.searchsorted(thresholds, comparable, side="right") - 1
    return np.where(np.isnan(scores), -1, index).astype(np.int64)


def score_networks(methodology: Methodology, table: NetworkTable) -> NetworkScores:
    score, coverage = weighted_mean(normalise_actor(methodology, table.values), actor_weights(methodology))
    # A relative tolerance keeps a coverage of exactly the minimum (e.g. 8/16) above it whatever the
    # rounding of the weights (weights scaled by a constant must not change which networks count).
    included = ~np.isnan(score) & (coverage >= methodology.min_coverage * (1 - 1e-9))
    return NetworkScores(
        keys=table.keys,
        score=score,
        coverage=coverage,
        known=(~np.isnan(table.values)).sum(axis=1).astype(np.int64),
        confidence=table.confidence,
        band=band_index(methodology, score),
        included=included,
    )


# --------------------------------------------------------------------------------------------------
# Crime areas


@dataclass(frozen=True)
class LevelScores:
    """Crime-area scores at one level: `values` is areas × places × market indicators (raw, NaN =
    unknown), `score` and `coverage` areas × places."""

    level: str
    places: tuple[str, ...]
    values: FloatArray
    score: FloatArray
    coverage: FloatArray


@dataclass(frozen=True)
class AreaScores:
    areas: tuple[str, ...]
    indicators: tuple[str, ...]
    levels: dict[str, LevelScores]


def _network_market_values(
    methodology: Methodology,
    scores: NetworkScores,
    area_pairs: npt.NDArray[np.intp],
    place_pairs: npt.NDArray[np.intp],
    n_areas: int,
    n_places: int,
) -> dict[str, FloatArray]:
    """Share and count of high-threat networks and mean network score per area × place, summed in
    canonical order over (network, area, place) triples of the networks that count."""
    weight = scores.confidence if methodology.weigh_by_confidence else np.ones_like(scores.confidence)
    weight = np.where(scores.included, weight, 0.0)
    comparable = np.round(np.nan_to_num(scores.score, nan=-1.0), COMPARISON_DECIMALS)
    high = (comparable >= methodology.high_threat_threshold).astype(np.float64)
    # All (network, area, place) triples, ordered by network then area then place.
    by_network_area = area_pairs[np.lexsort((area_pairs[:, 1], area_pairs[:, 0]))]
    by_network_place = place_pairs[np.lexsort((place_pairs[:, 1], place_pairs[:, 0]))]
    starts = np.searchsorted(by_network_place[:, 0], by_network_area[:, 0], side="left")
    ends = np.searchsorted(by_network_place[:, 0], by_network_area[:, 0], side="right")
    counts = ends - starts
    network = np.repeat(by_network_area[:, 0], counts)
    area = np.repeat(by_network_area[:, 1], counts)
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    place = by_network_place[np.repeat(starts, counts) + offsets, 1]
    denominator = np.zeros((n_areas, n_places))
    high_sum = np.zeros((n_areas, n_places))
    score_sum = np.zeros((n_areas, n_places))
    np.add.at(denominator, (area, place), weight[network])
    np.add.at(high_sum, (area, place), (weight * high)[network])
    np.add.at(score_sum, (area, place), (weight * np.nan_to_num(scores.score))[network])
    with np.errstate(invalid="ignore", divide="ignore"):
        present = denominator > 0
        safe = np.where(present, denominator, 1.0)
        return {
            "high_threat_share": np.where(present, high_sum / safe, np.nan),
            "high_threat_count": np.where(present, high_sum, np.nan),
            "network_score": np.where(present, score_sum / safe, np.nan),
        }


def _report_market_values(
    methodology: Methodology,
    markets: Sequence[MarketInput],
    area_index: Mapping[str, int],
    place_of_state: Mapping[str, int],
    n_places: int,
) -> dict[str, FloatArray]:
    """Report values per area × place, combined with each indicator's `aggregate` (confidence-
    weighted mean, or max) over the reports of the place, in canonical order."""
    n_areas = len(area_index)
    result: dict[str, FloatArray] = {}
    if not markets:
        return {i.code: np.full((n_areas, n_places), np.nan) for i in methodology.market_indicators}
    area = np.array([area_index[m.crime_area] for m in markets], dtype=np.intp)
    place = np.array([place_of_state[m.state] for m in markets], dtype=np.intp)
    confidence = np.array([m.confidence for m in markets], dtype=np.float64)
    if not methodology.weigh_by_confidence:
        confidence = np.ones_like(confidence)
    for indicator in methodology.market_indicators:
        if indicator.code in NETWORK_MARKET_INDICATORS:
            continue
        raw = np.array([_market_value(m.values.get(indicator.code)) for m in markets], dtype=np.float64)
        known = ~np.isnan(raw)
        if indicator.aggregate == "max":
            out = np.full((n_areas, n_places), -np.inf)
            np.maximum.at(out, (area[known], place[known]), raw[known])
            result[indicator.code] = np.where(np.isinf(out), np.nan, out)
        else:
            weight = np.zeros((n_areas, n_places))
            total = np.zeros((n_areas, n_places))
            np.add.at(weight, (area[known], place[known]), confidence[known])
            np.add.at(total, (area[known], place[known]), (confidence * raw)[known])
            with np.errstate(invalid="ignore", divide="ignore"):
                result[indicator.code] = np.where(
                    weight > 0, total / np.where(weight > 0, weight, 1.0), np.nan
                )
    return result


def _market_value(raw: float | str | None) -> float:
    if isinstance(raw, str):
        return TREND_VALUES.get(raw, math.nan)
    return _value(raw)


def _sorted_markets(markets: Iterable[MarketInput]) -> list[MarketInput]:
    return sorted(markets, key=lambda m: (m.crime_area, m.state, m.key))


def score_crime_areas(
    methodology: Methodology,
    table: NetworkTable,
    scores: NetworkScores,
    markets: Iterable[MarketInput],
    geography: Geography,
) -> AreaScores:
    """Crime-area scores per state, subregion and region: the weighted mean of the normalised market
    indicators, computed from the networks active there and the threat reports about it."""
    reports = _sorted_markets(markets)
    areas = tuple(sorted(set(table.area_codes) | {m.crime_area for m in reports}))
    if areas != table.area_codes:
        table = _with_areas(table, areas)
    area_index = {code: i for i, code in enumerate(areas)}
    states = geography.states
    unknown = sorted({m.state for m in reports} - set(states))
    if unknown:
        raise ValueError(f"unknown states: {', '.join(unknown)}")
    subregions = geography.subregions
    subregion_index = {code: i for i, code in enumerate(subregions)}
    state_to_subregion = np.array([subregion_index[geography.subregion_of[s]] for s in states], dtype=np.intp)
    n = len(table.keys)
    place_pairs = {
        "state": table.state_pairs,
        "subregion": np.unique(
            np.column_stack([table.state_pairs[:, 0], state_to_subregion[table.state_pairs[:, 1]]]), axis=0
        ).reshape(-1, 2),
        REGION: np.column_stack([np.arange(n), np.zeros(n, dtype=np.intp)]),
    }
    places = {"state": states, "subregion": subregions, REGION: (REGION,)}
    place_of_state = {
        "state": {s: i for i, s in enumerate(states)},
        "subregion": {s: subregion_index[geography.subregion_of[s]] for s in states},
        REGION: dict.fromkeys(states, 0),
    }
    codes = tuple(i.code for i in methodology.market_indicators)
    weights = market_weights(methodology)
    levels: dict[str, LevelScores] = {}
    for level in LEVELS:
        n_places = len(places[level])
        from_networks = _network_market_values(
            methodology, scores, table.area_pairs, place_pairs[level], len(areas), n_places
        )
        from_reports = _report_market_values(
            methodology, reports, area_index, place_of_state[level], n_places
        )
        values = np.stack([{**from_reports, **from_networks}[code] for code in codes], axis=-1)
        score, coverage = weighted_mean(normalise_market(methodology, values), weights)
        levels[level] = LevelScores(level, places[level], values, score, coverage)
    return AreaScores(areas=areas, indicators=codes, levels=levels)


def _with_areas(table: NetworkTable, areas: tuple[str, ...]) -> NetworkTable:
    remap = np.array([areas.index(code) for code in table.area_codes], dtype=np.intp)
    pairs = table.area_pairs.copy()
    if len(pairs):
        pairs[:, 1] = remap[pairs[:, 1]]
    return NetworkTable(table.keys, table.values, table.confidence, areas, pairs, table.state_pairs)


# --------------------------------------------------------------------------------------------------
# Recommended priorities


def select(methodology: Methodology, areas: Sequence[str], scores: FloatArray) -> BoolArray:
    """Which crime areas the rules recommend, for scores of shape areas (× samples): the top N by
    score among those reaching the minimum (ties broken by code), plus the mandatory ones."""
    rules = methodology.prioritisation
    eligible = np.nan_to_num(scores, nan=-np.inf)
    eligible = np.where(eligible >= rules.min_score, eligible, -np.inf)
    order = np.argsort(-eligible, axis=0, kind="stable")  # areas are sorted by code: ties by code
    chosen = np.zeros(scores.shape, dtype=bool)
    top = order[: rules.top_n]
    np.put_along_axis(chosen, top, True, axis=0)
    chosen &= np.isfinite(eligible)
    mandatory = np.array([code in rules.mandatory for code in areas], dtype=bool)
    return chosen | (mandatory.reshape((-1,) + (1,) * (scores.ndim - 1)))


@dataclass(frozen=True)
class Driver:
    """One input of a score: its raw value, normalised value, weight and share of the score."""

    code: str
    raw: float | None
    normalised: float | None
    weight: float
    contribution: float


@dataclass(frozen=True)
class Priority:
    rank: int
    crime_area: str
    score: float | None
    coverage: float
    mandatory: bool
    by_score: bool
    drivers: tuple[Driver, ...]
    networks: tuple[str, ...]


def _drivers(
    codes: Sequence[str], raw: FloatArray, normalised: FloatArray, weights: FloatArray
) -> list[Driver]:
    known = ~np.isnan(normalised)
    known_weight = float((weights * known).sum())
    rows = []
    for i, code in enumerate(codes):
        value = None if not known[i] else float(normalised[i])
        share = 0.0 if value is None or known_weight == 0 else float(weights[i]) * value / known_weight
        rows.append(
            Driver(code, None if np.isnan(raw[i]) else float(raw[i]), value, float(weights[i]), share)
        )
    return rows


def recommend(
    methodology: Methodology,
    table: NetworkTable,
    scores: NetworkScores,
    area_scores: AreaScores,
    *,
    networks_per_item: int = 3,
) -> list[Priority]:
    """The ranked recommended priorities at regional level, each with the inputs that drove it
    (market indicators by contribution) and its highest-scoring networks."""
    region = area_scores.levels[REGION]
    score = region.score[:, 0]
    chosen = select(methodology, area_scores.areas, score)
    mandatory = set(methodology.prioritisation.mandatory)
    on_merit = replace(methodology, prioritisation=replace(methodology.prioritisation, mandatory=()))
    by_score = select(on_merit, area_scores.areas, score)
    order = sorted(
        (i for i in range(len(area_scores.areas)) if chosen[i]),
        key=lambda i: (-np.nan_to_num(score[i], nan=-np.inf), area_scores.areas[i]),
    )
    normalised = normalise_market(methodology, region.values[:, 0, :])
    weights = market_weights(methodology)
    items = []
    for rank, i in enumerate(order, start=1):
        drivers = sorted(
            _drivers(area_scores.indicators, region.values[i, 0], normalised[i], weights),
            key=lambda d: (-d.contribution, d.code),
        )
        items.append(
            Priority(
                rank=rank,
                crime_area=area_scores.areas[i],
                score=None if np.isnan(score[i]) else float(score[i]),
                coverage=float(region.coverage[i, 0]),
                mandatory=area_scores.areas[i] in mandatory,
                by_score=bool(by_score[i]),
                drivers=tuple(drivers),
                networks=_top_networks(table, scores, i, networks_per_item),
            )
        )
    return items


def _top_networks(table: NetworkTable, scores: NetworkScores, area: int, limit: int) -> tuple[str, ...]:
    members = table.area_pairs[table.area_pairs[:, 1] == area, 0]
    members = members[scores.included[members]]
    ranked = sorted(members.tolist(), key=lambda i: (-float(scores.score[i]), table.keys[i]))
    return tuple(table.keys[i] for i in ranked[:limit])


# --------------------------------------------------------------------------------------------------
# Explanations


@dataclass(frozen=True)
class Explanation:
    """Everything behind one score: the formula with the actual values, the inputs, coverage and how
    much the score would move if each known input were unknown (None: it would become unknown)."""

    score: float | None
    coverage: float
    formula: str
    inputs: tuple[Driver, ...]
    unknown: tuple[str, ...]
    if_unknown: dict[str, float | None]


def explain(
    codes: Sequence[str], raw: FloatArray, normalised: FloatArray, weights: FloatArray
) -> Explanation:
    """Explain a weighted mean of normalised inputs (NaN unknown)."""
    score, coverage = weighted_mean(normalised, weights)
    known = ~np.isnan(normalised)
    terms = [f"{weights[i]:g}×{normalised[i]:.3f}" for i in range(len(codes)) if known[i]]
    denominator = " + ".join(f"{weights[i]:g}" for i in range(len(codes)) if known[i])
    value = None if np.isnan(score) else float(score)
    formula = (
        f"({' + '.join(terms)}) / ({denominator}) = {value:.3f}" if value is not None else "no input is known"
    )
    moves: dict[str, float | None] = {}
    for i in (int(j) for j in np.flatnonzero(known)):
        without = normalised.copy()
        without[i] = np.nan
        other, _ = weighted_mean(without, weights)
        moves[codes[i]] = None if np.isnan(other) or value is None else float(other) - value
    return Explanation(
        score=value,
        coverage=float(coverage),
        formula=formula,
        inputs=tuple(_drivers(codes, raw, normalised, weights)),
        unknown=tuple(codes[i] for i in range(len(codes)) if not known[i]),
        if_unknown=moves,
    )


def explain_network(methodology: Methodology, table: NetworkTable, key: str) -> Explanation:
    row = table.keys.index(key)
    raw = table.values[row]
    codes = [i.code for i in methodology.actor_indicators]
    return explain(codes, raw, normalise_actor(methodology, raw), actor_weights(methodology))


def explain_crime_area(
    methodology: Methodology, area_scores: AreaScores, crime_area: str, level: str, place: str
) -> Explanation:
    scores = area_scores.levels[level]
    raw = scores.values[area_scores.areas.index(crime_area), scores.places.index(place)]
    return explain(
        area_scores.indicators, raw, normalise_market(methodology, raw), market_weights(methodology)
    )


@dataclass(frozen=True)
class Contributors:
    """The networks behind a crime-area score: those that count (highest score first) and those
    active there that do not (coverage below the minimum or nothing known), for the explanation."""

    counted: tuple[str, ...]
    not_counted: tuple[str, ...]


def contributors(
    table: NetworkTable,
    scores: NetworkScores,
    geography: Geography,
    crime_area: str,
    level: str,
    place: str,
) -> Contributors:
    """Which networks a crime-area score at `level`/`place` was computed from."""
    if crime_area not in table.area_codes:
        return Contributors((), ())
    area = table.area_codes.index(crime_area)
    in_area = set(table.area_pairs[table.area_pairs[:, 1] == area, 0].tolist())
    if level == REGION:
        members = in_area
    else:
        states = geography.states
        wanted = {
            i
            for i, state in enumerate(states)
            if (state == place if level == "state" else geography.subregion_of[state] == place)
        }
        active = {int(n) for n, s in table.state_pairs.tolist() if s in wanted}
        members = in_area & active
    ordered = sorted(members, key=lambda i: (-np.nan_to_num(scores.score[i], nan=-1.0), table.keys[i]))
    return Contributors(
        counted=tuple(table.keys[i] for i in ordered if scores.included[i]),
        not_counted=tuple(table.keys[i] for i in ordered if not scores.included[i]),
    )


# --------------------------------------------------------------------------------------------------
# Sensitivity


@dataclass(frozen=True)
class Sensitivity:
    """For each crime area, the probability of being in the recommended set when every weight is
    multiplied by an independent uniform factor in [1 − spread, 1 + spread]."""

    areas: tuple[str, ...]
    probability: FloatArray
    samples: int
    spread: float
    seed: int


def sensitivity(
    methodology: Methodology,
    table: NetworkTable,
    scores: NetworkScores,
    area_scores: AreaScores,
    *,
    samples: int = 1000,
    spread: float = 0.2,
    seed: int = 0,
    chunk: int = 250,
) -> Sensitivity:
    """Monte Carlo over actor and market weights at regional level. Which networks count (coverage)
    and the report values stay as in the run; network scores, high-threat flags, market weights and
    the selection are recomputed for each sample."""
    if table.area_codes != area_scores.areas:
        table = _with_areas(table, area_scores.areas)
    rng = np.random.default_rng(seed)
    a_weights = actor_weights(methodology)
    m_weights = market_weights(methodology)
    actor_factors = rng.uniform(1 - spread, 1 + spread, size=(samples, len(a_weights)))
    market_factors = rng.uniform(1 - spread, 1 + spread, size=(samples, len(m_weights)))
    normalised = normalise_actor(methodology, table.values)
    known = (~np.isnan(normalised)).astype(np.float64)
    filled = np.nan_to_num(normalised)
    weight = scores.confidence if methodology.weigh_by_confidence else np.ones_like(scores.confidence)
    weight = np.where(scores.included, weight, 0.0)
    n_areas = len(area_scores.areas)
    membership = np.zeros((n_areas, len(table.keys)))
    membership[table.area_pairs[:, 1], table.area_pairs[:, 0]] = 1.0
    weighted_membership = membership * weight
    denominator = weighted_membership.sum(axis=1)
    present = denominator > 0
    safe = np.where(present, denominator, 1.0)
    region_values = area_scores.levels[REGION].values[:, 0, :]
    low = np.array([i.low for i in methodology.market_indicators])
    high = np.array([i.high for i in methodology.market_indicators])
    codes = [i.code for i in methodology.market_indicators]
    threshold = methodology.high_threat_threshold
    hits = np.zeros(n_areas)
    # Only the networks that count: sample-major products (samples × networks) stay fast with BLAS.
    counted = weight > 0
    filled_t = np.ascontiguousarray(filled[counted].T)
    known_t = np.ascontiguousarray(known[counted].T)
    membership_t = np.ascontiguousarray(weighted_membership[:, counted].T)  # networks × areas
    for start in range(0, samples, chunk):
        wa = actor_factors[start : start + chunk] * a_weights  # s × k
        wm = market_factors[start : start + chunk] * m_weights  # s × m
        net = (wa @ filled_t) / (wa @ known_t)  # s × networks; every counted network has a known input
        high_sum = ((np.round(net, COMPARISON_DECIMALS) >= threshold).astype(np.float64) @ membership_t).T
        score_sum = (net @ membership_t).T
        derived = {
            "high_threat_share": np.where(present[:, None], high_sum / safe[:, None], np.nan),
            "high_threat_count": np.where(present[:, None], high_sum, np.nan),
            "network_score": np.where(present[:, None], score_sum / safe[:, None], np.nan),
        }
        columns = []
        for j, code in enumerate(codes):
            column = (
                derived[code] if code in derived else np.repeat(region_values[:, j : j + 1], wa.shape[0], 1)
            )
            columns.append(np.clip((column - low[j]) / (high[j] - low[j]), 0.0, 1.0))
        values = np.stack(columns, axis=-1)  # areas × s × m
        area_score, _ = weighted_mean(values, wm[None, :, :])
        hits += select(methodology, area_scores.areas, area_score).sum(axis=1)
    return Sensitivity(area_scores.areas, hits / samples, samples, spread, seed)


# --------------------------------------------------------------------------------------------------
# Comparing two runs


@dataclass(frozen=True)
class Change:
    """How one input of a crime-area score differs between two runs (raw values, weights)."""

    code: str
    before: float | None
    after: float | None
    weight_before: float | None
    weight_after: float | None


@dataclass(frozen=True)
class Movement:
    """One crime area in two runs at one level and place: score and rank before and after (None where
    absent or unknown) and the inputs that changed."""

    crime_area: str
    score_before: float | None
    score_after: float | None
    rank_before: int | None
    rank_after: int | None
    changes: tuple[Change, ...]

    @property
    def delta(self) -> float | None:
        if self.score_before is None or self.score_after is None:
            return None
        return self.score_after - self.score_before


def _ranks(areas: Sequence[str], score: FloatArray) -> dict[str, int]:
    known = [i for i in range(len(areas)) if not np.isnan(score[i])]
    ordered = sorted(known, key=lambda i: (-float(score[i]), areas[i]))
    return {areas[i]: rank for rank, i in enumerate(ordered, start=1)}


def compare(
    before: tuple[Methodology, AreaScores],
    after: tuple[Methodology, AreaScores],
    *,
    level: str = REGION,
    place: str = REGION,
) -> list[Movement]:
    """Which crime-area scores and ranks moved between two runs (two cycles, or two methodology
    versions), and which inputs (values or weights) changed; largest moves first."""
    (m1, first), (m2, second) = before, after

    def column(scores: AreaScores) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
        result = scores.levels[level]
        if place not in result.places:
            return {}, {}
        j = result.places.index(place)
        score = {a: float(result.score[i, j]) for i, a in enumerate(scores.areas)}
        values = {
            a: {code: float(result.values[i, j, k]) for k, code in enumerate(scores.indicators)}
            for i, a in enumerate(scores.areas)
        }
        return score, values

    score1, values1 = column(first)
    score2, values2 = column(second)
    ranks1 = _ranks(tuple(score1), np.array(list(score1.values()), dtype=np.float64))
    ranks2 = _ranks(tuple(score2), np.array(list(score2.values()), dtype=np.float64))
    weights1 = {i.code: i.weight for i in m1.market_indicators}
    weights2 = {i.code: i.weight for i in m2.market_indicators}
    codes = list(dict.fromkeys([*weights1, *weights2]))

    def known(value: float | None) -> float | None:
        return None if value is None or math.isnan(value) else value

    movements = []
    for area in sorted(set(score1) | set(score2)):
        changes = []
        for code in codes:
            a = known(values1.get(area, {}).get(code))
            b = known(values2.get(area, {}).get(code))
            if a != b or weights1.get(code) != weights2.get(code):
                changes.append(Change(code, a, b, weights1.get(code), weights2.get(code)))
        movements.append(
            Movement(
                crime_area=area,
                score_before=known(score1.get(area)),
                score_after=known(score2.get(area)),
                rank_before=ranks1.get(area),
                rank_after=ranks2.get(area),
                changes=tuple(changes),
            )
        )
    return sorted(movements, key=lambda m: (-abs(m.delta or 0.0), m.crime_area))


# --------------------------------------------------------------------------------------------------
# Composite indices over country × indicator tables


@dataclass(frozen=True)
class CountryTable:
    """One row per country (sorted by code), one column per indicator; NaN = no value."""

    countries: tuple[str, ...]
    columns: tuple[str, ...]
    values: FloatArray


@dataclass(frozen=True)
class TableIssue:
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = ", ".join(
            part
            for part in (
                f"row {self.row}" if self.row else "",
                f"column {self.column}" if self.column else "",
            )
            if part
        )
        return f"{where}: {self.message}" if where else self.message


class TableError(ValueError):
    def __init__(self, issues: Sequence[TableIssue]) -> None:
        self.issues = list(issues)
        super().__init__("\n".join(str(issue) for issue in self.issues))


def country_table(
    methodology: Methodology,
    rows: Sequence[Mapping[str, Any]],
    *,
    known_countries: Iterable[str],
    country_column: str = "country",
    first_row: int = 2,
) -> CountryTable:
    """Check an imported table (rows as dicts, the first data row being spreadsheet row `first_row`)
    and arrange it; raise `TableError` naming every bad cell: unknown or duplicate countries, unknown
    columns, values that are not numbers or lie outside the composite scale. Empty cells are unknown."""
    composite = methodology.composite
    if composite is None:
        raise TableError([TableIssue(None, None, "this methodology declares no composite index")])
    known = set(known_countries)
    columns = composite.columns
    issues: list[TableIssue] = []
    extra = sorted({key for row in rows for key in row} - set(columns) - {country_column})
    issues += [TableIssue(None, name, "not an indicator of the methodology") for name in extra]
    seen: dict[str, int] = {}
    data: dict[str, list[float]] = {}
    for offset, row in enumerate(rows):
        number = first_row + offset
        country = str(row.get(country_column) or "").strip().upper()
        if country not in known:
            issues.append(TableIssue(number, country_column, f"unknown country code {country!r}"))
            continue
        if country in seen:
            issues.append(
                TableIssue(number, country_column, f"{country} already given in row {seen[country]}")
            )
            continue
        seen[country] = number
        values = []
        for name in columns:
            cell = row.get(name)
            if cell is None or (isinstance(cell, str) and not cell.strip()):
                values.append(math.nan)
                continue
            try:
                value = float(cell)
            except (TypeError, ValueError):
                issues.append(TableIssue(number, name, f"{cell!r} is not a number"))
                continue
            if not composite.scale_min <= value <= composite.scale_max:
                issues.append(
                    TableIssue(
                        number, name, f"{value:g} is outside {composite.scale_min:g}–{composite.scale_max:g}"
                    )
                )
            values.append(value)
        data[country] = values
    if issues:
        raise TableError(issues)
    countries = tuple(sorted(data))
    matrix = np.array([data[c] for c in countries], dtype=np.float64).reshape(len(countries), len(columns))
    return CountryTable(countries, columns, matrix)


@dataclass(frozen=True)
class CompositeResult:
    countries: tuple[str, ...]
    indices: dict[str, FloatArray]
    quadrant: tuple[str | None, ...]


def _nan_reduce(stack: FloatArray, how: str) -> FloatArray:
    known = ~np.isnan(stack)
    count = known.sum(axis=1)
    if how == "mean":
        total = np.where(known, stack, 0.0).sum(axis=1)
        out = total / np.where(count > 0, count, 1)
    elif how == "min":
        out = np.where(known, stack, np.inf).min(axis=1)
    else:
        out = np.where(known, stack, -np.inf).max(axis=1)
    return np.where(count > 0, out, np.nan)


def _evaluate(
    node: ast.AST, groups: Mapping[str, FloatArray], values: Mapping[str, FloatArray]
) -> FloatArray:
    """Evaluate a formula already checked by `methodology.formula_issues` (never `eval`)."""
    if isinstance(node, ast.Expression):
        return _evaluate(node.body, groups, values)
    if isinstance(node, ast.Constant):
        rows = next(iter(groups.values())).shape[0]
        return np.full(rows, float(node.value))  # type: ignore[arg-type]  # checked: a number
    if isinstance(node, ast.Name):
        return values[node.id]
    if isinstance(node, ast.UnaryOp):
        operand = _evaluate(node.operand, groups, values)
        return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.BinOp):
        left, right = _evaluate(node.left, groups, values), _evaluate(node.right, groups, values)
        with np.errstate(invalid="ignore", divide="ignore"):
            if isinstance(node.op, ast.Add):
                return left + right
            if isinstance(node.op, ast.Sub):
                return left - right
            if isinstance(node.op, ast.Mult):
                return left * right
            return np.where(right != 0, left / np.where(right != 0, right, 1.0), np.nan)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        if node.func.id == "weighted":
            parts = [_evaluate(arg, groups, values) for arg in node.args[0::2]]
            weights = np.array([literal_number(arg) for arg in node.args[1::2]], dtype=np.float64)
            score, _ = weighted_mean(np.column_stack(parts), weights)
            return score
        columns = []
        for arg in node.args:
            if isinstance(arg, ast.Name) and arg.id in groups:
                columns.append(groups[arg.id])
            else:
                columns.append(_evaluate(arg, groups, values)[:, None])
        return _nan_reduce(np.concatenate(columns, axis=1), node.func.id)
    raise ValueError(f"unsupported formula node {type(node).__name__}")


def composite_index(methodology: Methodology, table: CountryTable) -> CompositeResult:
    """Every formula of the composite for every country (NaN where nothing is known), and each
    country's quadrant of the typology (a value at the cut-off counts as high)."""
    composite = methodology.composite
    if composite is None:
        raise ValueError("this methodology declares no composite index")
    position = {name: i for i, name in enumerate(table.columns)}
    groups = {
        name: table.values[:, [position[c] for c in codes]].reshape(len(table.countries), len(codes))
        for name, codes in composite.groups.items()
    }
    values: dict[str, FloatArray] = {}
    for name, tree in composite.parsed.items():
        values[name] = _evaluate(tree, groups, values)
    quadrant: list[str | None] = [None] * len(table.countries)
    if composite.typology_x and composite.typology_y and composite.cutoff is not None:
        corner = {(q.x, q.y): q.code for q in composite.quadrants}
        for i, (x, y) in enumerate(
            zip(values[composite.typology_x], values[composite.typology_y], strict=True)
        ):
            if not (np.isnan(x) or np.isnan(y)):
                side_x = "high" if x >= composite.cutoff else "low"
                side_y = "high" if y >= composite.cutoff else "low"
                quadrant[i] = corner[(side_x, side_y)]
    return CompositeResult(table.countries, values, tuple(quadrant))


@dataclass(frozen=True)
class CompositeGroup:
    """One group a formula reads: its indicators' values (None = unknown), their mean and coverage."""

    code: str
    values: tuple[tuple[str, float | None], ...]
    mean: float | None
    known: int
    total: int


@dataclass(frozen=True)
class CompositeExplanation:
    """One country's value of one formula: the formula, the formulas and groups it reads (with their
    values), the result, what the result would be with each indicator unknown, and the quadrant."""

    country: str
    formula: str
    expression: str
    value: float | None
    formulas: tuple[tuple[str, str, float | None], ...]
    groups: tuple[CompositeGroup, ...]
    what_if_unknown: tuple[tuple[str, float | None], ...]
    quadrant: str | None
    typology: tuple[float | None, float | None] | None


def _known(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def _formula_reads(composite: Any, formula: str) -> tuple[list[str], list[str]]:
    """(formulas, groups) the formula reads, directly or through other formulas, in declared order."""
    formulas: set[str] = set()
    groups: set[str] = set()
    pending = [formula]
    while pending:
        name = pending.pop()
        for node in ast.walk(composite.parsed[name]):
            if isinstance(node, ast.Name):
                if node.id in composite.groups:
                    groups.add(node.id)
                elif node.id in composite.parsed and node.id not in formulas:
                    formulas.add(node.id)
                    pending.append(node.id)
    formulas.discard(formula)
    return (
        [f for f in composite.formulas if f in formulas],
        [g for g in composite.groups if g in groups],
    )


def explain_composite(
    methodology: Methodology, table: CountryTable, country: str, formula: str
) -> CompositeExplanation:
    """Recompute `formula` for `country` with `composite_index` over that country's row alone (the
    same result as the whole table gives) and once more per indicator with that indicator unknown;
    `KeyError` for a country not in the table or a formula the methodology does not declare."""
    composite = methodology.composite
    if composite is None or formula not in composite.parsed:
        raise KeyError(formula)
    if country not in table.countries:
        raise KeyError(country)
    row = table.values[table.countries.index(country)].astype(np.float64)

    def compute(values: FloatArray) -> CompositeResult:
        return composite_index(methodology, CountryTable((country,), table.columns, values[None, :]))

    result = compute(row)
    value = _known(float(result.indices[formula][0]))
    formulas, group_codes = _formula_reads(composite, formula)
    position = {name: i for i, name in enumerate(table.columns)}
    groups = []
    indicators: list[str] = []
    for code in group_codes:
        members = composite.groups[code]
        stack = row[[position[c] for c in members]][None, :]
        known = int((~np.isnan(stack)).sum())
        groups.append(
            CompositeGroup(
                code=code,
                values=tuple((c, _known(float(row[position[c]]))) for c in members),
                mean=_known(float(_nan_reduce(stack, "mean")[0])),
                known=known,
                total=len(members),
            )
        )
        indicators += [c for c in members if c not in indicators]
    what_if = []
    for code in indicators:
        changed = row.copy()
        changed[position[code]] = math.nan
        what_if.append((code, _known(float(compute(changed).indices[formula][0]))))
    typology = None
    if composite.typology_x and composite.typology_y and composite.cutoff is not None:
        typology = (
            _known(float(result.indices[composite.typology_x][0])),
            _known(float(result.indices[composite.typology_y][0])),
        )
    return CompositeExplanation(
        country=country,
        formula=formula,
        expression=composite.formulas[formula],
        value=value,
        formulas=tuple((f, composite.formulas[f], _known(float(result.indices[f][0]))) for f in formulas),
        groups=tuple(groups),
        what_if_unknown=tuple(what_if),
        quadrant=result.quadrant[0],
        typology=typology,
    )


# --------------------------------------------------------------------------------------------------
# Content hash


def _canonical(value: Any) -> Any:
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if kind is float:
        if math.isfinite(value):
            return value
        return None if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if kind is list or kind is tuple:
        return [_canonical(v) for v in value]
    if kind is dict:
        return {str(k): _canonical(v) for k, v in value.items()}
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _canonical(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, np.ndarray):
        return _canonical(value.tolist())
    if isinstance(value, np.generic):
        return _canonical(value.item())
    if isinstance(value, Mapping):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, set | frozenset):
        return sorted((_canonical(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    if isinstance(value, bool):  # subclasses of the plain types, e.g. enumerations
        return bool(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return _canonical(float(value))
    if isinstance(value, str):
        return str(value)
    return value


def content_hash(inputs: Any) -> str:
    """The sha256 of the canonical JSON of the inputs (sorted keys, no spaces, NaN as null,
    dataclasses and arrays as plain data): equal inputs give equal hashes."""
    text = json.dumps(
        _canonical(inputs), sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def plain_hash(data: Any) -> str:
    """`content_hash` of data that is already plain JSON (dicts with string keys, lists, strings,
    finite numbers, None): the same digest without the canonicalising walk."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Run:
    """Everything a run computes, for one call."""

    network_scores: NetworkScores
    area_scores: AreaScores
    priorities: list[Priority]
    sensitivity: Sensitivity | None
    input_hash: str


def run(
    methodology: Methodology,
    networks: Sequence[NetworkInput],
    markets: Sequence[MarketInput],
    geography: Geography,
    *,
    crime_areas: Iterable[str] = (),
    samples: int = 1000,
    spread: float = 0.2,
    seed: int = 0,
    digest: bool = True,
) -> Run:
    """Score networks and crime areas, recommend priorities and (samples > 0) test their stability.
    `digest=False` skips the input hash (a caller that hashes the same inputs as plain data itself,
    see `run_digest_data`), leaving `input_hash` empty."""
    table = network_table(methodology, networks, geography, crime_areas)
    scores = score_networks(methodology, table)
    area_scores = score_crime_areas(methodology, table, scores, markets, geography)
    priorities = recommend(methodology, table, scores, area_scores)
    robust = (
        sensitivity(methodology, table, scores, area_scores, samples=samples, spread=spread, seed=seed)
        if samples
        else None
    )
    hashed = (
        content_hash(
            run_digest_data(
                methodology,
                sorted(networks, key=lambda n: n.key),
                _sorted_markets(markets),
                geography,
                crime_areas,
                (samples, spread, seed),
            )
        )
        if digest
        else ""
    )
    return Run(scores, area_scores, priorities, robust, hashed)


def run_digest_data(
    methodology: Methodology,
    networks: Any,
    markets: Any,
    geography: Geography,
    crime_areas: Iterable[str],
    sensitivity: tuple[int, float, int],
) -> dict[str, Any]:
    """What a run's input hash covers: networks sorted by key and markets in canonical order
    (dataclasses, or the same as plain dicts: both hash alike)."""
    return {
        "methodology": methodology.definition,
        "networks": networks,
        "markets": markets,
        "geography": dict(sorted(geography.subregion_of.items())),
        "crime_areas": sorted(set(crime_areas)),
        "sensitivity": list(sensitivity),
    }
