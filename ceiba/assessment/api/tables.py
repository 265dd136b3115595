"""API of indicator tables (public reference data; imported by the secretariat, multipart, 400 with
every bad cell and nothing stored), runs of a composite methodology over a table, and the results."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from ceiba.assessment import runs, tables
from ceiba.assessment.choices import RunKind
from ceiba.assessment.methodology import MethodologyError
from ceiba.assessment.models import AssessmentRun, IndicatorTable, MethodologyVersion
from ceiba.common.access import Action, access_object
from ceiba.common.api.viewsets import PolicyQuerysetMixin

from .methodologies import ReadPublicWriteSignedIn, issues_response


class IndicatorTableSerializer(serializers.ModelSerializer):
    methodology = serializers.PrimaryKeyRelatedField(read_only=True)  # type: ignore[var-annotated]
    created_by = serializers.StringRelatedField(read_only=True)  # type: ignore[var-annotated]
    countries = serializers.SerializerMethodField()

    class Meta:
        model = IndicatorTable
        fields = [
            "id",
            "name",
            "source",
            "methodology",
            "file_name",
            "content_hash",
            "created_by",
            "created_at",
            "countries",
        ]

    def get_countries(self, table: IndicatorTable) -> int:
        return len(table.content.get("rows", {}))


class IndicatorTableDetailSerializer(IndicatorTableSerializer):
    class Meta(IndicatorTableSerializer.Meta):
        fields = [*IndicatorTableSerializer.Meta.fields, "content"]


class IndicatorTableInputSerializer(serializers.Serializer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # "source" is also an attribute of every serializer field: declared here, not on the class.
        self.fields["source"] = serializers.CharField(required=False, allow_blank=True, default="")

    methodology = serializers.IntegerField(help_text="A methodology version that declares a composite index.")
    name = serializers.CharField(max_length=200)
    file = serializers.FileField(
        help_text="CSV or XLSX: a `country` column (ISO3), one column per indicator."
    )


class CompositeRunSerializer(serializers.ModelSerializer):
    class Meta:
        model = AssessmentRun
        fields = [
            "id",
            "kind",
            "title",
            "methodology",
            "indicator_table",
            "audience",
            "input_hash",
            "methodology_hash",
            "code_version",
            "created_at",
            "published_at",
            "counts",
            "results",
        ]


class IndicatorTableListView(PolicyQuerysetMixin):
    """Imported indicator tables (public). POST (multipart, secretariat): import one; 400 lists every
    bad cell by row and column, and nothing is stored."""

    queryset = IndicatorTable.objects.select_related("created_by")
    serializer_class = IndicatorTableSerializer
    permission_classes = [ReadPublicWriteSignedIn]
    parser_classes = [MultiPartParser, FormParser]
    ordering = ["-created_at"]

    @extend_schema(operation_id="assessment_indicator_tables_list")
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=IndicatorTableInputSerializer, responses={201: IndicatorTableDetailSerializer})
    def post(self, request: Request) -> Response:
        if not tables.may_import(request.user):
            raise PermissionDenied()
        payload = IndicatorTableInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        values = payload.validated_data
        version = access_object(MethodologyVersion, request.user, Action.VIEW, pk=values["methodology"])
        upload = values["file"]
        try:
            table = tables.import_table(
                upload,
                methodology_version=version,
                user=request.user,
                name=values["name"],
                source=values["source"],
                file_name=upload.name or "",
            )
        except tables.TableImportError as error:
            issues = [
                {
                    "field": issue.column or "file",
                    "row": issue.row,
                    "column": issue.column,
                    "message": issue.message,
                }
                for issue in error.issues
            ]
            return issues_response(request, issues, str(error))
        return Response(IndicatorTableDetailSerializer(table).data, status=status.HTTP_201_CREATED)


class IndicatorTableDetailView(PolicyQuerysetMixin):
    """One indicator table with its values."""

    queryset = IndicatorTable.objects.select_related("created_by")
    serializer_class = IndicatorTableDetailSerializer
    permission_classes = [permissions.AllowAny]

    def get(self, request: Request, pk: int) -> Response:
        return Response(self.get_serializer(self.get_object()).data)


class IndicatorTableRunView(PolicyQuerysetMixin):
    """Run the table's composite methodology over it (secretariat); 201 with the run."""

    queryset = IndicatorTable.objects.select_related("methodology")
    serializer_class = CompositeRunSerializer

    def policy_action(self) -> Action:
        return Action.VIEW

    @extend_schema(request=None, responses={201: CompositeRunSerializer})
    def post(self, request: Request, pk: int) -> Response:
        if not runs.may_run(request.user):
            raise PermissionDenied()
        table = self.get_object()
        try:
            run = runs.run_table(methodology_version=table.methodology, table=table, user=request.user)
        except DjangoValidationError as error:
            issues: list[dict[str, Any]] = [
                {"field": "indicator_table", "message": m} for m in error.messages
            ]
            return issues_response(request, issues, "; ".join(error.messages))
        return Response(CompositeRunSerializer(run).data, status=status.HTTP_201_CREATED)


