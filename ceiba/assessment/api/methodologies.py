"""API of methodology versions: public list and detail (the weights are published), and a new
version by the secretariat administrator (400 with every issue of the definition and its line)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from ceiba.assessment import methodology_store
from ceiba.assessment.methodology import MethodologyError
from ceiba.assessment.models import MethodologyVersion
from ceiba.common.api.viewsets import PolicyQuerysetMixin
from ceiba.common.problems import problem_body


class ReadPublicWriteSignedIn(permissions.BasePermission):
    """Anyone reads; writing needs a signed-in caller (the view then checks the role: 403)."""

    def has_permission(self, request: Any, view: Any) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return bool(request.user and request.user.is_authenticated)


class MethodologyVersionSerializer(serializers.ModelSerializer):
    created_by = serializers.StringRelatedField(read_only=True)  # type: ignore[var-annotated]
    runs = serializers.SerializerMethodField()
    composite = serializers.SerializerMethodField()

    class Meta:
        model = MethodologyVersion
        fields = [
            "id",
            "code",
            "version",
            "name",
            "definition_hash",
            "change_note",
            "created_by",
            "created_at",
            "runs",
            "composite",
        ]

    def get_runs(self, version: MethodologyVersion) -> int:
        return version.runs.count()

    def get_composite(self, version: MethodologyVersion) -> bool:
        return version.is_composite


class MethodologyVersionDetailSerializer(MethodologyVersionSerializer):
    parsed = serializers.SerializerMethodField(help_text="The definition as validated data.")

    class Meta(MethodologyVersionSerializer.Meta):
        fields = [*MethodologyVersionSerializer.Meta.fields, "definition", "parsed"]

    def get_parsed(self, version: MethodologyVersion) -> dict[str, Any] | None:
        try:
            return version.parsed().definition
        except MethodologyError:
            return None


class MethodologyVersionInputSerializer(serializers.Serializer):
    definition = serializers.CharField(trim_whitespace=False, max_length=200_000)
    change_note = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)


def issues_response(request: Request, issues: list[dict[str, Any]], detail: str) -> Response:
    """400 problem+json with `errors` (field, message) and the full `issues` (path, line, message)."""
    body = problem_body(
        status=400,
        title="Invalid request",
        detail=detail,
        instance=request.path,
        errors=[{"field": i.get("field", i.get("path", "")), "message": i["message"]} for i in issues],
        issues=issues,
    )
    return Response(body, status=400, content_type="application/problem+json")


class MethodologyVersionListView(PolicyQuerysetMixin):
    """Every stored methodology version (public). POST a new version (secretariat administrator):
    its code and version come from the definition; an invalid definition answers 400 with every
    issue, its path and its line, and nothing is stored."""

    queryset = MethodologyVersion.objects.select_related("created_by").order_by("code", "-version")
    serializer_class = MethodologyVersionSerializer
    permission_classes = [ReadPublicWriteSignedIn]
    ordering = ["code", "-version"]

    @extend_schema(operation_id="assessment_methodologies_list")
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        data = self.get_serializer(page, many=True).data
        return self.get_paginated_response(data)

    @extend_schema(
        request=MethodologyVersionInputSerializer, responses={201: MethodologyVersionDetailSerializer}
    )
    def post(self, request: Request) -> Response:
        if not methodology_store.may_edit(request.user):
            raise PermissionDenied()
        payload = MethodologyVersionInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            stored = methodology_store.save_version(
                payload.validated_data["definition"],
                user=request.user,
                change_note=payload.validated_data["change_note"],
            )
        except MethodologyError as error:
            issues = [
                {"field": "definition", "path": i.path, "line": i.line, "message": i.message}
                for i in error.issues
            ]
            return issues_response(request, issues, str(error))
        except DjangoValidationError as error:
            issues = [{"field": "definition", "path": "", "line": None, "message": m} for m in error.messages]
            return issues_response(request, issues, "; ".join(error.messages))
        return Response(MethodologyVersionDetailSerializer(stored).data, status=status.HTTP_201_CREATED)


class MethodologyVersionDetailView(PolicyQuerysetMixin):
    """One methodology version: its definition (text and validated data), hash, author and runs."""

    queryset = MethodologyVersion.objects.select_related("created_by")
    serializer_class = MethodologyVersionDetailSerializer
    permission_classes = [permissions.AllowAny]

    def get(self, request: Request, pk: int) -> Response:
        return Response(self.get_serializer(self.get_object()).data)
