"""Demo statistics (invented figures, labelled synthetic), brought in through the statistics
importer like any user's file: a draft dataset for Argentina, and one for Brazil shared with all
members. Loading it twice changes nothing."""

from __future__ import annotations

import csv
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from ceiba.sharing.choices import TLP, Scope

from .choices import EDITABLE_STATUSES
from .interchange.base import ImportRequest
from .interchange.statistics import StatisticsImporter
from .models import Contribution, StatisticsDataset

SOURCE = "Synthetic demonstration data"


def _rows(iso3: str, areas: list[str], count: int) -> list[list[Any]]:
    commodities = {
        "cocaine_trafficking": ("cocaine hydrochloride", "kg"),
        "firearms_trafficking": ("pistols", "firearms"),
        "illegal_mining": ("mercury", "kg"),
    }
    rows = []
    for i in range(count):
        area = areas[i % len(areas)]
        commodity, unit = commodities.get(area, ("", "cases"))
        day = date(2025, 1, 1) + timedelta(days=(i * 7) % 360)
        kind = ("seizure", "seizure", "arrest", "incident")[i % 4]
        if kind == "arrest":
            commodity, unit = "", "persons"
        elif kind == "incident":
            commodity, unit = "", "cases"
        rows.append(
            [f"DEMO-{iso3}-{i:04d}", kind, day.isoformat(), iso3, f"Region {i % 5 + 1} (synthetic)", area,
             commodity, f"{(i * 37) % 400 + 1}.5", unit, SOURCE]
        )  # fmt: skip
    return rows


def load_statistics_demo(*, contribution: Contribution, actor: Any, originator: Any, shared: bool) -> int:
    """One demo dataset in `contribution` (skipped once present or once the contribution is submitted)."""
    title = f"Seizures, arrests and incidents 2025 ({contribution.state.iso3}, synthetic)"
    if StatisticsDataset.objects.filter(contribution=contribution, title=title).exists():
        return 0
    if contribution.status not in EDITABLE_STATUSES:
        return 0
    areas = list(contribution.cycle.crime_areas.values_list("code", flat=True).order_by("code"))[:3]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(
                [
                    "source_id",
                    "kind",
                    "date",
                    "state",
                    "subnational_area",
                    "crime_area",
                    "commodity",
                    "quantity",
                    "unit",
                    "source",
                ]
            )
            writer.writerows(_rows(contribution.state.iso3, areas, 60))
        request = ImportRequest(
            path=path,
            contribution=contribution,
            originator=originator,
            user=actor,
            defaults={
                "tlp": TLP.GREEN if shared else TLP.AMBER,
                "scope": Scope.ALL_MEMBERS if shared else Scope.SECRETARIAT,
                "source_reliability": "B",
                "information_credibility": "2",
            },
            options={"dataset": title, "source_description": SOURCE},
        )
        summary = StatisticsImporter().run(request, lambda fraction: None)
    return summary.created
