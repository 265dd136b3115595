"""Recommendations addressed to states or bodies, and the follow-up of their implementation: each
addressee reports with evidence, the secretariat validates."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ceiba.common.locking import VersionedModel
from ceiba.common.models import TimeStampedModel
from ceiba.core.models import Organisation, State
from ceiba.documentation.models.attachments import attachment_storage

from ..choices import ImplementationStatus, RecommendationSource, ReviewStatus, Visibility
from .committee import Decision, Meeting
from .cycle import PolicyCycle


class Recommendation(VersionedModel, TimeStampedModel):
    """A recommendation from a meeting, a decision, a conference or an evaluation, addressed to one
    or more states or bodies, to be implemented by a deadline."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=250)
    text = models.TextField(_("text"))
    source = models.CharField(_("source"), max_length=16, choices=RecommendationSource.choices)
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recommendations",
    )
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("decision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recommendations",
    )
    source_reference = models.CharField(
        _("source reference"),
        max_length=250,
        blank=True,
        help_text=_("For a conference or an evaluation: its name and date."),
    )
    cycle = models.ForeignKey(
        PolicyCycle,
        verbose_name=_("cycle"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recommendations",
    )
    deadline = models.DateField(_("deadline"))
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["deadline", "code"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.source == RecommendationSource.MEETING and self.meeting_id is None:
            errors["meeting"] = _("Name the meeting the recommendation comes from.")
        if self.source == RecommendationSource.DECISION and self.decision_id is None:
            errors["decision"] = _("Name the decision the recommendation comes from.")
        if (
            self.source in (RecommendationSource.CONFERENCE, RecommendationSource.EVALUATION)
            and not self.source_reference.strip()
        ):
            errors["source_reference"] = _("Name the conference or evaluation and its date.")
        if errors:
            raise ValidationError(errors)


class Addressee(models.Model):
    """A state or body a recommendation is addressed to, with its implementation status as last
    validated by the secretariat."""

    recommendation = models.ForeignKey(
        Recommendation, verbose_name=_("recommendation"), on_delete=models.CASCADE, related_name="addressees"
    )
    state = models.ForeignKey(
        State, verbose_name=_("state"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("implementation"),
        max_length=24,
        choices=ImplementationStatus.choices,
        default=ImplementationStatus.NOT_STARTED,
        db_index=True,
    )
    status_validated_on = models.DateField(_("validated on"), null=True, blank=True)

    class Meta:
        ordering = ["recommendation", "state__english_name", "organisation__name"]
        verbose_name = _("addressee")
        verbose_name_plural = _("addressees")
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "state"],
                condition=models.Q(state__isnull=False),
                name="addressee_state_once",
            ),
            models.UniqueConstraint(
                fields=["recommendation", "organisation"],
                condition=models.Q(organisation__isnull=False),
                name="addressee_organisation_once",
            ),
        ]

    def __str__(self) -> str:
        return str(self.state or self.organisation)

    def clean(self) -> None:
        super().clean()
        if (self.state_id is None) == (self.organisation_id is None):
            raise ValidationError({"state": _("Address the recommendation to a state or to a body.")})


def evidence_path(instance: ImplementationReport, filename: str) -> str:
    return f"policy/recommendations/{instance.addressee.recommendation_id}/{filename}"


class ImplementationReport(TimeStampedModel):
    """What an addressee reports on its implementation of a recommendation, with evidence; the
    secretariat validates it or returns it."""

    addressee = models.ForeignKey(
        Addressee, verbose_name=_("addressee"), on_delete=models.CASCADE, related_name="reports"
    )
    status = models.CharField(_("implementation"), max_length=24, choices=ImplementationStatus.choices)
    narrative = models.TextField(_("what was done"))
    evidence_url = models.URLField(_("evidence (link)"), blank=True)
    evidence_file = models.FileField(
        _("evidence (file)"),
        upload_to=evidence_path,
        storage=attachment_storage,
        blank=True,
        max_length=300,
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    review = models.CharField(
        _("validation"),
        max_length=16,
        choices=ReviewStatus.choices,
        default=ReviewStatus.PENDING,
        db_index=True,
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("validated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("validated"), null=True, blank=True)
    review_note = models.TextField(_("secretariat's note"), blank=True)

    class Meta:
        ordering = ["addressee", "-created_at"]
        verbose_name = _("implementation report")
        verbose_name_plural = _("implementation reports")

    def __str__(self) -> str:
        return f"{self.addressee}: {self.get_status_display()}"

    def clean(self) -> None:
        super().clean()
        needs_evidence = self.status in (ImplementationStatus.PARTIAL, ImplementationStatus.IMPLEMENTED)
        if needs_evidence and not (self.evidence_url or self.evidence_file):
            raise ValidationError(
                {"evidence_url": _("Implementation is reported with evidence: give a link or a file.")}
            )
