"""The statistics importer (kind "statistics"): seizures, arrests and incidents from CSV or XLSX.

The file is streamed: rows are validated in chunks and inserted in batches (PostgreSQL COPY, SQLite
executemany) inside the caller's transaction, so memory does not grow with the number of rows. Every
row-level error is collected (up to `MAX_ERRORS`) and the import then aborts: nothing is stored.
Rows carry a stable `source_id` (a column of the file, or derived from the row's key fields), so
importing the same file again changes nothing.

Options: `mapping` {header: field code or "" to ignore}, `fixed` {field code: value for every row},
`dataset` (the dataset's title; default: the file name), `file_name`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from operator import itemgetter
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ceiba.core.models import Organisation, State, localised_territory_name
from ceiba.sharing.services import dissemination_errors, shared_record_apply_recipients

from .. import statistics_totals
from ..choices import EDITABLE_STATUSES
from ..models import CrimeArea, StatisticKind, StatisticRow, StatisticsDataset, StatisticUnit
from ..taxonomy import CRIME_AREA_NAMES
from .base import ImportAborted, Importer, ImportRequest, ImportSummary, Progress, RowError, register_importer
from .statistics_fast import fast_path_applies, import_fast
from .tabular import HEADER_SEARCH_ROWS, TableReader, is_blank, normalise_header

CHUNK_ROWS = 5000
MAX_ERRORS = 1000
MAX_QUANTITY = Decimal("9999999999999999")
EARLIEST = date(1900, 1, 1)


@dataclass(frozen=True)
class Field:
    code: str
    label: Promise
    synonyms: tuple[str, ...] = ()


#: The fields a column can be mapped to, in template order, with header names the mapping step
#: recognises in the four languages.
FIELDS: tuple[Field, ...] = (
    Field(
        "source_id",
        gettext_lazy("Source identifier"),
        ("id", "identifier", "identificador", "identifiant", "source id", "record id"),
    ),
    Field("kind", gettext_lazy("Kind"), ("type", "tipo", "kind of record", "indicator")),
    Field("date", gettext_lazy("Date"), ("fecha", "data", "day", "dia", "día", "jour")),
    Field(
        "period_start",
        gettext_lazy("Period from"),
        ("from", "start", "desde", "inicio", "início", "debut", "début", "du"),
    ),
    Field(
        "period_end",
        gettext_lazy("Period until"),
        ("until", "end", "to", "hasta", "fin", "fim", "ate", "até", "au"),
    ),
    Field("year", gettext_lazy("Year"), ("reference year", "ano", "año", "annee", "année", "anio")),
    Field(
        "state",
        gettext_lazy("State"),
        (
            "country",
            "country code",
            "iso3",
            "iso3 code",
            "iso code",
            "mscode",
            "pais",
            "país",
            "estado",
            "pays",
            "etat",
            "état",
        ),
    ),
    Field(
        "subnational_area",
        gettext_lazy("Subnational area"),
        (
            "province",
            "provincia",
            "department",
            "departamento",
            "departement",
            "département",
            "municipality",
            "municipio",
            "município",
            "area subnacional",
            "área subnacional",
            "zone infranationale",
        ),
    ),
    Field(
        "crime_area",
        gettext_lazy("Crime area"),
        (
            "crime area code",
            "area delictiva",
            "área delictiva",
            "area criminal",
            "área criminal",
            "domaine criminel",
        ),
    ),
    Field(
        "commodity",
        gettext_lazy("Commodity"),
        (
            "drug",
            "droga",
            "drogue",
            "drug name",
            "drugname",
            "product",
            "producto",
            "mercancia",
            "mercancía",
            "mercadoria",
            "produto",
            "marchandise",
            "substance",
            "sustancia",
            "substancia",
            "substância",
        ),
    ),
    Field(
        "quantity",
        gettext_lazy("Quantity"),
        (
            "value",
            "amount",
            "kilograms",
            "cantidad",
            "quantidade",
            "quantite",
            "quantité",
            "valor",
            "valeur",
            "total",
        ),
    ),
    Field(
        "unit",
        gettext_lazy("Unit"),
        ("unit of measurement", "units", "unidad", "unidade", "unite", "unité", "measure"),
    ),
    Field("source", gettext_lazy("Source"), ("fuente", "fonte", "origin of data")),
)
FIELD_CODES = tuple(f.code for f in FIELDS)
_FIELD_LABELS = {f.code: f.label for f in FIELDS}
_TEMPLATE_HEADER = re.compile(r"\[([a-z_]+)\]\s*$")
_KIND_SYNONYMS = {
    "seizures": "seizure",
    "decomiso": "seizure",
    "incautacion": "seizure",
    "incautación": "seizure",
    "apreension": "seizure",
    "apreensao": "seizure",
    "apreensão": "seizure",
    "saisie": "seizure",
    "arrests": "arrest",
    "detencion": "arrest",
    "detención": "arrest",
    "arresto": "arrest",
    "prisao": "arrest",
    "prisão": "arrest",
    "arrestation": "arrest",
    "interpellation": "arrest",
    "incidents": "incident",
    "incidente": "incident",
    "ocorrencia": "incident",
    "ocorrência": "incident",
}
_UNIT_SYNONYMS = {
    "kilograms": "kg",
    "kilogram": "kg",
    "kilos": "kg",
    "kilogramos": "kg",
    "quilogramas": "kg",
    "grams": "g",
    "gramos": "g",
    "gramas": "g",
    "grammes": "g",
    "tonnes": "t",
    "tons": "t",
    "toneladas": "t",
    "litres": "l",
    "liters": "l",
    "litros": "l",
    "counts": "units",
    "count": "units",
    "unidades": "units",
    "unites": "units",
    "number": "units",
    "personas": "persons",
    "pessoas": "persons",
    "people": "persons",
    "personnes": "persons",
    "casos": "cases",
    "cas": "cases",
}


def _header_names() -> dict[str, str]:
    """Normalised header name → field code, from codes, synonyms and labels in every language."""
    names: dict[str, str] = {}
    for f in FIELDS:
        names[normalise_header(f.code)] = f.code
        for synonym in f.synonyms:
            names.setdefault(normalise_header(synonym), f.code)
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for f in FIELDS:
                names.setdefault(normalise_header(str(f.label)), f.code)
    return names


def suggest_field(header: Any, names: dict[str, str] | None = None) -> str:
    """The field a header most likely means ("" if none): template headers name their code in
    brackets; otherwise codes, labels in the four languages and common synonyms are recognised."""
    text = str(header if header is not None else "").strip()
    match = _TEMPLATE_HEADER.search(text)
    if match and match.group(1) in FIELD_CODES:
        return match.group(1)
    return (names or _header_names()).get(normalise_header(text), "")


def template_header() -> list[str]:
    """The template's header in the active language, each with its stable field code."""
    return [f"{f.label} [{f.code}]" for f in FIELDS]


