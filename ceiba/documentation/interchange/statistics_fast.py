"""The statistics importer's set-based path (PostgreSQL, plain CSV files): the file's bytes after the
header are `COPY`ed into a temporary staging table, checked and stored with a few SQL statements.

It only ever accepts a file the row-by-row path would accept with the same result: the distinct
raw values of the lookup columns (kind, state, crime area, unit) and of the date columns go through
the row-by-row path's own functions (in Python, once per distinct value), so matching is the same;
anything else is checked in SQL. Whenever a file is not plain (not UTF-8, quotes, blank rows,
uneven rows, a row spanning lines) or any row is not well formed (an unknown value, a bad date or
quantity, a duplicate source identifier, a missing source identifier, surrounding spaces), the
savepoint is rolled back and the caller runs the row-by-row path, which names every problem with the
same messages as before. So errors cost a second pass; well-formed files are stored at set speed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import DatabaseError, connection, transaction

from ..models import StatisticRow, StatisticsDataset
from .base import ImportSummary
from .tabular import TableReader

#: Distinct raw values (or date keys) of a column resolved in Python at most (beyond: row by row).
MAX_DATE_KEYS = 200_000
#: Characters Python's str.strip() removes beyond ASCII whitespace (a cell with one of them at
#: either end is left to the row-by-row path).
_SPACE = r"[\s\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\u001c-\u001f]"
#: A space at either end of one of the text fields (joined with U+0001).
_EDGE_SPACE = rf"(^|\u0001){_SPACE}|{_SPACE}(\u0001|$)"
_QUANTITY = r"^[0-9]{1,16}(\.[0-9]{1,4})?$"
_TEXT_FIELDS = ("source_id", "subnational_area", "commodity", "source")
_LOOKUP_FIELDS = ("kind", "state", "crime_area", "unit")
_DATE_FIELDS = ("date", "period_start", "period_end", "year")


class NotPlain(Exception):
    """This file (or one of its rows) is for the row-by-row path."""


def fast_path_applies(reader: TableReader) -> bool:
    return connection.vendor == "postgresql" and reader.kind == "csv" and reader.encoding == "utf-8-sig"


def import_fast(
    *,
    path: Path,
    header_row: int,
    validator: Any,
    dataset: StatisticsDataset,
    progress: Callable[[float], None],
) -> ImportSummary | None:
    """The summary, or None (nothing changed) when the file is for the row-by-row path."""
    try:
        with transaction.atomic():
            return _run(path, header_row, validator, dataset, progress)
    except (NotPlain, DatabaseError, connection.Database.Error):  # type: ignore[attr-defined]
        # (the driver's own errors too: COPY goes through its cursor)
        return None


def _dialect(path: Path, header_row: int) -> tuple[str, bytes, int]:
    """The delimiter, the bytes a plain file's data never holds, and where its data starts."""
    with path.open("rb") as raw:
        sample = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="").read(16384)
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    if dialect.delimiter not in ",;\t" or dialect.skipinitialspace:
        raise NotPlain
    specials = b'"\x00' + (dialect.quotechar or "").encode() + (dialect.escapechar or "").encode()
    with path.open("rb") as raw:
        for _k in range(header_row):
            line = raw.readline()
            if not line or line.count(b"\r") != line.count(b"\r\n"):
                raise NotPlain  # (the csv module also ends a line at a lone carriage return)
        offset = raw.tell()
    return dialect.delimiter, specials, offset


def _copy_data(copy: Any, path: Path, offset: int, specials: bytes) -> int:
    """Streams the data (after the header) into COPY; the number of lines it holds. A quote, a NUL
    or a carriage return outside a CRLF makes the file not plain."""
    lines = 0
    carriage = newline_pairs = 0
    last = b"\n"
    with path.open("rb") as raw:
        raw.seek(offset)
        while block := raw.read(1 << 20):
            if any(block.find(bytes([char])) >= 0 for char in specials):
                raise NotPlain
            lines += block.count(b"\n")
            carriage += block.count(b"\r")
            newline_pairs += block.count(b"\r\n") + (1 if last == b"\r" and block[:1] == b"\n" else 0)
            last = block[-1:]
            copy.write(block)
    if carriage != newline_pairs:
        raise NotPlain
    return lines + (0 if last == b"\n" else 1)


