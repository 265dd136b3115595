"""The evaluation of a policy cycle: figures computed from the cycle's data and the lessons the
secretariat records; a final evaluation keeps its figures and feeds the next cycle."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ceiba.common.models import TimeStampedModel

from ..choices import EvaluationStatus
from .cycle import PolicyCycle


class Lesson(TimeStampedModel):
    """A lesson the secretariat records during or at the end of a cycle."""

    cycle = models.ForeignKey(
        PolicyCycle, verbose_name=_("cycle"), on_delete=models.CASCADE, related_name="lessons"
    )
    title = models.CharField(_("title"), max_length=250)
    text = models.TextField(_("lesson"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["cycle", "created_at"]
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def __str__(self) -> str:
        return self.title


class CycleEvaluation(TimeStampedModel):
    """A cycle's evaluation. While a draft its figures are recomputed from the data; once final they
    are frozen, with when and by whom."""

    cycle = models.OneToOneField(
        PolicyCycle, verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="evaluation"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=EvaluationStatus.choices, default=EvaluationStatus.DRAFT
    )
    summary = models.TextField(_("summary"), blank=True)
    figures = models.JSONField(_("figures"), default=dict, blank=True, editable=False)
    finalised_at = models.DateTimeField(_("finalised"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("finalised by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("cycle evaluation")
        verbose_name_plural = _("cycle evaluations")

    def __str__(self) -> str:
        return str(self.cycle)
