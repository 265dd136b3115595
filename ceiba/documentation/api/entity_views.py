"""Entities API: the entities shared with the caller, each with the records (provenance, marking,
grading, values) they may see; the graph of an entity; the FtM JSON-lines export."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from ceiba.common.access import Action, access_object
from ceiba.common.api.viewsets import PolicyQuerysetMixin
from ceiba.core.api.fields import StateField
from ceiba.documentation import entity_selectors as selectors
from ceiba.documentation.entity_schema import SCHEMA_CHOICES
from ceiba.documentation.entity_views import export_response
from ceiba.documentation.models import Entity, EntityRecord, EntityStatement


class StatementSerializer(serializers.ModelSerializer):
    class Meta:
        model = EntityStatement
        fields = ["prop", "value", "first_seen", "last_seen"]


class EntityRecordSerializer(serializers.ModelSerializer):
    """What one contribution says about the entity, with its provenance and marking."""

    originator_state = StateField(read_only=True)
    cycle = serializers.CharField(source="contribution.cycle.name", read_only=True)
    grading = serializers.CharField(read_only=True)
    statements = StatementSerializer(many=True, read_only=True)

    class Meta:
        model = EntityRecord
        fields = [
            "id",
            "schema",
            "caption",
            "contribution",
            "cycle",
            "originator",
            "originator_state",
            "network",
            "tlp",
            "handling_code",
            "handling_conditions",
            "scope",
            "grading_scheme",
            "grading",
            "statements",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class EntitySerializer(serializers.ModelSerializer):
    schema = serializers.CharField(read_only=True, help_text="Schema of the first record the caller may see.")
    caption = serializers.CharField(read_only=True)

    class Meta:
        model = Entity
        fields = ["id", "ftm_id", "schema", "caption"]


class EntityDetailSerializer(EntitySerializer):
    records = serializers.SerializerMethodField(help_text="The records the caller may see.")

    class Meta(EntitySerializer.Meta):
        fields = [*EntitySerializer.Meta.fields, "records"]

    def get_records(self, obj: Entity) -> Any:
        user = self.context["request"].user
        return EntityRecordSerializer(selectors.entity_records(user, obj), many=True).data


FILTERS = [
    OpenApiParameter("schema", OpenApiTypes.STR, enum=[value for value, _label in SCHEMA_CHOICES]),
    OpenApiParameter("state", OpenApiTypes.STR, description="Originator state (ISO alpha-3)."),
    OpenApiParameter("q", OpenApiTypes.STR, description="Text in the caption."),
]


class EntityViewSet(PolicyQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """FollowTheMoney entities shared with the caller (one of their records is); others answer 404.
    Each record carries its originator, contribution, marking and grading; each value when it was
    first and last seen."""

    queryset = Entity.objects.all()
    ordering = ["id"]
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        params = self.request.query_params
        schema = params.get("schema", "")
        return selectors.entity_list_queryset(
            self.request.user,
            schema=schema if schema in dict(SCHEMA_CHOICES) else "",
            state=params.get("state", "")[:3],
            q=params.get("q", "")[:200],
            links=True,
        )

    def get_object(self) -> Any:
        entity = access_object(Entity, self.request.user, Action.VIEW, pk=self.kwargs["pk"])
        return selectors.visible_entities(self.request.user).get(pk=entity.pk)

    def get_serializer_class(self) -> Any:
        return EntityDetailSerializer if self.action == "retrieve" else EntitySerializer

    @extend_schema(parameters=FILTERS)
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["get"])
    def graph(self, request: Request, pk: str | None = None) -> Response:
        """Nodes (entities the caller may see) and edges (links whose two ends they may see)."""
        return Response(selectors.entity_graph(request.user, self.get_object()))

    @extend_schema(parameters=FILTERS, responses={(200, "application/x-ndjson"): OpenApiTypes.STR})
    @action(detail=False, methods=["get"])
    def export(self, request: Request) -> Any:
        """FollowTheMoney JSON lines of the entities the caller may export, with a `context.ceiba`
        field carrying each record's provenance and markings (docs/entities.md)."""
        params = request.query_params
        filters = {
            "schema": params.get("schema", ""),
            "state": params.get("state", ""),
            "q": params.get("q", ""),
        }
        return export_response(request.user, self.get_queryset(), filters)
