"""Benchmark of the assessment's scoring core: 10,000 synthetic networks × 12 indicators, 35 states,
20 crime areas, threat reports for every crime area and state, and the 1,000-sample sensitivity
analysis. Prints its figures. Run: .venv/bin/python bench/assessment.py

All data is invented (synthetic). The documentation vocabulary has 11 actor indicators; the bench
adds a twelfth, synthetic one (passed in as a known code) to measure the size the issue asks for."""

from __future__ import annotations

import copy
import random
import time

import yaml

from ceiba.assessment import scoring
from ceiba.assessment.methodology import METHODOLOGIES_DIR, NETWORK_INDICATOR_CODES, parse_methodology

NETWORKS, STATES, AREAS, SAMPLES = 10_000, 35, 20, 1_000
EXTRA = "synthetic_twelfth"


def build() -> tuple[scoring.Geography, list[scoring.NetworkInput], list[scoring.MarketInput], object]:
    data = yaml.safe_load((METHODOLOGIES_DIR / "ideal-ceiba-v1.yaml").read_text(encoding="utf-8"))
    data = copy.deepcopy(data)
    data["actor_indicators"].append({"code": EXTRA, "weight": 1, "unknown": "exclude"})
    methodology = parse_methodology(data, network_indicators=(*NETWORK_INDICATOR_CODES, EXTRA))
    rng = random.Random(20260)
    subregions = ["north_america", "central_america", "caribbean", "andean", "southern_cone"]
    states = [f"S{i:02d}" for i in range(STATES)]
    geography = scoring.Geography({s: subregions[i % len(subregions)] for i, s in enumerate(states)})
    areas = [f"area_{i:02d}" for i in range(AREAS)]
    codes = [i.code for i in methodology.actor_indicators]
    networks = [
        scoring.NetworkInput(
            key=f"N{i:05d}",
            scores={c: (None if rng.random() < 0.15 else rng.randint(0, 4)) for c in codes},
            crime_areas=tuple(rng.sample(areas, rng.randint(1, 3))),
            states=tuple(rng.sample(states, rng.randint(1, 4))),
            confidence=rng.choice([1.0, 0.9, 0.75, 0.5]),
        )
        for i in range(NETWORKS)
    ]
    markets = [
        scoring.MarketInput(
            key=f"R{a}{s}",
            crime_area=a,
            state=s,
            values={
                "scale": rng.randint(1, 4),
                "trend": rng.choice(["decreasing", "stable", "increasing", None]),
                "geographic_spread": rng.randint(0, 12),
                "enablers": rng.randint(0, 7),
                **{
                    f"harm_{h}": rng.choice([None, 0, 1, 2, 3, 4])
                    for h in ("physical", "economic", "social", "environmental", "institutional")
                },
            },
            confidence=rng.choice([1.0, 0.9, 0.75]),
        )
        for a in areas
        for s in states
    ]
    return geography, networks, markets, methodology


def main() -> None:
    geography, networks, markets, methodology = build()
    figures: dict[str, float] = {}
    start = time.perf_counter()
    table = scoring.network_table(methodology, networks, geography)
    figures["arrange inputs"] = time.perf_counter() - start
    mark = time.perf_counter()
    scores = scoring.score_networks(methodology, table)
    figures["network scores"] = time.perf_counter() - mark
    mark = time.perf_counter()
    areas = scoring.score_crime_areas(methodology, table, scores, markets, geography)
    figures["crime-area scores (3 levels)"] = time.perf_counter() - mark
    mark = time.perf_counter()
    priorities = scoring.recommend(methodology, table, scores, areas)
    figures["recommended priorities"] = time.perf_counter() - mark
    mark = time.perf_counter()
    robust = scoring.sensitivity(methodology, table, scores, areas, samples=SAMPLES, seed=1)
    figures[f"sensitivity ({SAMPLES} samples)"] = time.perf_counter() - mark
    mark = time.perf_counter()
    digest = scoring.content_hash({"networks": networks, "markets": markets})
    figures["content hash of inputs"] = time.perf_counter() - mark
    figures["total"] = time.perf_counter() - start
    print(
        f"{NETWORKS} networks × {len(methodology.actor_indicators)} indicators, "
        f"{len(geography.states)} states, "
        f"{len(areas.areas)} crime areas, {len(markets)} threat reports"
    )
    for name, seconds in figures.items():
        print(f"  {name:<32} {seconds * 1000:9.1f} ms")
    print(
        f"  top {len(priorities)}: "
        + ", ".join(f"{p.crime_area} {p.score:.3f}" for p in priorities if p.score)
    )
    stable = ", ".join(f"{a} {p:.3f}" for a, p in zip(robust.areas, robust.probability, strict=True) if p > 0)
    print(f"  P(in recommended set): {stable}")
    print(f"  inputs sha256 {digest[:16]}…")


if __name__ == "__main__":
    main()
