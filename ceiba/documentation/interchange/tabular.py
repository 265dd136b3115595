"""Tables in and out: stream the rows of a CSV or XLSX file (with preamble rows, any common encoding,
refusing oversized files and zip bombs) and write CSV/XLSX exports whose cells cannot run as
spreadsheet formulas. No database here."""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _

from .base import ImportAborted, RowError

#: How far down a header row is looked for (publishers put titles and dates above it).
HEADER_SEARCH_ROWS = 30
#: An XLSX whose parts unpack to more than this many times their packed size is refused.
XLSX_MAX_RATIO = 200
#: Cells starting with one of these are read as formulas by spreadsheet programs.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

_SPACES = re.compile(r"[\s_]+")


def normalise_header(value: Any) -> str:
    """A header as compared: case, accents, underscores and runs of spaces do not matter."""
    text = unicodedata.normalize("NFKD", str(value if value is not None else ""))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _SPACES.sub(" ", text).strip().casefold()


def file_error(message: str, row: int | None = None, column: str = "") -> ImportAborted:
    return ImportAborted([RowError(row=row, column=column, message=message)])


def check_size(path: Path, limit: int | None = None) -> int:
    """The file's size, or ImportAborted when it is empty or over the configured limit (checked
    before anything reads it)."""
    limit = settings.CEIBA_IMPORT_MAX_BYTES if limit is None else limit
    size = path.stat().st_size
    if size == 0:
        raise file_error(_("The file is empty."))
    if size > limit:
        raise file_error(
            _("The file is %(size)s bytes; the largest file an import accepts is %(limit)s bytes.")
            % {"size": size, "limit": limit}
        )
    return size


def sniff_kind(path: Path) -> str:
    """'xlsx' or 'csv', from the bytes (never from the file name)."""
    with path.open("rb") as handle:
        head = handle.read(4096)
    if head[:4] == b"PK\x03\x04":
        return "xlsx"
    if head[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise file_error(
            _("This is an old Excel workbook (.xls). Save it as .xlsx or CSV and import it again.")
        )
    if b"\x00" in head:
        raise file_error(_("This file is neither an XLSX workbook nor a CSV text file."))
    return "csv"


def detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) if the whole file decodes as UTF-8, else Windows-1252, else
    Latin-1 (which decodes any byte). Checked over the whole file in blocks, without holding it."""
    decoder: codecs.IncrementalDecoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as handle:
            while block := handle.read(1 << 20):
                decoder.decode(block)
            decoder.decode(b"", final=True)
        return "utf-8-sig"
    except UnicodeDecodeError:
        pass
    decoder = codecs.getincrementaldecoder("cp1252")()
    try:
        with path.open("rb") as handle:
            while block := handle.read(1 << 20):
                decoder.decode(block)
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


def check_xlsx(path: Path) -> None:
    """Refuse a workbook whose zip directory announces more than the configured uncompressed size or
    an implausible compression ratio (a zip bomb), before anything unpacks it."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as error:
        raise file_error(
            _("This file is not a readable XLSX workbook (%(error)s); it may be truncated.")
            % {"error": error}
        ) from error
    unpacked = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members) or 1
    limit = settings.CEIBA_IMPORT_XLSX_MAX_UNCOMPRESSED
    if unpacked > limit or unpacked / packed > XLSX_MAX_RATIO:
        raise file_error(
            _(
                "This workbook unpacks to %(unpacked)s bytes from %(packed)s: refused as a possible "
                "zip bomb (at most %(limit)s bytes and a ratio of %(ratio)s are accepted)."
            )
            % {"unpacked": unpacked, "packed": packed, "limit": limit, "ratio": XLSX_MAX_RATIO}
        )


class TableReader:
    """The rows of a CSV or XLSX file, streamed: `rows()` yields (row number as a spreadsheet shows
    it, cells). `fraction()` says how far the reading got. Errors are ImportAborted with the row."""

    def __init__(self, path: Path, *, max_bytes: int | None = None) -> None:
        self.path = path
        self.size = check_size(path, max_bytes)
        self.kind = sniff_kind(path)
        self.encoding = ""
        self._handle: IO[bytes] | None = None
        self._declared_rows = 0
        self._row = 0
        if self.kind == "xlsx":
            check_xlsx(path)
        else:
            self.encoding = detect_encoding(path)

    def fraction(self) -> float:
        if self._handle is not None and not self._handle.closed:
            return min(1.0, self._handle.tell() / self.size)
        if self._declared_rows > 1:
            return min(0.99, self._row / self._declared_rows)
        return 0.0

    def rows(self) -> Iterator[tuple[int, tuple[Any, ...]]]:
        source = self._xlsx_rows() if self.kind == "xlsx" else self._csv_rows()
        for number, row in source:
            self._row = number
            yield number, row

    def _csv_rows(self) -> Iterator[tuple[int, tuple[Any, ...]]]:
        with self.path.open("rb") as raw:
            self._handle = raw
            text = io.TextIOWrapper(raw, encoding=self.encoding, newline="")
            sample = text.read(16384)
            try:
                dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
            except csv.Error:
                dialect = csv.excel
            text.seek(0)
            reader = csv.reader(text, dialect, strict=True)
            while True:
                try:
                    row = next(reader)
                except StopIteration:
                    break
                except csv.Error as error:
                    raise file_error(
                        _("The CSV file is malformed here (%(error)s); it may be truncated.")
                        % {"error": error},
                        row=reader.line_num,
                    ) from error
                yield reader.line_num, tuple(row)

    def _xlsx_rows(self) -> Iterator[tuple[int, tuple[Any, ...]]]:
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(self.path, read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as error:
            raise file_error(
                _("This file is not a readable XLSX workbook (%(error)s); it may be truncated.")
                % {"error": error}
            ) from error
        try:
            sheet = workbook.worksheets[0]
            declared = sheet.max_row or 0
            # Some exports declare a wrong sheet size (e.g. A1:A1): read-only mode would see one row.
            sheet.reset_dimensions()
            self._declared_rows = declared
            try:
                for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                    yield number, tuple(row)
            except (zipfile.BadZipFile, OSError, ValueError, KeyError, EOFError) as error:
                raise file_error(
                    _("The workbook cannot be read past this row (%(error)s); it may be truncated.")
                    % {"error": error},
                    row=self._row + 1,
                ) from error
        finally:
            workbook.close()


def is_blank(row: Sequence[Any]) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in row)


# --- writing ----------------------------------------------------------------------------------------


def neutralise(value: Any) -> Any:
    """A cell value that no spreadsheet program will run as a formula: text starting with = + - @,
    a tab or a carriage return gets a leading apostrophe. Numbers and dates are kept as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, Decimal, date, datetime)):
        return value
    return neutralise(str(value))


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Sequence[Any]], *, bom: bool = True) -> Iterator[str]:
    """CSV text, one line at a time (for a streaming response), formulas neutralised, with a BOM so
    spreadsheet programs read it as UTF-8."""
    writer = csv.writer(_Echo())
    if bom:
        yield "\ufeff"
    for row in rows:
        yield writer.writerow([_cell(value) for value in row])


def xlsx_bytes(rows: Iterable[Sequence[Any]], *, title: str = "Export") -> bytes:
    """An XLSX workbook (written in write-only mode, row by row), formulas neutralised."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for row in rows:
        sheet.append([_xlsx_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    value = _cell(value)
    return None if value == "" else value
