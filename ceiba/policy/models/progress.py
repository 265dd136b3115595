"""Progress reports: what an action's leader reports each period (narrative, status, KPI values,
results). A report stays under the reporting state's control: the secretariat always reads it,
others only if the state chose so (its dissemination scope)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ceiba.common.locking import VersionedModel
from ceiba.common.models import TimeStampedModel
from ceiba.core.models import Organisation, State
from ceiba.sharing.choices import TLP, Scope

from ..choices import ActionStatus
from .cycle import Kpi, OperationalAction

#: A progress report always reaches the secretariat, which follows the plans up.
PROGRESS_SCOPES = (Scope.SECRETARIAT, Scope.NAMED, Scope.ALL_MEMBERS)


class ProgressReport(VersionedModel, TimeStampedModel):
    """One periodic progress report on an operational action, filed by its leader (an agency of the
    leading state, or the leading regional body): the period covered, a narrative, the action's status
    and progress, and KPI values. The reporting organisation chooses who beyond the secretariat reads
    it (TLP marking and dissemination, as for every contribution). Its agency's action leaders and the
    state's focal point correct it (`lock_version`: concurrent corrections are detected)."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("reported by (agency)"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.ForeignKey(
        State,
        verbose_name=_("reporting state"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    tlp = models.CharField(_("TLP marking"), max_length=16, choices=TLP.choices, default=TLP.AMBER)
    scope = models.CharField(
        _("dissemination"), max_length=16, choices=Scope.choices, default=Scope.SECRETARIAT
    )
    shared_with_states = models.ManyToManyField(
        State, verbose_name=_("shared with states"), blank=True, related_name="+"
    )
    shared_with_organisations = models.ManyToManyField(
        Organisation, verbose_name=_("shared with organisations"), blank=True, related_name="+"
    )

    action = models.ForeignKey(
        OperationalAction, verbose_name=_("action"), on_delete=models.PROTECT, related_name="progress_reports"
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    status = models.CharField(_("action status"), max_length=16, choices=ActionStatus.choices)
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"),
        validators=[MaxValueValidator(100)],
        help_text=_("How far the action has got, 0–100."),
    )
    narrative = models.TextField(_("narrative"))
    import_batch = models.CharField(
        _("imported in"),
        max_length=36,
        blank=True,
        editable=False,
        help_text=_("The CSV upload it came from."),
    )
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["action", "-period_end"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.UniqueConstraint(fields=["action", "period_end"], name="progress_report_period_once")
        ]

    def __str__(self) -> str:
        return f"{self.action.code} · {self.period_end}"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.organisation_id is not None:
            self.state_id = self.organisation.state_id
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = _("A reporting period cannot end before it starts.")
        if self.scope not in PROGRESS_SCOPES:
            errors["scope"] = _("A progress report always reaches the secretariat: choose who else reads it.")
        if self.tlp == TLP.RED and self.scope == Scope.ALL_MEMBERS:
            errors["scope"] = _("A TLP:RED report goes to named recipients only.")
        if errors:
            raise ValidationError(errors)


class KpiValue(models.Model):
    """A KPI's value as reported in one progress report, in the KPI's unit."""

    report = models.ForeignKey(
        ProgressReport, verbose_name=_("progress report"), on_delete=models.CASCADE, related_name="kpi_values"
    )
    kpi = models.ForeignKey(Kpi, verbose_name=_("KPI"), on_delete=models.PROTECT, related_name="values")
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=16)

    class Meta:
        ordering = ["report", "kpi__code"]
        verbose_name = _("KPI value")
        verbose_name_plural = _("KPI values")
        constraints = [models.UniqueConstraint(fields=["report", "kpi"], name="kpi_value_once")]

    def __str__(self) -> str:
        return f"{self.kpi.code} = {self.value} {self.unit}"

    def clean(self) -> None:
        super().clean()
        if self.kpi_id is None:
            return
        errors: dict[str, Any] = {}
        if self.unit != self.kpi.unit:
            errors["unit"] = _("%(kpi)s is counted in %(expected)s, not in “%(given)s”.") % {
                "kpi": self.kpi.code,
                "expected": self.kpi.get_unit_display(),
                "given": self.unit,
            }
        if self.report_id and self.kpi.action_id != self.report.action_id:
            errors["kpi"] = _("%(kpi)s is not a KPI of this action.") % {"kpi": self.kpi.code}
        if errors:
            raise ValidationError(errors)
