"""Forms of recommendations: recording and editing one (the secretariat, with the version it started
from), an addressee's implementation report, and the secretariat's note when it returns a report."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ceiba.common.forms import select_several

from .choices import ImplementationStatus
from .models import Decision, Meeting, Recommendation
from .recommendation_services import addressee_choices


class RecommendationForm(forms.ModelForm):
    """The recommendation's fields, its addressees (states and bodies) and, when editing, the
    version the editor started from (a stale edit is refused, not overwritten)."""

    states = forms.ModelMultipleChoiceField(
        label=_("Addressed states"),
        queryset=addressee_choices()[0],
        required=False,
        help_text=select_several(),
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("Addressed bodies"),
        queryset=addressee_choices()[1],
        required=False,
        help_text=select_several(),
    )
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Recommendation
        fields = [
            "code",
            "title",
            "text",
            "source",
            "meeting",
            "decision",
            "source_reference",
            "cycle",
            "deadline",
            "visibility",
        ]
        widgets = {"deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        states, bodies = addressee_choices()
        for name, queryset in (
            ("states", states),
            ("organisations", bodies),
            ("meeting", Meeting.objects.order_by("-starts_at")),
            ("decision", Decision.objects.order_by("-decided_on", "reference")),
        ):
            cast(forms.ModelChoiceField, self.fields[name]).queryset = queryset
        if self.instance.pk:
            self.fields["lock_version"].initial = self.instance.lock_version
            addressees = list(self.instance.addressees.all())
            self.fields["states"].initial = [a.state_id for a in addressees if a.state_id]
            self.fields["organisations"].initial = [
                a.organisation_id for a in addressees if a.organisation_id
            ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("states") and not data.get("organisations"):
            self.add_error("states", _("Address the recommendation to at least one state or body."))
        probe = Recommendation(
            source=data.get("source") or "",
            meeting=data.get("meeting"),
            decision=data.get("decision"),
            source_reference=data.get("source_reference") or "",
        )
        try:
            probe.clean()
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                self.add_error(name if name in self.fields else None, messages)
        return data

    def _post_clean(self) -> None:
        # The service validates the model (and locks it); the form only checks its own fields.
        pass


class ImplementationReportForm(forms.Form):
    """What an addressee reports: the status reached, what was done and the evidence."""

    status = forms.ChoiceField(label=_("Implementation"), choices=ImplementationStatus.choices)
    narrative = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 6}))
    evidence_url = forms.URLField(
        label=_("Evidence (link)"),
        required=False,
        assume_scheme="https",
        help_text=_("A published decree, law, report or web page."),
    )
    evidence_file = forms.FileField(
        label=_("Evidence (file)"),
        required=False,
        help_text=_("PDF, PNG, JPEG, CSV, text, DOCX, XLSX or ODT."),
    )


class ReturnForm(forms.Form):
    """Why the secretariat returns a report to its addressee."""

    note = forms.CharField(label=_("What is missing"), widget=forms.Textarea(attrs={"rows": 3}))