def template_example() -> list[str]:
    return [
        "ARG-2025-0001",
        "seizure",
        "2025-03-14",
        "",
        "",
        "",
        "ARG",
        "Salta",
        "cocaine_trafficking",
        "cocaine hydrochloride",
        "125.5",
        "kg",
        "Synthetic example",
    ]


class Lookups:
    """States and crime areas by every name a file may use for them (codes, names in the four
    languages), built once per import."""

    def __init__(self) -> None:
        self.states: dict[str, int] = {}
        for pk, iso3, iso2, numeric, english in State.objects.values_list(
            "pk", "iso3", "iso2", "numeric", "english_name"
        ):
            for name in (iso3, iso2, numeric, english):
                self.states[normalise_header(name)] = pk
            for language, _name in settings.LANGUAGES:
                self.states.setdefault(normalise_header(localised_territory_name(iso2, language)), pk)
        self.crime_areas: dict[str, int] = {}
        codes = dict(CrimeArea.objects.values_list("code", "pk"))
        for code, pk in codes.items():
            self.crime_areas[normalise_header(code)] = pk
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                for area_code, area_name in CRIME_AREA_NAMES.items():
                    if area_code in codes:
                        self.crime_areas.setdefault(normalise_header(str(area_name)), codes[area_code])
        self.kinds = {normalise_header(value): value for value in StatisticKind.values}
        self.kinds.update({normalise_header(k): v for k, v in _KIND_SYNONYMS.items()})
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                for value, label in StatisticKind.choices:
                    self.kinds.setdefault(normalise_header(str(label)), value)
        self.units = {normalise_header(value): value for value in StatisticUnit.values}
        self.units.update({normalise_header(k): v for k, v in _UNIT_SYNONYMS.items()})
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                for value, label in StatisticUnit.choices:
                    self.units.setdefault(normalise_header(str(label)), value)


