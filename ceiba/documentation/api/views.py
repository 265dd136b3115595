"""Threat documentation API: crime areas, cycles, contributions (with their workflow) and threat
reports, every queryset restricted by the access policy."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from ceiba.common.api.viewsets import PolicyQuerysetMixin
from ceiba.documentation import services
from ceiba.documentation.filtersets import (
    ContributionFilterSet,
    CrimeAreaFilterSet,
    CriminalNetworkFilterSet,
    CycleFilterSet,
    ThreatReportFilterSet,
)
from ceiba.documentation.models import (
    AssessmentCycle,
    Contribution,
    CrimeArea,
    CriminalNetwork,
    ThreatReport,
    ThreatRoute,
)
from ceiba.sharing.models import SharedRecord
from ceiba.sharing.services import shared_record_set_dissemination

from .serializers import (
    ContributionSerializer,
    CrimeAreaSerializer,
    CriminalNetworkInputSerializer,
    CriminalNetworkSerializer,
    CycleSerializer,
    ReviewSerializer,
    ThreatReportInputSerializer,
    ThreatReportSerializer,
    indicators_from,
    routes_from,
)


class CrimeAreaViewSet(PolicyQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """The crime-area taxonomy, with the Global Organized Crime Index market of each area."""

    queryset = CrimeArea.objects.select_related("parent")
    serializer_class = CrimeAreaSerializer
    filterset_class = CrimeAreaFilterSet
    permission_classes = [AllowAny]
    lookup_field = "code"
    ordering = ["position"]
    pagination_class = None


class CycleViewSet(
    PolicyQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Assessment cycles; the secretariat administrator opens them."""

    queryset = AssessmentCycle.objects.prefetch_related("crime_areas")
    serializer_class = CycleSerializer
    filterset_class = CycleFilterSet
    ordering_fields = ["contribution_deadline", "name"]
    ordering = ["-contribution_deadline"]

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        serializer.instance = services.cycle_open(
            actor=self.request.user,
            name=data["name"],
            description=data.get("description", ""),
            contribution_deadline=data["contribution_deadline"],
            crime_areas=data["crime_areas"],
        )


