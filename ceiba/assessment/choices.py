"""The vocabulary of assessment runs."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RunKind(models.TextChoices):
    CYCLE = "cycle", _("Threat assessment of a cycle")
    TABLE = "table", _("Composite index over an indicator table")


class Audience(models.TextChoices):
    """Whose inputs a run may use, hence who may read it (docs/decisions/0041)."""

    PUBLIC = "public", _("Public: only inputs that may go to everyone")
    RESTRICTED = "restricted", _("Restricted: every validated input the secretariat received")


class PriorityListStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    FROZEN = "frozen", _("Frozen")
    HANDED_OVER = "handed_over", _("Handed over to the committee")
