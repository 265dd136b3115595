"""Assessment runs API: runs the caller may see (others answer 404), starting a run (the
secretariat), a run's results as the caller may receive them, and the priority workflow."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response

from ceiba.assessment import run_selectors, runs
from ceiba.assessment.choices import RunKind
from ceiba.assessment.models import AssessmentRun, RecommendedPriority
from ceiba.common.access import Action
from ceiba.common.api.viewsets import PolicyQuerysetMixin

from .run_serializers import (
    PrioritySerializer,
    RationaleSerializer,
    RunInputSerializer,
    RunResultsSerializer,
    RunSerializer,
)


def results_data(run: AssessmentRun, user: Any, context: Mapping[str, Any]) -> dict[str, Any]:
    shown = run_selectors.run_results(run, user)
    stored = run.results
    priorities = run.priorities.select_related("crime_area", "updated_by", "run").order_by("rank")
    return {
        "run": run.pk,
        "tlp": run.tlp,
        "networks": [
            {
                "key": n.key,
                "name": n.name,
                "score": n.score,
                "band": n.band,
                "coverage": n.coverage,
                "confidence": n.confidence,
                "included": n.included,
            }
            for n in shown.networks
        ],
        "hidden_networks": shown.hidden_networks,
        "bands": {band or "unknown": count for band, _label, count in shown.bands},
        "areas": list(stored.get("areas", [])),
        "levels": {
            name: {"places": level["places"], "score": level["score"], "coverage": level["coverage"]}
            for name, level in stored.get("levels", {}).items()
        },
        "ranking": [
            {
                "crime_area": row.code,
                "name": row.name,
                "score": row.cells[0].score,
                "coverage": row.cells[0].coverage,
                "stability": row.stability,
            }
            for row in shown.ranking
        ],
        "priorities": PrioritySerializer(priorities, many=True, context=context).data,
        "sensitivity": stored.get("sensitivity"),
        "composite": stored if run.kind == RunKind.TABLE else None,
    }


class AssessmentRunViewSet(
    PolicyQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Assessment runs the caller may read (without a token: the published public runs). The
    secretariat starts a run of a cycle, freezes and hands over its priorities and publishes public
    runs. A run's numbers never change."""

    queryset = AssessmentRun.objects.select_related("cycle", "methodology", "created_by")
    serializer_class = RunSerializer
    permission_classes = [IsAuthenticatedOrReadOnly]
    filterset_fields = ["kind", "audience", "cycle", "priorities_status"]
    ordering_fields = ["created_at", "title"]
    ordering = ["-created_at", "-id"]

    def policy_action(self) -> Action:
        # The workflow services check the role; fetching the run needs only VIEW (404 otherwise).
        return Action.VIEW

    @extend_schema(request=RunInputSerializer, responses={201: RunSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Run a methodology version over a cycle's validated contributions (the secretariat)."""
        if not runs.may_run(request.user):
            raise PermissionDenied
        serializer = RunInputSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        run = runs.run_cycle(
            methodology_version=data["methodology"],
            cycle=data["cycle"],
            user=request.user,
            audience=data["audience"],
            title=data["title"],
            samples=data["samples"],
            spread=data["spread"],
            seed=data["seed"],
        )
        return Response(RunSerializer(run).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=RunResultsSerializer)
    @action(detail=True, methods=["get"])
    def results(self, request: Request, pk: str | None = None) -> Response:
        """Networks (only those the caller may see; the others counted), crime-area scores per
        level, the regional ranking with its stability, the priorities and the sensitivity."""
        run = self.get_object()
        return Response(results_data(run, request.user, self.get_serializer_context()))

    @extend_schema(responses=PrioritySerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def priorities(self, request: Request, pk: str | None = None) -> Response:
        """The run's recommended priorities, by rank."""
        run = self.get_object()
        items = run.priorities.select_related("crime_area", "updated_by", "run").order_by("rank")
        return Response(PrioritySerializer(items, many=True, context=self.get_serializer_context()).data)

    def _workflow(self, service: Callable[..., AssessmentRun]) -> Response:
        run = self.get_object()
        return Response(RunSerializer(service(run, self.request.user)).data)

    @extend_schema(request=None, responses=RunSerializer)
    @action(detail=True, methods=["post"])
    def freeze(self, request: Request, pk: str | None = None) -> Response:
        """Freeze the priority list: its rationales no longer change."""
        return self._workflow(runs.freeze_priorities)

    @extend_schema(request=None, responses=RunSerializer)
    @action(detail=True, methods=["post"], url_path="hand-over", url_name="hand-over")
    def hand_over(self, request: Request, pk: str | None = None) -> Response:
        """Hand the frozen priority list over to the committee."""
        return self._workflow(runs.hand_over_priorities)

    @extend_schema(request=None, responses=RunSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str | None = None) -> Response:
        """Publish a public run: everyone may read it."""
        return self._workflow(runs.publish)


class RecommendedPriorityViewSet(
    PolicyQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Recommended priorities of the runs the caller may read; the secretariat edits a rationale
    (PATCH) while the list is proposed."""

    queryset = RecommendedPriority.objects.select_related("run", "crime_area", "updated_by")
    serializer_class = PrioritySerializer
    permission_classes = [IsAuthenticatedOrReadOnly]
    filterset_fields = ["run"]
    ordering = ["run", "rank"]
    http_method_names = ["get", "patch", "head", "options"]

    @extend_schema(request=RationaleSerializer, responses=PrioritySerializer)
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        priority = self.get_object()
        serializer = RationaleSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        runs.edit_rationale(priority, serializer.validated_data["rationale"], request.user)
        return Response(PrioritySerializer(priority, context=self.get_serializer_context()).data)
