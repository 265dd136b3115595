"""Recommendations API (under /api/v1/policy/): recommendations (read per the access policy, written by
the secretariat with `lock_version` on updates), their addressees, implementation reports (filed by
the addressee, validated or returned by the secretariat) and the follow-up summaries as JSON."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ceiba.common.access import Action, access_object, is_secretariat
from ceiba.common.api.viewsets import PolicyQuerysetMixin
from ceiba.core.api.fields import StateField
from ceiba.core.models import Organisation, State
from ceiba.documentation.attachment_services import safe_file_name

from .. import recommendation_followup as followup
from .. import recommendation_services as services
from ..choices import ImplementationStatus
from ..models import Addressee, ImplementationReport, Recommendation
from .fields import VisibleRelatedMixin


class AddresseeSerializer(serializers.ModelSerializer):
    state = StateField(read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Addressee
        fields = ["id", "recommendation", "state", "organisation", "status", "status_validated_on", "overdue"]
        read_only_fields = fields

    def get_overdue(self, obj: Addressee) -> bool:
        return services.is_overdue(obj)


class RecommendationSerializer(serializers.ModelSerializer):
    addressees = AddresseeSerializer(many=True, read_only=True)

    class Meta:
        model = Recommendation
        fields = [
            "id",
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
            "lock_version",
            "addressees",
        ]
        read_only_fields = fields


class RecommendationInputSerializer(serializers.ModelSerializer):
    """A recommendation as the secretariat records or edits it; `states` (ISO alpha-3) and
    `organisations` (ids) replace the addressees; an update names the `lock_version` it started from."""

    states = StateField(many=True, required=False)
    organisations = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(state__isnull=True), many=True, required=False
    )
    lock_version = serializers.IntegerField(required=False, min_value=0)

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
            "states",
            "organisations",
            "lock_version",
        ]
        extra_kwargs: dict[str, Any] = {"code": {"validators": []}}

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is not None and "lock_version" not in attrs:
            raise serializers.ValidationError(
                {"lock_version": _("Name the version you started from (the record's lock_version).")}
            )
        return attrs


class ImplementationReportSerializer(serializers.ModelSerializer):
    recommendation = serializers.IntegerField(source="addressee.recommendation_id", read_only=True)
    evidence_download = serializers.SerializerMethodField()

    class Meta:
        model = ImplementationReport
        fields = [
            "id",
            "addressee",
            "recommendation",
            "status",
            "narrative",
            "evidence_url",
            "evidence_download",
            "review",
            "reviewed_at",
            "review_note",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_evidence_download(self, obj: ImplementationReport) -> str | None:
        if not obj.evidence_file:
            return None
        path = reverse("policy:recommendation_evidence", args=[obj.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class ImplementationReportInputSerializer(VisibleRelatedMixin, serializers.Serializer):
    visible_related = ("addressee",)
    addressee = serializers.PrimaryKeyRelatedField(queryset=Addressee.objects.all())
    status = serializers.ChoiceField(choices=ImplementationStatus.choices)
    narrative = serializers.CharField()
    evidence_url = serializers.URLField(required=False, allow_blank=True, default="")
    evidence_file = serializers.FileField(required=False, allow_null=True, default=None)


class ReturnSerializer(serializers.Serializer):
    note = serializers.CharField(help_text=_("What is missing; it goes back to the addressee."))


class RecommendationViewSet(PolicyQuerysetMixin, viewsets.ModelViewSet):
    """Recommendations the caller may read (restricted ones: members only); the secretariat records,
    edits (with `lock_version`; a stale one answers 409) and removes them (until someone reported).
    Filters: `source`, `state` (ISO alpha-3), `status`, `overdue`."""

    queryset = Recommendation.objects.all()
    serializer_class = RecommendationSerializer
    permission_classes = [IsAuthenticatedOrReadOnly]
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def base_queryset(self) -> Any:
        return services.visible_recommendations(self.request.user)

    def get_queryset(self) -> Any:
        return services.filter_recommendations(super().get_queryset(), self.request.query_params)

    def get_object(self) -> Any:
        obj = access_object(self.base_queryset(), self.request.user, Action.VIEW, pk=self.kwargs["pk"])
        if self.request.method not in ("GET", "HEAD", "OPTIONS") and not is_secretariat(self.request.user):
            raise exceptions.PermissionDenied(
                _("Only the secretariat records recommendations and validates reports.")
            )
        return obj

    def _write(self, instance: Recommendation | None, partial: bool) -> Recommendation:
        serializer = RecommendationInputSerializer(instance, data=self.request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        states = data.pop("states", None)
        organisations = data.pop("organisations", None)
        if instance is None:
            return services.recommendation_create(
                actor=self.request.user,
                data=data,
                states=states or [],
                organisations=organisations or [],
            )
        return services.recommendation_update(
            actor=self.request.user,
            recommendation=instance,
            expected_version=data.pop("lock_version"),
            data=data,
            states=states,
            organisations=organisations,
        )

    def _fresh(self, pk: int) -> Recommendation:
        return self.base_queryset().get(pk=pk)

    @extend_schema(request=RecommendationInputSerializer, responses={201: RecommendationSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not is_secretariat(request.user):
            raise exceptions.PermissionDenied(
                _("Only the secretariat records recommendations and validates reports.")
            )
        recommendation = self._write(None, partial=False)
        return Response(
            RecommendationSerializer(self._fresh(recommendation.pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=RecommendationInputSerializer, responses=RecommendationSerializer)
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        recommendation = self._write(self.get_object(), partial=kwargs.get("partial", False))
        return Response(RecommendationSerializer(self._fresh(recommendation.pk)).data)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        services.recommendation_delete(actor=request.user, recommendation=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class AddresseeViewSet(PolicyQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Addressees of the recommendations the caller may read, with their validated status. Filters:
    `recommendation`, `state` (ISO alpha-3), `status`."""

    queryset = Addressee.objects.select_related("recommendation", "state", "organisation")
    serializer_class = AddresseeSerializer
    permission_classes = [IsAuthenticatedOrReadOnly]
    filterset_fields = {"recommendation": ["exact"], "status": ["exact"], "state__iso3": ["exact"]}


