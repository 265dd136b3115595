"""Import runs: store an uploaded file, run any registered importer on it in the background (or from
the `ceiba import` command), atomically, and keep what it did and which rows stopped it.

Progress: an importer reports fractions; while its transaction is open nothing it writes to the
database is visible to others (and SQLite is locked), so the run's progress is also written to a small
file next to the stored upload, which the run page reads."""

from __future__ import annotations

import hashlib
import json
import os
import time
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ceiba.common import audit
from ceiba.common.access import Action, can
from ceiba.common.jobs import JobContext, enqueue
from ceiba.common.models import AuditAction
from ceiba.core.choices import Role
from ceiba.core.models import Membership

from .choices import EDITABLE_STATUSES
from .interchange.base import IMPORTERS, ImportAborted, ImportRequest, RowError
from .models import Contribution, ImportRun, ImportStatus

#: Errors kept on a run (the error report names them all up to this many).
MAX_STORED_ERRORS = 5000


def import_dir() -> Path:
    path = Path(settings.CEIBA_IMPORT_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def progress_path(run: ImportRun) -> Path:
    return Path(f"{run.stored_path}.progress")


def run_progress(run: ImportRun) -> int:
    """How far the run got, in percent."""
    if run.is_finished:
        return 100 if run.status == ImportStatus.SUCCEEDED else int(run.summary.get("progress", 0))
    try:
        return max(0, min(100, int(progress_path(run).read_text().strip() or 0)))
    except (OSError, ValueError):
        return 0


def _originator(actor: Any, contribution: Contribution) -> Any:
    membership = (
        Membership.objects.active()
        .filter(
            user_id=getattr(actor, "pk", None) or 0,
            organisation__state_id=contribution.state_id,
            role__in=[Role.NATIONAL_ANALYST, Role.NATIONAL_FOCAL_POINT],
        )
        .select_related("organisation")
        .order_by("role", "pk")
        .first()
    )
    return membership.organisation if membership else None


def import_create(
    *,
    contribution: Contribution,
    actor: Any,
    kind: str,
    chunks: Iterable[bytes],
    size: int,
    file_name: str,
    defaults: dict[str, Any] | None = None,
    options: dict[str, Any] | None = None,
) -> ImportRun:
    """Store an uploaded file (streamed, hashed) as a new run of `kind` into `contribution`. Checks
    that the actor may change the contribution, that it takes data and the size limit (before
    reading)."""
    if kind not in IMPORTERS:
        raise ValidationError({"kind": _("Unknown kind of import “%(kind)s”.") % {"kind": kind}})
    if not can(actor, contribution, Action.CHANGE):
        raise PermissionDenied(_("Only the state's analysts and focal point import into its contribution."))
    if contribution.status not in EDITABLE_STATUSES:
        raise ValidationError(_("This contribution has been submitted: it takes no new data."))
    originator = _originator(actor, contribution)
    if originator is None:
        raise PermissionDenied(_("Only the state's analysts and focal point import into its contribution."))
    limit = settings.CEIBA_IMPORT_MAX_BYTES
    if size > limit:
        raise ValidationError(
            {
                "file": _(
                    "The file is %(size)s bytes; the largest file an import accepts is %(limit)s bytes."
                )
                % {"size": size, "limit": limit}
            }
        )
    run_id = uuid.uuid4()
    suffix = Path(file_name).suffix.lower()[:8]
    target = import_dir() / f"{run_id}{suffix if suffix.isascii() else ''}"
    digest = hashlib.sha256()
    written = 0
    with target.open("wb") as handle:
        for chunk in chunks:
            written += len(chunk)
            if written > limit:
                handle.close()
                target.unlink(missing_ok=True)
                raise ValidationError(
                    {"file": _("The file is larger than %(limit)s bytes.") % {"limit": limit}}
                )
            digest.update(chunk)
            handle.write(chunk)
    run = ImportRun(
        id=run_id,
        kind=kind,
        contribution=contribution,
        originator=originator,
        user=actor if getattr(actor, "is_authenticated", False) else None,
        file_name=Path(file_name).name[:255],
        stored_path=str(target),
        sha256=digest.hexdigest(),
        size=written,
        defaults=defaults or {},
        options={**(options or {}), "file_name": Path(file_name).name},
        status=ImportStatus.PENDING if needs_mapping(kind) else ImportStatus.QUEUED,
    )
    run.full_clean()
    run.save()
    audit.record(
        AuditAction.CREATE,
        obj=run,
        actor=actor,
        changes={"kind": kind, "file": run.file_name, "sha256": run.sha256, "size": written},
    )
    return run


def needs_mapping(kind: str) -> bool:
    return bool(getattr(IMPORTERS.get(kind), "column_mapping", False))


def import_set_options(*, run: ImportRun, actor: Any, **options: Any) -> ImportRun:
    """Store the column mapping (or other options) of a run that has not started."""
    if run.status not in (ImportStatus.PENDING, ImportStatus.QUEUED):
        raise ValidationError(_("This import has already run."))
    if run.user_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("Only the person who uploaded the file sets up its import."))
    run.options = {**run.options, **options}
    run.status = ImportStatus.QUEUED
    run.save(update_fields=["options", "status", "updated_at"])
    return run


