"""A cycle's evaluation through the API (under /api/v1/policy/): its figures (GET; frozen once
final), the secretariat's lessons (list, record, read, correct, remove) and the finalisation. Same
access as the pages: members read a draft, everyone a final evaluation; lessons reach the members."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ceiba.common.access import Action, NotShared, access_object, is_secretariat, restrict

from .. import evaluation_selectors, evaluation_services
from ..choices import EvaluationStatus
from ..models import Lesson, PolicyCycle


def _cycle(request: Request, pk: int) -> PolicyCycle:
    try:
        return evaluation_selectors.visible_cycle(request.user, pk)
    except NotShared:
        if not request.user.is_authenticated:
            raise NotAuthenticated from None
        raise


class EvaluationSerializer(serializers.Serializer):
    cycle = serializers.IntegerField()
    cycle_name = serializers.CharField()
    status = serializers.ChoiceField(choices=EvaluationStatus.choices)
    summary = serializers.CharField()
    finalised_at = serializers.DateTimeField(allow_null=True)
    figures = serializers.JSONField(help_text="See docs/policy/evaluation.md for the layout.")
    previous_cycle = serializers.IntegerField(allow_null=True)
    previous_evaluation_final = serializers.BooleanField()
    previous_figures = serializers.JSONField(
        allow_null=True, help_text="The previous cycle's final figures and lessons (they feed this cycle)."
    )
    next_cycle = serializers.IntegerField(allow_null=True)


class FinaliseSerializer(serializers.Serializer):
    summary = serializers.CharField(required=False, allow_blank=True, default="")


class LessonSerializer(serializers.ModelSerializer):
    recorded_by = serializers.CharField(source="recorded_by.full_name", read_only=True, default="")

    class Meta:
        model = Lesson
        fields = ["id", "cycle", "title", "text", "recorded_by", "created_at", "updated_at"]
        read_only_fields = ["id", "cycle", "recorded_by", "created_at", "updated_at"]


class LessonInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=250)
    text = serializers.CharField()


def evaluation_payload(cycle: PolicyCycle, user: Any) -> dict[str, Any]:
    data = evaluation_selectors.evaluation_data(cycle, user)
    record = data["evaluation"]
    previous_final = data["previous_final"]
    return {
        "cycle": cycle.pk,
        "cycle_name": cycle.name,
        "status": data["status"],
        "summary": data["summary"],
        "finalised_at": record.finalised_at if record is not None else None,
        "figures": data["figures"],
        "previous_cycle": data["previous"].pk if data["previous"] is not None else None,
        "previous_evaluation_final": previous_final is not None,
        "previous_figures": previous_final.figures if previous_final is not None else None,
        "next_cycle": data["next"].pk if data["next"] is not None else None,
    }


class EvaluationAPIView(APIView):
    """A cycle's evaluation: status, figures (computed from what the caller may read while a draft;
    frozen once final), the previous cycle's final figures and the next cycle."""

    permission_classes = [AllowAny]

    @extend_schema(responses=EvaluationSerializer)
    def get(self, request: Request, pk: int) -> Response:
        cycle = _cycle(request, pk)
        return Response(EvaluationSerializer(evaluation_payload(cycle, request.user)).data)


class EvaluationFinaliseAPIView(APIView):
    """Finalise a cycle's evaluation (the secretariat): figures and lessons frozen, readable by all."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=FinaliseSerializer, responses=EvaluationSerializer)
    def post(self, request: Request, pk: int) -> Response:
        cycle = _cycle(request, pk)
        if not is_secretariat(request.user):
            raise PermissionDenied
        serializer = FinaliseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        evaluation_services.evaluation_finalise(
            actor=request.user,
            cycle=cycle,
            summary=serializer.validated_data["summary"],
        )
        return Response(EvaluationSerializer(evaluation_payload(cycle, request.user)).data)


class LessonListAPIView(APIView):
    """A cycle's lessons (members); the secretariat records one (POST) until the evaluation is final."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=LessonSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        cycle = access_object(PolicyCycle, request.user, Action.VIEW, pk=pk)
        lessons = restrict(Lesson.objects.filter(cycle=cycle), request.user).select_related("recorded_by")
        return Response(LessonSerializer(lessons.order_by("created_at", "pk"), many=True).data)

    @extend_schema(request=LessonInputSerializer, responses={201: LessonSerializer})
    def post(self, request: Request, pk: int) -> Response:
        cycle = access_object(PolicyCycle, request.user, Action.VIEW, pk=pk)
        if not is_secretariat(request.user):
            raise PermissionDenied
        serializer = LessonInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        lesson = evaluation_services.lesson_create(
            actor=request.user, cycle=cycle, **serializer.validated_data
        )
        return Response(LessonSerializer(lesson).data, status=status.HTTP_201_CREATED)


class LessonDetailAPIView(APIView):
    """One lesson (members read it); the secretariat corrects (PATCH) or removes (DELETE) it until the
    evaluation is final."""

    permission_classes = [IsAuthenticated]

    def _lesson(self, request: Request, pk: int, write: bool = False) -> Lesson:
        lesson = access_object(
            Lesson.objects.select_related("cycle", "recorded_by"), request.user, Action.VIEW, pk=pk
        )
        if write and not is_secretariat(request.user):
            raise PermissionDenied
        return lesson

    @extend_schema(responses=LessonSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(LessonSerializer(self._lesson(request, pk)).data)

    @extend_schema(request=LessonInputSerializer, responses=LessonSerializer)
    def patch(self, request: Request, pk: int) -> Response:
        lesson = self._lesson(request, pk, write=True)
        serializer = LessonInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = {"title": lesson.title, "text": lesson.text, **serializer.validated_data}
        evaluation_services.lesson_update(actor=request.user, lesson=lesson, **data)
        return Response(LessonSerializer(lesson).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        lesson = self._lesson(request, pk, write=True)
        evaluation_services.lesson_delete(actor=request.user, lesson=lesson)
        return Response(status=status.HTTP_204_NO_CONTENT)