class CompositeResultsView(PolicyQuerysetMixin):
    """A composite run's results: per country every formula's value and the typology's quadrant
    (public once published; the secretariat and committee delegates before)."""

    queryset = AssessmentRun.objects.filter(kind=RunKind.TABLE)
    serializer_class = CompositeRunSerializer
    permission_classes = [permissions.AllowAny]

    def get(self, request: Request, pk: int) -> Response:
        return Response(self.get_serializer(self.get_object()).data)


class CompositeIndicatorValueSerializer(serializers.Serializer):
    code = serializers.CharField()
    value = serializers.FloatField(allow_null=True)


class CompositeGroupSerializer(serializers.Serializer):
    code = serializers.CharField()
    indicators = CompositeIndicatorValueSerializer(many=True)
    mean = serializers.FloatField(allow_null=True)
    known = serializers.IntegerField()
    total = serializers.IntegerField()


class CompositeFormulaValueSerializer(serializers.Serializer):
    code = serializers.CharField()
    expression = serializers.CharField()
    value = serializers.FloatField(allow_null=True)


class CompositeWhatIfSerializer(serializers.Serializer):
    indicator = serializers.CharField()
    value = serializers.FloatField(allow_null=True, help_text="The result with this indicator unknown.")
    move = serializers.FloatField(allow_null=True, help_text="That result minus the actual result.")


class CompositeTypologySerializer(serializers.Serializer):
    x = serializers.CharField()
    y = serializers.CharField()
    x_value = serializers.FloatField(allow_null=True)
    y_value = serializers.FloatField(allow_null=True)
    cutoff = serializers.FloatField()
    x_side = serializers.CharField(allow_null=True)
    y_side = serializers.CharField(allow_null=True)


class CompositeExplanationSerializer(serializers.Serializer):
    country = serializers.CharField()
    formula = serializers.CharField()
    expression = serializers.CharField()
    substituted = serializers.CharField()
    value = serializers.FloatField(allow_null=True)
    formulas = CompositeFormulaValueSerializer(many=True)
    groups = CompositeGroupSerializer(many=True)
    what_if_unknown = CompositeWhatIfSerializer(many=True)
    quadrant = serializers.CharField(allow_null=True)
    typology = CompositeTypologySerializer(allow_null=True)


class CompositeExplainView(PolicyQuerysetMixin):
    """Why one country has its value of one formula of a composite run (recomputed from the run's
    stored inputs): the formula with the values, the groups and indicators with their coverage, the
    result with each indicator unknown, the quadrant. 404 for an unknown country or formula."""

    queryset = AssessmentRun.objects.filter(kind=RunKind.TABLE).select_related("methodology")
    serializer_class = CompositeExplanationSerializer
    permission_classes = [permissions.AllowAny]

    def get(self, request: Request, pk: int, iso3: str, formula: str) -> Response:
        run = self.get_object()
        try:
            explanation = tables.explain_run(run, iso3.upper(), formula)
        except (KeyError, MethodologyError):
            raise NotFound() from None
        return Response(CompositeExplanationSerializer(explanation).data)
