"""The committee, its pro tempore presidencies, meetings (agenda, documents, participants, minutes)
and decisions (versioned texts, each state's vote or position)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ceiba.common.locking import VersionedModel
from ceiba.common.models import TimeStampedModel
from ceiba.core.models import Organisation, State

from ..choices import (
    DecisionMethod,
    DecisionStatus,
    MajorityRule,
    MeetingFormat,
    MeetingLevel,
    MeetingStatus,
    ParticipantRole,
    Position,
    QuorumRule,
    Visibility,
)


class Committee(TimeStampedModel):
    """A regional committee (e.g. CLASI): its member states, its secretariat and the rules under which
    it decides unless a decision declares others."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    description = models.TextField(_("description"), blank=True)
    secretariat = models.ForeignKey(
        Organisation,
        verbose_name=_("secretariat"),
        on_delete=models.PROTECT,
        related_name="committees_served",
        limit_choices_to={"kind": "secretariat"},
    )
    default_quorum = models.CharField(
        _("quorum"), max_length=16, choices=QuorumRule.choices, default=QuorumRule.TWO_THIRDS
    )
    default_majority = models.CharField(
        _("majority"), max_length=16, choices=MajorityRule.choices, default=MajorityRule.TWO_THIRDS
    )
    cycle_years = models.PositiveSmallIntegerField(_("policy cycle (years)"), default=4)
    action_plan_years = models.PositiveSmallIntegerField(
        _("operational action plans (years)"),
        default=2,
        help_text=_("The period of an operational action plan: 1 or 2 years."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("committee")
        verbose_name_plural = _("committees")

    def __str__(self) -> str:
        return self.acronym or self.name

    def clean(self) -> None:
        super().clean()
        if self.action_plan_years not in (1, 2):
            raise ValidationError({"action_plan_years": _("An operational action plan lasts 1 or 2 years.")})
        if not 1 <= self.cycle_years <= 10:
            raise ValidationError({"cycle_years": _("A policy cycle lasts between 1 and 10 years.")})

    def member_state_ids(self, on: Any = None) -> set[int]:
        """The states that are members on a date (today by default)."""
        day = on or timezone.localdate()
        rows = self.members.filter(joined_on__lte=day).filter(
            models.Q(left_on__isnull=True) | models.Q(left_on__gt=day)
        )
        return set(rows.values_list("state_id", flat=True))


class CommitteeMember(models.Model):
    """A member state of a committee, from the day it joined (until the day it left)."""

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.CASCADE, related_name="members"
    )
    state = models.ForeignKey(State, verbose_name=_("state"), on_delete=models.PROTECT, related_name="+")
    joined_on = models.DateField(_("member since"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        ordering = ["committee", "state__english_name"]
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        constraints = [models.UniqueConstraint(fields=["committee", "state"], name="committee_member_once")]

    def __str__(self) -> str:
        return f"{self.committee} · {self.state}"

    def clean(self) -> None:
        super().clean()
        if self.left_on and self.joined_on and self.left_on <= self.joined_on:
            raise ValidationError({"left_on": _("A state leaves after it joined.")})


class PresidencyTerm(models.Model):
    """A pro tempore presidency: the member state chairing the committee between two dates."""

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.CASCADE, related_name="presidencies"
    )
    state = models.ForeignKey(State, verbose_name=_("state"), on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))

    class Meta:
        ordering = ["committee", "-starts_on"]
        verbose_name = _("pro tempore presidency")
        verbose_name_plural = _("pro tempore presidencies")

    def __str__(self) -> str:
        return f"{self.state} ({self.starts_on} – {self.ends_on})"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.starts_on and self.ends_on and self.ends_on <= self.starts_on:
            errors["ends_on"] = _("A presidency ends after it starts.")
        elif self.committee_id and self.starts_on and self.ends_on:
            overlapping = PresidencyTerm.objects.filter(
                committee_id=self.committee_id, starts_on__lt=self.ends_on, ends_on__gt=self.starts_on
            ).exclude(pk=self.pk)
            if overlapping.exists():
                errors["starts_on"] = _("Another presidency covers part of these dates.")
        members = (
            self.committee.member_state_ids(self.starts_on) if self.committee_id and self.starts_on else None
        )
        if members is not None and self.state_id and self.state_id not in members:
            errors["state"] = _("Only a member state of the committee holds its presidency.")
        if errors:
            raise ValidationError(errors)


class Meeting(VersionedModel, TimeStampedModel):
    """A meeting of the committee, scheduled by the secretariat: its agenda, documents, participants
    and, once held, its minutes."""

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.PROTECT, related_name="meetings"
    )
    title = models.CharField(_("title"), max_length=250)
    level = models.CharField(_("level"), max_length=16, choices=MeetingLevel.choices)
    format = models.CharField(_("format"), max_length=16, choices=MeetingFormat.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    location = models.CharField(_("place"), max_length=250, blank=True)
    online_url = models.URLField(_("link to join"), blank=True)
    description = models.TextField(_("description"), blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.RESTRICTED
    )
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_approved_on = models.DateField(_("minutes approved on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("scheduled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("A meeting ends after it starts.")
        if self.format in (MeetingFormat.IN_PERSON, MeetingFormat.HYBRID) and not self.location.strip():
            errors["location"] = _("Say where the meeting takes place.")
        if self.format in (MeetingFormat.VIRTUAL, MeetingFormat.HYBRID) and not self.online_url:
            errors["online_url"] = _("Give the link participants join the meeting with.")
        if self.minutes_approved_on and not self.minutes.strip():
            errors["minutes_approved_on"] = _("Minutes must be written before they are approved.")
        if errors:
            raise ValidationError(errors)


class AgendaItem(models.Model):
    """One numbered item of a meeting's agenda."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="agenda_items"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["meeting", "number"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="agenda_item_number_once")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


def meeting_document_path(instance: MeetingDocument, filename: str) -> str:
    return f"policy/meetings/{instance.meeting_id}/{filename}"


class MeetingDocument(TimeStampedModel):
    """A document of a meeting (working paper, report, presentation), optionally for one agenda item."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="documents"
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    title = models.CharField(_("title"), max_length=250)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="es")
    file = models.FileField(_("file"), upload_to=meeting_document_path, max_length=300)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["meeting", "agenda_item__number", "title"]
        verbose_name = _("meeting document")
        verbose_name_plural = _("meeting documents")

    def __str__(self) -> str:
        return self.title


class MeetingParticipant(models.Model):
    """Who takes part in a meeting: a member state's delegation, an observer body, the secretariat or
    an invited expert; `attended` is recorded once the meeting is held."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="participants"
    )
    role = models.CharField(_("role"), max_length=16, choices=ParticipantRole.choices)
    state = models.ForeignKey(
        State, verbose_name=_("state"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    head_of_delegation = models.BooleanField(_("head of delegation"), default=False)
    attended = models.BooleanField(_("attended"), null=True, blank=True)

    class Meta:
        ordering = ["meeting", "role", "state__english_name", "name"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self) -> str:
        return self.name or str(self.state or self.organisation or "")

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.role == ParticipantRole.DELEGATION:
            if self.state_id is None:
                errors["state"] = _("A delegation represents a member state: choose it.")
            elif self.meeting_id and self.state_id not in self.meeting.committee.member_state_ids(
                self.meeting.starts_at.date()
            ):
                errors["state"] = _("Only member states send delegations; invite others as observers.")
        elif self.state_id is None and self.organisation_id is None and not self.name.strip():
            errors["name"] = _("Name the participant, their state or their organisation.")
        if errors:
            raise ValidationError(errors)


class Decision(VersionedModel, TimeStampedModel):
    """A decision of the committee on an agenda item, taken by consensus or by vote under declared
    rules. Its text is versioned (`DecisionText`); it is published or kept restricted."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="decisions"
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
    )
    reference = models.CharField(_("reference"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=250)
    method = models.CharField(_("adopted by"), max_length=16, choices=DecisionMethod.choices)
    quorum = models.CharField(_("quorum"), max_length=16, choices=QuorumRule.choices)
    majority = models.CharField(_("majority"), max_length=16, choices=MajorityRule.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=DecisionStatus.choices, default=DecisionStatus.DRAFT
    )
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=Visibility.choices, default=Visibility.RESTRICTED
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    outcome = models.JSONField(_("count"), default=dict, blank=True, editable=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["-meeting__starts_at", "reference"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def current_text(self) -> DecisionText | None:
        return self.texts.order_by("-number").first()


class DecisionText(models.Model):
    """One version of a decision's text; the newest is the decision's text, earlier ones stay."""

    decision = models.ForeignKey(
        Decision, verbose_name=_("decision"), on_delete=models.CASCADE, related_name="texts"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    text = models.TextField(_("text"))
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["decision", "-number"]
        verbose_name = _("decision text")
        verbose_name_plural = _("decision texts")
        constraints = [models.UniqueConstraint(fields=["decision", "number"], name="decision_text_once")]

    def __str__(self) -> str:
        return f"{self.decision.reference} v{self.number}"


class StatePosition(models.Model):
    """A member state's vote on a decision (or its position under consensus), with its statement."""

    decision = models.ForeignKey(
        Decision, verbose_name=_("decision"), on_delete=models.CASCADE, related_name="positions"
    )
    state = models.ForeignKey(State, verbose_name=_("state"), on_delete=models.PROTECT, related_name="+")
    position = models.CharField(_("position"), max_length=16, choices=Position.choices)
    statement = models.TextField(_("statement"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["decision", "state__english_name"]
        verbose_name = _("state position")
        verbose_name_plural = _("state positions")
        constraints = [models.UniqueConstraint(fields=["decision", "state"], name="state_position_once")]

    def __str__(self) -> str:
        return f"{self.state}: {self.get_position_display()}"

    def clean(self) -> None:
        super().clean()
        if self.decision_id and self.state_id:
            decision = self.decision
            members = decision.meeting.committee.member_state_ids(decision.meeting.starts_at.date())
            if self.state_id not in members:
                raise ValidationError(
                    {
                        "state": _("%(state)s is not a member of the committee: it has no vote.")
                        % {"state": self.state}
                    }
                )
