"""FollowTheMoney JSON lines: one entity per line ({"id", "schema", "properties"}), as OpenSanctions,
Aleph and `ftm` write them. Read line by line (never whole), validated by followthemoney; every bad
line is reported; nothing is stored unless every line is good."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..entity_services import entities_store
from .base import ImportAborted, Importer, ImportRequest, ImportSummary, Progress, RowError, register_importer

#: A longer line is refused (an entity is a few kilobytes; this guards memory).
MAX_LINE_BYTES = 1024 * 1024


class _Rollback(Exception):
    pass


@register_importer
class FtmImporter(Importer):
    """FtM JSON lines into one contribution's entity records."""

    kind = "ftm"
    label = gettext_lazy("FollowTheMoney entities (JSON lines)")
    extensions = (".json", ".jsonl", ".ftm")

    def run(self, request: ImportRequest, progress: Progress) -> ImportSummary:
        summary = ImportSummary()
        errors: list[RowError] = []
        size = max(os.path.getsize(request.path), 1)
        try:
            # A savepoint of our own: even a caller that forgot its transaction keeps nothing.
            with transaction.atomic():
                errors = entities_store(
                    request=request, entities=self._lines(request, size, progress), summary=summary
                )
                errors = sorted([*self._read_errors, *errors], key=_order)
                if errors:
                    raise _Rollback
        except _Rollback:
            raise ImportAborted(errors) from None
        progress(1.0)
        return summary

    _read_errors: list[RowError]

    def _lines(
        self, request: ImportRequest, size: int, progress: Progress
    ) -> Iterator[tuple[int | None, dict[str, Any]]]:
        self._read_errors = []
        done = 0
        with open(request.path, "rb") as handle:
            for number, raw in enumerate(handle, start=1):
                done += len(raw)
                if number % 500 == 0:
                    progress(min(done / size, 0.99))
                if len(raw) > MAX_LINE_BYTES:
                    self._read_errors.append(
                        RowError(
                            number, "", _("The line is longer than %(max)s bytes.") % {"max": MAX_LINE_BYTES}
                        )
                    )
                    continue
                try:
                    text = raw.decode("utf-8-sig" if number == 1 else "utf-8")
                except UnicodeDecodeError:
                    self._read_errors.append(RowError(number, "", _("The line is not UTF-8 text.")))
                    continue
                if not text.strip():
                    continue
                try:
                    data = json.loads(text)
                except json.JSONDecodeError as error:
                    self._read_errors.append(
                        RowError(number, "", _("Invalid JSON: %(reason)s.") % {"reason": error.msg})
                    )
                    continue
                yield number, data
        if done == 0:
            self._read_errors.append(RowError(None, "", _("The file is empty.")))


def _order(error: RowError) -> tuple[int, str]:
    return (error.row or 0, error.column)
