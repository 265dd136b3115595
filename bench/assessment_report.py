"""Benchmark of the assessment report's PDF (issue 4: "the PDF report in under 20 seconds"), printing
its figures.

    .venv/bin/python bench/assessment_report.py              (large run, then the demo restricted run)
    .venv/bin/python bench/assessment_report.py --no-demo    (the large run only: no database)

1. **Large run**: 20 crime areas × the 35 states, 2,000 synthetic networks, a threat report per crime
   area and state and statistics totals, scored by the real core (`scoring.run`, 200 sensitivity
   samples) and wrapped in an unsaved `AssessmentRun` (no database: states and priorities are passed
   to the context builder). Its report has 20 chapters, each with a bar chart and a map, plus the
   overview map: 21 maps (one base map converted by vl-convert, recoloured, each an <img> of an SVG
   data URI) and 20 bar tables.
2. **Demo restricted run** (`ceiba demo_assessment` in a fresh SQLite database in a temporary folder):
   the report as the platform serves it.

For each: building the context, converting the base map to SVG (vl-convert), the print HTML with
every map, laying out and writing the PDF (WeasyPrint), the total (a cold start: base map included),
the number of pages and the size, and the CPU time of the process for the PDF (on the shared 2-core
machine the wall time grows with the others' load, the CPU time much less). The PDF cache is not used
(a cold rendering is what is measured). All data is synthetic.

Measured 2026-12-07 on an idle machine (load 1.9), the large run: 7.05 s and 7.17 s for HTML + layout +
PDF (0.35 of the target). Earlier the same day, best of three alternate runs with the code before, load 5–10:
wall 13.7 s before, 11.0 s after the maps became <img> data URIs with half the points and the states
tables a fixed layout (0.81×); CPU time 8.0 s → 6.7 s (0.83×). See docs/decisions/0042.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

AREAS, NETWORKS, SAMPLES = 20, 2_000, 200
TARGET_SECONDS = 20.0


def setup(database: bool) -> None:
    tmp = tempfile.mkdtemp(prefix="ceiba-bench-report-")
    os.environ.setdefault("CEIBA_VAR_DIR", tmp)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    if database:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("demo", verbosity=0)
        call_command("demo_documentation", verbosity=0)
        call_command("demo_assessment", verbosity=0)


def large_run() -> tuple[Any, list[Any], dict[str, Any]]:
    """An unsaved run of 20 crime areas × 35 states, scored by the real core."""
    import pycountry
    from django.utils import timezone

    from ceiba.assessment import report, runs, scoring
    from ceiba.assessment.choices import Audience
    from ceiba.assessment.methodology import METHODOLOGIES_DIR
    from ceiba.assessment.models import AssessmentRun, MethodologyVersion, RecommendedPriority
    from ceiba.core.demo import STATES
    from ceiba.documentation.models import CrimeArea
    from ceiba.documentation.taxonomy import CRIME_AREAS

    definition = (METHODOLOGIES_DIR / "ideal-ceiba-v1.yaml").read_text(encoding="utf-8")
    version = MethodologyVersion(code="ideal-ceiba", version=1, name="IDEAL-Ceiba v1", definition=definition)
    methodology = version.parsed()
    rng = random.Random(20261206)
    areas = [a.code for a in CRIME_AREAS if a.parent is not None][:AREAS]
    if len(areas) < AREAS:
        areas = [a.code for a in CRIME_AREAS][:AREAS]
    states = list(STATES)
    geography = scoring.Geography({s: str(STATES[s]) for s in states})
    codes = [i.code for i in methodology.actor_indicators]
    networks = [
        scoring.NetworkInput(
            key=f"N{i}",
            scores={c: (None if rng.random() < 0.15 else rng.randint(0, 4)) for c in codes},
            crime_areas=tuple(sorted(rng.sample(areas, rng.randint(1, 3)))),
            states=tuple(sorted(rng.sample(states, rng.randint(1, 4)))),
            confidence=rng.choice([1.0, 0.9, 0.75, 0.5]),
        )
        for i in range(NETWORKS)
    ]
    markets = [
        scoring.MarketInput(
            key=f"R{a}:{s}",
            crime_area=a,
            state=s,
            values={
                "scale": rng.randint(1, 4),
                "trend": rng.choice(["decreasing", "stable", "increasing", None]),
                "geographic_spread": float(rng.randint(0, 12)),
                "enablers": float(rng.randint(0, 7)),
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
    result = scoring.run(
        methodology, networks, markets, geography, crime_areas=tuple(areas), samples=SAMPLES, seed=1
    )
    statistics = [
        {
            "dataset": 1,
            "crime_area": a,
            "state": s,
            "kind": kind,
            "unit": unit,
            "total": str(rng.randint(1, 5000)),
            "tlp": "green",
        }
        for a in areas
        for s in states
        for kind, unit in (("seizure", "kg"), ("arrest", "persons"))
    ]
    run = AssessmentRun(
        pk=1,
        title="Synthetic regional threat assessment (bench)",
        methodology=version,
        audience=Audience.RESTRICTED,
        tlp="amber",
        input_hash=scoring.content_hash({"core": result.input_hash}),
        methodology_hash="-",
        code_version=runs.code_version(),
        samples=SAMPLES,
        inputs={
            "networks": [asdict(n) for n in networks],
            "markets": [asdict(m) for m in markets],
            "statistics": statistics,
            "records": {},
        },
        results=runs.results_json(methodology, result),
        counts={"contributions": 35, "networks": NETWORKS, "reports": len(markets), "statistics": 1400},
        created_at=timezone.now(),
    )
    probability = dict(zip(result.sensitivity.areas, result.sensitivity.probability.tolist(), strict=True))
    priorities = [
        RecommendedPriority(
            run=run,
            rank=p.rank,
            crime_area=CrimeArea(code=p.crime_area),
            score=p.score,
            coverage=p.coverage,
            probability=probability.get(p.crime_area),
            mandatory=p.mandatory,
            by_score=p.by_score,
            rationale=runs.computed_rationale(p, {}),
        )
        for p in result.priorities
    ]
    infos = {}
    for iso3 in states:
        country = pycountry.countries.get(alpha_3=iso3)
        infos[iso3] = report.StateInfo(iso3, country.numeric, country.name, str(STATES[iso3]))
    return run, priorities, infos


def measure(label: str, run: Any, **kwargs: Any) -> float:
    from django.utils import translation

    from ceiba.assessment import report, report_charts

    figures: dict[str, float] = {}
    start = time.perf_counter()
    with translation.override("en"):
        context = report.report_context(run, inline_geometry=True, **kwargs)
    figures["context"] = time.perf_counter() - start
    mark = time.perf_counter()
    report_charts.base_map_svg.cache_clear()
    report_charts.base_map_svg()
    figures["base map (vl-convert, once)"] = time.perf_counter() - mark
    report_charts.base_map_svg.cache_clear()
    mark, cpu = time.perf_counter(), time.process_time()
    html = report.render_print_html(run, "en", **kwargs)
    figures["print HTML with maps"] = time.perf_counter() - mark
    mark = time.perf_counter()
    from weasyprint import HTML

    document = HTML(string=html).render()
    figures["layout (WeasyPrint)"] = time.perf_counter() - mark
    mark = time.perf_counter()
    pdf = document.write_pdf()
    figures["PDF written"] = time.perf_counter() - mark
    cpu = time.process_time() - cpu
    total = figures["print HTML with maps"] + figures["layout (WeasyPrint)"] + figures["PDF written"]
    print(
        f"{label}: {len(context['chapters'])} chapters, {len(document.pages)} pages, {len(pdf) / 1e6:.1f} MB"
    )
    for name, seconds in figures.items():
        print(f"  {name:<34} {seconds:7.2f} s")
    verdict = "within" if total < TARGET_SECONDS else "OVER"
    name = "PDF report (HTML + layout + write)"
    print(f"  {name:<34} {total:7.2f} s  ({verdict} the {TARGET_SECONDS:.0f} s target)")
    # On a shared machine the wall time grows with the others' load; the process's CPU time much less.
    print(f"  {'the same, CPU time of this process':<34} {cpu:7.2f} s")
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-demo", action="store_true", help="skip the demo run (no database)")
    args = parser.parse_args()
    setup(database=not args.no_demo)
    import logging

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    print(f"{os.cpu_count()} CPUs")
    run, priorities, states = large_run()
    measure(
        f"Large run ({AREAS} crime areas × {len(states)} states)", run, priorities=priorities, states=states
    )
    if not args.no_demo:
        from ceiba.assessment.models import AssessmentRun

        demo = AssessmentRun.objects.filter(audience="restricted", kind="cycle").latest("created_at")
        measure(f"Demo restricted run ({demo.title})", demo)


if __name__ == "__main__":
    main()
