"""API of statistics (datasets and rows, filtered like the list page) and of import runs (start one
with a multipart upload, follow its status, progress and row-level errors)."""

from __future__ import annotations

import json
from functools import partial
from typing import Any

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from ceiba.common.access import Action, access_object
from ceiba.common.api.viewsets import PolicyQuerysetMixin
from ceiba.core.api.fields import StateField
from ceiba.documentation import imports, statistics_selectors
from ceiba.documentation.interchange.base import IMPORTERS
from ceiba.documentation.models import Contribution, ImportRun, StatisticRow, StatisticsDataset
from ceiba.documentation.statistics_filters import StatisticRowFilterSet, StatisticsDatasetFilterSet
from ceiba.sharing.choices import TLP, GradingSchemeChoice, HandlingCode, Scope


class StatisticsDatasetSerializer(serializers.ModelSerializer):
    originator_state = StateField(read_only=True)
    originator: serializers.StringRelatedField[Any] = serializers.StringRelatedField(read_only=True)

    class Meta:
        model = StatisticsDataset
        fields = [
            "id",
            "title",
            "source_description",
            "contribution",
            "originator",
            "originator_state",
            "tlp",
            "handling_code",
            "handling_conditions",
            "scope",
            "grading_scheme",
            "source_reliability",
            "information_credibility",
            "created_at",
        ]


class StatisticRowSerializer(serializers.ModelSerializer):
    state = StateField(read_only=True)
    crime_area: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    tlp = serializers.CharField(source="dataset.tlp", read_only=True, help_text="The dataset's marking.")

    class Meta:
        model = StatisticRow
        fields = [
            "id",
            "dataset",
            "source_id",
            "kind",
            "period_start",
            "period_end",
            "state",
            "subnational_area",
            "crime_area",
            "commodity",
            "quantity",
            "unit",
            "source",
            "tlp",
        ]


class StatisticsDatasetViewSet(PolicyQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Statistics datasets shared with the caller (marking, dissemination and grading of their rows)."""

    queryset = StatisticsDataset.objects.select_related("originator", "originator_state")
    serializer_class = StatisticsDatasetSerializer
    filterset_class = StatisticsDatasetFilterSet
    ordering = ["-created_at"]


class StatisticRowViewSet(PolicyQuerysetMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Seizures, arrests and incidents shared with the caller, with the list page's filters."""

    queryset = StatisticRow.objects.select_related("state", "crime_area", "dataset")
    serializer_class = StatisticRowSerializer
    filterset_class = StatisticRowFilterSet
    ordering = ["-period_start", "id"]

    def paginate_queryset(self, queryset: Any) -> Any:
        """Take the count from the per-dataset totals where the filters allow it, like the list page
        (counting a million rows would take longer than the page itself)."""
        paginator = self.paginator
        if paginator is not None:
            params = self.request.query_params
            filterset = StatisticRowFilterSet(params or None, queryset=queryset)
            cleaned = filterset.form.cleaned_data if filterset.is_bound and filterset.is_valid() else None
            known = (
                statistics_selectors.totals_from_table(self.request.user, cleaned)
                if cleaned is not None or not filterset.is_bound
                else None
            )
            if known is not None:
                paginator.django_paginator_class = partial(  # type: ignore[attr-defined]
                    statistics_selectors.CountedPaginator, count=known[1]
                )
        return super().paginate_queryset(queryset)


class ImportRunSerializer(serializers.ModelSerializer):
    progress = serializers.SerializerMethodField()

    class Meta:
        model = ImportRun
        fields = [
            "id",
            "kind",
            "contribution",
            "file_name",
            "sha256",
            "size",
            "status",
            "progress",
            "summary",
            "errors",
            "created_at",
            "started_at",
            "finished_at",
        ]

    def get_progress(self, run: ImportRun) -> int:
        return imports.run_progress(run)


class ImportRunInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[])
    contribution = serializers.IntegerField()
    file = serializers.FileField()
    dataset = serializers.CharField(required=False, allow_blank=True, max_length=200)
    mapping = serializers.CharField(
        required=False, help_text='JSON object {"header": "field code" or "" to ignore}; default: suggested.'
    )
    fixed = serializers.CharField(
        required=False, help_text='JSON object {"field code": value for every row}.'
    )
    tlp = serializers.ChoiceField(choices=TLP.choices, default=TLP.AMBER)
    handling_code = serializers.ChoiceField(choices=HandlingCode.choices, default=HandlingCode.H0)
    handling_conditions = serializers.CharField(required=False, allow_blank=True, default="")
    scope = serializers.ChoiceField(choices=Scope.choices, default=Scope.ORIGINATOR)
    grading_scheme = serializers.ChoiceField(choices=GradingSchemeChoice.choices, required=False)
    source_reliability = serializers.CharField(max_length=1)
    information_credibility = serializers.CharField(max_length=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = sorted(IMPORTERS)  # type: ignore[attr-defined]

    def _json(self, value: str) -> dict[str, Any]:
        try:
            parsed = json.loads(value or "{}")
        except json.JSONDecodeError as error:
            raise serializers.ValidationError("Not JSON.") from error
        if not isinstance(parsed, dict):
            raise serializers.ValidationError("A JSON object is expected.")
        return {str(k): "" if v is None else str(v) for k, v in parsed.items()}

    def validate_mapping(self, value: str) -> dict[str, Any]:
        return self._json(value)

    def validate_fixed(self, value: str) -> dict[str, Any]:
        return self._json(value)


class ImportRunViewSet(
    PolicyQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Imports into the caller's state's contributions. POST (multipart) stores the file and starts
    the import in the background (202); GET follows its status, progress and row-level errors."""

    queryset = ImportRun.objects.all()
    serializer_class = ImportRunSerializer
    ordering = ["-created_at"]
    parser_classes = [MultiPartParser, FormParser]

    def policy_action(self) -> Action:
        return Action.VIEW

    @extend_schema(request=ImportRunInputSerializer, responses={202: ImportRunSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = ImportRunInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        contribution = access_object(Contribution, request.user, Action.VIEW, pk=values["contribution"])
        upload = values["file"]
        defaults = {
            key: values[key]
            for key in (
                "tlp",
                "handling_code",
                "handling_conditions",
                "scope",
                "grading_scheme",
                "source_reliability",
                "information_credibility",
            )
            if key in values
        }
        options: dict[str, Any] = {"fixed": values.get("fixed") or {}}
        if values.get("mapping"):
            options["mapping"] = values["mapping"]
        if values.get("dataset"):
            options["dataset"] = values["dataset"]
        with transaction.atomic():
            run = imports.import_create(
                contribution=contribution,
                actor=request.user,
                kind=values["kind"],
                chunks=upload.chunks(),
                size=upload.size,
                file_name=upload.name,
                defaults=defaults,
                options=options,
            )
            if run.status == "pending":  # the API takes the mapping with the file
                imports.import_set_options(run=run, actor=request.user)
            imports.import_start(run=run, actor=request.user)
        run.refresh_from_db()
        return Response(ImportRunSerializer(run).data, status=status.HTTP_202_ACCEPTED)
