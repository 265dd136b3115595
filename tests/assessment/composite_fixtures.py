"""Helpers of the methodology, table and composite tests: a small hand-checkable composite
methodology, CSV files, a stored table and runs of it."""

from __future__ import annotations

import copy
from typing import Any

import yaml
from django.core.files.uploadedfile import SimpleUploadedFile

from ceiba.assessment import methodology_store, runs, tables
from ceiba.assessment.methodology import METHODOLOGIES_DIR
from ceiba.assessment.models import AssessmentRun, IndicatorTable, MethodologyVersion
from ceiba.core.models import User

DEFAULT_YAML = (METHODOLOGIES_DIR / "ideal-ceiba-v1.yaml").read_text(encoding="utf-8")
SMALL_CODE = "small-composite"
SMALL_COLUMNS = ["cocaine_trade", "arms_trafficking", "criminal_networks", "law_enforcement", "prevention"]


def default_data() -> dict[str, Any]:
    return copy.deepcopy(yaml.safe_load(DEFAULT_YAML))


def small_definition(version: int = 1, *, criminality: str | None = None, code: str = SMALL_CODE) -> str:
    """The default methodology with a small composite: two markets, one actor, two resilience columns
    (`criminality`, when given, replaces the criminality formula)."""
    data = default_data()
    data["code"] = code
    data["version"] = version
    data["name"] = "Small composite (test)"
    data["composite"] = {
        "scale": [1, 10],
        "groups": {
            "criminal_markets": ["cocaine_trade", "arms_trafficking"],
            "criminal_actors": ["criminal_networks"],
            "resilience_indicators": ["law_enforcement", "prevention"],
        },
        "formulas": {
            "criminal_markets_score": "mean(criminal_markets)",
            "criminal_actors_score": "mean(criminal_actors)",
            "criminality": "mean(criminal_markets_score, criminal_actors_score)",
            "resilience": "mean(resilience_indicators)",
        },
        "typology": {
            "x": "resilience",
            "y": "criminality",
            "cutoff": 5.5,
            "quadrants": [
                {"code": "high_criminality_low_resilience", "label": "HL", "x": "low", "y": "high"},
                {"code": "high_criminality_high_resilience", "label": "HH", "x": "high", "y": "high"},
                {"code": "low_criminality_low_resilience", "label": "LL", "x": "low", "y": "low"},
                {"code": "low_criminality_high_resilience", "label": "LH", "x": "high", "y": "low"},
            ],
        },
    }
    if criminality is not None:
        data["composite"]["formulas"]["criminality"] = criminality
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


#: Three countries, by hand (empty = unknown, left out of its group's mean):
#: ARG markets (8+6)/2 = 7, actors 4, criminality (7+4)/2 = 5.5, resilience (3+5)/2 = 4  → high/low
#: BRA markets 2 (b empty), actors 3, criminality 2.5, resilience (9+8)/2 = 8.5          → low/high
#: CHL markets (9+7)/2 = 8, actors 10, criminality 9, resilience (6+5.5)/2 = 5.75          → high/high
SMALL_CSV = (
    "country,cocaine_trade,arms_trafficking,criminal_networks,law_enforcement,prevention\n"
    "ARG,8,6,4,3,5\n"
    "BRA,2,,3,9,8\n"
    "CHL,9,7,10,6,5.5\n"
)
EXPECTED = {
    "ARG": {"criminal_markets_score": 7, "criminal_actors_score": 4, "criminality": 5.5, "resilience": 4},
    "BRA": {"criminal_markets_score": 2, "criminal_actors_score": 3, "criminality": 2.5, "resilience": 8.5},
    "CHL": {"criminal_markets_score": 8, "criminal_actors_score": 10, "criminality": 9, "resilience": 5.75},
}
EXPECTED_QUADRANT = {
    "ARG": "high_criminality_low_resilience",
    "BRA": "low_criminality_high_resilience",
    "CHL": "high_criminality_high_resilience",
}


def admin() -> User:
    return User.objects.get(email="admin@demo.ceiba.example")


def analyst() -> User:
    return User.objects.get(email="secretariat.analyst@demo.ceiba.example")


def small_version() -> MethodologyVersion:
    existing = MethodologyVersion.objects.filter(code=SMALL_CODE, version=1).first()
    return existing or methodology_store.save_version(small_definition(), user=admin(), change_note="test")


def csv_file(text: str = SMALL_CSV, name: str = "table.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def small_table() -> IndicatorTable:
    version = small_version()
    existing = IndicatorTable.objects.filter(methodology=version, name="Small (test)").first()
    return existing or tables.import_table(
        csv_file(), methodology_version=version, user=analyst(), name="Small (test)", source="Invented."
    )


def small_run(*, published: bool = False) -> AssessmentRun:
    table = small_table()
    run = table.runs.filter(published_at__isnull=not published).first()
    if run is None:
        run = runs.run_table(methodology_version=table.methodology, table=table, user=analyst())
        if published:
            runs.publish(run, analyst())
    return run


#: The small composite with decimal weights in a formula: ARG criminality = 0.35 × 7 + 0.65 × 4 = 5.05.
WEIGHTED_CODE = "small-weighted"
WEIGHTED_CRIMINALITY = "weighted(criminal_markets_score, 0.35, criminal_actors_score, 0.65)"


def weighted_run() -> AssessmentRun:
    """A run of the small table under a version whose criminality formula carries decimal weights."""
    version = MethodologyVersion.objects.filter(code=WEIGHTED_CODE, version=1).first()
    if version is None:
        definition = small_definition(criminality=WEIGHTED_CRIMINALITY, code=WEIGHTED_CODE)
        version = methodology_store.save_version(definition, user=admin(), change_note="test")
    table = IndicatorTable.objects.filter(methodology=version).first() or tables.import_table(
        csv_file(), methodology_version=version, user=analyst(), name="Weighted (test)", source="Invented."
    )
    return table.runs.first() or runs.run_table(methodology_version=version, table=table, user=analyst())


def default_version() -> MethodologyVersion:
    return methodology_store.ensure_default()


def next_default_text(version: int = 2) -> str:
    return DEFAULT_YAML.replace("\nversion: 1\n", f"\nversion: {version}\n")
