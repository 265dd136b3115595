"""The composite-index demo: a synthetic country × indicator table for the default methodology's
composite index (criminality and resilience on 1–10, after the Global Organized Crime Index), for
twenty states of the Americas, and one published run of it. Every value is invented (seeded) and
says so. Idempotent."""

from __future__ import annotations

import random
from typing import Any

from django.db import transaction

from ceiba.core.models import State, User

from . import methodology_store, runs, scoring, tables
from .models import AssessmentRun, IndicatorTable

TABLE_NAME = "Organised crime indicators 2025 (synthetic)"
SOURCE = (
    "Synthetic demonstration data: invented values (seeded), laid out like the Global Organized Crime "
    "Index. Not a real assessment of any country."
)
STATES = [
    "ARG", "BHS", "BOL", "BRA", "CAN", "CHL", "COL", "CRI", "DOM", "ECU",
    "GTM", "HND", "HTI", "JAM", "MEX", "PAN", "PER", "PRY", "URY", "USA",
]  # fmt: skip
SEED = 2025


def synthetic_rows(columns: tuple[str, ...], groups: dict[str, tuple[str, ...]]) -> list[dict[str, Any]]:
    """One row per demo state: each state gets an invented criminality and resilience level, and its
    indicators scatter around it (steps of 0.5 on 1–10)."""
    rng = random.Random(SEED)  # noqa: S311  (invented demo data, not security)
    resilience_columns = set(groups.get("resilience_indicators", ()))
    rows = []
    for iso3 in STATES:
        crime_level, resilience_level = rng.uniform(3, 8), rng.uniform(2.5, 8)
        row: dict[str, Any] = {"country": iso3}
        for column in columns:
            centre = resilience_level if column in resilience_columns else crime_level
            value = min(10.0, max(1.0, round(rng.gauss(centre, 1.3) * 2) / 2))
            row[column] = value if rng.random() > 0.03 else None  # a few unknown cells
        rows.append(row)
    return rows


def load_composite_demo() -> AssessmentRun | None:
    """Store the synthetic table and run it once (published); nothing changes on a second call."""
    version = methodology_store.ensure_default()
    methodology = version.parsed()
    composite = methodology.composite
    if composite is None:
        return None
    user = User.objects.filter(email="secretariat.analyst@demo.ceiba.example").first()
    known = set(State.objects.values_list("iso3", flat=True))
    with transaction.atomic():
        table = IndicatorTable.objects.filter(name=TABLE_NAME, methodology=version).first()
        if table is None:
            rows = [
                row for row in synthetic_rows(composite.columns, composite.groups) if row["country"] in known
            ]
            country_table = scoring.country_table(methodology, rows, known_countries=known)
            content = tables.table_content(country_table)
            table = IndicatorTable.objects.create(
                name=TABLE_NAME,
                source=SOURCE,
                methodology=version,
                file_name="synthetic.csv",
                content=content,
                content_hash=scoring.content_hash(content),
                created_by=user,
            )
        existing = table.runs.first()
        if existing is not None or user is None:
            return existing
        run = runs.run_table(
            methodology_version=version,
            table=table,
            user=user,
            title="Composite index 2025 (synthetic)",
        )
        runs.publish(run, user)
    return run
