"""Indicators, their observations by state and year, the publisher releases they came from, the
states' transparency measures and the secretariat's alert rules."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ceiba.common.models import TimeStampedModel
from ceiba.core.models import State

from .choices import (
    AlertStatus,
    ArmsCategory,
    Censor,
    DocumentLanguage,
    MeasureType,
    Periodicity,
    ReleaseStatus,
    SourceFormat,
    Theme,
)


def translated(text: str) -> str:
    """A stored text in the reader's language when it is a catalogue message id, else as written."""
    return gettext(text) if text else ""


class Indicator(TimeStampedModel):
    """A published statistic with its metadata (definition, unit, source, licence, method) and the
    rule that tells the importers which rows of a publisher file feed it."""

    slug = models.SlugField(_("code"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    theme = models.CharField(_("theme"), max_length=16, choices=Theme.choices, db_index=True)
    definition = models.TextField(_("definition"))
    unit = models.CharField(_("unit"), max_length=100)
    decimals = models.PositiveSmallIntegerField(_("decimals shown"), default=1)
    publisher = models.CharField(_("publisher"), max_length=200)
    source_name = models.CharField(_("source"), max_length=300)
    source_url = models.URLField(_("source address"), blank=True)
    licence = models.CharField(_("licence"), max_length=200)
    licence_url = models.URLField(_("licence address"), blank=True)
    attribution = models.CharField(_("attribution"), max_length=300)
    periodicity = models.CharField(
        _("periodicity"), max_length=16, choices=Periodicity.choices, default=Periodicity.ANNUAL
    )
    method_notes = models.TextField(_("method notes"), blank=True)
    source_format = models.CharField(_("file format"), max_length=32, choices=SourceFormat.choices)
    source_selector = models.JSONField(
        _("rows read"),
        default=dict,
        blank=True,
        help_text=_("Which rows or column of the publisher file feed this indicator."),
    )
    higher_is_worse = models.BooleanField(
        _("a higher value is a concern"),
        default=True,
        help_text=_("Rank 1 is the highest value when checked."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_published = models.BooleanField(_("published"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.label

    # Seeded texts are gettext message ids (ceiba/observatory/catalogue.py), so they show in the
    # reader's language; texts the secretariat edits are shown as written.
    label = property(lambda self: translated(self.name))
    definition_text = property(lambda self: translated(self.definition))
    unit_text = property(lambda self: translated(self.unit))
    method_text = property(lambda self: translated(self.method_notes))
    source_text = property(lambda self: translated(self.source_name))
    publisher_text = property(lambda self: translated(self.publisher))
    licence_text = property(lambda self: translated(self.licence))
    attribution_text = property(lambda self: translated(self.attribution))


class Release(models.Model):
    """One import of one publisher file: which release it was, what it stored, skipped and flagged.
    Values keep a pointer to the release that last published them, so a chart can cite it."""

    source_format = models.CharField(_("file format"), max_length=32, choices=SourceFormat.choices)
    file_name = models.CharField(_("file"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    publisher_date = models.DateField(_("publisher's release date"), null=True, blank=True)
    imported_at = models.DateTimeField(_("imported"), default=timezone.now, db_index=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    indicators = models.ManyToManyField(
        Indicator, verbose_name=_("indicators"), related_name="releases", blank=True
    )
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    values_created = models.PositiveIntegerField(_("values added"), default=0)
    values_updated = models.PositiveIntegerField(_("values revised"), default=0)
    values_unchanged = models.PositiveIntegerField(_("values confirmed"), default=0)
    values_missing = models.PositiveIntegerField(
        _("values missing from this release"),
        default=0,
        help_text=_("Kept from the previous release until reviewed."),
    )
    report = models.JSONField(_("report"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ReleaseStatus.choices, default=ReleaseStatus.IMPORTED
    )
    review_note = models.TextField(_("review note"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    class Meta:
        ordering = ["-imported_at", "-id"]
        verbose_name = _("release")
        verbose_name_plural = _("releases")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.publisher_date:
            return gettext("%(file)s, published %(date)s") % {
                "file": self.file_name,
                "date": self.publisher_date.isoformat(),
            }
        return gettext("%(file)s, imported %(date)s") % {
            "file": self.file_name,
            "date": self.imported_at.date().isoformat(),
        }


class Observation(models.Model):
    """One value of an indicator for one state and year. The headline value has no disaggregation;
    disaggregated values (by type, sex, age…) carry the publisher's dimension and category."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="observations"
    )
    state = models.ForeignKey(
        State, verbose_name=_("state"), on_delete=models.PROTECT, related_name="observations"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    dimension = models.CharField(_("dimension"), max_length=120, blank=True, default="")
    category = models.CharField(_("category"), max_length=250, blank=True, default="")
    sex = models.CharField(_("sex"), max_length=20, blank=True, default="")
    age = models.CharField(_("age"), max_length=40, blank=True, default="")
    value = models.FloatField(_("value"), null=True, blank=True)
    censor = models.CharField(
        _("censoring"), max_length=1, choices=Censor.choices, blank=True, default=Censor.EXACT
    )
    value_text = models.CharField(_("value as published"), max_length=40, blank=True)
    source_note = models.CharField(_("source code"), max_length=60, blank=True)
    release = models.ForeignKey(
        Release, verbose_name=_("release"), on_delete=models.PROTECT, related_name="observations"
    )

    class Meta:
        ordering = ["indicator", "state", "year"]
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "state", "year", "dimension", "category", "sex", "age"],
                name="observation_unique_cell",
            ),
        ]
        indexes = [
            models.Index(fields=["indicator", "dimension", "year"], name="observation_series"),
            models.Index(fields=["state", "indicator"], name="observation_state"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.slug} {self.state_id} {self.year}: {self.display_value}"

    @property
    def is_headline(self) -> bool:
        return not (self.dimension or self.category or self.sex or self.age)

    @property
    def display_value(self) -> str:
        if self.value_text:
            return self.value_text
        return "" if self.value is None else f"{self.value:g}"


class ObservationRevision(models.Model):
    """A value as an earlier release published it, kept when a newer release revised it."""

    observation = models.ForeignKey(
        Observation, verbose_name=_("observation"), on_delete=models.CASCADE, related_name="revisions"
    )
    value = models.FloatField(_("value"), null=True, blank=True)
    censor = models.CharField(
        _("censoring"), max_length=1, choices=Censor.choices, blank=True, default=Censor.EXACT
    )
    value_text = models.CharField(_("value as published"), max_length=40, blank=True)
    release = models.ForeignKey(
        Release, verbose_name=_("release"), on_delete=models.PROTECT, related_name="revised_values"
    )
    replaced_by = models.ForeignKey(
        Release, verbose_name=_("replaced by"), on_delete=models.PROTECT, related_name="revisions"
    )
    replaced_at = models.DateTimeField(_("replaced"), default=timezone.now)

    class Meta:
        ordering = ["-replaced_at", "-id"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")

    def __str__(self) -> str:
        return f"{self.observation_id} @ {self.release_id}"


class CountryAlias(models.Model):
    """A country name as a publisher writes it, matched to a state by the secretariat, so tables with
    names only (no ISO codes) import without manual editing next time."""

    name = models.CharField(_("name in the file"), max_length=200, unique=True)
    state = models.ForeignKey(
        State, verbose_name=_("state"), on_delete=models.CASCADE, related_name="name_aliases"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("country name alias")
        verbose_name_plural = _("country name aliases")

    def __str__(self) -> str:
        return f"{self.name} → {self.state.iso3}"


class CacheStamp(models.Model):
    """A token that changes whenever published data change; it is part of every cache key of the
    public pages, so an import in any process invalidates the pages cached by every other."""

    key = models.CharField(max_length=32, unique=True)
    token = models.UUIDField(default=uuid.uuid4)

    class Meta:
        verbose_name = _("cache stamp")

    def __str__(self) -> str:
        return f"{self.key}: {self.token}"


# --- transparency and confidence-building measures --------------------------------------------------


class WhitePaper(TimeStampedModel):
    """A defence white paper (or equivalent national defence policy document) a state published."""

    state = models.ForeignKey(
        State, verbose_name=_("state"), on_delete=models.PROTECT, related_name="white_papers"
    )
    title = models.CharField(_("title"), max_length=300)
    year = models.PositiveSmallIntegerField(_("year"))
    language = models.CharField(_("language"), max_length=8, choices=DocumentLanguage.choices)
    document = models.FileField(_("document"), upload_to="observatory/white-papers/", blank=True)
    url = models.URLField(_("address of the document"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("defence white paper")
        verbose_name_plural = _("defence white papers")

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"

    def clean(self) -> None:
        if not self.document and not self.url:
            raise ValidationError(
                {"url": _("Attach the document or give the address where it is published.")}
            )
        if self.year and not 1900 <= self.year <= timezone.now().year + 1:
            raise ValidationError({"year": _("Enter the year the document was published.")})


class ArmsRegisterReport(TimeStampedModel):
    """A state's submission to the UN Register of Conventional Arms for one year: the categories it
    reported transfers in, or a nil report."""

    state = models.ForeignKey(
        State, verbose_name=_("state"), on_delete=models.PROTECT, related_name="arms_register_reports"
    )
    year = models.PositiveSmallIntegerField(_("year reported"))
    nil_report = models.BooleanField(
        _("nil report"), default=False, help_text=_("No transfers to report in any category.")
    )
    categories = models.JSONField(_("categories reported"), default=list, blank=True)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("UN Register of Conventional Arms submission")
        verbose_name_plural = _("UN Register of Conventional Arms submissions")
        constraints = [
            models.UniqueConstraint(
                fields=["state", "year"],
                name="arms_register_one_per_year",
                violation_error_message=_(
                    "This state already has a submission for this year: edit it instead."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.state_id} {self.year}"

    @property
    def category_labels(self) -> list[str]:
        labels = dict(ArmsCategory.choices)
        return [str(labels.get(c, c)) for c in self.categories]

    def clean(self) -> None:
        known = set(ArmsCategory.values)
        categories = list(self.categories or [])
        unknown = [c for c in categories if c not in known]
        if unknown:
            raise ValidationError(
                {"categories": _("Unknown category: %(c)s.") % {"c": ", ".join(map(str, unknown))}}
            )
        if self.nil_report and categories:
            raise ValidationError(
                {"nil_report": _("A nil report lists no category: untick the categories or the nil report.")}
            )
        if not self.nil_report and not categories:
            raise ValidationError(
                {"categories": _("Tick the categories reported, or mark the submission as a nil report.")}
            )
        if self.year and not 1992 <= self.year <= timezone.now().year:
            raise ValidationError({"year": _("The Register covers transfers from 1992 to the past year.")})


class ConfidenceMeasure(TimeStampedModel):
    """A confidence- and security-building measure a state carried out, with its partners and date."""

    state = models.ForeignKey(
        State, verbose_name=_("state"), on_delete=models.PROTECT, related_name="confidence_measures"
    )
    kind = models.CharField(_("type"), max_length=32, choices=MeasureType.choices)
    partners = models.ManyToManyField(State, verbose_name=_("partner states"), blank=True, related_name="+")
    other_partners = models.CharField(_("other partners"), max_length=300, blank=True)
    date = models.DateField(_("date"))
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords(m2m_fields=[partners])

    class Meta:
        ordering = ["-date"]
        verbose_name = _("confidence-building measure")
        verbose_name_plural = _("confidence-building measures")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.date})"


# --- alerts ---------------------------------------------------------------------------------------


class AlertRule(TimeStampedModel):
    """A threshold rule the secretariat sets on an indicator's series, e.g. `yoy > 20%` (a rise of
    more than 20 % on the year before) or `percentile > 90` (above the regional 90th percentile)."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="alert_rules"
    )
    name = models.CharField(_("name"), max_length=200)
    expression = models.CharField(
        _("condition"),
        max_length=100,
        help_text=_(
            "“yoy > 20%” (rise of more than 20 % on the year before) or “percentile > 90” (above the "
            "regional 90th percentile)."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "name"]
        verbose_name = _("alert rule")
        verbose_name_plural = _("alert rules")

    def __str__(self) -> str:
        return f"{self.name} ({self.expression})"

    def clean(self) -> None:
        from .rules import RuleError, parse_rule

        try:
            parse_rule(self.expression or "")
        except RuleError as error:
            raise ValidationError({"expression": str(error)}) from error


class Alert(TimeStampedModel):
    """A value that tripped a rule when a release was imported. The secretariat and the state
    concerned see it at once; the public only once the secretariat has reviewed and published it."""

    rule = models.ForeignKey(
        AlertRule, verbose_name=_("rule"), on_delete=models.CASCADE, related_name="alerts"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="alerts"
    )
    state = models.ForeignKey(
        State, verbose_name=_("state"), on_delete=models.PROTECT, related_name="observatory_alerts"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.FloatField(_("value"))
    reference = models.FloatField(_("reference value"), null=True, blank=True)
    message = models.TextField(_("message"))
    release = models.ForeignKey(
        Release,
        verbose_name=_("release"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="alerts",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=AlertStatus.choices, default=AlertStatus.PENDING, db_index=True
    )
    review_note = models.TextField(_("review note"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        constraints = [
            models.UniqueConstraint(fields=["rule", "state", "year"], name="alert_once_per_rule_state_year")
        ]

    def __str__(self) -> str:
        return f"{self.indicator.slug} {self.state_id} {self.year}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.rule_id and not self.indicator_id:
            self.indicator_id = self.rule.indicator_id
        super().save(*args, **kwargs)
