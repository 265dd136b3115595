"""Fixtures of the observatory tests: the indicator catalogue, the publishers' real files (read from
shared/data, never copied into the project) and small synthetic files in the same formats."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from openpyxl import Workbook

from ceiba.observatory import selectors, services

DATA_DIR = Path(settings.BASE_DIR).parent / "shared" / "data"

PORTAL_HEADER = [
    "Iso3_code",
    "Country",
    "Region",
    "Subregion",
    "Indicator",
    "Dimension",
    "Category",
    "Sex",
    "Age",
    "Year",
    "Unit of measurement",
    "VALUE",
    "Source",
]


@pytest.fixture(autouse=True)
def _fresh_frame() -> None:
    """Each test starts without the in-process frame of published values."""
    selectors._memo.clear()


@pytest.fixture
def indicators(db: Any) -> None:
    services.states_ensure()
    services.indicators_seed()


HOMICIDE_ROWS = [
    ["Argentina", "ARG", 2021, 4.6, ""],
    ["Argentina", "ARG", 2022, 4.3, ""],
    ["Brazil", "BRA", 2021, 22.4, ""],
    ["Brazil", "BRA", 2022, 20.7, ""],
    ["Chile", "CHL", 2022, 6.7, ""],
    ["Uruguay", "URY", 2022, 11.2, ""],
    ["Jamaica", "JAM", 2022, 53.1, ""],
]


@pytest.fixture
def published(indicators: None) -> None:
    """A small synthetic release of the homicide rate (figures rounded from the real series)."""
    services.release_import(
        source_format="owid", content=owid_file(HOMICIDE_ROWS), file_name="homicide-rate-unodc.csv"
    )


@pytest.fixture
def real_file() -> Callable[[str], bytes]:
    def read(relative: str) -> bytes:
        path = DATA_DIR / relative
        if not path.is_file():
            pytest.skip(f"shared data file {relative} is not available")
        return path.read_bytes()

    return read


def csv_bytes(rows: Sequence[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


def xlsx_bytes(rows: Sequence[Sequence[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def portal_row(
    iso3: str,
    year: int | str,
    value: Any,
    *,
    indicator: str = "Arms seized",
    dimension: str = "Total",
    category: str = "Total",
    sex: str = "na",
    age: str = "na",
    unit: str = "Counts",
) -> list[Any]:
    return [
        iso3,
        iso3,
        "Americas",
        "Latin America and the Caribbean",
        indicator,
        dimension,
        category,
        sex,
        age,
        str(year),
        unit,
        value,
        "IAFQ",
    ]


def portal_file(rows: Sequence[Sequence[Any]], *, date: str = "26/08/2024", xlsx: bool = False) -> bytes:
    table = [["UNODC", None], [date], PORTAL_HEADER, *rows]
    return xlsx_bytes(table) if xlsx else csv_bytes(table)


def owid_file(rows: Sequence[Sequence[Any]], column: str = "Homicide rate per 100,000 population") -> bytes:
    return csv_bytes([["Entity", "Code", "Year", column, "World region according to OWID"], *rows])
