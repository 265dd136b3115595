"""The observatory's demo: the states (if missing), the indicator catalogue, the publishers' real
files when a data folder is given (they are never copied into the project), and a few synthetic
transparency records, clearly marked as such. Loading it twice changes nothing."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import transaction

from ceiba.core.models import State

from . import services
from .choices import ArmsCategory, DocumentLanguage, MeasureType, SourceFormat
from .models import ArmsRegisterReport, ConfidenceMeasure, Release, WhitePaper

#: The publishers' files of shared/data/ and the format each is imported with.
DATA_FILES: list[tuple[str, str]] = [
    ("owid/homicide-rate-unodc.csv", SourceFormat.OWID_GRAPHER),
    ("owid/gdp-per-capita-worldbank.csv", SourceFormat.OWID_GRAPHER),
    ("sipri/military-spending-as-a-share-of-gdp-sipri_owid.csv", SourceFormat.OWID_GRAPHER),
    ("sipri/sipri-milex-owid-datasets.csv", SourceFormat.NAMES_TABLE),
    ("unodc/drug_seizures_2018_2022.xlsx", SourceFormat.UNODC_DRUG_SEIZURES),
    ("unodc/data_iafq_firearms_trafficking.xlsx", SourceFormat.UNODC_PORTAL),
    ("unodc/data_cts_violent_and_sexual_crime.xlsx", SourceFormat.UNODC_PORTAL),
]


@dataclass
class ObservatoryDemoReport:
    states: int = 0
    indicators: int = 0
    releases: list[str] = field(default_factory=list)
    transparency: int = 0


def default_data_dir() -> Path | None:
    """shared/data next to the project checkout, where the platform's team keeps the real files."""
    from django.conf import settings

    for candidate in (
        settings.BASE_DIR.parent / "shared" / "data",
        settings.BASE_DIR / ".." / "shared" / "data",
    ):
        if candidate.is_dir():
            return candidate.resolve()
    return None


def load_observatory_demo(
    data_dir: Path | None = None, progress: Callable[[str], None] | None = None
) -> ObservatoryDemoReport:
    report = ObservatoryDemoReport()
    report.states = services.states_ensure()
    report.indicators = services.indicators_seed()
    data_dir = data_dir or default_data_dir()
    if data_dir is not None:
        for relative, source_format in DATA_FILES:
            path = data_dir / relative
            if not path.is_file():
                continue
            content = path.read_bytes()
            if Release.objects.filter(
                file_name=path.name, sha256=hashlib.sha256(content).hexdigest()
            ).exists():
                continue
            if progress:
                progress(relative)
            services.release_import(source_format=source_format, content=content, file_name=path.name)
            report.releases.append(relative)
    report.transparency = _transparency_demo()
    return report


@transaction.atomic
def _transparency_demo() -> int:
    """One synthetic white paper, Register submission and measure for two states (marked demo)."""
    created = 0
    states = {s.iso3: s for s in State.objects.filter(iso3__in=["ARG", "BRA", "CHL", "URY"])}
    if len(states) < 4:
        return 0
    if not WhitePaper.objects.exists():
        services.white_paper_save(
            state=states["ARG"],
            title="Libro Blanco de la Defensa (demo, synthetic record)",
            year=2023,
            language=DocumentLanguage.SPANISH,
            url="https://example.org/demo/white-paper-arg.pdf",
        )
        services.white_paper_save(
            state=states["BRA"],
            title="Livro Branco de Defesa Nacional (demo, synthetic record)",
            year=2020,
            language=DocumentLanguage.PORTUGUESE,
            url="https://example.org/demo/white-paper-bra.pdf",
        )
        created += 2
    if not ArmsRegisterReport.objects.exists():
        services.arms_register_report_save(
            state=states["ARG"],
            year=2023,
            categories=[ArmsCategory.ARMOURED_COMBAT_VEHICLES, ArmsCategory.SALW],
            notes="Demo record.",
        )
        services.arms_register_report_save(
            state=states["URY"], year=2023, nil_report=True, notes="Demo record."
        )
        created += 2
    if not ConfidenceMeasure.objects.exists():
        services.confidence_measure_save(
            state=states["CHL"],
            kind=MeasureType.DISASTER_RELIEF,
            date=date(2024, 5, 14),
            description="Demo record: joint disaster-relief exercise.",
            partners=[states["ARG"]],
        )
        created += 1
    return created
