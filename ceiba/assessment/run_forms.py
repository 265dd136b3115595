"""Forms of assessment runs: starting a run of a cycle, editing a priority's rationale."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ceiba.documentation.models import AssessmentCycle

from . import run_selectors
from .choices import Audience
from .models import MethodologyVersion

MAX_SAMPLES = 5000


class RunForm(forms.Form):
    """What `runs.run_cycle` needs; the service decides the rest (and refuses a cycle without
    validated contributions)."""

    cycle = forms.ModelChoiceField(label=_("Assessment cycle"), queryset=AssessmentCycle.objects.none())
    methodology = forms.ModelChoiceField(
        label=_("Methodology version"),
        queryset=MethodologyVersion.objects.none(),
        help_text=_("The weights and bands the run applies (docs/methodology.md)."),
    )
    audience = forms.ChoiceField(
        label=_("Audience"),
        choices=Audience.choices,
        initial=Audience.RESTRICTED,
        widget=forms.RadioSelect,
        help_text=_("A public run uses only inputs marked TLP:CLEAR and shared with all members."),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Leave empty for “cycle · methodology”."),
    )
    samples = forms.IntegerField(
        label=_("Sensitivity samples"),
        min_value=0,
        max_value=MAX_SAMPLES,
        initial=1000,
        help_text=_("How many random weight draws test the stability of the priorities (0 to skip)."),
    )
    spread = forms.FloatField(
        label=_("Weight spread"),
        min_value=0,
        max_value=0.9,
        initial=0.2,
        help_text=_("Each weight is multiplied by a factor between 1 − spread and 1 + spread."),
    )
    seed = forms.IntegerField(
        label=_("Seed"),
        min_value=0,
        max_value=2**31 - 1,
        initial=0,
        help_text=_("The same seed and inputs give the same stability figures."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cycle_field: Any = self.fields["cycle"]
        cycle_field.queryset = run_selectors.runnable_cycles(user)
        methodology_field: Any = self.fields["methodology"]
        methodology_field.queryset = run_selectors.cycle_methodologies()
        if methodology_field.queryset.count() == 1:
            methodology_field.initial = methodology_field.queryset.first()


class RationaleForm(forms.Form):
    rationale = forms.CharField(
        label=_("Rationale"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