class ContributionViewSet(
    PolicyQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Contributions the caller may see: their own state's (drafts included) and, for the
    secretariat, submitted ones. POST starts the caller's state's contribution to a cycle."""

    queryset = Contribution.objects.select_related("cycle", "state")
    serializer_class = ContributionSerializer
    filterset_class = ContributionFilterSet
    ordering = ["id"]

    def policy_action(self) -> Any:
        # Workflow actions are checked by their services (role and status): fetching needs VIEW.
        from ceiba.common.access import Action

        return Action.VIEW

    def perform_create(self, serializer: Any) -> None:
        data = serializer.validated_data
        serializer.instance = services.contribution_start(
            cycle=data["cycle"], state=data["state"], actor=self.request.user
        )

    def _transition(self, function: Callable[..., Contribution], **kwargs: Any) -> Response:
        contribution = function(contribution=self.get_object(), actor=self.request.user, **kwargs)
        return Response(ContributionSerializer(contribution).data)

    @extend_schema(request=None, responses=ContributionSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        """The state's focal point submits the contribution to the secretariat."""
        return self._transition(services.contribution_submit)

    @extend_schema(request=ReviewSerializer, responses=ContributionSerializer)
    @action(detail=True, methods=["post"])
    def validate(self, request: Request, pk: str | None = None) -> Response:
        """The secretariat validates a submitted contribution."""
        review = ReviewSerializer(data=request.data)
        review.is_valid(raise_exception=True)
        return self._transition(services.contribution_validate, comments=review.validated_data["comments"])

    @extend_schema(request=ReviewSerializer, responses=ContributionSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request: Request, pk: str | None = None) -> Response:
        """The secretariat returns a submitted contribution with comments."""
        review = ReviewSerializer(data=request.data)
        review.is_valid(raise_exception=True)
        return self._transition(services.contribution_return, comments=review.validated_data["comments"])


class ThreatReportViewSet(
    PolicyQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Threat reports shared with the caller (ARCHITECTURE.md §4); others answer 404. The originator
    drafts and changes them; only the originator changes marking, handling and dissemination."""

    queryset = ThreatReport.objects.select_related(
        "crime_area", "originator_state", "contribution"
    ).prefetch_related(
        "affected_states",
        "shared_with_states",
        "shared_with_organisations",
        Prefetch("routes", queryset=ThreatRoute.objects.select_related("origin", "destination")),
        "routes__transit",
        "attachments",
    )
    filterset_class = ThreatReportFilterSet
    ordering_fields = ["period_end", "created_at"]
    ordering = ["-period_end", "id"]

    def get_serializer_class(self) -> Any:
        if self.request.method in ("POST", "PUT", "PATCH"):
            return ThreatReportInputSerializer
        return ThreatReportSerializer

    @extend_schema(request=ThreatReportInputSerializer, responses=ThreatReportSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = ThreatReportInputSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        report = services.threat_report_create(
            actor=request.user,
            contribution=data.pop("contribution"),
            affected_states=data.pop("affected_states", []),
            routes=routes_from(data.pop("routes", [])),
            shared_with_states=data.pop("shared_with_states", []),
            shared_with_organisations=data.pop("shared_with_organisations", []),
            **data,
        )
        return Response(ThreatReportSerializer(self._fresh(report)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ThreatReportInputSerializer, responses=ThreatReportSerializer)
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        report = self.get_object()
        serializer = ThreatReportInputSerializer(
            report,
            data=request.data,
            partial=kwargs.get("partial", False),
            context=self.get_serializer_context(),
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("contribution", None)
        dissemination = _dissemination_from(report, data)
        routes = data.pop("routes", None)
        if dissemination is not None and not data and routes is None:
            # Only who receives it changes: allowed to the originator at any time, even after submission.
            shared_record_set_dissemination(record=report, actor=request.user, **dissemination)
            return Response(ThreatReportSerializer(self._fresh(report)).data)
        report = services.threat_report_update(
            report=report,
            actor=request.user,
            affected_states=data.pop("affected_states", None),
            routes=routes_from(routes) if routes is not None else None,
            dissemination=dissemination,
            **data,
        )
        return Response(ThreatReportSerializer(self._fresh(report)).data)

    def _fresh(self, report: ThreatReport) -> ThreatReport:
        return self.get_queryset().get(pk=report.pk)


def _dissemination_from(record: SharedRecord, data: dict[str, Any]) -> dict[str, Any] | None:
    """Pop the dissemination keys a client sent; None when it sent none."""
    keys = {*SharedRecord.DISSEMINATION_FIELDS, "shared_with_states", "shared_with_organisations"}
    if not keys & set(data):
        return None
    dissemination: dict[str, Any] = {
        **{field: getattr(record, field) for field in SharedRecord.DISSEMINATION_FIELDS},
        "states": list(record.shared_with_states.all()),
        "organisations": list(record.shared_with_organisations.all()),
    }
    for field in SharedRecord.DISSEMINATION_FIELDS:
        if field in data:
            dissemination[field] = data.pop(field)
    if "shared_with_states" in data:
        dissemination["states"] = data.pop("shared_with_states")
    if "shared_with_organisations" in data:
        dissemination["organisations"] = data.pop("shared_with_organisations")
    return dissemination


class CriminalNetworkViewSet(
    PolicyQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Criminal network profiles shared with the caller, with their actor indicators nested (score
    0–4, null when unknown); others answer 404. The originator drafts and changes them."""

    queryset = CriminalNetwork.objects.select_related(
        "main_crime_area", "originator_state", "contribution"
    ).prefetch_related(
        "secondary_crime_areas",
        "countries",
        "shared_with_states",
        "shared_with_organisations",
        "indicator_scores",
    )
    filterset_class = CriminalNetworkFilterSet
    ordering_fields = ["alias", "created_at"]
    ordering = ["alias", "id"]

    def get_serializer_class(self) -> Any:
        if self.request.method in ("POST", "PUT", "PATCH"):
            return CriminalNetworkInputSerializer
        return CriminalNetworkSerializer

    @extend_schema(request=CriminalNetworkInputSerializer, responses=CriminalNetworkSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = CriminalNetworkInputSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        network = services.network_create(
            actor=request.user,
            contribution=data.pop("contribution"),
            secondary_crime_areas=data.pop("secondary_crime_areas", []),
            countries=data.pop("countries", []),
            indicators=indicators_from(data.pop("indicators", [])),
            shared_with_states=data.pop("shared_with_states", []),
            shared_with_organisations=data.pop("shared_with_organisations", []),
            **data,
        )
        return Response(CriminalNetworkSerializer(self._fresh(network)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CriminalNetworkInputSerializer, responses=CriminalNetworkSerializer)
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        network = self.get_object()
        serializer = CriminalNetworkInputSerializer(
            network,
            data=request.data,
            partial=kwargs.get("partial", False),
            context=self.get_serializer_context(),
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("contribution", None)
        dissemination = _dissemination_from(network, data)
        if dissemination is not None and not data:
            # Only who receives it changes: allowed to the originator at any time, even after submission.
            shared_record_set_dissemination(record=network, actor=request.user, **dissemination)
            return Response(CriminalNetworkSerializer(self._fresh(network)).data)
        indicators = data.pop("indicators", None)
        network = services.network_update(
            network=network,
            actor=request.user,
            secondary_crime_areas=data.pop("secondary_crime_areas", None),
            countries=data.pop("countries", None),
            indicators=indicators_from(indicators) if indicators is not None else None,
            dissemination=dissemination,
            **data,
        )
        return Response(CriminalNetworkSerializer(self._fresh(network)).data)

    def _fresh(self, network: CriminalNetwork) -> CriminalNetwork:
        return self.get_queryset().get(pk=network.pk)
