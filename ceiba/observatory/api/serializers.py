"""Output (and import input) shapes of the observatory API."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from ceiba.core.api.fields import StateField
from ceiba.observatory.choices import SourceFormat
from ceiba.observatory.models import (
    Alert,
    ArmsRegisterReport,
    ConfidenceMeasure,
    Indicator,
    Observation,
    Release,
    WhitePaper,
)


class IndicatorSerializer(serializers.ModelSerializer):
    name = serializers.CharField(
        source="label", read_only=True, help_text="Name in the language of the request."
    )
    definition = serializers.CharField(source="definition_text", read_only=True)
    unit = serializers.CharField(source="unit_text", read_only=True)
    method_notes = serializers.CharField(source="method_text", read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "slug",
            "name",
            "theme",
            "definition",
            "unit",
            "decimals",
            "publisher",
            "source_name",
            "source_url",
            "licence",
            "licence_url",
            "attribution",
            "periodicity",
            "method_notes",
            "source_format",
            "higher_is_worse",
            "updated_at",
        ]


class ObservationSerializer(serializers.ModelSerializer):
    indicator: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    state = StateField(read_only=True)
    value_text = serializers.CharField(source="display_value", read_only=True)
    release: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Observation
        fields = [
            "indicator",
            "state",
            "year",
            "dimension",
            "category",
            "sex",
            "age",
            "value",
            "censor",
            "value_text",
            "source_note",
            "release",
        ]


class ReleaseSerializer(serializers.ModelSerializer):
    indicators: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True
    )
    title = serializers.CharField(source="label", read_only=True)

    class Meta:
        model = Release
        fields = [
            "id",
            "title",
            "source_format",
            "file_name",
            "sha256",
            "publisher_date",
            "imported_at",
            "indicators",
            "rows_read",
            "values_created",
            "values_updated",
            "values_unchanged",
            "values_missing",
            "status",
        ]


class WhitePaperSerializer(serializers.ModelSerializer):
    state = StateField(read_only=True)

    class Meta:
        model = WhitePaper
        fields = ["id", "state", "title", "year", "language", "document", "url"]


class ArmsRegisterReportSerializer(serializers.ModelSerializer):
    state = StateField(read_only=True)

    class Meta:
        model = ArmsRegisterReport
        fields = ["id", "state", "year", "nil_report", "categories", "submitted_on", "notes"]


class ConfidenceMeasureSerializer(serializers.ModelSerializer):
    state = StateField(read_only=True)
    partners = StateField(many=True, read_only=True)

    class Meta:
        model = ConfidenceMeasure
        fields = ["id", "state", "kind", "date", "partners", "other_partners", "description"]


class AlertSerializer(serializers.ModelSerializer):
    state = StateField(read_only=True)
    indicator: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )

    class Meta:
        model = Alert
        fields = ["id", "indicator", "state", "year", "value", "reference", "message", "status", "created_at"]


class ImportInputSerializer(serializers.Serializer):
    source_format = serializers.ChoiceField(choices=SourceFormat.choices)
    file = serializers.FileField()
    indicators = serializers.ListField(child=serializers.SlugField(), required=False, default=list)


class JobSerializer(serializers.Serializer):
    job = serializers.UUIDField()
    status = serializers.CharField()
    progress = serializers.IntegerField()
    status_url = serializers.CharField()
    result = serializers.JSONField(allow_null=True)
    error = serializers.CharField(allow_blank=True)
