"""Importers for the formats publishers really use. Pure: they turn a file's bytes into validated
records for the indicators that read it, and never touch the database (services.release_import
stores the result in one transaction, or nothing if any error was found).

- UNODC data portal export (`Iso3_code, Country, Region, Subregion, Indicator, Dimension, Category,
  Sex, Age, Year, Unit of measurement, VALUE, Source`), XLSX or CSV, with preamble rows;
- UNODC drug seizures export (`Region, SubRegion, Country, DrugGroup, DrugSubGroup, DrugName,
  Reference year, Kilograms, msCode`);
- Our World in Data grapher CSV (`Entity, Code, Year, <value columns>`);
- tables with country names only (`Entity` or `Country`, `Year`, value columns), matched to ISO codes.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from . import countries as country_codes
from .readers import FileFormatError, Table, read_table

PORTAL_COLUMNS = [
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
DRUG_COLUMNS = [
    "Region",
    "SubRegion",
    "Country",
    "DrugGroup",
    "DrugSubGroup",
    "DrugName",
    "Reference year",
    "Kilograms",
    "msCode",
]
OWID_COLUMNS = ["Entity", "Code", "Year"]
#: Columns of OWID files that describe the entity rather than measure it.
OWID_DESCRIPTIVE = {"entity", "code", "year", "world region according to owid", "owid region", "continent"}
TOTALS = {"total", "na", "n/a", ""}
MAX_ERRORS = 50
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")

Progress = Callable[[float], None]
Key = tuple[str, str, int, str, str, str, str]  # indicator, country, year, dimension, category, sex, age


@dataclass(frozen=True)
class Target:
    """What an importer needs to know of one indicator: its code and the rows it reads."""

    slug: str
    selector: Mapping[str, Any]


@dataclass(frozen=True)
class RowError:
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        return _("Row %(row)s, column %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class Record:
    indicator: str
    country: str
    year: int
    dimension: str
    category: str
    sex: str
    age: str
    value: float | None
    censor: str
    value_text: str
    source_note: str
    row: int

    @property
    def key(self) -> Key:
        return (self.indicator, self.country, self.year, self.dimension, self.category, self.sex, self.age)


@dataclass
class ParseResult:
    """What a file holds for the observatory, and everything it left out and why."""

    records: dict[Key, Record] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    unmatched_names: Counter[str] = field(default_factory=Counter)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    conflict_count: int = 0
    unused_targets: list[str] = field(default_factory=list)
    publisher_date: date | None = None
    rows_read: int = 0

    def error(self, row: int | None, column: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(RowError(row, column, message))

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def messages(self) -> list[str]:
        lines = [str(e) for e in self.errors]
        if self.error_count > len(self.errors):
            lines.append(_("…and %(n)s more errors.") % {"n": self.error_count - len(self.errors)})
        return lines

    def counts_by_indicator(self) -> Counter[str]:
        return Counter(key[0] for key in self.records)


# --- cells ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Value:
    number: float
    censor: str = ""  # "<" or ">"
    text: str = ""  # as published, when it was not a plain number


def parse_value(raw: Any) -> Value | None:
    """A published value: a number, or a bound such as "<5" kept as censored. None when empty.
    Raises ValueError with a readable message for anything else."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ValueError(_("“%(value)s” is not a number") % {"value": raw})
    if isinstance(raw, int | float):
        if isinstance(raw, float) and (math.isnan(raw) or math.isinf(raw)):
            raise ValueError(_("“%(value)s” is not a number") % {"value": raw})
        return Value(float(raw))
    text = str(raw).strip()
    if text == "":
        return None
    censor = ""
    body = text
    for prefix, mark in (("<=", "<"), ("≤", "<"), ("<", "<"), (">=", ">"), ("≥", ">"), (">", ">")):
        if body.startswith(prefix):
            censor, body = mark, body[len(prefix) :].strip()
            break
    if not _NUMBER.match(body):
        raise ValueError(
            _("“%(value)s” is not a number (write it as 12.5, or as a bound such as <5)")
            % {"value": text[:40]}
        )
    return Value(float(body), censor, text if censor else "")


def parse_year(raw: Any) -> int:
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = str(raw if raw is not None else "").strip()
    if not text.isdigit() or not 1900 <= int(text) <= 2100:
        raise ValueError(_("“%(value)s” is not a year") % {"value": text[:20]})
    return int(text)


def _cell(row: tuple[Any, ...], index: int) -> Any:
    return row[index] if index < len(row) else None