def _run(
    path: Path, header_row: int, validator: Any, dataset: StatisticsDataset, progress: Callable[[float], None]
) -> ImportSummary:
    delimiter, specials, data_offset = _dialect(path, header_row)
    width = len(validator.header)
    cols = [f"c{i}" for i in range(width)]
    with connection.cursor() as cursor:
        cur = cursor.cursor  # the driver's cursor (COPY)
        cur.execute("DROP TABLE IF EXISTS ceiba_stat_stage")
        cur.execute(
            "CREATE TEMP TABLE ceiba_stat_stage (n bigserial, "
            + ", ".join(f"{c} text" for c in cols)
            + ") ON COMMIT DROP"
        )
        delim = {"\t": "E'\\t'", ",": "','", ";": "';'"}[delimiter]
        with cur.copy(
            f"COPY ceiba_stat_stage ({', '.join(cols)}) FROM STDIN "
            f"(FORMAT csv, DELIMITER {delim}, ENCODING 'UTF8')"
        ) as copy:
            lines = _copy_data(copy, path, data_offset, specials)
        if lines == 0:
            raise NotPlain
        progress(0.4)
        cur.execute("SELECT count(*), min(n), max(n) FROM ceiba_stat_stage")
        count, first, last = cur.fetchone()
        if count != lines or last - first + 1 != count:
            raise NotPlain  # a row spanning lines, an end-of-data marker…

        # The value of each field: its cell (empty → the fixed value), or the fixed value.
        def expr(code: str) -> str:
            index = validator.columns.get(code)
            fixed = validator.fixed.get(code)
            if fixed is not None and not isinstance(fixed, str):
                raise NotPlain
            literal = "NULL" if fixed is None else _literal(cur, fixed)
            if index is None:
                return f"{literal}::text"
            if fixed is None:
                return f"nullif(c{index}, '')"
            return f"coalesce(nullif(c{index}, ''), {literal})"

        if validator.columns.get("source_id") is None:
            raise NotPlain  # (identifiers derived from the row's fields: row by row)
        fields = {code: expr(code) for code in (*_TEXT_FIELDS, *_LOOKUP_FIELDS, *_DATE_FIELDS, "quantity")}
        texts = [
            fields[c]
            for c in _TEXT_FIELDS
            if validator.columns.get(c) is not None or validator.fixed.get(c) is not None
        ]
        checks = [
            f"({fields['source_id']}) IS NULL",  # (a blank row has no source identifier either)
            f"({fields['quantity']}) IS NULL OR ({fields['quantity']}) !~ '{_QUANTITY}'",
            *(f"char_length({t}) > 200" for t in texts),
            f"concat_ws(E'\\x01', {', '.join(texts)}) ~ '{_EDGE_SPACE}'",
        ]
        cur.execute(
            f"SELECT EXISTS (SELECT 1 FROM ceiba_stat_stage WHERE {' OR '.join(f'({c})' for c in checks)})"  # noqa: S608
        )
        if cur.fetchone()[0]:
            raise NotPlain

        # Lookups: each distinct raw value resolved by the row-by-row path's own memoised lookup.
        tables = {"kind": "kinds", "state": "states", "crime_area": "crime_areas", "unit": "units"}
        lookup_sql = []
        for code in _LOOKUP_FIELDS:
            cur.execute(f"SELECT DISTINCT {fields[code]} FROM ceiba_stat_stage LIMIT {MAX_DATE_KEYS + 1}")  # noqa: S608
            resolved: list[tuple[str, str]] = []
            for (raw,) in cur.fetchall():
                if raw is None:
                    if code == "crime_area":
                        continue
                    raise NotPlain
                memo = "area" if code == "crime_area" else code
                found = validator._memo(memo, getattr(validator.lookups, tables[code]), raw)
                if found is None:
                    raise NotPlain
                resolved.append((raw, str(found)))
            table = f"ceiba_stat_{code}"
            cur.execute(f"DROP TABLE IF EXISTS {table}")
            cur.execute(f"CREATE TEMP TABLE {table} (raw text PRIMARY KEY, value text) ON COMMIT DROP")
            with cur.copy(f"COPY {table} (raw, value) FROM STDIN") as copy:
                for row in resolved:
                    copy.write_row(row)
            lookup_sql.append((code, table))

        # Dates: each distinct (date, from, until, year) resolved by the row-by-row path's function.
        date_exprs = [f"coalesce({fields[c]}, '')" for c in _DATE_FIELDS]
        cur.execute(
            f"SELECT DISTINCT {', '.join(date_exprs)} FROM ceiba_stat_stage LIMIT {MAX_DATE_KEYS + 1}"  # noqa: S608
        )
        keys = cur.fetchall()
        if len(keys) > MAX_DATE_KEYS:
            raise NotPlain
        cur.execute("DROP TABLE IF EXISTS ceiba_stat_dates")
        cur.execute(
            "CREATE TEMP TABLE ceiba_stat_dates (d text, s text, e text, y text, start date, until date) "
            "ON COMMIT DROP"
        )
        with cur.copy("COPY ceiba_stat_dates FROM STDIN") as copy:
            for key in keys:
                dates = validator._dates(tuple(k or None for k in key))
                if dates is None:
                    raise NotPlain
                copy.write_row((*key, dates[0], dates[1]))
        progress(0.6)

        # The validated rows; a source identifier given twice is left to the row-by-row path (which
        # names the rows): for a new dataset the unique constraint refuses it, otherwise a count.
        joins = " ".join(
            f"{'LEFT ' if code == 'crime_area' else ''}JOIN {table} ON {table}.raw = {fields[code]}"
            for code, table in lookup_sql
        )
        text = {c: f"coalesce({fields[c]}, '')" for c in _TEXT_FIELDS}
        select = f"""SELECT {text["source_id"]} AS source_id, ceiba_stat_kind.value AS kind,
                   ceiba_stat_dates.start AS period_start, ceiba_stat_dates.until AS period_end,
                   ceiba_stat_state.value::bigint AS state_id, {text["subnational_area"]} AS subnational_area,
                   ceiba_stat_crime_area.value::bigint AS crime_area_id, {text["commodity"]} AS commodity,
                   ({fields["quantity"]})::numeric(20, 4) AS quantity, ceiba_stat_unit.value AS unit,
                   {text["source"]} AS source
            FROM ceiba_stat_stage {joins}
            JOIN ceiba_stat_dates ON (ceiba_stat_dates.d, ceiba_stat_dates.s, ceiba_stat_dates.e,
                                      ceiba_stat_dates.y) = ({", ".join(date_exprs)})"""  # noqa: S608
        table = StatisticRow._meta.db_table
        columns = (
            "source_id", "kind", "period_start", "period_end", "state_id", "subnational_area",
            "crime_area_id", "commodity", "quantity", "unit", "source",
        )  # fmt: skip
        dataset_id = int(dataset.pk)
        matched = updated = 0
        if not StatisticRow.objects.filter(dataset=dataset).exists():
            cur.execute(
                f"INSERT INTO {table} (dataset_id, {', '.join(columns)}) "  # noqa: S608
                f"SELECT {dataset_id}, {', '.join('s.' + c for c in columns)} FROM ({select}) s"
            )
            created = cur.rowcount
            if created != count:
                raise NotPlain
        else:
            cur.execute("DROP TABLE IF EXISTS ceiba_stat_rows")
            cur.execute(f"CREATE TEMP TABLE ceiba_stat_rows ON COMMIT DROP AS {select}")
            cur.execute("SELECT count(*), count(DISTINCT source_id) FROM ceiba_stat_rows")
            stored, distinct = cur.fetchone()
            if stored != count or distinct != count:
                raise NotPlain
            progress(0.75)
            cur.execute(
                f"SELECT count(*) FROM {table} t JOIN ceiba_stat_rows s "  # noqa: S608
                f"ON t.dataset_id = {dataset_id} AND t.source_id = s.source_id"
            )
            matched = cur.fetchone()[0]
            changed = " OR ".join(f"t.{c} IS DISTINCT FROM s.{c}" for c in columns[1:])
            cur.execute(
                f"UPDATE {table} t SET {', '.join(f'{c} = s.{c}' for c in columns[1:])} "  # noqa: S608
                f"FROM ceiba_stat_rows s WHERE t.dataset_id = {dataset_id} AND t.source_id = s.source_id "
                f"AND ({changed})"
            )
            updated = cur.rowcount
            cur.execute(
                f"INSERT INTO {table} (dataset_id, {', '.join(columns)}) "  # noqa: S608
                f"SELECT {dataset_id}, {', '.join('s.' + c for c in columns)} FROM ceiba_stat_rows s "
                f"WHERE NOT EXISTS (SELECT 1 FROM {table} t WHERE t.dataset_id = {dataset_id} "
                "AND t.source_id = s.source_id)"
            )
            created = cur.rowcount
        for name in ("stage", "rows", "dates", *_LOOKUP_FIELDS):
            cur.execute(f"DROP TABLE IF EXISTS ceiba_stat_{name}")
    summary = ImportSummary()
    summary.rows = count
    summary.created, summary.updated, summary.unchanged = created, updated, matched - updated
    summary.details = {"dataset": dataset.pk}
    progress(1.0)
    return summary


def _literal(cursor: Any, value: str) -> str:
    """A SQL string literal (the fixed values of the mapping step)."""
    from psycopg import sql

    if "\x00" in value:
        raise NotPlain
    return str(sql.Literal(value).as_string(cursor))
