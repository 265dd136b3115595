"""Benchmark of a whole assessment run through Django (issue 4), printing its figures.

    .venv/bin/python bench/assessment_run.py                  (10,000 networks, 1,000,000 statistics rows)
    .venv/bin/python bench/assessment_run.py --scale 0.1      (a tenth of the networks and rows)
    CEIBA_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_run .venv/bin/python bench/assessment_run.py

1. Loads the core demo, then bulk-loads a synthetic cycle: 20 crime areas, a validated contribution for
   each of the 35 states, 10,000 criminal networks (each with the 11 actor indicators of the
   documentation, 15% unknown, 1–3 crime areas, 1–4 states), a threat report per crime area and state
   (700) and 1,000,000 statistics rows in one dataset per state. Everything is invented.
2. Times `runs.run_cycle` as the secretariat analyst, with the 1,000-sample sensitivity analysis:
   reading the inputs through the access policy, scoring, storing the run; twice, to show the
   second run has the same input hash.

Target (issue 4): under 5 seconds for the run. The pure scoring core alone is measured by
bench/assessment.py (with a twelfth, synthetic indicator).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

AREAS = 20
NETWORKS = 10_000
ROWS = 1_000_000


def setup_django() -> None:
    tmp = tempfile.mkdtemp(prefix="ceiba-bench-run-")
    os.environ.setdefault("CEIBA_VAR_DIR", tmp)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    if "CEIBA_DATABASE_URL" not in os.environ:
        os.environ["CEIBA_DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    import django

    django.setup()


def load(scale: float, rng: random.Random) -> tuple[object, object]:
    from django.core.management import call_command
    from django.db import transaction

    from ceiba.core.demo import load_demo
    from ceiba.core.models import Organisation, State, User
    from ceiba.documentation import services, statistics_totals
    from ceiba.documentation.choices import ContributionStatus
    from ceiba.documentation.models import (
        Contribution,
        CrimeArea,
        CriminalNetwork,
        NetworkIndicatorScore,
        StatisticRow,
        StatisticsDataset,
        ThreatReport,
    )
    from ceiba.sharing.choices import TLP, Scope

    call_command("migrate", verbosity=0)
    load_demo()
    services.crime_areas_load()
    admin = User.objects.get(email="admin@demo.ceiba.example")
    secretariat = User.objects.get(email="secretariat.analyst@demo.ceiba.example")
    leaves = list(CrimeArea.objects.filter(children__isnull=True).order_by("code"))[:AREAS]
    cycle = services.cycle_open(
        actor=admin,
        name="Benchmark cycle (synthetic)",
        contribution_deadline=date(2026, 12, 31),
        crime_areas=leaves,
    )
    states = list(State.objects.order_by("iso3"))
    with transaction.atomic():
        organisations = {}
        for state in states:
            organisation = Organisation.objects.filter(state=state).first()
            if organisation is None:
                organisation = Organisation.objects.create(
                    name=f"Synthetic police of {state.iso3}", acronym=f"SP{state.iso3}", state=state
                )
            organisations[state.pk] = organisation
        contributions = {
            state.pk: Contribution.objects.create(
                cycle=cycle, state=state, status=ContributionStatus.VALIDATED
            )
            for state in states
        }
        codes = [
            "international_dimension", "legal_business_structures", "violence", "corruption",
            "counter_measures", "money_laundering", "adaptability", "territorial_control",
            "cooperation", "resources_expertise", "longevity",
        ]  # fmt: skip
        shared = dict(
            tlp=TLP.AMBER, scope=Scope.SECRETARIAT, source_reliability="B", information_credibility="2"
        )
        networks = []
        for i in range(int(NETWORKS * scale)):
            state = rng.choice(states)
            networks.append(
                CriminalNetwork(
                    contribution=contributions[state.pk],
                    originator=organisations[state.pk],
                    originator_state=state,
                    alias=f"Synthetic network {i}",
                    main_crime_area=rng.choice(leaves),
                    **shared,
                )
            )
        networks = CriminalNetwork.objects.bulk_create(networks, batch_size=2000)
        secondary = CriminalNetwork.secondary_crime_areas.through
        countries = CriminalNetwork.countries.through
        secondary.objects.bulk_create(
            [
                secondary(criminalnetwork_id=n.pk, crimearea_id=a.pk)
                for n in networks
                for a in rng.sample(leaves, rng.randint(0, 2))
                if a.pk != n.main_crime_area_id
            ],
            batch_size=5000,
        )
        countries.objects.bulk_create(
            [
                countries(criminalnetwork_id=n.pk, state_id=s.pk)
                for n in networks
                for s in rng.sample(states, rng.randint(1, 4))
            ],
            batch_size=5000,
        )
        NetworkIndicatorScore.objects.bulk_create(
            [
                NetworkIndicatorScore(
                    network_id=n.pk, indicator=code, score=None if rng.random() < 0.15 else rng.randint(0, 4)
                )
                for n in networks
                for code in codes
            ],
            batch_size=5000,
        )
        reports = []
        for area in leaves:
            for state in states:
                reports.append(
                    ThreatReport(
                        contribution=contributions[state.pk],
                        originator=organisations[state.pk],
                        originator_state=state,
                        crime_area=area,
                        title=f"Synthetic report {area.code} {state.iso3}",
                        period_start=date(2025, 1, 1),
                        period_end=date(2025, 12, 31),
                        scale=rng.randint(1, 4),
                        trend=rng.choice(["increasing", "stable", "decreasing", "unknown"]),
                        harm_physical=rng.choice([None, 0, 1, 2, 3, 4]),
                        harm_economic=rng.choice([None, 0, 1, 2, 3, 4]),
                        enablers=rng.sample(["corruption", "violence", "online_markets"], rng.randint(0, 3)),
                        **shared,
                    )
                )
        ThreatReport.objects.bulk_create(reports, batch_size=2000)
        datasets = {
            state.pk: StatisticsDataset.objects.create(
                contribution=contributions[state.pk],
                originator=organisations[state.pk],
                originator_state=state,
                title=f"Synthetic seizures {state.iso3}",
                **shared,
            )
            for state in states
        }
    total = int(ROWS * scale)
    start = date(2025, 1, 1)
    for offset in range(0, total, 50_000):
        with transaction.atomic():
            batch = []
            for i in range(offset, min(total, offset + 50_000)):
                state = states[i % len(states)]
                day = start + timedelta(days=i % 365)
                batch.append(
                    StatisticRow(
                        dataset=datasets[state.pk],
                        source_id=f"row-{i}",
                        kind="seizure",
                        period_start=day,
                        period_end=day,
                        state=state,
                        crime_area=leaves[i % len(leaves)],
                        quantity=Decimal(rng.randint(1, 5000)) / 10,
                        unit="kg",
                    )
                )
            StatisticRow.objects.bulk_create(batch, batch_size=5000)
    statistics_totals.refresh(d.pk for d in datasets.values())  # as the importers do
    return cycle, secretariat


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--samples", type=int, default=1000)
    args = parser.parse_args()
    setup_django()
    from django.db import connection

    from ceiba.assessment import methodology_store, runs, scoring

    rng = random.Random(20261206)
    started = time.perf_counter()
    cycle, secretariat = load(args.scale, rng)
    print(f"loaded in {time.perf_counter() - started:.0f} s on {connection.vendor}")
    methodology_version = methodology_store.ensure_default()
    methodology = methodology_version.parsed()

    start = time.perf_counter()
    inputs = runs.gather_cycle_inputs(cycle, methodology, secretariat, "restricted")  # type: ignore[arg-type]
    gather = time.perf_counter() - start
    start = time.perf_counter()
    scoring.run(
        methodology,
        inputs.networks,
        inputs.markets,
        inputs.geography,
        crime_areas=inputs.crime_areas,
        samples=args.samples,
    )
    core = time.perf_counter() - start
    print(
        f"{len(inputs.networks):,} networks, {len(inputs.markets):,} report inputs, "
        f"{len(inputs.statistics):,} statistics totals, {len(inputs.crime_areas)} crime areas, "
        f"{len(inputs.geography.states)} states"
    )
    print(f"read inputs through the access policy: {gather * 1000:,.0f} ms")
    print(f"scoring core with {args.samples} sensitivity samples: {core * 1000:,.0f} ms")
    hashes = []
    for attempt in (1, 2):
        start = time.perf_counter()
        run = runs.run_cycle(
            methodology_version=methodology_version,
            cycle=cycle,  # type: ignore[arg-type]
            user=secretariat,
            samples=args.samples,
        )
        elapsed = time.perf_counter() - start
        hashes.append(run.input_hash)
        print(f"run {attempt} (read, score, hash, store): {elapsed * 1000:,.0f} ms — target < 5,000 ms")
    print(f"same input hash twice: {hashes[0] == hashes[1]}")


if __name__ == "__main__":
    main()
