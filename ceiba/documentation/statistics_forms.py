"""Forms of the import pages: the upload (kind, file, marking and grading defaults) and the column
mapping of CSV/XLSX files."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import DisseminationForm, _grade_choices
from .interchange.base import IMPORTERS
from .interchange.statistics import FIELDS, suggest_field
from .models import StatisticKind, StatisticsDataset, StatisticUnit


def kind_choices() -> list[tuple[str, Any]]:
    return [(kind, importer.label) for kind, importer in sorted(IMPORTERS.items())]


class ImportUploadForm(DisseminationForm):
    """What to import and the marking, dissemination and grading records get when the file carries none."""

    kind = forms.ChoiceField(label=_("Kind of file"), choices=())
    file = forms.FileField(label=_("File"))
    dataset = forms.CharField(
        label=_("Dataset title"),
        max_length=200,
        required=False,
        help_text=_(
            "Statistics only. Default: the file name. Importing into the same title again updates it."
        ),
    )
    source_reliability = forms.ChoiceField(
        label=_("Source reliability"), choices=_grade_choices("reliability")
    )
    information_credibility = forms.ChoiceField(
        label=_("Information credibility"), choices=_grade_choices("credibility")
    )

    class Meta(DisseminationForm.Meta):
        model = StatisticsDataset  # type: ignore[assignment]
        fields = [
            "tlp",
            "handling_code",
            "handling_conditions",
            "scope",
            "shared_with_states",
            "shared_with_organisations",
            "grading_scheme",
            "source_reliability",
            "information_credibility",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kind_choices()  # type: ignore[attr-defined]
        self.order_fields(["kind", "file", "dataset"])

    def defaults(self) -> dict[str, Any]:
        """The defaults handed to the importer (SharedRecord field names; recipients by code/id)."""
        data = self.cleaned_data
        return {
            "tlp": data["tlp"],
            "handling_code": data["handling_code"],
            "handling_conditions": data.get("handling_conditions", ""),
            "scope": data["scope"],
            "shared_with_states": [s.iso3 for s in data.get("shared_with_states") or []],
            "shared_with_organisations": [o.pk for o in data.get("shared_with_organisations") or []],
            "grading_scheme": data["grading_scheme"],
            "source_reliability": data["source_reliability"],
            "information_credibility": data["information_credibility"],
        }


def field_choices() -> list[tuple[str, Any]]:
    return [("", _("— ignore this column —")), *((f.code, f"{f.label} [{f.code}]") for f in FIELDS)]


class MappingForm(forms.Form):
    """One choice per column of the file (suggested from its header), and values for every row."""

    fixed_kind = forms.ChoiceField(
        label=_("Kind, where the file has no kind column"),
        choices=[("", "—"), *StatisticKind.choices],
        required=False,
    )
    fixed_unit = forms.ChoiceField(
        label=_("Unit, where the file has no unit column"),
        choices=[("", "—"), *StatisticUnit.choices],
        required=False,
    )
    fixed_source = forms.CharField(label=_("Source, where the file has none"), max_length=200, required=False)

    def __init__(self, *args: Any, header: list[str], samples: list[list[str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.header = header
        self.columns: list[tuple[str, str, str]] = []
        for index, name in enumerate(header):
            if not name:
                continue
            key = f"column_{index}"
            example = ", ".join(row[index] for row in samples if index < len(row) and row[index])[:80]
            self.fields[key] = forms.ChoiceField(
                label=name, choices=field_choices(), required=False, initial=suggest_field(name)
            )
            self.columns.append((key, name, example))

    def column_fields(self) -> list[tuple[Any, str]]:
        return [(self[key], example) for key, _name, example in self.columns]

    def fixed_fields(self) -> list[Any]:
        return [self["fixed_kind"], self["fixed_unit"], self["fixed_source"]]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = [str(data.get(key)) for key, _name, _example in self.columns if data.get(key)]
        repeated = sorted({code for code in chosen if chosen.count(code) > 1})
        if repeated:
            raise forms.ValidationError(
                _("Each field takes one column; chosen more than once: %(fields)s.")
                % {"fields": ", ".join(repeated)}
            )
        return data

    def mapping(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(key) or "" for key, name, _example in self.columns}

    def fixed(self) -> dict[str, str]:
        data = self.cleaned_data
        values = {
            "kind": data.get("fixed_kind"),
            "unit": data.get("fixed_unit"),
            "source": data.get("fixed_source"),
        }
        return {k: v for k, v in values.items() if v}
