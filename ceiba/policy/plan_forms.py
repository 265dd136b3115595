"""Forms of the policy cycle's plans: cycles, priorities (own or adopted from an assessment run),
strategic plans and goals, horizontal goals, operational action plans and actions. Forms of records
edited concurrently carry the version they started from (`lock_version`, hidden)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ceiba.assessment.choices import RunKind
from ceiba.assessment.models import AssessmentRun, RecommendedPriority
from ceiba.common.access import restrict
from ceiba.common.forms import select_several
from ceiba.core.models import Organisation, State
from ceiba.documentation.models import CrimeArea

from .choices import DecisionStatus
from .models import (
    ActionActor,
    ActionResult,
    Committee,
    Decision,
    HorizontalGoal,
    Kpi,
    OperationalAction,
    OperationalActionPlan,
    PolicyCycle,
    Priority,
    StrategicGoal,
    StrategicPlan,
)
from .plan_services import committee_member_ids

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ServiceForm(forms.ModelForm):
    """A model form that only collects input: the services validate the record (and name the field
    of each error); the form never changes the instance it was given."""

    def _post_clean(self) -> None:
        pass

    def values(self) -> dict[str, Any]:
        """The edited fields' values, for the services."""
        return {
            name: self.cleaned_data[name] for name in self._meta.fields or () if name in self.cleaned_data
        }


class VersionedForm(ServiceForm):
    """A service form that remembers the version of the record it started from."""

    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and not self.is_bound:
            self.initial["lock_version"] = self.instance.lock_version


def _decisions(committee: Committee | None) -> QuerySet[Decision]:
    decisions = Decision.objects.filter(status=DecisionStatus.ADOPTED).select_related("meeting")
    return decisions.filter(meeting__committee=committee) if committee is not None else decisions


def _member_states(cycle: PolicyCycle) -> QuerySet[State]:
    return State.objects.filter(pk__in=committee_member_ids(cycle)).order_by("english_name")


class CycleForm(ServiceForm):
    ends_on = forms.DateField(
        label=_("Until"),
        required=False,
        widget=DATE,
        help_text=_(
            "Leave empty for the committee's cycle length (e.g. four years: 2026-01-01 to 2029-12-31)."
        ),
    )

    class Meta:
        model = PolicyCycle
        fields = ["committee", "name", "starts_on", "ends_on", "assessment_run", "previous"]
        widgets = {"starts_on": DATE}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        committees = Committee.objects.all()
        fields: Any = self.fields
        if committees.count() == 1:
            fields["committee"].initial = committees.first()
        fields["assessment_run"].queryset = restrict(AssessmentRun, user).filter(kind=RunKind.CYCLE)
        fields["previous"].queryset = PolicyCycle.objects.filter(next_cycle__isnull=True)


class CycleEditForm(VersionedForm):
    """A cycle's name, dates, status and links (its committee stays)."""

    class Meta:
        model = PolicyCycle
        fields = ["name", "starts_on", "ends_on", "status", "assessment_run", "previous"]
        widgets = {"starts_on": DATE, "ends_on": DATE}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["assessment_run"].queryset = restrict(AssessmentRun, user).filter(kind=RunKind.CYCLE)
        fields["previous"].queryset = PolicyCycle.objects.filter(
            committee=self.instance.committee_id
        ).exclude(pk=self.instance.pk)


