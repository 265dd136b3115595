"""Optimistic locking: a record that people edit in forms carries a `lock_version`; an edit names the
version it started from and is refused when somebody saved the record in between, instead of silently
overwriting their change (issue 5)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models, transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _


class VersionedModel(models.Model):
    """Abstract base of records edited concurrently: `lock_version` grows by one at each save through
    `save_versioned`."""

    lock_version = models.PositiveIntegerField(_("version"), default=0, editable=False)

    class Meta:
        abstract = True


class StaleEdit(Exception):
    """The record changed since the editor loaded it (HTTP 409 in the API)."""

    def __init__(self, obj: models.Model) -> None:
        self.obj = obj
        super().__init__(
            str(
                _(
                    "Somebody else saved this record while you were editing it. Reload it, check "
                    "their changes and apply yours again."
                )
            )
        )


def save_versioned(
    obj: VersionedModel, *, expected_version: int | None, update_fields: Iterable[str] | None = None
) -> None:
    """Save `obj` if its stored version is still `expected_version`, and bump the version.

    The version check and the increment are one UPDATE, so of two concurrent editors exactly one wins
    (the row is locked until the transaction ends). `expected_version=None` means "no check" (for
    services that change a record without a form, e.g. an import that recomputes a status)."""
    model = type(obj)
    with transaction.atomic():
        if obj.pk is None:
            obj.lock_version = 0
            obj.save()
            return
        rows = model._default_manager.filter(pk=obj.pk)
        if expected_version is not None:
            rows = rows.filter(lock_version=expected_version)
        if not rows.update(lock_version=F("lock_version") + 1):
            raise StaleEdit(obj)
        obj.lock_version = model._default_manager.values_list("lock_version", flat=True).get(pk=obj.pk)
        kwargs: dict[str, Any] = {}
        if update_fields is not None:
            kwargs["update_fields"] = [*update_fields, "lock_version"]
        obj.save(**kwargs)
