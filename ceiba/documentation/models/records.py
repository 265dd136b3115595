"""Threat documentation (the IDEAL instrument's input side): the crime-area taxonomy, assessment
cycles, each state's contribution to a cycle and the threat reports it contains."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ceiba.common.models import TimeStampedModel
from ceiba.core.choices import Subregion
from ceiba.core.models import State

from ..choices import (
    HARM_DIMENSIONS,
    INDICATOR_SCORE_MAX,
    INDICATOR_SCORE_MIN,
    NETWORK_INDICATOR_CHOICES,
    NETWORK_INDICATORS,
    ContributionStatus,
    CycleStatus,
    Enabler,
    GociMarket,
    HarmLevel,
    IndicatorScore,
    NetworkSize,
    NetworkStructure,
    ThreatScale,
    Trend,
)
from ..taxonomy import CRIME_AREA_NAMES
from .contributed import ContributedRecord


class CrimeArea(models.Model):
    """One node of the crime-area taxonomy (seeded from `taxonomy.CRIME_AREAS`, named by its code)."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    goci_market = models.CharField(
        _("Global Organized Crime Index market"), max_length=40, choices=GociMarket.choices, blank=True
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("crime area")
        verbose_name_plural = _("crime areas")

    def __str__(self) -> str:
        return str(self.name)

    @property
    def name(self) -> str:
        return str(CRIME_AREA_NAMES.get(self.code, self.code))


