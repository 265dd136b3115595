"""Files attached to a threat report. They follow the report's access policy, are stored outside
every URL the web server serves (`STORAGES["attachments"]`) and leave only through the download view
(docs/decisions/0033-search-and-attachments.md). Their text is not indexed for search."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db import models
from django.utils.translation import gettext_lazy as _

from .records import ThreatReport


def attachment_storage() -> Storage:
    return storages["attachments"]


def attachment_path(instance: Any, filename: str) -> str:
    """A path that reveals nothing of the uploaded name (which is kept in `original_name`)."""
    return f"reports/{instance.report_id}/{uuid.uuid4().hex}"


class ReportAttachment(models.Model):
    """A file attached to a threat report: kept with its original name, size, SHA-256 and the
    content type detected from its bytes (never the one the browser claims)."""

    report = models.ForeignKey(
        ThreatReport, verbose_name=_("threat report"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), storage=attachment_storage, upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    content_type = models.CharField(_("type"), max_length=120)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["report", "uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name
