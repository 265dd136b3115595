"""`ceiba import KIND FILE --contribution ID --user EMAIL [--map header=field ...] [--set field=value ...]
[--dataset TITLE] [--progress]`: import a file into a contribution through the same import run as the
upload page (atomic: on failure nothing is stored, the row-level errors are printed, the exit status is 1).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ceiba.core.models import User
from ceiba.documentation.imports import import_create, import_execute
from ceiba.documentation.interchange.base import IMPORTERS
from ceiba.documentation.models import Contribution, ImportStatus


class ProgressBar:
    """A one-line progress bar on standard error (a line per 10% when not a terminal)."""

    def __init__(self, stream: Any, width: int = 30) -> None:
        self.stream = stream
        self.width = width
        self.started = time.monotonic()
        self.interactive = hasattr(stream, "isatty") and stream.isatty()
        self.last = -1

    def __call__(self, percent: float) -> None:
        step = int(percent)
        if step == self.last:
            return
        self.last = step
        filled = int(self.width * percent / 100)
        elapsed = time.monotonic() - self.started
        line = f"[{'#' * filled}{'-' * (self.width - filled)}] {percent:5.1f}%  {elapsed:6.1f}s"
        if self.interactive:
            self.stream.write("\r" + line)
        elif step % 10 == 0:
            self.stream.write(line + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self.interactive:
            self.stream.write("\n")
            self.stream.flush()


def _pairs(values: list[str], what: str) -> dict[str, str]:
    result: dict[str, str] = {}
    for value in values:
        if "=" not in value:
            raise CommandError(f"{what} takes NAME=VALUE, not {value!r}")
        name, _sep, target = value.partition("=")
        result[name.strip()] = target.strip()
    return result


class Command(BaseCommand):
    help = "Import a file (statistics CSV/XLSX, FtM, STIX, MISP...) into a contribution."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", help="kind of file: " + ", ".join(sorted(IMPORTERS)))
        parser.add_argument("file", type=Path)
        parser.add_argument("--contribution", type=int, required=True, help="contribution id")
        parser.add_argument("--user", required=True, help="e-mail of the analyst or focal point importing")
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="HEADER=FIELD",
            help="map a column to a field (empty FIELD ignores the column)",
        )
        parser.add_argument(
            "--set",
            action="append",
            default=[],
            metavar="FIELD=VALUE",
            help="a value for every row (e.g. unit=kg, kind=seizure)",
        )
        parser.add_argument("--dataset", default="", help="title of the dataset (default: the file name)")
        parser.add_argument("--tlp", default="amber")
        parser.add_argument("--scope", default="originator")
        parser.add_argument("--grading", default="B2", help="source reliability and credibility, e.g. B2")
        parser.add_argument("--progress", action="store_true", help="show a progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        kind, path = options["kind"], options["file"]
        if kind not in IMPORTERS:
            raise CommandError(f"unknown kind {kind!r}; known: {', '.join(sorted(IMPORTERS))}")
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        user = User.objects.filter(email__iexact=options["user"]).first()
        contribution = Contribution.objects.filter(pk=options["contribution"]).first()
        if user is None or contribution is None:
            raise CommandError("unknown user or contribution")
        grading = options["grading"]
        import_options: dict[str, Any] = {
            "mapping": _pairs(options["map"], "--map"),
            "fixed": _pairs(options["set"], "--set"),
        }
        if not import_options["mapping"]:
            del import_options["mapping"]
        if options["dataset"]:
            import_options["dataset"] = options["dataset"]
        try:
            with path.open("rb") as handle:
                run = import_create(
                    contribution=contribution,
                    actor=user,
                    kind=kind,
                    chunks=iter(lambda: handle.read(1 << 20), b""),
                    size=path.stat().st_size,
                    file_name=path.name,
                    defaults={
                        "tlp": options["tlp"],
                        "scope": options["scope"],
                        "source_reliability": grading[:1],
                        "information_credibility": grading[1:2],
                    },
                    options=import_options,
                )
        except (PermissionDenied, ValidationError) as error:
            raise CommandError("; ".join(getattr(error, "messages", [str(error)]))) from error
        bar = ProgressBar(sys.stderr) if options["progress"] else None
        run = import_execute(run=run, progress=(lambda percent: bar(percent)) if bar else None)
        if bar:
            bar.close()
        if run.status != ImportStatus.SUCCEEDED:
            for problem in run.errors:
                where = f"row {problem['row']}" if problem.get("row") else "file"
                column = f", {problem['column']}" if problem.get("column") else ""
                self.stderr.write(f"{where}{column}: {problem['message']}")
            raise CommandError(f"import {run.pk} failed with {len(run.errors)} error(s); nothing was stored")
        s = run.summary
        self.stdout.write(
            f"import {run.pk}: {s.get('rows', 0)} rows, {s.get('created', 0)} created, "
            f"{s.get('updated', 0)} updated, {s.get('unchanged', 0)} unchanged"
        )
