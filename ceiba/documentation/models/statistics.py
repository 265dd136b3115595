"""Statistics (seizures, arrests, incidents) contributed as datasets, and the import runs that bring
files (statistics, FollowTheMoney, STIX, MISP) into a contribution.

A `StatisticsDataset` is a `SharedRecord`: marked, graded and disseminated with its contribution.
Its `StatisticRow`s follow the dataset's policy, so a million rows carry no sharing of their own."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ceiba.common.models import TimeStampedModel
from ceiba.core.models import Organisation, State

from .contributed import ContributedRecord
from .records import Contribution, CrimeArea


class StatisticKind(models.TextChoices):
    SEIZURE = "seizure", _("Seizure")
    ARREST = "arrest", _("Arrest")
    INCIDENT = "incident", _("Incident")


class StatisticUnit(models.TextChoices):
    KILOGRAM = "kg", _("kilograms")
    GRAM = "g", _("grams")
    TONNE = "t", _("tonnes")
    LITRE = "l", _("litres")
    UNIT = "units", _("units")
    DOSE = "doses", _("doses")
    PLANT = "plants", _("plants")
    HECTARE = "ha", _("hectares")
    PERSON = "persons", _("persons")
    CASE = "cases", _("cases")
    FIREARM = "firearms", _("firearms")
    ROUND = "rounds", _("rounds of ammunition")
    USD = "usd", _("US dollars")


class StatisticsDataset(ContributedRecord):
    """A table of statistics a state contributes (usually one imported file): where the figures come
    from, and the marking, dissemination and grading every one of its rows carries."""

    contribution = models.ForeignKey(
        Contribution, verbose_name=_("contribution"), on_delete=models.PROTECT, related_name="datasets"
    )
    title = models.CharField(_("title"), max_length=200)
    source_description = models.TextField(_("source"), blank=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("statistics dataset")
        verbose_name_plural = _("statistics datasets")
        constraints = [
            models.UniqueConstraint(fields=["contribution", "title"], name="statistics_dataset_title_once"),
        ]

    def __str__(self) -> str:
        return self.title


class StatisticRow(models.Model):
    """One figure: a seizure, arrests or incidents in a state (and area) over a day or a period."""

    # Foreign keys without their own index where a composite index below starts with them (fewer
    # indexes to maintain on a million-row import).
    dataset = models.ForeignKey(
        StatisticsDataset,
        verbose_name=_("dataset"),
        on_delete=models.CASCADE,
        related_name="rows",
        db_index=False,
    )
    source_id = models.CharField(_("source identifier"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=StatisticKind.choices)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"))
    state = models.ForeignKey(
        State, verbose_name=_("state"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    subnational_area = models.CharField(_("subnational area"), max_length=200, blank=True)
    crime_area = models.ForeignKey(
        CrimeArea,
        verbose_name=_("crime area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    commodity = models.CharField(_("commodity"), max_length=200, blank=True)
    quantity = models.DecimalField(_("quantity"), max_digits=20, decimal_places=4)
    unit = models.CharField(_("unit"), max_length=16, choices=StatisticUnit.choices)
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ["-period_start", "pk"]
        verbose_name = _("statistic")
        verbose_name_plural = _("statistics")
        constraints = [
            models.UniqueConstraint(fields=["dataset", "source_id"], name="statistic_source_id_once"),
            models.CheckConstraint(condition=models.Q(quantity__gte=0), name="statistic_quantity_positive"),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="statistic_period"
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "period_start"], name="statistic_kind_period"),
            models.Index(fields=["state", "period_start"], name="statistic_state_period"),
            models.Index(fields=["crime_area", "period_start"], name="statistic_area_period"),
            # The lists' order (newest first): their first page reads 50 rows of this index instead
            # of sorting every visible row.
            models.Index(fields=["-period_start", "id"], name="statistic_newest_first"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.quantity} {self.unit} ({self.period_start})"


class StatisticTotal(models.Model):
    """The sum of a dataset's rows per crime area, state, kind and unit, kept by the importers in the
    import's own transaction (`statistics_totals.refresh`). Aggregates (the assessment's context
    figures) read these few rows instead of summing a million; they follow their dataset's policy."""

    dataset = models.ForeignKey(
        StatisticsDataset, verbose_name=_("dataset"), on_delete=models.CASCADE, related_name="totals"
    )
    crime_area = models.ForeignKey(
        CrimeArea,
        verbose_name=_("crime area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    state = models.ForeignKey(State, verbose_name=_("state"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=StatisticKind.choices)
    unit = models.CharField(_("unit"), max_length=16, choices=StatisticUnit.choices)
    total = models.DecimalField(_("total"), max_digits=24, decimal_places=4)
    rows = models.PositiveIntegerField(_("rows"))

    class Meta:
        ordering = ["dataset", "crime_area", "state", "kind", "unit"]
        verbose_name = _("statistics total")
        verbose_name_plural = _("statistics totals")

    def __str__(self) -> str:
        return f"{self.kind} {self.total} {self.unit}"


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the column mapping")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Imported")
    FAILED = "failed", _("Failed")


class ImportRun(TimeStampedModel):
    """One file brought into a contribution by an importer (any registered kind): who, what file
    (stored, with its hash), how far it got, what it did and which rows stopped it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=32)
    contribution = models.ForeignKey(
        Contribution, verbose_name=_("contribution"), on_delete=models.CASCADE, related_name="import_runs"
    )
    originator = models.ForeignKey(
        Organisation, verbose_name=_("originator"), on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    file_name = models.CharField(_("file name"), max_length=255)
    stored_path = models.CharField(_("stored file"), max_length=500)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    defaults = models.JSONField(_("marking and grading"), default=dict, blank=True)
    options = models.JSONField(_("options"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED, db_index=True
    )
    job = models.ForeignKey(
        "common.Job",
        verbose_name=_("job"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.kind}: {self.file_name}"

    @property
    def kind_label(self) -> str:
        """The importer's name in the active language (the code when it is no longer registered)."""
        from ..interchange.base import IMPORTERS

        importer = IMPORTERS.get(self.kind)
        return str(importer.label) if importer is not None else self.kind

    @property
    def is_finished(self) -> bool:
        return self.status in {ImportStatus.SUCCEEDED, ImportStatus.FAILED}