class AssessmentCycle(TimeStampedModel):
    """A round of the regional assessment (e.g. "IDEAL 2026"): the crime areas states document and
    the deadline for their contributions. The secretariat opens it."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    contribution_deadline = models.DateField(_("contribution deadline"))
    crime_areas = models.ManyToManyField(
        CrimeArea, verbose_name=_("crime areas in scope"), related_name="cycles"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=CycleStatus.choices, default=CycleStatus.OPEN, db_index=True
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-contribution_deadline", "name"]
        verbose_name = _("assessment cycle")
        verbose_name_plural = _("assessment cycles")

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status == CycleStatus.OPEN

    @property
    def is_past_deadline(self) -> bool:
        return timezone.localdate() > self.contribution_deadline


class Contribution(TimeStampedModel):
    """One member state's contribution to a cycle: drafted by its analysts, submitted by its focal
    point, validated or returned by the secretariat. Each transition is audited."""

    cycle = models.ForeignKey(
        AssessmentCycle, verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="contributions"
    )
    state = models.ForeignKey(State, verbose_name=_("state"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ContributionStatus.choices,
        default=ContributionStatus.DRAFT,
        db_index=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    review_comments = models.TextField(_("comments of the secretariat"), blank=True)

    class Meta:
        ordering = ["cycle", "state__english_name"]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "state"], name="contribution_one_per_state_per_cycle"),
        ]

    def __str__(self) -> str:
        return f"{self.cycle} · {self.state}"


class ThreatReport(ContributedRecord):
    """A state's assessment of one crime area for a period: geography, scale, trend, harm, modus
    operandi, enablers and a Markdown narrative. Marked, graded and disseminated as a SharedRecord."""

    contribution = models.ForeignKey(
        Contribution, verbose_name=_("contribution"), on_delete=models.PROTECT, related_name="threat_reports"
    )
    crime_area = models.ForeignKey(
        CrimeArea, verbose_name=_("crime area"), on_delete=models.PROTECT, related_name="threat_reports"
    )
    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    affected_states = models.ManyToManyField(
        State, verbose_name=_("states concerned"), blank=True, related_name="+"
    )
    subregions = models.JSONField(_("subregions"), default=list, blank=True)
    border_areas = models.TextField(_("border areas"), blank=True)
    scale = models.PositiveSmallIntegerField(_("scale"), choices=ThreatScale.choices, null=True, blank=True)
    scale_notes = models.CharField(
        _("scale in figures"),
        max_length=300,
        blank=True,
        help_text=_("E.g. seizures, victims, sums involved."),
    )
    trend = models.CharField(_("trend"), max_length=16, choices=Trend.choices, default=Trend.UNKNOWN)
    harm_physical = models.PositiveSmallIntegerField(
        HARM_DIMENSIONS["harm_physical"], choices=HarmLevel.choices, null=True, blank=True
    )
    harm_economic = models.PositiveSmallIntegerField(
        HARM_DIMENSIONS["harm_economic"], choices=HarmLevel.choices, null=True, blank=True
    )
    harm_social = models.PositiveSmallIntegerField(
        HARM_DIMENSIONS["harm_social"], choices=HarmLevel.choices, null=True, blank=True
    )
    harm_environmental = models.PositiveSmallIntegerField(
        HARM_DIMENSIONS["harm_environmental"], choices=HarmLevel.choices, null=True, blank=True
    )
    harm_institutional = models.PositiveSmallIntegerField(
        HARM_DIMENSIONS["harm_institutional"], choices=HarmLevel.choices, null=True, blank=True
    )
    modus_operandi = models.TextField(_("modus operandi"), blank=True)
    enablers = models.JSONField(_("enablers"), default=list, blank=True)
    narrative = models.TextField(
        _("narrative"),
        blank=True,
        help_text=_("Markdown. Links and formatting are kept; scripts are removed."),
    )
    source_id = models.CharField(
        _("source identifier"),
        max_length=200,
        blank=True,
        editable=False,
        help_text=_("The identifier of the record in the file it was imported from (blank if typed in)."),
    )
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["crime_area__position", "-period_end", "pk"]
        verbose_name = _("threat report")
        verbose_name_plural = _("threat reports")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="threat_report_period"
            ),
            models.UniqueConstraint(
                fields=["contribution", "source_id"],
                condition=~models.Q(source_id=""),
                name="threat_report_source_id_once_per_contribution",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def contribution_errors(self) -> dict[str, Any]:
        errors: dict[str, Any] = {}
        if self.period_start and self.period_end:
            if self.period_end < self.period_start:
                errors["period_end"] = _("The period cannot end before it starts.")
            if self.period_start > timezone.localdate():
                errors["period_start"] = _("The period cannot start in the future.")
        if self.contribution_id is not None and self.originator_id is not None:
            cycle_areas = self.contribution.cycle.crime_areas
            if self.crime_area_id is not None and not cycle_areas.filter(pk=self.crime_area_id).exists():
                errors["crime_area"] = _("This crime area is not in the scope of the cycle.")
        if not isinstance(self.subregions, list) or not set(self.subregions) <= set(Subregion.values):
            errors["subregions"] = _("Choose subregions from the list.")
        if not isinstance(self.enablers, list) or not set(self.enablers) <= set(Enabler.values):
            errors["enablers"] = _("Choose enablers from the list.")
        return errors

    def harms(self) -> list[tuple[str, int | None, str]]:
        """(label, level, level label) for each harm dimension; level None means unknown."""
        rows = []
        for field, label in HARM_DIMENSIONS.items():
            value = getattr(self, field)
            shown = HarmLevel(value).label if value is not None else HarmLevel.__empty__
            rows.append((str(label), value, str(shown)))
        return rows

    def get_enablers_display(self) -> list[str]:
        labels = dict(Enabler.choices)
        return [str(labels.get(code, code)) for code in self.enablers]

    def get_subregions_display(self) -> list[str]:
        labels = dict(Subregion.choices)
        return [str(labels.get(code, code)) for code in self.subregions]


class ThreatRoute(models.Model):
    """A route of the threat: where a commodity (or people) comes from, passes through and goes."""

    report = models.ForeignKey(
        ThreatReport, verbose_name=_("threat report"), on_delete=models.CASCADE, related_name="routes"
    )
    origin = models.ForeignKey(
        State, verbose_name=_("origin"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    transit = models.ManyToManyField(State, verbose_name=_("transit"), blank=True, related_name="+")
    destination = models.ForeignKey(
        State,
        verbose_name=_("destination"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    commodity = models.CharField(_("commodity"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["report", "position", "pk"]
        verbose_name = _("route")
        verbose_name_plural = _("routes")

    def __str__(self) -> str:
        ends = " → ".join(str(s) for s in (self.origin, self.destination) if s is not None)
        return f"{self.commodity}: {ends}" if ends else self.commodity

    def clean(self) -> None:
        if self.origin_id is None and self.destination_id is None:
            raise ValidationError(_("A route needs an origin or a destination."))


class CriminalNetwork(ContributedRecord):
    """A state's profile of a criminal network: alias, crime areas, countries of activity, size,
    structure and the actor indicators of the methodology (scored in `NetworkIndicatorScore`).
    Marked, graded and disseminated as a SharedRecord; released with its contribution."""

    contribution = models.ForeignKey(
        Contribution, verbose_name=_("contribution"), on_delete=models.PROTECT, related_name="networks"
    )
    alias = models.CharField(
        _("alias"), max_length=200, help_text=_("The name under which the network is known.")
    )
    main_crime_area = models.ForeignKey(
        CrimeArea, verbose_name=_("main crime area"), on_delete=models.PROTECT, related_name="networks"
    )
    secondary_crime_areas = models.ManyToManyField(
        CrimeArea, verbose_name=_("secondary crime areas"), blank=True, related_name="+"
    )
    countries = models.ManyToManyField(
        State, verbose_name=_("countries of activity"), blank=True, related_name="+"
    )
    size_band = models.CharField(
        _("size"), max_length=16, choices=NetworkSize.choices, default=NetworkSize.UNKNOWN
    )
    structure = models.CharField(
        _("structure"), max_length=16, choices=NetworkStructure.choices, default=NetworkStructure.UNKNOWN
    )
    summary = models.TextField(_("summary"), blank=True)
    source_id = models.CharField(
        _("source identifier"),
        max_length=200,
        blank=True,
        editable=False,
        help_text=_("The identifier of the record in the file it was imported from (blank if typed in)."),
    )
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["alias", "pk"]
        verbose_name = _("criminal network")
        verbose_name_plural = _("criminal networks")
        constraints = [
            models.UniqueConstraint(
                fields=["contribution", "source_id"],
                condition=~models.Q(source_id=""),
                name="network_source_id_once_per_contribution",
            ),
        ]

    def __str__(self) -> str:
        return self.alias

    def indicator_rows(self) -> list[tuple[str, Any, Any, NetworkIndicatorScore | None]]:
        """(code, label, help, stored score or None) for every indicator, in the methodology's order
        (uses the prefetched `indicator_scores`)."""
        stored = {row.indicator: row for row in self.indicator_scores.all()}
        return [(code, label, help_text, stored.get(code)) for code, label, help_text in NETWORK_INDICATORS]


class NetworkIndicatorScore(models.Model):
    """The score of one actor indicator for one network: 0–4, NULL meaning "unknown" (not 0)."""

    network = models.ForeignKey(
        CriminalNetwork,
        verbose_name=_("criminal network"),
        on_delete=models.CASCADE,
        related_name="indicator_scores",
    )
    indicator = models.CharField(_("indicator"), max_length=40, choices=NETWORK_INDICATOR_CHOICES)
    score = models.PositiveSmallIntegerField(
        _("score"), choices=IndicatorScore.choices, null=True, blank=True
    )
    rationale = models.TextField(_("rationale"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["network", "indicator"]
        verbose_name = _("indicator score")
        verbose_name_plural = _("indicator scores")
        constraints = [
            models.UniqueConstraint(fields=["network", "indicator"], name="network_indicator_once"),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True)
                | models.Q(score__gte=INDICATOR_SCORE_MIN, score__lte=INDICATOR_SCORE_MAX),
                name="network_indicator_score_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.network} · {self.get_indicator_display()}"

    @property
    def is_unknown(self) -> bool:
        return self.score is None
