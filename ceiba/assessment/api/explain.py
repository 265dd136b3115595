"""Explanations and comparisons through the API: the same content as the pages
(`assessment.explanations`) and the same rules: a run, network or place the caller may not see is
"not found"; inputs the caller may not see are counted, never named."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ceiba.assessment import explanations, scoring
from ceiba.assessment.models import AssessmentRun
from ceiba.common.access import Action, access_object


def _run(request: Request, pk: int) -> AssessmentRun:
    return access_object(
        AssessmentRun.objects.select_related("methodology"), request.user, Action.VIEW, pk=pk
    )


class NetworkExplanationAPIView(APIView):
    """A network's score in a run: formula with the actual values, each actor indicator (raw level,
    normalised value, weight, share of the score, move if it were unknown), coverage, band,
    confidence factor and grading."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, pk: int, key: str) -> Response:
        run = _run(request, pk)
        return Response(explanations.network_explanation(run, key, request.user))


class AreaExplanationAPIView(APIView):
    """A crime-area score at a level (state, subregion, region) and place: formula, market indicators,
    coverage, the networks and threat reports behind it (hidden ones counted) and statistics totals."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, pk: int, code: str, level: str, place: str) -> Response:
        run = _run(request, pk)
        return Response(explanations.area_explanation(run, code, level, place, request.user))


class CompareQuerySerializer(serializers.Serializer):
    before = serializers.IntegerField(help_text="The earlier run.")
    after = serializers.IntegerField(help_text="The later run.")
    level = serializers.ChoiceField(choices=scoring.LEVELS, default=scoring.REGION)
    place = serializers.CharField(default=scoring.REGION, help_text="ISO3, subregion code or “region”.")


class CompareAPIView(APIView):
    """Which crime-area scores and ranks moved between two runs, why (inputs and weights that
    changed) and which input records were added, removed or changed."""

    @extend_schema(
        parameters=[
            OpenApiParameter("before", int, required=True),
            OpenApiParameter("after", int, required=True),
            OpenApiParameter("level", str, enum=list(scoring.LEVELS)),
            OpenApiParameter("place", str),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        query = CompareQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        before, after = _run(request, data["before"]), _run(request, data["after"])
        try:
            result = explanations.comparison(
                before, after, request.user, level=data["level"], place=data["place"]
            )
        except explanations.ComparisonRefused as refused:
            raise serializers.ValidationError({"non_field_errors": [str(refused)]}) from refused
        return Response(result)
