"""Forms of the observatory: compare and explore, imports, reviews, alert rules, transparency."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from ceiba.common.forms import select_several
from ceiba.core.choices import Subregion
from ceiba.core.models import State

from .choices import ArmsCategory, SourceFormat
from .models import AlertRule, ArmsRegisterReport, ConfidenceMeasure, Indicator, WhitePaper

CHART_TYPES = [
    ("line", _("Lines over time")),
    ("bar", _("Bars for one year")),
    ("map", _("Map for one year")),
]
MAX_IMPORT_BYTES = 50 * 1024 * 1024


class CompareForm(forms.Form):
    """Pick indicators, states, subregions and years (GET): every field is optional."""

    indicator = forms.MultipleChoiceField(label=_("Indicators"), required=False, help_text=select_several())
    state = forms.MultipleChoiceField(label=_("States"), required=False, help_text=select_several())
    subregion = forms.MultipleChoiceField(
        label=_("Subregions (average)"),
        choices=Subregion.choices,
        required=False,
        help_text=select_several(),
    )
    year_from = forms.IntegerField(
        label=_("From"),
        required=False,
        min_value=1900,
        max_value=2100,
        help_text=_("Empty: the last 20 years."),
    )
    year_to = forms.IntegerField(label=_("To"), required=False, min_value=1900, max_value=2100)
    year = forms.IntegerField(label=_("Year (bars and map)"), required=False, min_value=1900, max_value=2100)
    chart = forms.ChoiceField(label=_("Chart"), choices=CHART_TYPES, required=False, initial="line")

    def __init__(
        self, *args: Any, indicators: list[Indicator], states: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["indicator"]).choices = [(i.slug, i.label) for i in indicators]
        cast(forms.ChoiceField, self.fields["state"]).choices = sorted(
            states, key=lambda choice: str(choice[1])
        )
        for name in ("indicator", "state", "subregion"):
            self.fields[name].widget.attrs["size"] = 8

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("year_from"), data.get("year_to")
        if start and end and start > end:
            self.add_error("year_to", _("The last year must not be before the first."))
        return data


class ImportForm(forms.Form):
    source_format = forms.ChoiceField(label=_("File format"), choices=SourceFormat.choices)
    file = forms.FileField(label=_("File"), help_text=_("XLSX or CSV, as downloaded from the publisher."))
    indicators = forms.ModelMultipleChoiceField(
        label=_("Only these indicators"),
        queryset=Indicator.objects.all(),
        required=False,
        to_field_name="slug",
        help_text=select_several(_("Leave empty to import every indicator that reads this format.")),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than 50 MB."))
        return upload


class ReleaseReviewForm(forms.Form):
    withdraw_missing = forms.BooleanField(
        label=_("Withdraw the values this release no longer holds"),
        required=False,
        help_text=_("Leave unticked to keep them from the previous release."),
    )
    note = forms.CharField(label=_("Review note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class AliasForm(forms.Form):
    name = forms.CharField(label=_("Name in the file"), max_length=200)
    state = forms.ModelChoiceField(label=_("State"), queryset=State.objects.all(), to_field_name="iso3")


class AlertRuleForm(forms.ModelForm):
    class Meta:
        model = AlertRule
        fields = ["indicator", "name", "expression"]


class AlertReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("publish", _("Publish")), ("dismiss", _("Dismiss"))]
    )
    note = forms.CharField(label=_("Review note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class WhitePaperForm(forms.ModelForm):
    class Meta:
        model = WhitePaper
        fields = ["title", "year", "language", "document", "url"]


class ArmsRegisterReportForm(forms.ModelForm):
    categories = forms.MultipleChoiceField(
        label=_("Categories reported"),
        choices=ArmsCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ArmsRegisterReport
        fields = ["year", "nil_report", "categories", "submitted_on", "notes"]
        widgets = {"submitted_on": forms.DateInput(attrs={"type": "date"})}


class ConfidenceMeasureForm(forms.ModelForm):
    class Meta:
        model = ConfidenceMeasure
        fields = ["kind", "date", "partners", "other_partners", "description"]
        help_texts = {"partners": select_several()}
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}