class ImplementationReportViewSet(
    PolicyQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Implementation reports the caller may read (the secretariat and the addressee: all; others:
    validated ones). The addressee files one (JSON, or multipart with `evidence_file`); the secretariat
    validates or returns it."""

    queryset = ImplementationReport.objects.select_related("addressee")
    serializer_class = ImplementationReportSerializer
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    filterset_fields = ["addressee", "review", "status"]

    def policy_action(self) -> Action:
        return Action.VIEW

    @extend_schema(
        request=ImplementationReportInputSerializer, responses={201: ImplementationReportSerializer}
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = ImplementationReportInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        addressee = access_object(Addressee, request.user, Action.VIEW, pk=data["addressee"].pk)
        report = services.implementation_report_submit(
            actor=request.user,
            addressee=addressee,
            status=data["status"],
            narrative=data["narrative"],
            evidence_url=data.get("evidence_url") or "",
            evidence_file=data.get("evidence_file"),
        )
        return Response(
            ImplementationReportSerializer(report, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=None, responses=ImplementationReportSerializer)
    @action(detail=True, methods=["post"])
    def validate(self, request: Request, pk: str | None = None) -> Response:
        """Validate the report: the addressee's status becomes the report's."""
        report = services.implementation_report_validate(actor=request.user, report=self.get_object())
        return Response(ImplementationReportSerializer(report, context=self.get_serializer_context()).data)

    @extend_schema(request=ReturnSerializer, responses=ImplementationReportSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_report(self, request: Request, pk: str | None = None) -> Response:
        """Return the report to its addressee with a note."""
        report = self.get_object()
        serializer = ReturnSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        returned = services.implementation_report_return(
            actor=request.user,
            report=report,
            note=serializer.validated_data["note"],
        )
        return Response(ImplementationReportSerializer(returned, context=self.get_serializer_context()).data)

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY, "The file.")}
    )
    @action(detail=True, methods=["get"])
    def evidence(self, request: Request, pk: str | None = None) -> FileResponse:
        """The report's evidence file (audited); 404 when it has none."""
        report = self.get_object()
        if not report.evidence_file:
            raise exceptions.NotFound()
        services.evidence_downloaded(report=report, actor=request.user)
        name = safe_file_name(report.evidence_file.name.rsplit("/", 1)[-1])
        response = FileResponse(
            report.evidence_file.open("rb"),
            as_attachment=True,
            filename=name,
            content_type="application/octet-stream",
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response["Cache-Control"] = "private, no-store"
        return response


class FollowUpSummaryView(APIView):
    """The hemispheric follow-up summary: validated statuses counted per recommendation, state,
    body and subregion, over the recommendations the caller may read."""

    permission_classes: list[Any] = []

    @extend_schema(responses=OpenApiTypes.OBJECT, operation_id="policy_follow_up_summary")
    def get(self, request: Request) -> Response:
        return Response(followup.summary_data(request.user))


class FollowUpStateView(APIView):
    """One state's follow-up report: every recommendation addressed to it that the caller may read,
    with the validated status, its date, evidence and whether it is overdue."""

    permission_classes: list[Any] = []

    @extend_schema(responses=OpenApiTypes.OBJECT, operation_id="policy_follow_up_state")
    def get(self, request: Request, iso3: str) -> Response:
        state = get_object_or_404(State, iso3=iso3.upper())
        return Response(followup.state_data(state, request.user))
