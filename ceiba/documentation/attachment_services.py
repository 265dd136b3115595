"""Writes of threat-report attachments: whoever may change the report adds and removes them while
its contribution is editable; the bytes are checked (size, type from the content, name) and hashed;
every add, removal and download is audited."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import IO, Any, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from ceiba.common import audit
from ceiba.common.access import Action, can
from ceiba.common.models import AuditAction

from . import filetypes
from .choices import EDITABLE_STATUSES
from .models import ReportAttachment, ThreatReport

MAX_NAME_LENGTH = 150
TYPE_REFUSED = _("This type of file is not accepted. Attach PDF, PNG, JPEG, CSV, text, DOCX, XLSX or ODT.")


def max_attachment_bytes() -> int:
    return int(getattr(settings, "CEIBA_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024))


def safe_file_name(name: str, file_type: filetypes.FileType | None = None) -> str:
    """The uploaded name without folders, control characters, quotes or separators that could break
    a header or a path; with the detected type's extension when it had none."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(char for char in name if unicodedata.category(char)[0] != "C")
    name = re.sub(r'["<>:|?*;%]+', "_", name).strip(" .")
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, extension = name.rpartition(".")
        name = (
            (stem[: MAX_NAME_LENGTH - len(extension) - 1] + dot + extension)
            if dot
            else name[:MAX_NAME_LENGTH]
        )
    name = name or "attachment"
    if file_type is not None and "." not in name:
        name += file_type.extensions[0]
    return name


def attachment_errors(upload: UploadedFile) -> tuple[filetypes.FileType | None, list[str]]:
    """The detected type of an upload and what is wrong with it (empty when it is acceptable)."""
    limit = max_attachment_bytes()
    if upload.size is None or upload.size > limit:
        return None, [
            str(
                _("The file is too large (%(size)s); the limit is %(limit)s.")
                % {"size": filesizeformat(upload.size or 0), "limit": filesizeformat(limit)}
            )
        ]
    if upload.size == 0:
        return None, [str(_("The file is empty."))]
    name = upload.name or ""
    file_type = filetypes.detect(cast(IO[bytes], upload), name)
    if file_type is None:
        return None, [str(TYPE_REFUSED)]
    if not filetypes.extension_matches(file_type, name):
        return file_type, [
            str(
                _("The file's content (%(type)s) does not match its name (%(name)s).")
                % {"type": file_type.label, "name": safe_file_name(name)}
            )
        ]
    return file_type, []


def _require_changeable(report: ThreatReport, actor: Any) -> None:
    if not can(actor, report, Action.CHANGE):
        raise PermissionDenied(_("Only the originator adds or removes the attachments of a threat report."))
    if report.contribution.status not in EDITABLE_STATUSES:
        raise ValidationError(
            _("This contribution has been submitted: its reports' attachments can no longer change.")
        )


@transaction.atomic
def report_attachment_add(*, report: ThreatReport, actor: Any, upload: UploadedFile) -> ReportAttachment:
    """Attach a file to a threat report after checking its size and type (from its bytes)."""
    _require_changeable(report, actor)
    file_type, errors = attachment_errors(upload)
    if errors or file_type is None:
        raise ValidationError({"file": errors})
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    attachment = ReportAttachment(
        report=report,
        original_name=safe_file_name(upload.name or "", file_type),
        size=upload.size or 0,
        sha256=digest.hexdigest(),
        content_type=file_type.content_type,
        uploaded_by=actor,
    )
    attachment.file.save(attachment.original_name, upload, save=False)
    attachment.full_clean()
    attachment.save()
    audit.record(
        AuditAction.CREATE,
        obj=attachment,
        actor=actor,
        changes={"report": report.pk, "name": attachment.original_name, "sha256": attachment.sha256},
    )
    return attachment


@transaction.atomic
def report_attachment_remove(*, attachment: ReportAttachment, actor: Any) -> None:
    """Remove an attachment and its stored file (the file once the transaction commits)."""
    _require_changeable(attachment.report, actor)
    audit.record(
        AuditAction.DELETE,
        obj=attachment,
        actor=actor,
        changes={
            "report": attachment.report_id,
            "name": attachment.original_name,
            "sha256": attachment.sha256,
        },
    )
    attachment.delete()  # the stored file goes once the deletion commits (`delete_stored_file`)


def report_attachment_downloaded(*, attachment: ReportAttachment, actor: Any) -> None:
    """Every download is audited (the view fetched it through the access policy)."""
    audit.record(
        AuditAction.EXPORT,
        obj=attachment,
        actor=actor,
        changes={
            "download": attachment.original_name,
            "report": attachment.report_id,
            "sha256": attachment.sha256,
        },
    )


def delete_stored_file(sender: Any, instance: ReportAttachment, **kwargs: Any) -> None:
    """post_delete: remove an attachment's file once the deletion commits, whether the attachment
    was removed on its own or with its report (a cascade); a rolled-back deletion keeps the file."""
    stored = instance.file.name
    storage = instance.file.storage
    if stored:
        transaction.on_commit(lambda: storage.delete(stored))