class PriorityForm(VersionedForm):
    class Meta:
        model = Priority
        fields = [
            "code",
            "title",
            "description",
            "rationale",
            "crime_area",
            "decision",
            "driver",
            "co_drivers",
            "weight",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "rationale": forms.Textarea(attrs={"rows": 4}),
            "co_drivers": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, cycle: PolicyCycle, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["code"].required = False
        fields["code"].help_text = _("Leave empty for the next free code (P1, P2...).")
        fields["decision"].queryset = _decisions(cycle.committee)
        fields["driver"].queryset = _member_states(cycle)
        fields["co_drivers"].queryset = _member_states(cycle)
        fields["crime_area"].queryset = CrimeArea.objects.all()


class AdoptForm(forms.Form):
    """The recommended priorities of a handed-over run the committee adopted: one checkbox, driver,
    co-drivers and rationale per recommended priority."""

    decision = forms.ModelChoiceField(
        label=_("Adopted by decision"), queryset=Decision.objects.none(), required=False
    )

    def __init__(
        self, *args: Any, cycle: PolicyCycle, recommended: list[RecommendedPriority], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["decision"].queryset = _decisions(cycle.committee)
        states = _member_states(cycle)
        self.items: list[dict[str, Any]] = []
        for item in recommended:
            prefix = f"r{item.pk}"
            fields[f"{prefix}_adopt"] = forms.BooleanField(
                label=_("Adopt %(area)s") % {"area": item.crime_area}, required=False
            )
            fields[f"{prefix}_driver"] = forms.ModelChoiceField(
                label=_("Driver"), queryset=states, required=False
            )
            fields[f"{prefix}_co_drivers"] = forms.ModelMultipleChoiceField(
                label=_("Co-drivers"),
                queryset=states,
                required=False,
                widget=forms.SelectMultiple(attrs={"size": 4}),
                help_text=select_several(),
            )
            fields[f"{prefix}_rationale"] = forms.CharField(
                label=_("Rationale"),
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
                initial=item.rationale,
            )
            self.items.append({"priority": item, "prefix": prefix})

    def bound_items(self) -> list[dict[str, Any]]:
        return [
            {
                **item,
                "adopt": self[f"{item['prefix']}_adopt"],
                "driver": self[f"{item['prefix']}_driver"],
                "co_drivers": self[f"{item['prefix']}_co_drivers"],
                "rationale": self[f"{item['prefix']}_rationale"],
            }
            for item in self.items
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = [item for item in self.items if data.get(f"{item['prefix']}_adopt")]
        if not chosen:
            raise forms.ValidationError(_("Choose at least one recommended priority."))
        for item in chosen:
            if data.get(f"{item['prefix']}_driver") is None:
                self.add_error(f"{item['prefix']}_driver", _("Name the driver state of an adopted priority."))
        return data


class StrategicPlanForm(VersionedForm):
    horizontal_goals = forms.ModelMultipleChoiceField(
        label=_("Horizontal goals"),
        queryset=HorizontalGoal.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A strategic goal is added for each horizontal goal you tick."),
    )

    class Meta:
        model = StrategicPlan
        fields = ["title", "summary", "starts_on", "ends_on", "status", "decision"]
        widgets = {"starts_on": DATE, "ends_on": DATE, "summary": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, priority: Priority, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["decision"].queryset = _decisions(priority.cycle.committee)
        if self.instance.pk is None:
            active = HorizontalGoal.objects.filter(active=True)
            fields["horizontal_goals"].queryset = active
            fields["horizontal_goals"].initial = list(active)
            self.initial.setdefault("starts_on", priority.cycle.starts_on)
            self.initial.setdefault("ends_on", priority.cycle.ends_on)
            self.initial.setdefault("title", _("Strategic plan: %(priority)s") % {"priority": priority.title})
        else:
            del fields["horizontal_goals"]


class GoalForm(VersionedForm):
    class Meta:
        model = StrategicGoal
        fields = ["code", "title", "description", "horizontal_goal"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["horizontal_goal"]
        field.queryset = HorizontalGoal.objects.filter(active=True)


class HorizontalGoalForm(VersionedForm):
    class Meta:
        model = HorizontalGoal
        fields = ["code", "name_en", "name_es", "name_pt", "name_fr", "active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            del self.fields["code"]
        else:
            del self.fields["active"]


class ActionPlanForm(VersionedForm):
    class Meta:
        model = OperationalActionPlan
        fields = ["title", "starts_on", "ends_on", "reporting_months", "status", "decision"]
        widgets = {"starts_on": DATE, "ends_on": DATE}

    def __init__(self, *args: Any, priority: Priority, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        committee = priority.cycle.committee
        fields["decision"].queryset = _decisions(committee)
        if self.instance.pk is None:
            fields["ends_on"].required = False
            fields["ends_on"].help_text = _(
                "Leave empty for the committee's period: %(years)s year(s) from the start."
            ) % {"years": committee.action_plan_years}


class ActionForm(VersionedForm):
    class Meta:
        model = OperationalAction
        fields = [
            "code",
            "title",
            "description",
            "goal",
            "leader_state",
            "leader_organisation",
            "starts_on",
            "ends_on",
            "budget",
            "currency",
            "funding_source",
            "status",
            "weight",
        ]
        widgets = {"starts_on": DATE, "ends_on": DATE, "description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, plan: OperationalActionPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["goal"].queryset = StrategicGoal.objects.filter(plan__priority_id=plan.priority_id)
        fields["leader_state"].queryset = State.objects.order_by("english_name")
        fields["leader_organisation"].queryset = Organisation.objects.order_by("name")


class KpiForm(ServiceForm):
    class Meta:
        model = Kpi
        fields = ["code", "name", "unit", "direction", "baseline", "target"]


class ActorForm(ServiceForm):
    class Meta:
        model = ActionActor
        fields = ["role", "state", "organisation"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["state"].queryset = State.objects.order_by("english_name")
        fields["organisation"].queryset = Organisation.objects.order_by("name")


class ResultForm(ServiceForm):
    class Meta:
        model = ActionResult
        fields = ["kind", "quantity", "description"]


PART_FORMS: dict[str, type[ServiceForm]] = {"kpi": KpiForm, "actor": ActorForm, "result": ResultForm}