def import_start(*, run: ImportRun, actor: Any) -> ImportRun:
    """Queue the run as a background job (runs once the current transaction commits)."""
    if run.status != ImportStatus.QUEUED or run.job_id is not None:
        raise ValidationError(_("This import has already been started."))
    job = enqueue(
        run_import_job,
        name=_("Import %(file)s") % {"file": run.file_name},
        user=actor,
        run_id=str(run.pk),
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    run.job = job
    run.save(update_fields=["job", "updated_at"])
    return run


def run_import_job(context: JobContext, *, run_id: str, language: str) -> dict[str, Any]:
    """The background job: run the import, mirroring its progress on the job."""
    run = ImportRun.objects.select_related("contribution", "originator", "user").get(pk=run_id)
    with translation.override(language):
        import_execute(run=run, progress=lambda percent: context.progress(percent))
    return {"run": str(run.pk), "status": run.status, "summary": run.summary, "errors": len(run.errors)}


class _ProgressWriter:
    """Writes a run's progress to its progress file (at most a few times a second)."""

    def __init__(self, run: ImportRun, also: Callable[[float], None] | None) -> None:
        self.path = progress_path(run)
        self.also = also
        self.last_percent = -1
        self.last_time = 0.0

    def __call__(self, fraction: float) -> None:
        percent = max(0, min(100, int(fraction * 100)))
        now = time.monotonic()
        if percent == self.last_percent or (now - self.last_time < 0.3 and percent < 100):
            return
        self.last_percent, self.last_time = percent, now
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(str(percent))
        os.replace(temporary, self.path)
        if self.also is not None:
            self.also(percent)


def import_execute(*, run: ImportRun, progress: Callable[[float], None] | None = None) -> ImportRun:
    """Run the importer on the stored file inside one transaction: every record lands or none does.
    Row-level errors end up on the run. `progress` receives percentages."""
    importer = IMPORTERS[run.kind]()
    run.status = ImportStatus.RUNNING
    run.started_at = timezone.now()
    run.save(update_fields=["status", "started_at", "updated_at"])
    report = _ProgressWriter(run, progress)
    report(0.0)
    request = ImportRequest(
        path=Path(run.stored_path),
        contribution=run.contribution,
        originator=run.originator,
        user=run.user,
        defaults=dict(run.defaults),
        options=dict(run.options),
    )
    errors: list[RowError] = []
    try:
        with transaction.atomic():
            summary = importer.run(request, report)
    except ImportAborted as aborted:
        errors = aborted.errors or [RowError(None, "", _("The import was refused."))]
        run.status = ImportStatus.FAILED
        run.summary = {"progress": report.last_percent if report.last_percent > 0 else 0}
    except Exception as exc:  # an importer's bug must not leave the run "running"
        errors = [
            RowError(None, "", _("The import failed unexpectedly: %(error)s") % {"error": type(exc).__name__})
        ]
        run.status = ImportStatus.FAILED
        run.summary = {}
    else:
        run.status = ImportStatus.SUCCEEDED
        run.summary = summary.as_dict()
        report(1.0)
    run.errors = [e.as_dict() for e in errors[:MAX_STORED_ERRORS]]
    if len(errors) > MAX_STORED_ERRORS:
        run.summary["errors_not_kept"] = len(errors) - MAX_STORED_ERRORS
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "summary", "errors", "finished_at", "updated_at"])
    audit.record(
        AuditAction.UPDATE,
        obj=run,
        actor=run.user,
        changes={"status": run.status, "summary": run.summary, "errors": len(errors)},
    )
    return run


def import_preview(run: ImportRun, samples: int = 3) -> tuple[int, list[str], list[list[str]]]:
    """For the mapping step: the header row's number, its names and a few rows below it. Raises
    ImportAborted for a file that cannot be read (too large, not a table, a zip bomb...)."""
    from .interchange.statistics import find_header
    from .interchange.tabular import TableReader, is_blank

    rows = TableReader(Path(run.stored_path)).rows()
    try:
        header_row, header = find_header(rows, {})
    except ImportAborted:
        # No row looks like a known header: offer the first row that has anything in it.
        rows = TableReader(Path(run.stored_path)).rows()
        header_row, first = next(((n, r) for n, r in rows if not is_blank(r)), (1, ()))
        header = ["" if cell is None else str(cell).strip() for cell in first]
    examples: list[list[str]] = []
    for _number, row in rows:
        if is_blank(row):
            continue
        examples.append(["" if cell is None else str(cell) for cell in row])
        if len(examples) >= samples:
            break
    return header_row, header, examples


def import_refuse(*, run: ImportRun, errors: list[RowError]) -> ImportRun:
    """Close a run that cannot start (its file cannot be read) with the reasons."""
    run.status = ImportStatus.FAILED
    run.errors = [e.as_dict() for e in errors[:MAX_STORED_ERRORS]]
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "errors", "finished_at", "updated_at"])
    return run


def error_rows(run: ImportRun) -> list[list[Any]]:
    """The error report's rows: row, column, message."""
    return [[e.get("row") or "", e.get("column", ""), e.get("message", "")] for e in run.errors]


def summary_json(run: ImportRun) -> str:
    return json.dumps(run.summary, sort_keys=True)