def _text(row: tuple[Any, ...], index: int) -> str:
    value = _cell(row, index)
    return "" if value is None else str(value).strip()


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("“", '"').replace("”", '"')).strip().casefold()


def _progress(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None and total and done % 2000 == 0:
        progress(done / total)


def _check_country(
    result: ParseResult, row: int, column: str, raw: Any, countries: Collection[str]
) -> str | None:
    """The code if it is one of the states covered; None (skipped or error recorded) otherwise."""
    kind, code = country_codes.classify_code(raw)
    if kind == country_codes.CodeKind.COUNTRY:
        if code in countries:
            return code
        result.skipped[_("outside the states of the Americas")] += 1
        return None
    if kind == country_codes.CodeKind.AGGREGATE:
        result.skipped[_("regions, groups and parts of countries")] += 1
        return None
    if kind == country_codes.CodeKind.EMPTY:
        result.error(row, column, _("the ISO country code is missing"))
        return None
    result.error(row, column, _("“%(code)s” is not an ISO 3166 country code") % {"code": code[:20]})
    return None


def _add(result: ParseResult, record: Record, *, conflicts_fail: bool, column: str) -> None:
    """Store a record; a repeated cell with the same value is ignored, one with another value is an
    error (or, for breakdowns whose publisher repeats categories, flagged for review)."""
    existing = result.records.get(record.key)
    if existing is None:
        result.records[record.key] = record
        return
    if existing.value == record.value and existing.censor == record.censor:
        result.skipped[_("identical repeated rows")] += 1
        return
    detail = {
        "indicator": record.indicator,
        "country": record.country,
        "year": record.year,
        "breakdown": " · ".join(p for p in (record.dimension, record.category, record.sex, record.age) if p),
        "kept_row": existing.row,
        "kept_value": existing.value_text or existing.value,
        "other_row": record.row,
        "other_value": record.value_text or record.value,
    }
    if conflicts_fail:
        result.error(
            record.row,
            column,
            _(
                "%(country)s, %(year)s is also in row %(first)s with another value (%(a)s, here %(b)s); "
                "keep one of the two rows"
            )
            % {
                "country": record.country,
                "year": record.year,
                "first": existing.row,
                "a": detail["kept_value"],
                "b": detail["other_value"],
            },
        )
        return
    result.conflict_count += 1
    if len(result.conflicts) < 500:
        result.conflicts.append(detail)


def _open(result: ParseResult, content: bytes, required: Sequence[str], what: str) -> Table | None:
    try:
        return read_table(content, required=required, what=what)
    except FileFormatError as error:
        result.error(None, "", str(error))
        return None


# --- UNODC data portal ------------------------------------------------------------------------------


def _portal_matches(
    selector: Mapping[str, Any], indicator: str, unit: str, dimension: str, category: str
) -> bool:
    if _fold(indicator) != _fold(selector.get("indicator", "")):
        return False
    if selector.get("unit") and _fold(unit) != _fold(selector["unit"]):
        return False
    if selector.get("dimension") and _fold(dimension) != _fold(selector["dimension"]):
        return False
    prefix = selector.get("category_prefix")
    return not prefix or _fold(category).startswith(_fold(prefix))


def parse_unodc_portal(
    content: bytes, targets: Sequence[Target], countries: Collection[str], progress: Progress | None = None
) -> ParseResult:
    result = ParseResult()
    table = _open(result, content, PORTAL_COLUMNS, _("UNODC data portal export"))
    if table is None:
        return result
    result.publisher_date = table.publisher_date
    i = {name: table.index(name) for name in PORTAL_COLUMNS}
    total = len(table.rows)
    used: set[str] = set()
    for done, (number, row) in enumerate(table.rows, start=1):
        _progress(progress, done, total)
        result.rows_read += 1
        indicator, unit = _text(row, i["Indicator"]), _text(row, i["Unit of measurement"])
        dimension, category = _text(row, i["Dimension"]), _text(row, i["Category"])
        matching = [t for t in targets if _portal_matches(t.selector, indicator, unit, dimension, category)]
        if not matching:
            result.skipped[_("not read by any indicator")] += 1
            continue
        country = _check_country(result, number, "Iso3_code", _cell(row, i["Iso3_code"]), countries)
        if country is None:
            continue
        try:
            year = parse_year(_cell(row, i["Year"]))
        except ValueError as error:
            result.error(number, "Year", str(error))
            continue
        try:
            value = parse_value(_cell(row, i["VALUE"]))
        except ValueError as error:
            result.error(number, "VALUE", str(error))
            continue
        if value is None:
            result.skipped[_("no value")] += 1
            continue
        sex, age = _text(row, i["Sex"]), _text(row, i["Age"])
        sex = "" if _fold(sex) in TOTALS else sex
        age = "" if _fold(age) in TOTALS else age
        for target in matching:
            used.add(target.slug)
            headline_dimension = target.selector.get("headline_dimension", "Total")
            headline_category = target.selector.get("headline_category", "Total")
            headline = _fold(dimension) == _fold(headline_dimension) and _fold(category) == _fold(
                headline_category
            )
            parts = ("", "", sex, age) if headline else (dimension, category, sex, age)
            record = Record(
                target.slug,
                country,
                year,
                *parts,
                value.number,
                value.censor,
                value.text,
                _text(row, i["Source"])[:60],
                number,
            )
            _add(result, record, conflicts_fail=headline and not sex and not age, column="VALUE")
    result.unused_targets = [t.slug for t in targets if t.slug not in used]
    return result


# --- UNODC drug seizures ----------------------------------------------------------------------------


def _is_reported_total(subgroup: str, drug: str) -> bool:
    sub, name = _fold(subgroup), _fold(drug)
    return sub.startswith("reported total") or name.startswith("total ") or "total of the above" in name


def parse_unodc_drug_seizures(
    content: bytes, targets: Sequence[Target], countries: Collection[str], progress: Progress | None = None
) -> ParseResult:
    """Seizure quantities add up: repeated rows for one drug, state and year are summed (see the
    method notes of the drug indicators)."""
    result = ParseResult()
    table = _open(result, content, DRUG_COLUMNS, _("UNODC drug seizures export"))
    if table is None:
        return result
    result.publisher_date = table.publisher_date
    i = {name: table.index(name) for name in DRUG_COLUMNS}
    by_group = {_fold(t.selector.get("drug_group", "")): t for t in targets}
    drugs: dict[tuple[str, str, int, str], list[Any]] = {}  # (slug, country, year, drug) → [kg, first row]
    specific: dict[tuple[str, str, int], float] = {}
    specific_rows: dict[tuple[str, str, int], int] = {}
    reported_total: dict[tuple[str, str, int], float] = {}
    total = len(table.rows)
    used: set[str] = set()
    for done, (number, row) in enumerate(table.rows, start=1):
        _progress(progress, done, total)
        result.rows_read += 1
        target = by_group.get(_fold(_text(row, i["DrugGroup"])))
        if target is None:
            result.skipped[_("not read by any indicator")] += 1
            continue
        country = _check_country(result, number, "msCode", _cell(row, i["msCode"]), countries)
        if country is None:
            continue
        try:
            year = parse_year(_cell(row, i["Reference year"]))
        except ValueError as error:
            result.error(number, "Reference year", str(error))
            continue
        try:
            value = parse_value(_cell(row, i["Kilograms"]))
        except ValueError as error:
            result.error(number, "Kilograms", str(error))
            continue
        if value is None:
            result.skipped[_("no quantity reported")] += 1
            continue
        if value.number < 0 or value.censor:
            result.error(
                number, "Kilograms", _("a seized quantity must be a number of kilograms, zero or more")
            )
            continue
        used.add(target.slug)
        subgroup, drug = _text(row, i["DrugSubGroup"]), _text(row, i["DrugName"])
        cell = drugs.setdefault((target.slug, country, year, drug[:250]), [0.0, number])
        cell[0] += value.number
        group_key = (target.slug, country, year)
        if _is_reported_total(subgroup, drug):
            reported_total[group_key] = reported_total.get(group_key, 0.0) + value.number
        elif subgroup not in target.selector.get("headline_exclude_subgroups", []):
            specific[group_key] = specific.get(group_key, 0.0) + value.number
            specific_rows.setdefault(group_key, number)
    for (slug, country, year, drug), (kilograms, row_number) in drugs.items():
        result.records[(slug, country, year, "Drug", drug, "", "")] = Record(
            slug, country, year, "Drug", drug, "", "", round(kilograms, 6), "", "", "", row_number
        )
    for group_key in set(specific) | set(reported_total):
        slug, country, year = group_key
        headline = max(specific.get(group_key, 0.0), reported_total.get(group_key, 0.0))
        row_number = specific_rows.get(group_key, 0)
        result.records[(slug, country, year, "", "", "", "")] = Record(
            slug, country, year, "", "", "", "", round(headline, 6), "", "", "", row_number
        )
    result.unused_targets = [t.slug for t in targets if t.slug not in used]
    return result


# --- Our World in Data and tables with names only ---------------------------------------------------


def _value_columns(table: Table, targets: Sequence[Target]) -> tuple[dict[str, int], list[str]]:
    """Which column each target reads; targets whose column is absent are returned apart."""
    folded = {_fold(name): index for index, name in enumerate(table.header)}
    columns: dict[str, int] = {}
    unused: list[str] = []
    for target in targets:
        wanted = target.selector.get("column", "")
        if _fold(wanted) in folded:
            columns[target.slug] = folded[_fold(wanted)]
        else:
            unused.append(target.slug)
    return columns, unused


def _no_column_error(result: ParseResult, table: Table, targets: Sequence[Target]) -> None:
    available = [name for name in table.header if _fold(name) not in OWID_DESCRIPTIVE] or [_("none")]
    wanted = [t.selector.get("column", "") for t in targets]
    result.error(
        None,
        "",
        _(
            "No indicator reads this file: it has the value columns %(available)s, the indicators read "
            "%(wanted)s."
        )
        % {"available": ", ".join(available), "wanted": ", ".join(wanted) or _("none")},
    )


def _wide_rows(
    result: ParseResult,
    table: Table,
    columns: Mapping[str, int],
    locate: Callable[[int, tuple[Any, ...]], str | None],
    year_index: int,
    progress: Progress | None,
) -> None:
    total = len(table.rows)
    for done, (number, row) in enumerate(table.rows, start=1):
        _progress(progress, done, total)
        result.rows_read += 1
        country = locate(number, row)
        if country is None:
            continue
        try:
            year = parse_year(_cell(row, year_index))
        except ValueError as error:
            result.error(number, table.header[year_index], str(error))
            continue
        for slug, index in columns.items():
            try:
                value = parse_value(_cell(row, index))
            except ValueError as error:
                result.error(number, table.header[index], str(error))
                continue
            if value is None:
                result.skipped[_("no value")] += 1
                continue
            record = Record(
                slug, country, year, "", "", "", "", value.number, value.censor, value.text, "", number
            )
            _add(result, record, conflicts_fail=True, column=table.header[index])


def parse_owid(
    content: bytes, targets: Sequence[Target], countries: Collection[str], progress: Progress | None = None
) -> ParseResult:
    result = ParseResult()
    table = _open(result, content, OWID_COLUMNS, _("Our World in Data grapher CSV"))
    if table is None:
        return result
    columns, result.unused_targets = _value_columns(table, targets)
    if not columns:
        _no_column_error(result, table, targets)
        return result
    code_index = table.index("Code")

    def locate(number: int, row: tuple[Any, ...]) -> str | None:
        kind, _code = country_codes.classify_code(_cell(row, code_index))
        if kind == country_codes.CodeKind.EMPTY:
            result.skipped[_("regions, groups and parts of countries")] += 1
            return None
        return _check_country(result, number, "Code", _cell(row, code_index), countries)

    _wide_rows(result, table, columns, locate, table.index("Year"), progress)
    return result


def parse_names_table(
    content: bytes,
    targets: Sequence[Target],
    countries: Collection[str],
    aliases: Mapping[str, str] | None = None,
    progress: Progress | None = None,
) -> ParseResult:
    """A table that names countries without codes: names are matched to ISO codes (aliases first);
    names that match nothing are counted in `unmatched_names` for the secretariat to review."""
    result = ParseResult()
    table: Table | None = None
    for name_column in ("Entity", "Country"):
        try:
            table = read_table(
                content, required=[name_column, "Year"], what=_("table of countries and years")
            )
            break
        except FileFormatError as error:
            last_error = str(error)
    if table is None:
        result.error(None, "", last_error)
        return result
    name_index = table.index(name_column)
    columns, result.unused_targets = _value_columns(table, targets)
    if not columns:
        _no_column_error(result, table, targets)
        return result
    normalised_aliases = country_codes.normalise_aliases(aliases or {})
    matches: dict[str, str | None] = {}

    def locate(number: int, row: tuple[Any, ...]) -> str | None:
        name = _text(row, name_index)
        if not name:
            result.error(number, name_column, _("the country name is missing"))
            return None
        if name not in matches:
            matches[name] = country_codes.match_name(name, normalised_aliases)
        code = matches[name]
        if code is None:
            result.unmatched_names[name] += 1
            result.skipped[_("names that match no country (listed for review)")] += 1
            return None
        if code not in countries:
            result.skipped[_("outside the states of the Americas")] += 1
            return None
        return code

    _wide_rows(result, table, columns, locate, table.index("Year"), progress)
    return result
