"""Read a publisher's table (XLSX or CSV, with or without preamble rows) into plain rows.
No database here: the importers and the benchmark use these functions directly."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext as _

#: How far down the importers look for the header row (publishers put titles and dates above it).
HEADER_SEARCH_ROWS = 30
_DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")


class FileFormatError(ValueError):
    """The file is not what it claims to be (not a workbook, not a CSV, not the expected columns)."""


@dataclass
class Table:
    """A sheet: the header's names, the data rows with their row numbers in the file, and what the
    preamble said (a release date, a title)."""

    header: list[str]
    rows: list[tuple[int, tuple[Any, ...]]]
    preamble: list[tuple[Any, ...]] = field(default_factory=list)

    def index(self, name: str) -> int:
        return self.header.index(name)

    @property
    def publisher_date(self) -> date | None:
        """The release date UNODC prints in the preamble (dd/mm/yyyy), if any."""
        for row in self.preamble:
            for cell in row:
                if isinstance(cell, datetime):
                    return cell.date()
                if isinstance(cell, date):
                    return cell
                match = _DATE.match(str(cell or ""))
                if match:
                    day, month, year = (int(g) for g in match.groups())
                    try:
                        return date(year, month, day)
                    except ValueError:
                        return None
        return None


def _normalise(cell: Any) -> str:
    return re.sub(r"\s+", " ", str(cell or "")).strip().casefold()


def sniff_kind(content: bytes) -> str:
    """'xlsx' or 'csv', from the bytes (never from the file name)."""
    if content[:4] == b"PK\x03\x04":
        return "xlsx"
    if content[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise FileFormatError(
            _("This is an old Excel workbook (.xls). Save it as .xlsx or CSV and import it again.")
        )
    head = content[:4096]
    if b"\x00" in head.replace(b"\xff\xfe", b"").replace(b"\xfe\xff", b"")[:1024]:
        raise FileFormatError(_("This file is neither an XLSX workbook nor a CSV text file."))
    return "csv"


def _xlsx_rows(content: bytes) -> Iterator[tuple[Any, ...]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise FileFormatError(
            _("This file is not a readable XLSX workbook (%(error)s).") % {"error": error}
        ) from error
    try:
        sheet = workbook.worksheets[0]
        # Some exports declare a wrong sheet size (e.g. A1:A1); read-only mode would then see one row.
        sheet.reset_dimensions()
        yield from sheet.iter_rows(values_only=True)
    finally:
        workbook.close()


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileFormatError(_("This CSV file is not UTF-8 or Windows-1252 text."))


def _csv_rows(content: bytes) -> Iterator[tuple[Any, ...]]:
    text = _decode(content)
    sample = text[:8192]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        for row in csv.reader(io.StringIO(text), dialect):
            yield tuple(row)
    except csv.Error as error:
        raise FileFormatError(_("This CSV file cannot be read: %(error)s.") % {"error": error}) from error


def read_rows(content: bytes) -> Iterator[tuple[Any, ...]]:
    if not content:
        raise FileFormatError(_("The file is empty."))
    return _xlsx_rows(content) if sniff_kind(content) == "xlsx" else _csv_rows(content)


def read_table(content: bytes, *, required: Sequence[str], what: str) -> Table:
    """Find the header row holding all `required` columns (within the first rows) and return the
    table below it. `what` names the expected format in the error message."""
    wanted = [_normalise(name) for name in required]
    preamble: list[tuple[Any, ...]] = []
    rows_iter = read_rows(content)
    header: list[str] | None = None
    header_row = 0
    for number, row in enumerate(rows_iter, start=1):
        names = [_normalise(cell) for cell in row]
        if all(name in names for name in wanted):
            header = [str(cell or "").strip() for cell in row]
            header_row = number
            break
        preamble.append(row)
        if number >= HEADER_SEARCH_ROWS:
            break
    if header is None:
        raise FileFormatError(
            _("This file is not a %(what)s: no row among the first %(n)s has the columns %(columns)s.")
            % {"what": what, "n": HEADER_SEARCH_ROWS, "columns": ", ".join(required)}
        )
    # Spell the required columns as the importer expects them (files may differ in case and spaces).
    spelling = {_normalise(name): name for name in required}
    header = [spelling.get(_normalise(cell), cell) for cell in header]
    rows: list[tuple[int, tuple[Any, ...]]] = []
    for number, row in enumerate(rows_iter, start=header_row + 1):
        if not any(cell not in (None, "") for cell in row):
            continue
        rows.append((number, tuple(row)))
    return Table(header=header, rows=rows, preamble=preamble)
