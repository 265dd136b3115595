"""Forms of threat documentation. Every label is translatable; writes go through services."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.forms import BoundField
from django.utils.translation import gettext_lazy as _

from ceiba.common.forms import select_several
from ceiba.core.choices import Subregion
from ceiba.core.models import Organisation, State
from ceiba.sharing.choices import GRADING_SCHEMES
from ceiba.sharing.services import NON_RECIPIENT_ORGANISATION_TYPES

from .choices import NETWORK_INDICATORS, Enabler, IndicatorScore
from .models import AssessmentCycle, CrimeArea, CriminalNetwork, ThreatReport
from .services import IndicatorData, RouteData


class StateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class StateMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class CrimeAreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class CrimeAreaMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"— {obj.name}" if obj.parent_id else str(obj.name)


def _grade_choices(axis: str) -> list[tuple[str, Any]]:
    return [(str(scheme.label), getattr(scheme, f"{axis}_choices")()) for scheme in GRADING_SCHEMES.values()]


def recipient_organisations() -> Any:
    return Organisation.objects.filter(is_active=True).exclude(
        kind__in=list(NON_RECIPIENT_ORGANISATION_TYPES)
    )


class CycleForm(forms.ModelForm):
    crime_areas = CrimeAreaMultipleChoiceField(
        label=_("Crime areas in scope"),
        queryset=CrimeArea.objects.select_related("parent").order_by("position"),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = AssessmentCycle
        fields = ["name", "description", "contribution_deadline", "crime_areas"]
        widgets = {"contribution_deadline": forms.DateInput(attrs={"type": "date"})}


class ReviewForm(forms.Form):
    comments = forms.CharField(
        label=_("Comments for the state"), widget=forms.Textarea(attrs={"rows": 5}), required=True
    )


class DisseminationForm(forms.ModelForm):
    """Marking, handling and who receives the record: set by the originator only."""

    shared_with_states = StateMultipleChoiceField(
        label=_("Named states"),
        queryset=State.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=select_several(_("Used when the dissemination is to named recipients.")),
    )
    shared_with_organisations = forms.ModelMultipleChoiceField(
        label=_("Named organisations"),
        queryset=recipient_organisations(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=select_several(),
    )

    class Meta:
        model = ThreatReport
        fields = [
            "tlp",
            "handling_code",
            "handling_conditions",
            "scope",
            "shared_with_states",
            "shared_with_organisations",
        ]
        widgets: dict[str, forms.Widget] = {"handling_conditions": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelMultipleChoiceField, self.fields["shared_with_organisations"]
        ).queryset = recipient_organisations()

    def dissemination(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "tlp": data["tlp"],
            "handling_code": data["handling_code"],
            "handling_conditions": data.get("handling_conditions", ""),
            "scope": data["scope"],
            "states": list(data.get("shared_with_states") or []),
            "organisations": list(data.get("shared_with_organisations") or []),
        }


class ThreatReportForm(DisseminationForm):
    """A threat report: content, grading and (while drafting) its dissemination."""

    crime_area = CrimeAreaChoiceField(label=_("Crime area"), queryset=CrimeArea.objects.none())
    affected_states = StateMultipleChoiceField(
        label=_("States concerned"),
        queryset=State.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=select_several(),
    )
    subregions = forms.MultipleChoiceField(
        label=_("Subregions"), choices=Subregion.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    enablers = forms.MultipleChoiceField(
        label=_("Enablers"), choices=Enabler.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    source_reliability = forms.ChoiceField(
        label=_("Source reliability"), choices=_grade_choices("reliability")
    )
    information_credibility = forms.ChoiceField(
        label=_("Information credibility"), choices=_grade_choices("credibility")
    )

    SECTIONS = (
        (
            _("The threat"),
            ["crime_area", "title", "period_start", "period_end", "scale", "scale_notes", "trend"],
        ),
        (_("Geography"), ["affected_states", "subregions", "border_areas"]),
        (
            _("Harm"),
            ["harm_physical", "harm_economic", "harm_social", "harm_environmental", "harm_institutional"],
        ),
        (_("How it works"), ["modus_operandi", "enablers", "narrative"]),
        (_("Grading"), ["grading_scheme", "source_reliability", "information_credibility"]),
        (
            _("Marking and dissemination"),
            [
                "tlp",
                "handling_code",
                "handling_conditions",
                "scope",
                "shared_with_states",
                "shared_with_organisations",
            ],
        ),
    )

    class Meta(DisseminationForm.Meta):
        fields = [
            "crime_area",
            "title",
            "period_start",
            "period_end",
            "scale",
            "scale_notes",
            "trend",
            "affected_states",
            "subregions",
            "border_areas",
            "harm_physical",
            "harm_economic",
            "harm_social",
            "harm_environmental",
            "harm_institutional",
            "modus_operandi",
            "enablers",
            "narrative",
            "grading_scheme",
            "source_reliability",
            "information_credibility",
            *DisseminationForm.Meta.fields,
        ]
        widgets: dict[str, forms.Widget] = {
            "period_start": forms.DateInput(attrs={"type": "date"}),
            "period_end": forms.DateInput(attrs={"type": "date"}),
            "border_areas": forms.Textarea(attrs={"rows": 2}),
            "modus_operandi": forms.Textarea(attrs={"rows": 4}),
            "narrative": forms.Textarea(attrs={"rows": 10}),
            "handling_conditions": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(
        self, *args: Any, cycle: AssessmentCycle, with_dissemination: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["crime_area"]).queryset = cycle.crime_areas.order_by(
            "position"
        )
        self.with_dissemination = with_dissemination
        if not with_dissemination:
            for name in DisseminationForm.Meta.fields:
                del self.fields[name]

    def fieldsets(self) -> list[tuple[Any, list[BoundField]]]:
        return [
            (title, [self[name] for name in names if name in self.fields]) for title, names in self.SECTIONS
        ]

    def content(self) -> dict[str, Any]:
        data = self.cleaned_data
        names = [
            n for n in self.Meta.fields if n not in DisseminationForm.Meta.fields and n != "affected_states"
        ]
        return {name: data.get(name) for name in names}


class RouteForm(forms.Form):
    commodity = forms.CharField(
        label=_("Commodity or people"),
        max_length=200,
        required=False,
        help_text=_("Clear it to remove the route."),
    )
    origin = StateChoiceField(label=_("Origin"), queryset=State.objects.all(), required=False)
    transit = StateMultipleChoiceField(
        label=_("Transit"), queryset=State.objects.all(), required=False, help_text=select_several()
    )
    destination = StateChoiceField(label=_("Destination"), queryset=State.objects.all(), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        described = data.get("origin") or data.get("destination") or data.get("transit")
        if data.get("commodity") and not data.get("origin") and not data.get("destination"):
            raise forms.ValidationError(_("A route needs an origin or a destination."))
        if described and not data.get("commodity"):
            raise forms.ValidationError(_("Say what travels along this route."))
        return data


RouteFormSet = forms.formset_factory(RouteForm, extra=1, max_num=20, validate_max=True)


def routes_from(formset: Any) -> list[RouteData]:
    return [
        RouteData(
            commodity=form.cleaned_data["commodity"],
            origin=form.cleaned_data.get("origin"),
            destination=form.cleaned_data.get("destination"),
            transit=list(form.cleaned_data.get("transit") or []),
        )
        for form in formset.forms
        if form.cleaned_data and form.cleaned_data.get("commodity")
    ]


def route_initial(report: ThreatReport) -> list[dict[str, Any]]:
    return [
        {
            "commodity": r.commodity,
            "origin": r.origin,
            "destination": r.destination,
            "transit": list(r.transit.all()),
        }
        for r in report.routes.all()
    ]


# --- criminal networks -------------------------------------------------------------------------------


class CriminalNetworkForm(DisseminationForm):
    """A criminal network profile: content, grading and (while drafting) its dissemination. The
    indicator scores come in `IndicatorFormSet`."""

    main_crime_area = CrimeAreaChoiceField(
        label=_("Main crime area"), queryset=CrimeArea.objects.order_by("position")
    )
    secondary_crime_areas = CrimeAreaMultipleChoiceField(
        label=_("Secondary crime areas"),
        queryset=CrimeArea.objects.select_related("parent").order_by("position"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=select_several(),
    )
    countries = StateMultipleChoiceField(
        label=_("Countries of activity"),
        queryset=State.objects.all(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=select_several(),
    )
    source_reliability = forms.ChoiceField(
        label=_("Source reliability"), choices=_grade_choices("reliability")
    )
    information_credibility = forms.ChoiceField(
        label=_("Information credibility"), choices=_grade_choices("credibility")
    )

    SECTIONS = (
        (_("The network"), ["alias", "main_crime_area", "secondary_crime_areas", "summary"]),
        (_("Reach and shape"), ["countries", "size_band", "structure"]),
        (_("Grading"), ["grading_scheme", "source_reliability", "information_credibility"]),
        (
            _("Marking and dissemination"),
            [
                "tlp",
                "handling_code",
                "handling_conditions",
                "scope",
                "shared_with_states",
                "shared_with_organisations",
            ],
        ),
    )
    RELATIONS = ("secondary_crime_areas", "countries")

    class Meta(DisseminationForm.Meta):
        model = CriminalNetwork  # type: ignore[assignment]
        fields = [
            "alias",
            "main_crime_area",
            "secondary_crime_areas",
            "summary",
            "countries",
            "size_band",
            "structure",
            "grading_scheme",
            "source_reliability",
            "information_credibility",
            *DisseminationForm.Meta.fields,
        ]
        widgets: dict[str, forms.Widget] = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "handling_conditions": forms.Textarea(attrs={"rows": 2}),
        }

    def fieldsets(self) -> list[tuple[Any, list[BoundField]]]:
        return [
            (title, [self[name] for name in names if name in self.fields]) for title, names in self.SECTIONS
        ]

    def content(self) -> dict[str, Any]:
        data = self.cleaned_data
        names = [
            n for n in self.Meta.fields if n not in DisseminationForm.Meta.fields and n not in self.RELATIONS
        ]
        return {name: data.get(name) for name in names}


class IndicatorForm(forms.Form):
    """One actor indicator: its score (empty is "unknown", not 0) and the rationale."""

    indicator = forms.CharField(widget=forms.HiddenInput)
    score = forms.TypedChoiceField(
        label=_("Score"),
        choices=[
            ("", IndicatorScore.__empty__),
            *[(str(v), label) for v, label in IndicatorScore.choices if v is not None],
        ],
        coerce=int,
        empty_value=None,
        required=False,
    )
    rationale = forms.CharField(
        label=_("Rationale"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    LABELS: dict[str, tuple[Any, Any]] = {code: (label, help) for code, label, help in NETWORK_INDICATORS}

    def _code(self) -> str:
        return str(self.initial.get("indicator") or self.data.get(self.add_prefix("indicator")) or "")

    def clean_indicator(self) -> str:
        code = str(self.cleaned_data["indicator"])
        if code not in self.LABELS:
            raise forms.ValidationError(_("Unknown indicator."))
        return code

    @property
    def indicator_label(self) -> Any:
        code = self._code()
        return self.LABELS.get(code, (code, ""))[0]

    @property
    def indicator_help(self) -> Any:
        return self.LABELS.get(self._code(), ("", ""))[1]


IndicatorFormSet = forms.formset_factory(
    IndicatorForm, extra=0, max_num=len(NETWORK_INDICATORS), validate_max=True
)


def indicator_initial(network: CriminalNetwork | None = None) -> list[dict[str, Any]]:
    stored = {row.indicator: row for row in network.indicator_scores.all()} if network and network.pk else {}
    rows = []
    for code, _label, _help in NETWORK_INDICATORS:
        row = stored.get(code)
        rows.append(
            {
                "indicator": code,
                "score": "" if row is None or row.score is None else str(row.score),
                "rationale": row.rationale if row else "",
            }
        )
    return rows


def indicators_from(formset: Any) -> list[IndicatorData]:
    return [
        IndicatorData(
            indicator=form.cleaned_data["indicator"],
            score=form.cleaned_data.get("score"),
            rationale=form.cleaned_data.get("rationale") or "",
        )
        for form in formset.forms
        if form.cleaned_data and form.cleaned_data.get("indicator")
    ]
