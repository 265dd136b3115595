"""Indicator tables: read a CSV or XLSX file (one row per country, one column per indicator of a
composite methodology), check every cell with `scoring.country_table` and store it, or store nothing
and name every bad cell by its spreadsheet row and column.

The file is read with the documentation app's safe tabular reader (encoding detection, size limit,
XLSX zip-bomb check). The first non-blank row is the header. The country column is the one headed
`country` (also accepted: `iso3`, `iso 3`, `country code`, `country iso3`, `iso`, any case, accents
and underscores ignored); it holds ISO 3166 alpha-3 codes of the states of the Americas. Other
headers are indicator codes (`Human trafficking` and `human_trafficking` are the same column)."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from ceiba.common import audit
from ceiba.common.access import principal_for
from ceiba.common.models import AuditAction
from ceiba.core.choices import Role
from ceiba.core.models import State
from ceiba.documentation.interchange.base import ImportAborted
from ceiba.documentation.interchange.tabular import TableReader, is_blank, normalise_header

from . import scoring
from .methodology import Methodology
from .models import IndicatorTable, MethodologyVersion

#: The largest indicator table accepted (one row per country: a few kilobytes in practice).
MAX_TABLE_BYTES = 5 * 1024 * 1024
#: Headers read as the country column (after `normalise_header`).
COUNTRY_HEADERS = frozenset({"country", "iso3", "iso 3", "country code", "country iso3", "iso", "iso code"})
COUNTRY = "country"
_DECIMAL_COMMA = re.compile(r"^\s*-?\d+,\d+\s*$")

Issue = scoring.TableIssue


class TableImportError(ValueError):
    """The table cannot be stored; `issues` names every bad cell (row as a spreadsheet numbers it,
    column as headed in the file or the methodology's code)."""

    def __init__(self, issues: Sequence[Issue]) -> None:
        self.issues = list(issues)
        super().__init__("\n".join(str(issue) for issue in self.issues))


def may_import(user: Any) -> bool:
    return principal_for(user).has_role(Role.SECRETARIAT_ADMIN, Role.SECRETARIAT_ANALYST)


def composite_versions() -> list[MethodologyVersion]:
    """The stored methodology versions that declare a composite index (newest first per code)."""
    return [version for version in MethodologyVersion.objects.all() if version.is_composite]


def _column_code(header: Any) -> str:
    return normalise_header(header).replace(" ", "_").replace("-", "_")


@dataclass
class ReadTable:
    """What a file held: the data rows as {column code: cell} and their spreadsheet row numbers."""

    rows: list[dict[str, Any]]
    numbers: list[int]
    header_row: int


def _cell(value: Any) -> Any:
    if isinstance(value, str) and _DECIMAL_COMMA.match(value):
        return value.strip().replace(",", ".")
    return value


def read_rows(path: Path, methodology: Methodology) -> ReadTable:
    """The rows of the file keyed by column code; `TableImportError` for a file that cannot be read,
    a missing country column, repeated or missing indicator columns."""
    composite = methodology.composite
    if composite is None:
        raise TableImportError([Issue(None, None, _("This methodology declares no composite index."))])
    try:
        reader = TableReader(path, max_bytes=MAX_TABLE_BYTES)
        lines = list(reader.rows())
    except ImportAborted as error:
        raise TableImportError(
            [Issue(e.row, e.column or None, str(e.message)) for e in error.errors]
        ) from None
    lines = [(number, row) for number, row in lines if not is_blank(row)]
    if not lines:
        raise TableImportError([Issue(None, None, _("The file holds no rows."))])
    header_row, header = lines[0]
    issues: list[Issue] = []
    codes: list[str | None] = []
    seen: dict[str, str] = {}
    for cell in header:
        if cell is None or not str(cell).strip():
            codes.append(None)
            continue
        normal = normalise_header(cell)
        code = COUNTRY if normal in COUNTRY_HEADERS else _column_code(cell)
        if code in seen:
            issues.append(Issue(header_row, str(cell), _("column %(code)s appears twice") % {"code": code}))
        seen[code] = str(cell)
        codes.append(code)
    if COUNTRY not in seen:
        issues.append(
            Issue(
                header_row,
                None,
                _("no country column: head one column “country” (ISO 3166 alpha-3 codes, e.g. ARG)"),
            )
        )
    for code in composite.columns:
        if code not in seen:
            issues.append(
                Issue(
                    header_row,
                    code,
                    _("the methodology's indicator %(code)s has no column (leave its cells empty if unknown)")
                    % {"code": code},
                )
            )
    if issues:
        raise TableImportError(issues)
    rows: list[dict[str, Any]] = []
    numbers: list[int] = []
    for number, line in lines[1:]:
        row: dict[str, Any] = {}
        for index, column in enumerate(codes):
            if column is None:
                continue
            row[column] = _cell(line[index]) if index < len(line) else None
        rows.append(row)
        numbers.append(number)
    return ReadTable(rows, numbers, header_row)


def check_rows(
    methodology: Methodology, read: ReadTable, known_countries: Iterable[str]
) -> scoring.CountryTable:
    """`scoring.country_table` over the rows, its issues renumbered to the file's own rows."""
    try:
        return scoring.country_table(methodology, read.rows, known_countries=known_countries, first_row=2)
    except scoring.TableError as error:
        issues = []
        for issue in error.issues:
            row = issue.row
            if row is not None:
                row = read.numbers[row - 2] if 0 <= row - 2 < len(read.numbers) else row
            elif issue.column is not None:
                row = read.header_row  # an unknown column: the header cell
            issues.append(Issue(row, issue.column, issue.message))
        raise TableImportError(issues) from None


def table_content(table: scoring.CountryTable) -> dict[str, Any]:
    """The stored form: {"indicators": [...], "rows": {ISO3: [value or None, ...]}}, codes sorted."""
    return {
        "indicators": list(table.columns),
        "rows": {
            country: [None if value != value else float(value) for value in table.values[i]]
            for i, country in enumerate(table.countries)
        },
    }


def state_codes() -> list[str]:
    return list(State.objects.values_list("iso3", flat=True))


def import_table(
    upload: IO[bytes] | Any,
    *,
    methodology_version: MethodologyVersion,
    user: Any,
    name: str,
    source: str = "",
    file_name: str = "",
) -> IndicatorTable:
    """Read, check and store an indicator table in one transaction; `TableImportError` (every bad
    cell) and nothing stored otherwise."""
    if not may_import(user):
        raise PermissionDenied(_("Only the secretariat imports indicator tables."))
    methodology = methodology_version.parsed()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "table"
        with path.open("wb") as handle:
            chunks = upload.chunks() if hasattr(upload, "chunks") else [upload.read()]
            written = 0
            for chunk in chunks:
                written += len(chunk)
                if written > MAX_TABLE_BYTES:
                    message = _("The file is larger than %(limit)d bytes; an indicator table is smaller.")
                    raise TableImportError([Issue(None, None, message % {"limit": MAX_TABLE_BYTES})])
                handle.write(chunk)
        with path.open("rb") as handle:
            zipped = handle.read(4) == b"PK\x03\x04"
        # openpyxl goes by the file name's extension; the reader itself goes by the bytes.
        path = path.rename(path.with_suffix(".xlsx" if zipped else ".csv"))
        read = read_rows(path, methodology)
    table = check_rows(methodology, read, state_codes())
    content = table_content(table)
    with transaction.atomic():
        stored = IndicatorTable.objects.create(
            name=name.strip() or file_name or _("Indicator table"),
            source=source.strip(),
            methodology=methodology_version,
            file_name=file_name[:255],
            content=content,
            content_hash=scoring.content_hash(content),
            created_by=user,
        )
        audit.record(
            AuditAction.CREATE, obj=stored, actor=user, changes={"content_hash": stored.content_hash}
        )
    return stored


def template_rows(methodology: Methodology) -> list[list[Any]]:
    """A CSV template: the header (`country` and the indicator codes) and one row per state of the
    Americas with empty cells."""
    columns = list(methodology.composite.columns) if methodology.composite else []
    rows: list[list[Any]] = [[COUNTRY, *columns]]
    for iso3 in sorted(state_codes()):
        rows.append([iso3, *([""] * len(columns))])
    return rows


def run_table_of(run: Any) -> scoring.CountryTable:
    """The country table a composite run computed over, from the run's stored inputs."""
    inputs = run.inputs
    countries = tuple(inputs.get("countries", []))
    columns = tuple(inputs.get("columns", []))
    values = np.array(
        [[np.nan if v is None else float(v) for v in row] for row in inputs.get("values", [])],
        dtype=np.float64,
    ).reshape(len(countries), len(columns))
    return scoring.CountryTable(countries, columns, values)


def _plain(value: float | None) -> str:
    return "?" if value is None else f"{round(value, 4):g}"


def explain_run(run: Any, country: str, formula: str) -> dict[str, Any]:
    """One country's value of one formula of a composite run, recomputed from the run's stored
    inputs with `scoring.explain_composite`: the formula as declared and with the values put in,
    each group read (indicator values, mean, coverage), the result, and per indicator the result
    with that indicator unknown and the move. `KeyError` for an unknown country or formula."""
    methodology = run.methodology.parsed()
    composite = methodology.composite
    if composite is None:
        raise KeyError(formula)
    explanation = scoring.explain_composite(methodology, run_table_of(run), country, formula)
    substitutes: dict[str, str] = {
        group.code: "[" + ", ".join(_plain(v) for _c, v in group.values) + "]" for group in explanation.groups
    }
    substitutes.update({name: _plain(value) for name, _e, value in explanation.formulas})
    substituted = re.sub(
        r"[A-Za-z_][A-Za-z0-9_]*",
        lambda m: substitutes.get(m.group(0), m.group(0)),
        explanation.expression,
    )
    value = explanation.value
    typology = None
    if explanation.typology is not None and composite.cutoff is not None:
        x, y = explanation.typology
        typology = {
            "x": composite.typology_x,
            "y": composite.typology_y,
            "x_value": x,
            "y_value": y,
            "cutoff": composite.cutoff,
            "x_side": None if x is None else ("high" if x >= composite.cutoff else "low"),
            "y_side": None if y is None else ("high" if y >= composite.cutoff else "low"),
        }
    return {
        "country": country,
        "formula": formula,
        "expression": explanation.expression,
        "substituted": f"{substituted} = {_plain(value)}",
        "value": value,
        "formulas": [
            {"code": name, "expression": expression, "value": v}
            for name, expression, v in explanation.formulas
        ],
        "groups": [
            {
                "code": group.code,
                "indicators": [{"code": c, "value": v} for c, v in group.values],
                "mean": group.mean,
                "known": group.known,
                "total": group.total,
            }
            for group in explanation.groups
        ],
        "what_if_unknown": [
            {
                "indicator": code,
                "value": changed,
                "move": None if changed is None or value is None else changed - value,
            }
            for code, changed in explanation.what_if_unknown
        ],
        "quadrant": explanation.quadrant,
        "typology": typology,
    }
