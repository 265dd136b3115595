"""Forms of progress reporting: one report on an action (with an input per KPI, in the KPI's unit,
and up to three results) and the upload of a progress file."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ceiba.common.forms import select_several
from ceiba.core.models import Organisation, State
from ceiba.sharing.choices import TLP, Scope

from .choices import ActionStatus, ResultKind
from .models import OperationalAction, ProgressReport

RESULT_ROWS = 3
SCOPE_CHOICES = [(str(s.value), s.label) for s in (Scope.SECRETARIAT, Scope.NAMED, Scope.ALL_MEMBERS)]


class ProgressReportForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Reporting agency"), queryset=Organisation.objects.none())
    period_start = forms.DateField(label=_("Period from"), widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=_("Period until"), widget=forms.DateInput(attrs={"type": "date"}))
    status = forms.ChoiceField(label=_("Status of the action"), choices=ActionStatus.choices)
    progress = forms.IntegerField(
        label=_("Progress (%)"), min_value=0, max_value=100, help_text=_("How far the action has got, 0–100.")
    )
    narrative = forms.CharField(label=_("Narrative"), widget=forms.Textarea(attrs={"rows": 6}))
    tlp = forms.ChoiceField(label=_("TLP marking"), choices=TLP.choices, initial=TLP.AMBER)
    scope = forms.ChoiceField(
        label=_("Who reads it besides the secretariat"),
        choices=SCOPE_CHOICES,
        initial=Scope.SECRETARIAT,
        help_text=_("The secretariat always reads a progress report; your state or body reads it too."),
    )
    shared_with_states = forms.ModelMultipleChoiceField(
        label=_("Named states"),
        queryset=State.objects.all(),
        required=False,
        help_text=select_several(_("Only with the dissemination “Named states and organisations”.")),
    )
    shared_with_organisations = forms.ModelMultipleChoiceField(
        label=_("Named organisations"),
        queryset=Organisation.objects.all(),
        required=False,
        help_text=select_several(_("Only with the dissemination “Named states and organisations”.")),
    )

    def __init__(
        self, *args: Any, action: OperationalAction, organisations: list[Organisation], **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.action = action
        field = self.fields["organisation"]
        field.queryset = Organisation.objects.filter(pk__in=[o.pk for o in organisations])  # type: ignore[attr-defined]
        if organisations:
            field.initial = organisations[0].pk
        self.kpis = list(action.kpis.all())
        for kpi in self.kpis:
            self.fields[f"kpi_{kpi.pk}"] = forms.DecimalField(
                label=_("%(code)s %(name)s (in %(unit)s)")
                % {"code": kpi.code, "name": kpi.name, "unit": kpi.get_unit_display()},
                required=False,
                max_digits=16,
                decimal_places=2,
                help_text=_("Target %(target)s, baseline %(baseline)s.")
                % {"target": kpi.target, "baseline": kpi.baseline},
            )
        for index in range(1, RESULT_ROWS + 1):
            self.fields[f"result_kind_{index}"] = forms.ChoiceField(
                label=_("Result %(n)d") % {"n": index},
                choices=[("", "—"), *ResultKind.choices],
                required=False,
            )
            self.fields[f"result_quantity_{index}"] = forms.DecimalField(
                label=_("Quantity"), required=False, min_value=0, max_digits=16, decimal_places=2
            )

    def kpi_values(self) -> list[dict[str, Any]]:
        return [
            {"kpi": kpi.code, "value": self.cleaned_data[f"kpi_{kpi.pk}"], "unit": kpi.unit}
            for kpi in self.kpis
            if self.cleaned_data.get(f"kpi_{kpi.pk}") is not None
        ]

    def results(self) -> list[dict[str, Any]]:
        rows = []
        for index in range(1, RESULT_ROWS + 1):
            kind = self.cleaned_data.get(f"result_kind_{index}")
            quantity = self.cleaned_data.get(f"result_quantity_{index}")
            if kind and quantity is not None:
                rows.append({"kind": kind, "quantity": quantity})
            elif kind or quantity is not None:
                self.add_error(f"result_quantity_{index}", _("Give both the result and its quantity."))
        return rows


class ProgressImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_(
            "One row per KPI value (or one row without KPI for a report without values); rows with the "
            "same action code and period end are one report. Download the template for the columns."
        ),
    )


class ProgressReportEditForm(ProgressReportForm):
    """A correction of a filed report: the same fields (the agency and the results stay: results
    are removed on the action's page), prefilled, with the version the correction starts from."""

    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, report: ProgressReport, **kwargs: Any):
        values = {name: getattr(report, name) for name in REPORT_FIELDS}
        values["lock_version"] = report.lock_version
        values["shared_with_states"] = list(report.shared_with_states.all())
        values["shared_with_organisations"] = list(report.shared_with_organisations.all())
        given = {value.kpi_id: value.value for value in report.kpi_values.all()}
        super().__init__(*args, action=report.action, organisations=[], initial=values, **kwargs)
        del self.fields["organisation"]
        for name in [name for name in self.fields if name.startswith("result_")]:
            del self.fields[name]
        for kpi in self.kpis:
            self.fields[f"kpi_{kpi.pk}"].initial = given.get(kpi.pk)
        self.report = report


REPORT_FIELDS = ("period_start", "period_end", "status", "progress", "narrative", "tlp", "scope")
