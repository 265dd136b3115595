"""Open-data files: every table as CSV, XLSX (openpyxl) and JSON, each carrying its source and
licence, and the whole observatory as one ZIP described by a Frictionless `datapackage.json`.
Pure: callers hand in columns, rows and metadata."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


@dataclass
class Table:
    """A table to download: its name, columns (name, title), rows, and where the numbers come from."""

    name: str
    title: str
    columns: Sequence[tuple[str, Any]]  # (name, title); titles may be lazy translations
    rows: Sequence[Mapping[str, Any]]
    sources: Sequence[Mapping[str, str]] = field(
        default_factory=list
    )  # [{title, path, licence, attribution}]
    description: str = ""

    def attribution(self) -> str:
        return "; ".join(dict.fromkeys(s["attribution"] for s in self.sources if s.get("attribution")))

    def licences(self) -> str:
        return "; ".join(dict.fromkeys(s["licence"] for s in self.sources if s.get("licence")))


def safe_name(name: str) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", name.lower()).strip("-") or "data"


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    return value


def to_csv(table: Table) -> bytes:
    """CSV with a header; the source and licence ride along in two last columns of every row, so they
    survive any later filtering of the file."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([name for name, _title in table.columns] + ["source", "licence"])
    attribution, licences = table.attribution(), table.licences()
    for row in table.rows:
        writer.writerow([_cell(row.get(name)) for name, _title in table.columns] + [attribution, licences])
    return buffer.getvalue().encode("utf-8")


def to_xlsx(table: Table) -> bytes:
    """A workbook with the data and an "about" sheet: title, description, sources, licences, date."""
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = "data"
    sheet.append([str(title) for _name, title in table.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append([_cell(row.get(name)) for name, _title in table.columns])
    about = workbook.create_sheet("about")
    about.append(["title", table.title])
    about.append(["description", table.description])
    about.append(["downloaded", datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")])
    for source in table.sources:
        about.append(["source", source.get("title", ""), source.get("path", "")])
        about.append(["attribution", source.get("attribution", "")])
        about.append(["licence", source.get("licence", ""), source.get("licence_path", "")])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_json(table: Table) -> bytes:
    body = {
        "title": table.title,
        "description": table.description,
        "sources": list(table.sources),
        "attribution": table.attribution(),
        "licence": table.licences(),
        "columns": [{"name": n, "title": str(t)} for n, t in table.columns],
        "rows": [{name: row.get(name) for name, _title in table.columns} for row in table.rows],
    }
    return json.dumps(body, ensure_ascii=False, default=str).encode("utf-8")


def render(table: Table, fmt: str) -> bytes:
    if fmt == "csv":
        return to_csv(table)
    if fmt == "xlsx":
        return to_xlsx(table)
    if fmt == "json":
        return to_json(table)
    raise ValueError(fmt)


def _field_type(values: Iterable[Any]) -> str:
    kinds = {type(v) for v in values if v not in (None, "")}
    if kinds and kinds <= {int}:
        return "integer"
    if kinds and kinds <= {int, float}:
        return "number"
    return "string"


def datapackage(tables: Sequence[Table], *, name: str, title: str, description: str, homepage: str) -> bytes:
    """A ZIP holding each table as CSV and a Frictionless Data Package descriptor (datapackage.json)
    with each resource's schema, sources and licences."""
    buffer = io.BytesIO()
    resources = []
    all_sources: dict[str, Mapping[str, str]] = {}
    all_licences: dict[str, dict[str, str]] = {}
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for table in tables:
            path = f"data/{safe_name(table.name)}.csv"
            archive.writestr(path, to_csv(table))
            licences = [
                {
                    "name": safe_name(s.get("licence", "")),
                    "title": s.get("licence", ""),
                    **({"path": s["licence_path"]} if s.get("licence_path") else {}),
                }
                for s in table.sources
                if s.get("licence")
            ]
            unique_licences = list({lic["title"]: lic for lic in licences}.values())
            sources = list(
                {
                    s.get("title", ""): {
                        "title": s.get("title", ""),
                        **({"path": s["path"]} if s.get("path") else {}),
                    }
                    for s in table.sources
                }.values()
            )
            for s in sources:
                all_sources[s["title"]] = s
            for lic in unique_licences:
                all_licences[lic["title"]] = lic
            fields = [
                {
                    "name": column,
                    "title": column_title,
                    "type": _field_type(r.get(column) for r in table.rows),
                }
                for column, column_title in table.columns
            ] + [{"name": "source", "type": "string"}, {"name": "licence", "type": "string"}]
            resources.append(
                {
                    "name": safe_name(table.name),
                    "path": path,
                    "title": table.title,
                    "description": table.description,
                    "format": "csv",
                    "mediatype": "text/csv",
                    "encoding": "utf-8",
                    "schema": {"fields": fields},
                    "sources": sources,
                    "licenses": unique_licences,
                }
            )
        descriptor = {
            "profile": "data-package",
            "name": safe_name(name),
            "title": title,
            "description": description,
            "homepage": homepage,
            "created": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "sources": list(all_sources.values()),
            "licenses": list(all_licences.values()),
            "resources": resources,
        }
        archive.writestr(
            "datapackage.json", json.dumps(descriptor, ensure_ascii=False, indent=2, default=str)
        )
    return buffer.getvalue()
