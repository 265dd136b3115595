"""Stored methodologies, indicator tables and immutable assessment runs.

The arithmetic lives in `scoring` (pure NumPy); these models keep what it was given and what it
returned, so that every number can be explained and reproduced (docs/decisions/0041)."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ceiba.common.models import TimeStampedModel
from ceiba.documentation.models import AssessmentCycle, CrimeArea
from ceiba.sharing.choices import TLP

from .choices import Audience, PriorityListStatus, RunKind
from .methodology import Methodology, load_methodology


@lru_cache(maxsize=32)
def _parse(definition: str) -> Methodology:
    return load_methodology(definition)


class MethodologyVersion(TimeStampedModel):
    """One version of a methodology definition (YAML or JSON text, validated). Once a run has used
    it, it is never changed: a change is a new version with the same code."""

    code = models.CharField(_("code"), max_length=60, db_index=True)
    version = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=200)
    definition = models.TextField(_("definition"), help_text=_("YAML or JSON, see docs/methodology.md."))
    definition_hash = models.CharField(_("definition hash"), max_length=64, editable=False)
    change_note = models.TextField(_("what changed"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = _("methodology version")
        verbose_name_plural = _("methodology versions")
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="methodology_version_once")]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"

    @property
    def used(self) -> bool:
        return self.pk is not None and self.runs.exists()

    def parsed(self) -> Methodology:
        """The validated definition (raises `MethodologyError`). Parsed once per text: a stored
        version never changes, and pages, runs and reports ask for it many times."""
        return _parse(self.definition)

    @property
    def is_composite(self) -> bool:
        try:
            return self.parsed().composite is not None
        except ValueError:
            return False

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            stored = type(self).objects.filter(pk=self.pk).values_list("definition", flat=True).first()
            if stored is not None and stored != self.definition and self.used:
                raise ValidationError(
                    _("This version has been used by a run and cannot change: save a new version.")
                )
        self.definition_hash = hashlib.sha256(self.definition.encode("utf-8")).hexdigest()
        super().save(*args, **kwargs)


class IndicatorTable(TimeStampedModel):
    """An external country × indicator table (e.g. an organised-crime index), imported from CSV or
    XLSX for a composite methodology. Public reference data, not member data."""

    name = models.CharField(_("name"), max_length=200)
    source = models.TextField(_("source"), blank=True)
    methodology = models.ForeignKey(
        MethodologyVersion,
        verbose_name=_("methodology"),
        on_delete=models.PROTECT,
        related_name="indicator_tables",
        help_text=_("The composite methodology whose indicators the table holds."),
    )
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    #: {"indicators": [...], "rows": {"ISO3": [value or null, ...]}} with ISO3 codes sorted.
    content = models.JSONField(_("content"), default=dict)
    content_hash = models.CharField(_("content hash"), max_length=64, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("indicator table")
        verbose_name_plural = _("indicator tables")

    def __str__(self) -> str:
        return self.name


class AssessmentRun(models.Model):
    """One run of a methodology version over a cycle's validated contributions (or an indicator
    table). Immutable once written: inputs, their hashes, the code version and every result."""

    kind = models.CharField(_("kind"), max_length=8, choices=RunKind.choices, default=RunKind.CYCLE)
    title = models.CharField(_("title"), max_length=200)
    methodology = models.ForeignKey(
        MethodologyVersion, verbose_name=_("methodology"), on_delete=models.PROTECT, related_name="runs"
    )
    cycle = models.ForeignKey(
        AssessmentCycle,
        verbose_name=_("cycle"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assessment_runs",
    )
    indicator_table = models.ForeignKey(
        IndicatorTable,
        verbose_name=_("indicator table"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="runs",
    )
    audience = models.CharField(
        _("audience"), max_length=16, choices=Audience.choices, default=Audience.RESTRICTED, db_index=True
    )
    tlp = models.CharField(
        _("marking"),
        max_length=16,
        choices=TLP.choices,
        default=TLP.CLEAR,
        help_text=_("The most restrictive marking of the run's inputs."),
    )
    input_hash = models.CharField(_("input hash"), max_length=64, db_index=True)
    methodology_hash = models.CharField(_("methodology hash"), max_length=64)
    code_version = models.CharField(_("code version"), max_length=200)
    samples = models.PositiveIntegerField(_("sensitivity samples"), default=1000)
    spread = models.FloatField(_("weight spread"), default=0.2)
    seed = models.PositiveIntegerField(_("seed"), default=0)
    #: The inputs as scored (canonical order), with the record each came from and its own hash.
    inputs = models.JSONField(_("inputs"), default=dict)
    #: Everything the core returned, NaN as null (see `runs.results_of`).
    results = models.JSONField(_("results"), default=dict)
    counts = models.JSONField(_("counts"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("run by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("run at"), auto_now_add=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    priorities_status = models.CharField(
        _("priorities"),
        max_length=16,
        choices=PriorityListStatus.choices,
        default=PriorityListStatus.PROPOSED,
    )
    frozen_at = models.DateTimeField(_("frozen"), null=True, blank=True)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("frozen by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handed_over_at = models.DateTimeField(_("handed over"), null=True, blank=True)
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handed over by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    #: Fields that may change after the run is written (publication and the priority workflow).
    MUTABLE_FIELDS = frozenset(
        {
            "published_at",
            "priorities_status",
            "frozen_at",
            "frozen_by",
            "handed_over_at",
            "handed_over_by",
        }
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("assessment run")
        verbose_name_plural = _("assessment runs")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind=RunKind.CYCLE) & models.Q(cycle__isnull=False))
                | (models.Q(kind=RunKind.TABLE) & models.Q(indicator_table__isnull=False)),
                name="assessment_run_has_its_inputs",
            ),
            models.CheckConstraint(
                condition=models.Q(published_at__isnull=True) | models.Q(audience=Audience.PUBLIC),
                name="assessment_run_only_public_published",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            update_fields = kwargs.get("update_fields")
            if update_fields is None or not set(update_fields) <= self.MUTABLE_FIELDS:
                raise ValidationError(_("An assessment run is immutable once written."))
        super().save(*args, **kwargs)

    @property
    def is_public(self) -> bool:
        return self.audience == Audience.PUBLIC

    @property
    def priorities_editable(self) -> bool:
        return self.priorities_status == PriorityListStatus.PROPOSED


class RecommendedPriority(models.Model):
    """One item of a run's recommended priorities. The secretariat edits the rationale until the
    list is frozen; the computed part (rank, score, drivers) never changes."""

    run = models.ForeignKey(
        AssessmentRun, verbose_name=_("run"), on_delete=models.CASCADE, related_name="priorities"
    )
    rank = models.PositiveSmallIntegerField(_("rank"))
    crime_area = models.ForeignKey(
        CrimeArea, verbose_name=_("crime area"), on_delete=models.PROTECT, related_name="+"
    )
    score = models.FloatField(_("score"), null=True, blank=True)
    coverage = models.FloatField(_("coverage"))
    probability = models.FloatField(
        _("stability"),
        null=True,
        blank=True,
        help_text=_("Share of the sensitivity samples in which the crime area stays recommended."),
    )
    mandatory = models.BooleanField(_("mandatory"), default=False)
    by_score = models.BooleanField(_("recommended on its score"), default=True)
    drivers = models.JSONField(_("drivers"), default=list)
    networks = models.JSONField(_("highest-scoring networks"), default=list)
    computed_rationale = models.TextField(_("computed rationale"))
    rationale = models.TextField(_("rationale"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["run", "rank"]
        verbose_name = _("recommended priority")
        verbose_name_plural = _("recommended priorities")
        constraints = [
            models.UniqueConstraint(fields=["run", "rank"], name="priority_rank_once"),
            models.UniqueConstraint(fields=["run", "crime_area"], name="priority_area_once"),
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.crime_area}"