# --- cell parsing ----------------------------------------------------------------------------------

_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$")
_DMY_DATE = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")
_YEAR = re.compile(r"^(\d{4})(?:\.0+)?$")


class CellError(ValueError):
    pass


def parse_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    match = _ISO_DATE.match(text)
    parts: tuple[int, int, int] | None = None
    if match:
        parts = (int(match.group(1)), int(match.group(2)), int(match.group(3)))
    else:
        match = _DMY_DATE.match(text)
        if match:
            parts = (int(match.group(3)), int(match.group(2)), int(match.group(1)))
    if parts is None:
        raise CellError(_("“%(value)s” is not a date (write YYYY-MM-DD or DD/MM/YYYY).") % {"value": text})
    try:
        return date(*parts)
    except ValueError:
        raise CellError(_("“%(value)s” is not a date that exists.") % {"value": text}) from None


def parse_year(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    match = _YEAR.match(str(value).strip())
    if not match:
        raise CellError(_("“%(value)s” is not a year.") % {"value": value})
    return int(match.group(1))


def parse_quantity(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise CellError(_("“%(value)s” is not a number.") % {"value": value})
    if isinstance(value, (int, Decimal)):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    else:
        text = str(value).strip().replace("\u00a0", "").replace(" ", "")
        if "," in text and "." not in text:
            text = text.replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise CellError(_("“%(value)s” is not a number.") % {"value": value}) from None
    if not number.is_finite():
        raise CellError(_("“%(value)s” is not a number.") % {"value": value})
    if number < 0:
        raise CellError(_("The quantity cannot be negative (%(value)s).") % {"value": value})
    if number > MAX_QUANTITY:
        raise CellError(_("The quantity %(value)s is too large.") % {"value": value})
    return number.quantize(Decimal("0.0001"))


# --- the importer ------------------------------------------------------------------------------------

#: Column order of a validated row (and of the table's insert).
ROW_COLUMNS = (
    "source_id",
    "kind",
    "period_start",
    "period_end",
    "state_id",
    "subnational_area",
    "crime_area_id",
    "commodity",
    "quantity",
    "unit",
    "source",
)


#: Field order of the fast path's cells.
_FAST_ORDER = (
    "source_id", "kind", "date", "period_start", "period_end", "year", "state", "subnational_area",
    "crime_area", "commodity", "quantity", "unit", "source",
)  # fmt: skip
#: Distinct raw values remembered per lookup (so memory stays bounded whatever the file holds).
MEMO_MAX = 20000
_UNSEEN = object()
#: Characters COPY's text format escapes.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_FOUR_PLACES = Decimal("0.0001")


def derived_source_id(*key: Any) -> str:
    """A stable identifier for a row whose file gives none: a hash of its key fields."""
    text = "|".join(str(v) for v in key)
    return "row:" + hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()


class RowValidator:
    """Turns a file row into a validated tuple (in `ROW_COLUMNS` order) or row errors."""

    def __init__(
        self, header: list[str], mapping: dict[str, str], fixed: dict[str, Any], lookups: Lookups
    ) -> None:
        self.header = header
        self.lookups = lookups
        self.today = timezone.localdate()
        self.columns: dict[str, int] = {}
        for index, name in enumerate(header):
            code = mapping.get(name, "")
            if code and code not in self.columns:
                self.columns[code] = index
        self.fixed = {k: v for k, v in fixed.items() if v not in (None, "")}
        self.column_names = {code: header[index] for code, index in self.columns.items()}
        self._prepare_fast_path()

    def missing_fields(self) -> list[str]:
        present = set(self.columns) | set(self.fixed)
        missing = [code for code in ("state", "quantity", "unit", "kind") if code not in present]
        if not present & {"date", "period_start", "year"}:
            missing.append("date")
        return missing

    def _column(self, code: str) -> str:
        return self.column_names.get(code, code)

    def _value(self, row: tuple[Any, ...], code: str) -> Any:
        index = self.columns.get(code)
        if index is not None:
            value = row[index] if index < len(row) else None
            if isinstance(value, str):
                value = value.strip()
            if value not in (None, ""):
                return value
            return None
        return self.fixed.get(code)

    def validate(self, number: int, row: tuple[Any, ...], errors: list[RowError]) -> tuple[Any, ...] | None:
        """The validated row, or None after adding its errors. Well-formed rows take a fast path
        (memoised lookups); anything unusual goes through `explain`, which names each problem."""
        values = self._fast(row)
        if values is not None:
            return values
        return self.explain(number, row, errors)

    def _prepare_fast_path(self) -> None:
        """One C-level getter pulls the cells of every field from a row padded with the fixed values."""
        self._width = len(self.header)
        slots = [(self.columns.get(code), self.fixed.get(code)) for code in _FAST_ORDER]
        self._tail = tuple(fixed for _index, fixed in slots)
        self._getter = itemgetter(
            *[index if index is not None else self._width + k for k, (index, _fixed) in enumerate(slots)]
        )
        self._fallbacks = [
            (k, fixed) for k, (index, fixed) in enumerate(slots) if index is not None and fixed is not None
        ]
        self._memos: dict[str, dict[Any, Any]] = {
            "kind": {},
            "state": {},
            "area": {},
            "unit": {},
            "dates": {},
        }

    def _memo(self, name: str, table: dict[str, Any], raw: Any) -> Any:
        memo = self._memos[name]
        try:
            return memo[raw]
        except KeyError:
            found = table.get(normalise_header(raw))
            if len(memo) < MEMO_MAX:
                memo[raw] = found
            return found

    def _dates(self, key: tuple[Any, Any, Any, Any]) -> tuple[date, date] | None:
        memo = self._memos["dates"]
        if key in memo:
            return memo[key]
        found: tuple[date, date] | None = None
        raw_date, raw_start, raw_end, raw_year = key
        try:
            if raw_date is not None:
                start = end = parse_date(raw_date)
                future = start > self.today
            elif raw_start is not None:
                start = parse_date(raw_start)
                end = parse_date(raw_end) if raw_end is not None else start
                future = start > self.today or end > self.today
            elif raw_year is not None:
                year = parse_year(raw_year)
                start, end = date(year, 1, 1), date(year, 12, 31)
                future = start > self.today
            else:
                return None
            if not future and EARLIEST <= start <= end:
                found = (start, end)
        except (CellError, ValueError, OverflowError):
            found = None
        if len(memo) < MEMO_MAX:
            memo[key] = found
        return found

    def _fast(self, row: tuple[Any, ...]) -> tuple[Any, ...] | None:
        if len(row) != self._width:
            return None
        # No stripping here: a cell with stray spaces fails a lookup or a parse and takes `explain`.
        cells = self._getter((*row, *self._tail))
        if self._fallbacks:
            cells = list(cells)
            for position, fixed in self._fallbacks:
                if cells[position] in ("", None):
                    cells[position] = fixed
        (source_id, kind, raw_date, raw_start, raw_end, raw_year, state, subnational, area, commodity,
         raw_quantity, unit, source) = cells  # fmt: skip
        memos = self._memos
        kind_code = memos["kind"].get(kind, _UNSEEN)
        if kind_code is _UNSEEN:
            kind_code = self._memo("kind", self.lookups.kinds, kind)
        state_id = memos["state"].get(state, _UNSEEN)
        if state_id is _UNSEEN:
            state_id = self._memo("state", self.lookups.states, state)
        unit_code = memos["unit"].get(unit, _UNSEEN)
        if unit_code is _UNSEEN:
            unit_code = self._memo("unit", self.lookups.units, unit)
        if kind_code is None or state_id is None or unit_code is None:
            return None
        area_id = None
        if area:
            area_id = memos["area"].get(area, _UNSEEN)
            if area_id is _UNSEEN:
                area_id = self._memo("area", self.lookups.crime_areas, area)
            if area_id is None:
                return None
        key = (raw_date or None, raw_start or None, raw_end or None, raw_year or None)
        dates = memos["dates"].get(key, _UNSEEN)
        if dates is _UNSEEN:
            dates = self._dates(key)
        if dates is None:
            return None
        try:
            quantity = (
                Decimal(raw_quantity) if raw_quantity.__class__ is str else parse_quantity(raw_quantity)
            )
            if not (0 <= quantity <= MAX_QUANTITY):
                return None
            quantity = quantity.quantize(_FOUR_PLACES)
        except (ArithmeticError, CellError, TypeError, ValueError):
            return None
        source_id = "" if source_id is None else str(source_id).strip()
        subnational = "" if subnational is None else str(subnational).strip()
        commodity = "" if commodity is None else str(commodity).strip()
        source = "" if source is None else str(source).strip()
        if len(source_id) > 200 or len(subnational) > 200 or len(commodity) > 200 or len(source) > 200:
            return None
        start, end = dates
        if not source_id:
            source_id = derived_source_id(
                kind_code, start, end, state_id, subnational, area_id, commodity, unit_code, source
            )
        return (
            source_id,
            kind_code,
            start,
            end,
            state_id,
            subnational,
            area_id,
            commodity,
            quantity,
            unit_code,
            source,
        )

    def explain(self, number: int, row: tuple[Any, ...], errors: list[RowError]) -> tuple[Any, ...] | None:
        before = len(errors)

        def fail(code: str, message: str) -> None:
            errors.append(RowError(row=number, column=self._column(code), message=message))

        def text(code: str, limit: int = 200) -> str:
            value = self._value(row, code)
            if value is None:
                return ""
            value = str(value)
            if len(value) > limit:
                fail(code, _("At most %(n)s characters.") % {"n": limit})
            return value

        kind = self._value(row, "kind")
        kind_code = self.lookups.kinds.get(normalise_header(kind)) if kind is not None else None
        if kind is None:
            fail("kind", _("The kind is missing (seizure, arrest or incident)."))
        elif kind_code is None:
            fail("kind", _("Unknown kind “%(value)s”: write seizure, arrest or incident.") % {"value": kind})

        start = end = None
        column = "date"
        try:
            raw_date, raw_start, raw_year = (self._value(row, c) for c in ("date", "period_start", "year"))
            if raw_date is not None:
                start = end = parse_date(raw_date)
            elif raw_start is not None:
                column = "period_start"
                start = parse_date(raw_start)
                raw_end = self._value(row, "period_end")
                column = "period_end"
                end = parse_date(raw_end) if raw_end is not None else start
                column = "period_start"
            elif raw_year is not None:
                column = "year"
                year = parse_year(raw_year)
                if not 1900 <= year <= 9999:
                    raise CellError(_("%(value)s is not a plausible year.") % {"value": year})
                start, end = date(year, 1, 1), date(year, 12, 31)
            else:
                fail("date", _("The date (or the period, or the year) is missing."))
        except CellError as error:
            fail(column, str(error))
            start = end = None
        if start is not None and end is not None:
            if end < start:
                fail("period_end", _("The period cannot end before it starts."))
            elif start > self.today or (column != "year" and end > self.today):
                fail(column, _("The date %(value)s is in the future.") % {"value": start.isoformat()})
            elif start < EARLIEST:
                fail(column, _("The date %(value)s is implausibly early.") % {"value": start.isoformat()})

        state = self._value(row, "state")
        state_id = self.lookups.states.get(normalise_header(state)) if state is not None else None
        if state is None:
            fail("state", _("The state is missing."))
        elif state_id is None:
            fail(
                "state",
                _("Unknown state “%(value)s”: use an ISO 3166 code or the state's name.") % {"value": state},
            )

        area = self._value(row, "crime_area")
        area_id = None
        if area is not None:
            area_id = self.lookups.crime_areas.get(normalise_header(area))
            if area_id is None:
                fail(
                    "crime_area",
                    _("Unknown crime area “%(value)s”: use a code of the taxonomy.") % {"value": area},
                )

        quantity = None
        raw_quantity = self._value(row, "quantity")
        if raw_quantity is None:
            fail("quantity", _("The quantity is missing."))
        else:
            try:
                quantity = parse_quantity(raw_quantity)
            except CellError as error:
                fail("quantity", str(error))

        unit = self._value(row, "unit")
        unit_code = self.lookups.units.get(normalise_header(unit)) if unit is not None else None
        if unit is None:
            fail("unit", _("The unit is missing."))
        elif unit_code is None:
            fail("unit", _("Unknown unit “%(value)s”.") % {"value": unit})

        subnational, commodity, source = text("subnational_area"), text("commodity"), text("source")
        source_id = text("source_id")
        if len(errors) > before:
            return None
        if not source_id:
            source_id = derived_source_id(
                kind_code, start, end, state_id, subnational, area_id, commodity, unit_code, source
            )
        return (
            source_id,
            kind_code,
            start,
            end,
            state_id,
            subnational,
            area_id,
            commodity,
            quantity,
            unit_code,
            source,
        )


def find_header(
    rows: Iterator[tuple[int, tuple[Any, ...]]], mapping: dict[str, str]
) -> tuple[int, list[str]]:
    """The header row: the first of the top rows holding every mapped header, or (without a mapping)
    at least two names the mapping step recognises."""
    names = _header_names()
    wanted = {normalise_header(h) for h in mapping}
    for number, row in rows:
        cells = [str(c).strip() if c is not None else "" for c in row]
        normalised = {normalise_header(c) for c in cells if c}
        if wanted and wanted <= normalised:
            return number, cells
        if not wanted and sum(1 for c in cells if suggest_field(c, names)) >= 2:
            return number, cells
        if number >= HEADER_SEARCH_ROWS:
            break
    raise ImportAborted(
        [
            RowError(
                row=None,
                column="",
                message=_("No header row found among the first %(n)s rows.") % {"n": HEADER_SEARCH_ROWS},
            )
        ]
    )


def resolve_mapping(
    header: list[str], explicit: dict[str, str], header_row: int | None = None
) -> tuple[dict[str, str], list[RowError]]:
    """The mapping of this file's headers: the explicit one (by normalised header), suggestions
    for the rest; headers neither mapped, ignored nor recognised are errors."""
    names = _header_names()
    by_norm = {normalise_header(k): v for k, v in explicit.items()}
    mapping: dict[str, str] = {}
    errors: list[RowError] = []
    for name in header:
        if not name:
            continue
        norm = normalise_header(name)
        if norm in by_norm:
            code = by_norm[norm]
            if code and code not in FIELD_CODES:
                errors.append(
                    RowError(header_row, name, _("“%(code)s” is not a field of statistics.") % {"code": code})
                )
            mapping[name] = code
            continue
        suggestion = suggest_field(name, names)
        if suggestion and not explicit:
            mapping[name] = suggestion
        else:
            errors.append(
                RowError(
                    header_row,
                    name,
                    _("The column “%(name)s” is not in the mapping: map it to a field or ignore it.")
                    % {"name": name},
                )
            )
    return mapping, errors


@register_importer
class StatisticsImporter(Importer):
    kind = "statistics"
    label = gettext_lazy("Statistics (CSV or XLSX)")
    extensions = (".csv", ".xlsx")
    #: The upload page asks for a column mapping before the run starts.
    column_mapping = True

    def run(self, request: ImportRequest, progress: Progress) -> ImportSummary:
        contribution = request.contribution
        if contribution.status not in EDITABLE_STATUSES:
            raise ImportAborted(
                [RowError(None, "", _("This contribution has been submitted: it takes no new data."))]
            )
        reader = TableReader(request.path)
        rows = reader.rows()
        explicit = {str(k): str(v or "") for k, v in (request.options.get("mapping") or {}).items()}
        header_row, header = find_header(rows, explicit)
        mapping, errors = resolve_mapping(header, explicit, header_row)
        validator = RowValidator(header, mapping, dict(request.options.get("fixed") or {}), Lookups())
        missing = validator.missing_fields()
        if missing:
            errors.append(
                RowError(
                    header_row,
                    "",
                    _("No column gives %(fields)s.")
                    % {"fields": ", ".join(str(_FIELD_LABELS[m]) for m in missing)},
                )
            )
        if errors:
            raise ImportAborted(errors)

        dataset = self._dataset(request)
        if fast_path_applies(reader):
            fast = import_fast(
                path=request.path,
                header_row=header_row,
                validator=validator,
                dataset=dataset,
                progress=progress,
            )
            if fast is not None:
                statistics_totals.refresh([dataset.pk])
                return fast
        writer = RowWriter(dataset, fresh=not dataset.rows.exists())
        summary = ImportSummary()
        chunk: list[tuple[int, tuple[Any, ...]]] = []
        seen_in_chunk: dict[str, int] = {}
        truncated = False
        for number, row in rows:
            if not any(row) and is_blank(row):
                continue
            summary.rows += 1
            values = validator.validate(number, row, errors)
            if values is not None:
                first = seen_in_chunk.get(values[0])
                if first is not None:
                    errors.append(
                        RowError(
                            number,
                            validator._column("source_id"),
                            _("The source identifier “%(id)s” is already on row %(row)s.")
                            % {"id": values[0], "row": first},
                        )
                    )
                else:
                    seen_in_chunk[values[0]] = number
                    if not errors:
                        chunk.append((number, values))
            if len(errors) >= MAX_ERRORS:
                truncated = True
                break
            if len(chunk) >= CHUNK_ROWS or len(seen_in_chunk) >= CHUNK_ROWS:
                if not errors:
                    writer.write(chunk, errors)
                chunk, seen_in_chunk = [], {}
                progress(reader.fraction() * 0.98)
        if chunk and not errors:
            writer.write(chunk, errors)
        if writer.duplicates and not truncated:
            errors.extend(self._duplicates(request, header_row, validator))
        if errors:
            if truncated:
                errors.append(RowError(None, "", _("Stopped after %(n)s errors.") % {"n": MAX_ERRORS}))
            raise ImportAborted(errors)
        summary.created, summary.updated, summary.unchanged = writer.created, writer.updated, writer.unchanged
        summary.details = {"dataset": dataset.pk}
        if summary.created or summary.updated or not dataset.totals.exists():
            statistics_totals.refresh([dataset.pk])
        progress(1.0)
        return summary

    def _dataset(self, request: ImportRequest) -> StatisticsDataset:
        title = str(request.options.get("dataset") or request.options.get("file_name") or request.path.name)[
            :200
        ]
        existing = StatisticsDataset.objects.filter(contribution=request.contribution, title=title).first()
        if existing is not None:
            return existing
        defaults = {
            k: v
            for k, v in request.defaults.items()
            if k
            in {
                "tlp",
                "handling_code",
                "handling_conditions",
                "scope",
                "grading_scheme",
                "source_reliability",
                "information_credibility",
            }
        }
        dataset = StatisticsDataset(
            contribution=request.contribution,
            originator=request.originator,
            created_by=request.user,
            title=title,
            source_description=str(request.options.get("source_description") or ""),
            **defaults,
        )
        states = list(State.objects.filter(iso3__in=request.defaults.get("shared_with_states") or []))
        organisations = list(
            Organisation.objects.filter(pk__in=request.defaults.get("shared_with_organisations") or [])
        )
        errors = dissemination_errors(scope=dataset.scope, states=states, organisations=organisations)
        try:
            dataset.full_clean()
        except ValidationError as error:
            errors = {**error.message_dict, **errors}
        if errors:
            raise ImportAborted(
                [
                    RowError(None, field, str(message))
                    for field, messages in errors.items()
                    for message in (messages if isinstance(messages, list) else [messages])
                ]
            )
        dataset.save()
        shared_record_apply_recipients(record=dataset, states=states, organisations=organisations)
        return dataset

    def _duplicates(self, request: ImportRequest, header_row: int, validator: RowValidator) -> list[RowError]:
        """Second pass, on the error path only: which rows repeat a source identifier."""
        first: dict[str, int] = {}
        found: list[RowError] = []
        scratch: list[RowError] = []
        for number, row in TableReader(request.path).rows():
            if number <= header_row or is_blank(row):
                continue
            values = validator.validate(number, row, scratch)
            if values is None:
                continue
            if values[0] in first:
                found.append(
                    RowError(
                        number,
                        validator._column("source_id"),
                        _("The source identifier “%(id)s” is already on row %(row)s.")
                        % {"id": values[0], "row": first[values[0]]},
                    )
                )
                if len(found) >= MAX_ERRORS:
                    break
            else:
                first[values[0]] = number
        return found


class RowWriter:
    """Stores validated rows of one dataset in batches: new rows inserted (COPY on PostgreSQL,
    executemany elsewhere), changed rows updated, identical rows left alone."""

    def __init__(self, dataset: StatisticsDataset, *, fresh: bool) -> None:
        self.dataset = dataset
        self.fresh = fresh
        self.created = self.updated = self.unchanged = 0
        self.duplicates = False
        self.table = StatisticRow._meta.db_table
        self.columns = ("dataset_id", *ROW_COLUMNS)
        self._tuned = False

    def write(self, chunk: list[tuple[int, tuple[Any, ...]]], errors: list[RowError]) -> None:
        if self.duplicates:
            return
        values = [v for _n, v in chunk]
        if not self.fresh:
            values = self._split_existing(values)
        if not values:
            return
        try:
            with transaction.atomic():
                self._insert(values)
        except (IntegrityError, connection.Database.IntegrityError):  # type: ignore[attr-defined]
            # (the driver's own error too: rows go through its cursor)
            self.duplicates = True
            return
        self.created += len(values)

    def _insert(self, values: list[tuple[Any, ...]]) -> None:
        dataset_id = self.dataset.pk
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # COPY's text format, written in blocks (psycopg's write_row costs more per row).
                sql = f"COPY {self.table} ({', '.join(self.columns)}) FROM STDIN"
                prefix = f"{dataset_id}\t"
                lines = [
                    prefix
                    + "\t".join(
                        (
                            r[0].translate(_COPY_ESCAPES),
                            r[1],
                            r[2].isoformat(),
                            r[3].isoformat(),
                            str(r[4]),
                            r[5].translate(_COPY_ESCAPES),
                            "\\N" if r[6] is None else str(r[6]),
                            r[7].translate(_COPY_ESCAPES),
                            str(r[8]),
                            r[9],
                            r[10].translate(_COPY_ESCAPES),
                        )
                    )
                    for r in values
                ]
                with cursor.cursor.copy(sql) as copy:
                    copy.write("\n".join(lines) + "\n")
            else:
                if not self._tuned:
                    # A larger page cache for this connection: index upkeep of a big insert stays in
                    # memory (bounded: 64 MiB) instead of re-reading pages.
                    cursor.execute("PRAGMA cache_size = -65536")
                    self._tuned = True
                placeholders = ", ".join(["?"] * len(self.columns))
                # The driver's own cursor: values are already validated and plain (ISO dates, text).
                cursor.cursor.executemany(
                    f"INSERT INTO {self.table} ({', '.join(self.columns)}) VALUES ({placeholders})",  # noqa: S608
                    [
                        (
                            dataset_id,
                            r[0],
                            r[1],
                            r[2].isoformat(),
                            r[3].isoformat(),
                            r[4],
                            r[5],
                            r[6],
                            r[7],
                            str(r[8]),
                            r[9],
                            r[10],
                        )
                        for r in values
                    ],
                )

    def _split_existing(self, values: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        """Update changed rows, count unchanged ones, return the new ones."""
        by_id = {v[0]: v for v in values}
        existing = StatisticRow.objects.filter(dataset=self.dataset, source_id__in=list(by_id)).values_list(
            "pk", *ROW_COLUMNS
        )
        changed: list[tuple[int, tuple[Any, ...]]] = []
        for pk, *stored in existing:
            incoming = by_id.pop(stored[0])
            if tuple(stored) == incoming:
                self.unchanged += 1
            else:
                changed.append((pk, incoming))
        if changed:
            assignments = ", ".join(f"{c} = %s" for c in ROW_COLUMNS[1:])
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"UPDATE {self.table} SET {assignments} WHERE id = %s",  # noqa: S608
                    [(*incoming[1:], pk) for pk, incoming in changed],
                )
            self.updated += len(changed)
        return list(by_id.values())
