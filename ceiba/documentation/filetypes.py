"""Which kind of file an upload is, read from its bytes (magic numbers and, for the zip-based office
formats, the names inside the archive), never from what the browser claims. Pure Python; no Django.

Only the types threat reports accept are recognised: PDF, PNG, JPEG, CSV, plain text, DOCX, XLSX
and ODT. Anything else is `None` (refused)."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from typing import IO


@dataclass(frozen=True)
class FileType:
    content_type: str
    extensions: tuple[str, ...]
    label: str


PDF = FileType("application/pdf", (".pdf",), "PDF")
PNG = FileType("image/png", (".png",), "PNG")
JPEG = FileType("image/jpeg", (".jpg", ".jpeg"), "JPEG")
CSV = FileType("text/csv", (".csv",), "CSV")
TEXT = FileType("text/plain", (".txt", ".text", ".md"), "text")
DOCX = FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",), "DOCX")
XLSX = FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",), "XLSX")
ODT = FileType("application/vnd.oasis.opendocument.text", (".odt",), "ODT")

ALLOWED = (PDF, PNG, JPEG, CSV, TEXT, DOCX, XLSX, ODT)
#: How much of a text file is read to decide it is text.
TEXT_SAMPLE = 64 * 1024
#: An office archive with more entries than this is not a document we accept.
MAX_ZIP_ENTRIES = 10_000


def _zip_type(stream: IO[bytes]) -> FileType | None:
    """DOCX, XLSX or ODT from the archive's directory (entries are listed, never extracted)."""
    try:
        with zipfile.ZipFile(stream) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ZIP_ENTRIES:
                return None
            names = {info.filename for info in infos}
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return DOCX
            if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
                return XLSX
            first = infos[0] if infos else None
            if (
                first is not None
                and first.filename == "mimetype"
                and first.file_size < 100
                and archive.read(first).strip() == ODT.content_type.encode()
            ):
                return ODT
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    return None


def _is_text(sample: bytes) -> bool:
    if b"\x00" in sample:
        return False
    for encoding in ("utf-8", "cp1252"):
        try:
            text = sample.decode(encoding)
        except UnicodeDecodeError as error:
            # A multi-byte character cut at the end of the sample is still text.
            if encoding == "utf-8" and error.start >= len(sample) - 3 and len(sample) == TEXT_SAMPLE:
                text = sample[: error.start].decode(encoding)
            else:
                continue
        controls = sum(1 for char in text if ord(char) < 32 and char not in "\t\r\n\f")
        return controls == 0
    return False


def detect(stream: IO[bytes], name: str) -> FileType | None:
    """The type of the file in `stream` (rewound afterwards), or None if it is none we accept.
    The name only tells CSV from plain text, both of which are text."""
    stream.seek(0)
    head = stream.read(TEXT_SAMPLE)
    stream.seek(0)
    try:
        if head.startswith(b"%PDF-"):
            return PDF
        if head.startswith(b"\x89PNG\r\n\x1a\n"):
            return PNG
        if head.startswith(b"\xff\xd8\xff"):
            return JPEG
        if head.startswith(b"PK\x03\x04"):
            return _zip_type(stream)
        if head and _is_text(head):
            return CSV if name.lower().endswith(".csv") else TEXT
        return None
    finally:
        stream.seek(0)


def extension_matches(file_type: FileType, name: str) -> bool:
    lowered = name.lower()
    if file_type in (CSV, TEXT):
        return "." not in lowered.rsplit("/", 1)[-1] or lowered.endswith(CSV.extensions + TEXT.extensions)
    return lowered.endswith(file_type.extensions)
