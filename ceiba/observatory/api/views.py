"""The observatory's public API: read-only and throttled for everyone; imports for the secretariat."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import translation
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status, viewsets
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from ceiba.common.access import principal_for
from ceiba.common.api.viewsets import PolicyQuerysetMixin
from ceiba.common.jobs import enqueue
from ceiba.core.choices import SECRETARIAT_ROLES
from ceiba.observatory import tasks
from ceiba.observatory.filtersets import (
    AlertFilterSet,
    IndicatorFilterSet,
    ObservationFilterSet,
    ReleaseFilterSet,
)
from ceiba.observatory.models import (
    Alert,
    ArmsRegisterReport,
    ConfidenceMeasure,
    Indicator,
    Observation,
    Release,
    WhitePaper,
)

from .serializers import (
    AlertSerializer,
    ArmsRegisterReportSerializer,
    ConfidenceMeasureSerializer,
    ImportInputSerializer,
    IndicatorSerializer,
    JobSerializer,
    ObservationSerializer,
    ReleaseSerializer,
    WhitePaperSerializer,
)

DEFAULT_RATE = "120/minute"


class ObservatoryThrottle(ScopedRateThrottle):
    """Throttle by client address (or user) under the `observatory` scope; the rate comes from
    REST_FRAMEWORK's DEFAULT_THROTTLE_RATES["observatory"], else CEIBA_OBSERVATORY_API_RATE."""

    scope_attr = "throttle_scope"

    def get_rate(self) -> str | None:
        rates = getattr(settings, "REST_FRAMEWORK", {}).get("DEFAULT_THROTTLE_RATES", {})
        return rates.get(self.scope) or getattr(settings, "CEIBA_OBSERVATORY_API_RATE", DEFAULT_RATE)


class PublicReadOnly(PolicyQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [permissions.AllowAny]
    throttle_classes = [ObservatoryThrottle]
    throttle_scope = "observatory"


class IndicatorViewSet(PublicReadOnly):
    """Published indicators with their metadata (definition, unit, source, licence, method)."""

    queryset = Indicator.objects.filter(is_published=True)
    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilterSet
    lookup_field = "slug"
    ordering = ["position", "slug"]


class ObservationViewSet(PublicReadOnly):
    """Values by indicator, state and year; `headline=true` leaves out the breakdowns."""

    queryset = Observation.objects.filter(indicator__is_published=True, value__isnull=False).select_related(
        "indicator", "state"
    )
    serializer_class = ObservationSerializer
    filterset_class = ObservationFilterSet
    ordering_fields = ["year", "value"]
    ordering = ["indicator__position", "state__iso3", "year", "dimension", "category", "sex", "age"]


class ReleaseViewSet(PublicReadOnly):
    """Publisher releases imported, so every value can cite the release it comes from."""

    queryset = Release.objects.prefetch_related("indicators")
    serializer_class = ReleaseSerializer
    filterset_class = ReleaseFilterSet
    ordering = ["-imported_at"]


class WhitePaperViewSet(PublicReadOnly):
    queryset = WhitePaper.objects.select_related("state")
    serializer_class = WhitePaperSerializer
    filterset_fields = ["state__iso3", "year", "language"]
    ordering = ["-year", "id"]


class ArmsRegisterReportViewSet(PublicReadOnly):
    queryset = ArmsRegisterReport.objects.select_related("state")
    serializer_class = ArmsRegisterReportSerializer
    filterset_fields = ["state__iso3", "year", "nil_report"]
    ordering = ["-year", "id"]


class ConfidenceMeasureViewSet(PublicReadOnly):
    queryset = ConfidenceMeasure.objects.select_related("state").prefetch_related("partners")
    serializer_class = ConfidenceMeasureSerializer
    filterset_fields = ["state__iso3", "kind"]
    ordering = ["-date", "id"]


class AlertViewSet(PublicReadOnly):
    """Published alerts for everyone; the secretariat and the state concerned also see those
    awaiting review."""

    queryset = Alert.objects.select_related("indicator", "state")
    serializer_class = AlertSerializer
    filterset_class = AlertFilterSet
    ordering = ["-created_at"]


class IsSecretariat(permissions.BasePermission):
    message = "Only the secretariat imports publisher files."

    def has_permission(self, request: Request, view: Any) -> bool:
        return principal_for(request.user).has_role(*SECRETARIAT_ROLES)


def job_body(job: Any) -> dict[str, Any]:
    return {
        "job": job.pk,
        "status": job.status,
        "progress": job.progress,
        "status_url": reverse("core:job_detail", args=[job.pk]),
        "result": job.result,
        "error": job.error,
    }


class ImportView(APIView):
    """Start the import of a publisher file (multipart: `source_format`, `file`, optional
    `indicators`). Answers 202 with the job to follow; the job's result names the release."""

    permission_classes = [permissions.IsAuthenticated, IsSecretariat]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request=ImportInputSerializer, responses={202: JobSerializer})
    def post(self, request: Request) -> Response:
        serializer = ImportInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        path = default_storage.save(f"observatory/imports/{upload.name}", ContentFile(upload.read()))
        job = enqueue(
            tasks.import_file,
            name=f"Import {upload.name}",
            user=request.user,
            path=path,
            source_format=serializer.validated_data["source_format"],
            file_name=upload.name,
            indicator_slugs=serializer.validated_data["indicators"],
            user_id=request.user.pk,
            language=translation.get_language(),
        )
        job.refresh_from_db()
        return Response(job_body(job), status=status.HTTP_202_ACCEPTED)
