"""Input and output shapes of the assessment runs API."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ceiba.assessment import runs
from ceiba.assessment.choices import Audience
from ceiba.assessment.models import AssessmentRun, MethodologyVersion, RecommendedPriority
from ceiba.assessment.run_forms import MAX_SAMPLES
from ceiba.assessment.run_selectors import runnable_cycles, scores_cycles
from ceiba.documentation.models import AssessmentCycle


class MethodologyRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = MethodologyVersion
        fields = ["id", "code", "version", "name", "definition_hash"]


class RunSerializer(serializers.ModelSerializer):
    cycle_name = serializers.CharField(source="cycle.name", read_only=True, allow_null=True, default=None)
    methodology = MethodologyRefSerializer(read_only=True)
    created_by = serializers.CharField(source="created_by.full_name", read_only=True, default=None)
    counts = serializers.DictField(child=serializers.IntegerField(), read_only=True)

    class Meta:
        model = AssessmentRun
        fields = [
            "id",
            "title",
            "kind",
            "cycle",
            "cycle_name",
            "indicator_table",
            "methodology",
            "audience",
            "tlp",
            "input_hash",
            "methodology_hash",
            "code_version",
            "samples",
            "spread",
            "seed",
            "counts",
            "created_by",
            "created_at",
            "duration_ms",
            "published_at",
            "priorities_status",
            "frozen_at",
            "handed_over_at",
        ]
        read_only_fields = fields


class RunInputSerializer(serializers.Serializer):
    """A run of a cycle's validated contributions (the secretariat)."""

    cycle = serializers.PrimaryKeyRelatedField(queryset=AssessmentCycle.objects.none())
    methodology = serializers.PrimaryKeyRelatedField(
        queryset=MethodologyVersion.objects.all(), help_text="Id of a stored methodology version."
    )
    audience = serializers.ChoiceField(choices=Audience.choices, default=Audience.RESTRICTED)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    samples = serializers.IntegerField(min_value=0, max_value=MAX_SAMPLES, default=1000)
    spread = serializers.FloatField(min_value=0, max_value=0.9, default=0.2)
    seed = serializers.IntegerField(min_value=0, max_value=2**31 - 1, default=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            field: Any = self.fields["cycle"]
            field.queryset = runnable_cycles(request.user)

    def validate_methodology(self, value: MethodologyVersion) -> MethodologyVersion:
        if not scores_cycles(value):
            raise serializers.ValidationError(_("This methodology version cannot score a cycle."))
        return value


class DriverSerializer(serializers.Serializer):
    code = serializers.CharField()
    raw = serializers.FloatField(allow_null=True)
    normalised = serializers.FloatField(allow_null=True)
    weight = serializers.FloatField()
    contribution = serializers.FloatField()


class PrioritySerializer(serializers.ModelSerializer):
    """One recommended priority; its networks only those the caller may see, the others counted."""

    crime_area: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    crime_area_name = serializers.CharField(source="crime_area.name", read_only=True)
    stability = serializers.FloatField(
        source="probability",
        read_only=True,
        allow_null=True,
        help_text="Share of the sensitivity samples in which the crime area stays recommended.",
    )
    drivers = DriverSerializer(many=True, read_only=True)
    networks = serializers.SerializerMethodField()
    hidden_networks = serializers.SerializerMethodField()
    updated_by = serializers.CharField(source="updated_by.full_name", read_only=True, default=None)

    class Meta:
        model = RecommendedPriority
        fields = [
            "id",
            "run",
            "rank",
            "crime_area",
            "crime_area_name",
            "score",
            "coverage",
            "stability",
            "mandatory",
            "by_score",
            "drivers",
            "networks",
            "hidden_networks",
            "computed_rationale",
            "rationale",
            "updated_by",
            "updated_at",
        ]
        read_only_fields = [f for f in fields if f != "rationale"]

    def _visible(self, priority: RecommendedPriority) -> set[str]:
        # One query per run, not per item (a list serializer shares this child serializer).
        cache: dict[int, set[str]] = self.__dict__.setdefault("_visible_keys", {})
        if priority.run_id not in cache:
            request = self.context.get("request")
            cache[priority.run_id] = runs.visible_network_keys(
                priority.run, request.user if request is not None else None
            )
        return cache[priority.run_id]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_networks(self, priority: RecommendedPriority) -> list[str]:
        visible = self._visible(priority)
        return [key for key in priority.networks if key in visible]

    @extend_schema_field(serializers.IntegerField())
    def get_hidden_networks(self, priority: RecommendedPriority) -> int:
        visible = self._visible(priority)
        return sum(1 for key in priority.networks if key not in visible)


class RationaleSerializer(serializers.Serializer):
    rationale = serializers.CharField(max_length=4000)


class NetworkResultSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="N<id> of the criminal network.")
    name = serializers.CharField()
    score = serializers.FloatField(allow_null=True)
    band = serializers.CharField(allow_null=True)
    coverage = serializers.FloatField()
    confidence = serializers.FloatField()
    included = serializers.BooleanField()


class RankingSerializer(serializers.Serializer):
    crime_area = serializers.CharField()
    name = serializers.CharField()
    score = serializers.FloatField(allow_null=True)
    coverage = serializers.FloatField(allow_null=True)
    stability = serializers.FloatField(allow_null=True)


class LevelSerializer(serializers.Serializer):
    places = serializers.ListField(child=serializers.CharField())
    score = serializers.ListField(
        child=serializers.ListField(child=serializers.FloatField(allow_null=True)),
        help_text="Crime areas (in `areas` order) × places; null when unknown.",
    )
    coverage = serializers.ListField(
        child=serializers.ListField(child=serializers.FloatField(allow_null=True))
    )


class SensitivitySerializer(serializers.Serializer):
    areas = serializers.ListField(child=serializers.CharField())
    probability = serializers.ListField(child=serializers.FloatField(allow_null=True))
    samples = serializers.IntegerField()
    spread = serializers.FloatField()
    seed = serializers.IntegerField()


class RunResultsSerializer(serializers.Serializer):
    """A run's results as the caller may receive them."""

    run = serializers.IntegerField()
    tlp = serializers.CharField()
    networks = NetworkResultSerializer(many=True, help_text="The run's networks the caller may see.")
    hidden_networks = serializers.IntegerField(
        help_text="How many of the run's networks the caller may not see."
    )
    bands = serializers.DictField(
        child=serializers.IntegerField(), help_text="Networks per band (all of them)."
    )
    areas = serializers.ListField(child=serializers.CharField())
    levels = serializers.DictField(child=LevelSerializer(), help_text="region, subregion and state.")
    ranking = RankingSerializer(many=True)
    priorities = PrioritySerializer(many=True)
    sensitivity = SensitivitySerializer(allow_null=True)
    composite = serializers.JSONField(
        allow_null=True, help_text="Countries and indices of a composite-index run (null for a cycle run)."
    )
