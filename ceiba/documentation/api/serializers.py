"""Input and output shapes of the threat documentation API."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from ceiba.common.access import Action, restrict
from ceiba.core.api.fields import StateField
from ceiba.core.choices import Subregion
from ceiba.core.models import Organisation
from ceiba.documentation.choices import NETWORK_INDICATOR_CHOICES, Enabler
from ceiba.documentation.forms import recipient_organisations
from ceiba.documentation.models import (
    AssessmentCycle,
    Contribution,
    CrimeArea,
    CriminalNetwork,
    NetworkIndicatorScore,
    ThreatReport,
    ThreatRoute,
)
from ceiba.documentation.rendering import render_markdown
from ceiba.documentation.services import IndicatorData, RouteData

from .attachment_serializers import ReportAttachmentSerializer


class CrimeAreaSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True, help_text="Name in the language of the request.")
    parent: serializers.SlugRelatedField[CrimeArea] = serializers.SlugRelatedField(  # type: ignore[assignment]
        slug_field="code", read_only=True
    )

    class Meta:
        model = CrimeArea
        fields = ["code", "name", "parent", "goci_market"]


class CycleSerializer(serializers.ModelSerializer):
    crime_areas = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=CrimeArea.objects.all(), help_text="Codes of the crime areas."
    )

    class Meta:
        model = AssessmentCycle
        fields = ["id", "name", "description", "contribution_deadline", "status", "crime_areas", "created_at"]
        read_only_fields = ["id", "status", "created_at"]


class ContributionSerializer(serializers.ModelSerializer):
    state = StateField(help_text="ISO 3166 alpha-3 code of the contributing state.")
    cycle: serializers.PrimaryKeyRelatedField[AssessmentCycle] = serializers.PrimaryKeyRelatedField(
        queryset=AssessmentCycle.objects.all()
    )

    class Meta:
        model = Contribution
        fields = [
            "id",
            "cycle",
            "state",
            "status",
            "submitted_at",
            "reviewed_at",
            "review_comments",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            "status",
            "submitted_at",
            "reviewed_at",
            "review_comments",
            "created_at",
            "updated_at",
        ]


class ReviewSerializer(serializers.Serializer):
    comments = serializers.CharField(required=False, allow_blank=True, default="")


class RouteSerializer(serializers.ModelSerializer):
    origin = StateField(required=False, allow_null=True)
    destination = StateField(required=False, allow_null=True)
    transit = StateField(many=True, required=False)

    class Meta:
        model = ThreatRoute
        fields = ["commodity", "origin", "transit", "destination"]


class ThreatReportSerializer(serializers.ModelSerializer):
    cycle = serializers.IntegerField(source="contribution.cycle_id", read_only=True)
    crime_area: serializers.SlugRelatedField[CrimeArea] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    originator_state = StateField(read_only=True)
    affected_states = StateField(many=True, read_only=True)
    shared_with_states = StateField(many=True, read_only=True)
    routes = RouteSerializer(many=True, read_only=True)
    attachments = ReportAttachmentSerializer(many=True, read_only=True)
    narrative_html = serializers.SerializerMethodField(help_text="The narrative as sanitised HTML.")
    grading = serializers.CharField(read_only=True)

    class Meta:
        model = ThreatReport
        fields = [
            "id",
            "contribution",
            "cycle",
            "crime_area",
            "title",
            "period_start",
            "period_end",
            "originator",
            "originator_state",
            "affected_states",
            "subregions",
            "border_areas",
            "routes",
            "scale",
            "scale_notes",
            "trend",
            "harm_physical",
            "harm_economic",
            "harm_social",
            "harm_environmental",
            "harm_institutional",
            "modus_operandi",
            "enablers",
            "narrative",
            "narrative_html",
            "attachments",
            "grading_scheme",
            "source_reliability",
            "information_credibility",
            "grading",
            "tlp",
            "handling_code",
            "handling_conditions",
            "scope",
            "shared_with_states",
            "shared_with_organisations",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_narrative_html(self, obj: ThreatReport) -> str:
        return str(render_markdown(obj.narrative))


OUTPUT_ONLY = {
    "id",
    "cycle",
    "originator",
    "originator_state",
    "narrative_html",
    "grading",
    "created_at",
    "updated_at",
}


class ThreatReportInputSerializer(serializers.ModelSerializer):
    """What a client sends to draft or change a threat report."""

    contribution: serializers.PrimaryKeyRelatedField[Contribution] = serializers.PrimaryKeyRelatedField(
        queryset=Contribution.objects.none()
    )
    crime_area = serializers.SlugRelatedField(slug_field="code", queryset=CrimeArea.objects.all())
    affected_states = StateField(many=True, required=False)
    subregions = serializers.ListField(
        child=serializers.ChoiceField(choices=Subregion.choices), required=False
    )
    enablers = serializers.ListField(child=serializers.ChoiceField(choices=Enabler.choices), required=False)
    routes = RouteSerializer(many=True, required=False)
    shared_with_states = StateField(many=True, required=False)
    shared_with_organisations: serializers.PrimaryKeyRelatedField[Organisation] = (
        serializers.PrimaryKeyRelatedField(many=True, queryset=Organisation.objects.all(), required=False)
    )

    class Meta:
        model = ThreatReport
        fields = [f for f in ThreatReportSerializer.Meta.fields if f not in OUTPUT_ONLY]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        # Contributions the caller may not change are indistinguishable from missing ones.
        self.fields["contribution"].queryset = restrict(Contribution, user, Action.CHANGE)  # type: ignore[attr-defined]
        self.fields["shared_with_organisations"].child_relation.queryset = recipient_organisations()  # type: ignore[attr-defined]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # Model validation happens in the services (full_clean); nothing is checked twice here.
        return attrs


def routes_from(data: list[dict[str, Any]]) -> list[RouteData]:
    return [
        RouteData(
            commodity=row["commodity"],
            origin=row.get("origin"),
            destination=row.get("destination"),
            transit=list(row.get("transit") or []),
        )
        for row in data
    ]


class IndicatorScoreSerializer(serializers.ModelSerializer):
    """One actor indicator: `score` 0–4, or null when unknown (null is never the same as 0)."""

    indicator = serializers.ChoiceField(choices=NETWORK_INDICATOR_CHOICES)
    score = serializers.IntegerField(
        allow_null=True, required=False, default=None, help_text="0–4; null means unknown."
    )
    rationale = serializers.CharField(allow_blank=True, required=False, default="")

    class Meta:
        model = NetworkIndicatorScore
        fields = ["indicator", "score", "rationale"]
        validators: list[Any] = []


class CriminalNetworkSerializer(serializers.ModelSerializer):
    cycle = serializers.IntegerField(source="contribution.cycle_id", read_only=True)
    main_crime_area: serializers.SlugRelatedField[CrimeArea] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    secondary_crime_areas: Any = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    countries = StateField(many=True, read_only=True)
    originator_state = StateField(read_only=True)
    shared_with_states = StateField(many=True, read_only=True)
    indicators = IndicatorScoreSerializer(source="indicator_scores", many=True, read_only=True)
    grading = serializers.CharField(read_only=True)

    class Meta:
        model = CriminalNetwork
        fields = [
            "id",
            "contribution",
            "cycle",
            "alias",
            "main_crime_area",
            "secondary_crime_areas",
            "countries",
            "size_band",
            "structure",
            "summary",
            "indicators",
            "originator",
            "originator_state",
            "grading_scheme",
            "source_reliability",
            "information_credibility",
            "grading",
            "tlp",
            "handling_code",
            "handling_conditions",
            "scope",
            "shared_with_states",
            "shared_with_organisations",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


NETWORK_OUTPUT_ONLY = {"id", "cycle", "originator", "originator_state", "grading", "created_at", "updated_at"}


class CriminalNetworkInputSerializer(serializers.ModelSerializer):
    """What a client sends to draft or change a network profile. Indicators are validated (scale,
    repetition) by the services, whose messages name the indicator."""

    contribution: serializers.PrimaryKeyRelatedField[Contribution] = serializers.PrimaryKeyRelatedField(
        queryset=Contribution.objects.none()
    )
    main_crime_area = serializers.SlugRelatedField(slug_field="code", queryset=CrimeArea.objects.all())
    secondary_crime_areas = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=CrimeArea.objects.all(), required=False
    )
    countries = StateField(many=True, required=False)
    indicators = IndicatorScoreSerializer(many=True, required=False)
    shared_with_states = StateField(many=True, required=False)
    shared_with_organisations: serializers.PrimaryKeyRelatedField[Organisation] = (
        serializers.PrimaryKeyRelatedField(many=True, queryset=Organisation.objects.all(), required=False)
    )

    class Meta:
        model = CriminalNetwork
        fields = [f for f in CriminalNetworkSerializer.Meta.fields if f not in NETWORK_OUTPUT_ONLY]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        self.fields["contribution"].queryset = restrict(Contribution, user, Action.CHANGE)  # type: ignore[attr-defined]
        self.fields["shared_with_organisations"].child_relation.queryset = recipient_organisations()  # type: ignore[attr-defined]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        return attrs


def indicators_from(data: list[dict[str, Any]]) -> list[IndicatorData]:
    return [
        IndicatorData(
            indicator=row["indicator"], score=row.get("score"), rationale=row.get("rationale") or ""
        )
        for row in data
    ]
