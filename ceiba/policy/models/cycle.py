"""A policy cycle and what the committee adopts for it: priorities (from an assessment run's
recommended priorities or by its own decision), one strategic plan per priority with its goals, and
operational action plans whose actions carry leaders, participants, budgets, KPIs and results."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ceiba.assessment.models import AssessmentRun, RecommendedPriority
from ceiba.common.locking import VersionedModel
from ceiba.common.models import TimeStampedModel
from ceiba.core.models import Organisation, State
from ceiba.documentation.models import CrimeArea

from ..choices import (
    ActionStatus,
    ActorRole,
    CycleStatus,
    KpiDirection,
    KpiUnit,
    PlanStatus,
    PriorityOrigin,
    ResultKind,
)
from .committee import Committee, Decision


class PolicyCycle(VersionedModel, TimeStampedModel):
    """A multi-annual policy cycle of a committee (four years by default), fed by an assessment run
    and ending with an evaluation that feeds the next one."""

    committee = models.ForeignKey(
        Committee, verbose_name=_("committee"), on_delete=models.PROTECT, related_name="cycles"
    )
    name = models.CharField(_("name"), max_length=100, unique=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    status = models.CharField(
        _("status"), max_length=16, choices=CycleStatus.choices, default=CycleStatus.PLANNING
    )
    assessment_run = models.ForeignKey(
        AssessmentRun,
        verbose_name=_("assessment run"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="policy_cycles",
        help_text=_("The assessment whose recommended priorities the committee considered."),
    )
    previous = models.OneToOneField(
        "self",
        verbose_name=_("previous cycle"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_cycle",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("policy cycle")
        verbose_name_plural = _("policy cycles")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on <= self.starts_on:
            raise ValidationError({"ends_on": _("A cycle ends after it starts.")})


class Priority(VersionedModel, TimeStampedModel):
    """A priority the committee adopted for a cycle, with its driver state and co-drivers. When it
    comes from an assessment, the recommended priority and its rationale stay linked."""

    cycle = models.ForeignKey(
        PolicyCycle, verbose_name=_("cycle"), on_delete=models.PROTECT, related_name="priorities"
    )
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    crime_area = models.ForeignKey(
        CrimeArea,
        verbose_name=_("crime area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    origin = models.CharField(_("origin"), max_length=16, choices=PriorityOrigin.choices)
    recommended_priority = models.ForeignKey(
        RecommendedPriority,
        verbose_name=_("recommended priority"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="adopted_as",
    )
    rationale = models.TextField(_("rationale"), blank=True)
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("adopted by decision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="priorities",
    )
    driver = models.ForeignKey(State, verbose_name=_("driver"), on_delete=models.PROTECT, related_name="+")
    co_drivers = models.ManyToManyField(State, verbose_name=_("co-drivers"), blank=True, related_name="+")
    weight = models.DecimalField(
        _("weight in the cycle's progress"),
        max_digits=5,
        decimal_places=2,
        default=1,
        validators=[MinValueValidator(0)],
    )
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["cycle", "code"]
        verbose_name = _("priority")
        verbose_name_plural = _("priorities")
        constraints = [models.UniqueConstraint(fields=["cycle", "code"], name="priority_code_once")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def clean(self) -> None:
        super().clean()
        if self.origin == PriorityOrigin.ASSESSMENT and self.recommended_priority_id is None:
            raise ValidationError(
                {"recommended_priority": _("Name the recommended priority this priority adopts.")}
            )


class HorizontalGoal(VersionedModel):
    """One of the common horizontal goals every strategic plan may pursue (criminal intelligence
    picture, investigations, ...). The secretariat configures the set; names in the four languages."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_es = models.CharField(_("name (Spanish)"), max_length=200)
    name_pt = models.CharField(_("name (Portuguese)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("horizontal goal")
        verbose_name_plural = _("horizontal goals")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        language = (get_language() or "en")[:2]
        return str(getattr(self, f"name_{language}", "") or self.name_en)


class StrategicPlan(VersionedModel, TimeStampedModel):
    """The multi-annual strategic plan of one priority."""

    priority = models.OneToOneField(
        Priority, verbose_name=_("priority"), on_delete=models.PROTECT, related_name="strategic_plan"
    )
    title = models.CharField(_("title"), max_length=250)
    summary = models.TextField(_("summary"), blank=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    status = models.CharField(
        _("status"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("adopted by decision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="strategic_plans",
    )
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["priority"]
        verbose_name = _("strategic plan")
        verbose_name_plural = _("strategic plans")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on <= self.starts_on:
            raise ValidationError({"ends_on": _("A plan ends after it starts.")})


class StrategicGoal(VersionedModel):
    """A goal of a strategic plan; a horizontal goal when it pursues one of the common ones."""

    plan = models.ForeignKey(
        StrategicPlan, verbose_name=_("strategic plan"), on_delete=models.CASCADE, related_name="goals"
    )
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    horizontal_goal = models.ForeignKey(
        HorizontalGoal,
        verbose_name=_("horizontal goal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="goals",
    )

    class Meta:
        ordering = ["plan", "code"]
        verbose_name = _("strategic goal")
        verbose_name_plural = _("strategic goals")
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="strategic_goal_code_once")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class OperationalActionPlan(VersionedModel, TimeStampedModel):
    """The operational action plan of a priority for one period (1 or 2 years, as the committee
    configures), with its reporting rhythm."""

    priority = models.ForeignKey(
        Priority, verbose_name=_("priority"), on_delete=models.PROTECT, related_name="action_plans"
    )
    title = models.CharField(_("title"), max_length=250)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    status = models.CharField(
        _("status"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    reporting_months = models.PositiveSmallIntegerField(
        _("progress reports every (months)"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("adopted by decision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="action_plans",
    )
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["priority", "starts_on"]
        verbose_name = _("operational action plan")
        verbose_name_plural = _("operational action plans")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on <= self.starts_on:
            raise ValidationError({"ends_on": _("A plan ends after it starts.")})


class OperationalAction(VersionedModel, TimeStampedModel):
    """An operational action of a plan: who leads it and takes part, when, with what budget, the
    KPIs it is measured by, its status and its results. Its code is unique across the platform, so a
    progress-report CSV can name it."""

    plan = models.ForeignKey(
        OperationalActionPlan, verbose_name=_("action plan"), on_delete=models.PROTECT, related_name="actions"
    )
    code = models.CharField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    goal = models.ForeignKey(
        StrategicGoal,
        verbose_name=_("strategic goal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="actions",
    )
    leader_state = models.ForeignKey(
        State,
        verbose_name=_("leading state"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    leader_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("leading agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_(
            "The agency that leads the action and reports its progress: one of the leading state's, or "
            "a regional body."
        ),
    )
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    budget = models.DecimalField(
        _("budget"), max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    funding_source = models.CharField(_("funding source"), max_length=250, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ActionStatus.choices, default=ActionStatus.PLANNED, db_index=True
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)], editable=False
    )
    weight = models.DecimalField(
        _("weight in the plan's progress"),
        max_digits=5,
        decimal_places=2,
        default=1,
        validators=[MinValueValidator(0)],
    )
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["plan", "code"]
        verbose_name = _("operational action")
        verbose_name_plural = _("operational actions")

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("An action cannot end before it starts.")
        leader = self.leader_organisation if self.leader_organisation_id else None
        if leader is None and self.leader_state_id is None:
            errors["leader_state"] = _("Name the action's leader: a state, an agency or both.")
        elif leader is not None and self.leader_state_id and leader.state_id != self.leader_state_id:
            errors["leader_organisation"] = _("The leading agency must belong to the leading state.")
        if errors:
            raise ValidationError(errors)


class ActionActor(models.Model):
    """A co-leader, participant or international partner of an action: a state, an agency or both."""

    action = models.ForeignKey(
        OperationalAction, verbose_name=_("action"), on_delete=models.CASCADE, related_name="actors"
    )
    role = models.CharField(_("role"), max_length=16, choices=ActorRole.choices)
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

    class Meta:
        ordering = ["action", "role"]
        verbose_name = _("action participant")
        verbose_name_plural = _("action participants")

    def __str__(self) -> str:
        return str(self.organisation or self.state)

    def clean(self) -> None:
        super().clean()
        if self.state_id is None and self.organisation_id is None:
            raise ValidationError({"state": _("Name the state or the organisation that takes part.")})


class Kpi(models.Model):
    """A key performance indicator of an action: what is counted, in which unit, from which baseline
    to which target. Reported values must be in the KPI's unit."""

    action = models.ForeignKey(
        OperationalAction, verbose_name=_("action"), on_delete=models.CASCADE, related_name="kpis"
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=250)
    unit = models.CharField(_("unit"), max_length=16, choices=KpiUnit.choices)
    direction = models.CharField(
        _("direction"), max_length=16, choices=KpiDirection.choices, default=KpiDirection.INCREASE
    )
    baseline = models.DecimalField(_("baseline"), max_digits=16, decimal_places=2, default=0)
    target = models.DecimalField(_("target"), max_digits=16, decimal_places=2)
    actual = models.DecimalField(
        _("actual"), max_digits=16, decimal_places=2, null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["action", "code"]
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")
        constraints = [models.UniqueConstraint(fields=["action", "code"], name="kpi_code_once")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        super().clean()
        if self.target is not None and self.baseline is not None and self.target == self.baseline:
            raise ValidationError({"target": _("The target must differ from the baseline.")})

    @property
    def attainment(self) -> float | None:
        """Share of the way from baseline to target reached by the latest actual (0–1, capped)."""
        if self.actual is None or self.target == self.baseline:
            return None
        share = float((self.actual - self.baseline) / (self.target - self.baseline))
        return max(0.0, min(1.0, share))


class ActionResult(models.Model):
    """A counted result of an action (arrests, seizures, people trained...), as last reported."""

    action = models.ForeignKey(
        OperationalAction, verbose_name=_("action"), on_delete=models.CASCADE, related_name="results"
    )
    kind = models.CharField(_("result"), max_length=20, choices=ResultKind.choices)
    quantity = models.DecimalField(
        _("quantity"), max_digits=16, decimal_places=2, validators=[MinValueValidator(0)]
    )
    description = models.CharField(_("description"), max_length=250, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    #: The progress report the result was reported in (None: entered by the secretariat on the
    #: action). A reported result is read by whom may read its report (`ActionResultPolicy`).
    report = models.ForeignKey(
        "policy.ProgressReport",
        verbose_name=_("progress report"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="results",
    )

    class Meta:
        ordering = ["action", "kind"]
        verbose_name = _("result")
        verbose_name_plural = _("results")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.quantity}"
