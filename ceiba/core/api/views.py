"""Directory API: states, organisations, memberships, people and the current user."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics, mixins, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from ceiba.common.access import principal_for
from ceiba.common.api.viewsets import PolicyQuerysetMixin
from ceiba.core import notifications, services
from ceiba.core.choices import Role
from ceiba.core.filtersets import (
    MembershipFilterSet,
    NotificationFilterSet,
    OrganisationFilterSet,
    PersonFilterSet,
    StateFilterSet,
)
from ceiba.core.models import Membership, Notification, Organisation, State, User

from .serializers import (
    CurrentUserSerializer,
    MembershipInputSerializer,
    MembershipSerializer,
    NotificationPreferenceSerializer,
    NotificationReadAllSerializer,
    NotificationSerializer,
    OrganisationSerializer,
    PersonSerializer,
    StateSerializer,
)


class IsSecretariatAdminForWrites(permissions.BasePermission):
    message = "Only the secretariat administrator may change the directory."

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return principal_for(request.user).has_role(Role.SECRETARIAT_ADMIN)


class StateViewSet(PolicyQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """The 35 independent states of the Americas, their subregion and committee membership."""

    queryset = State.objects.all()
    serializer_class = StateSerializer
    filterset_class = StateFilterSet
    lookup_field = "iso3"
    permission_classes = [AllowAny]
    ordering_fields = ["iso3", "english_name", "committee_member_since"]
    ordering = ["iso3"]

    def get_object(self) -> State:
        self.kwargs["iso3"] = self.kwargs["iso3"].upper()
        return super().get_object()


class OrganisationViewSet(
    PolicyQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Organisations of the directory; the secretariat administrator creates and updates them."""

    queryset = Organisation.objects.select_related("state")
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilterSet
    permission_classes = [IsSecretariatAdminForWrites]
    ordering_fields = ["name", "kind"]
    ordering = ["name"]

    def get_permissions(self) -> list[Any]:
        if self.request.method in permissions.SAFE_METHODS:
            return [AllowAny()]
        return [permissions.IsAuthenticated(), IsSecretariatAdminForWrites()]

    def perform_create(self, serializer: BaseSerializer[Organisation]) -> None:
        serializer.instance = services.organisation_create(**serializer.validated_data)

    def perform_update(self, serializer: BaseSerializer[Organisation]) -> None:
        assert serializer.instance is not None
        serializer.instance = services.organisation_update(
            organisation=serializer.instance, **serializer.validated_data
        )


class MembershipViewSet(
    PolicyQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Active memberships the caller may see; the secretariat administrator adds new ones."""

    # Which memberships are active is decided per request (`base_queryset`): a class attribute is
    # built once, when the module is imported, and would keep that day's date for the process's life.
    queryset = Membership.objects.select_related("user", "organisation", "organisation__state")
    filterset_class = MembershipFilterSet
    permission_classes = [permissions.IsAuthenticated, IsSecretariatAdminForWrites]
    ordering_fields = ["start_date", "role"]
    ordering = ["id"]

    def base_queryset(self) -> QuerySet[Membership]:
        return Membership.objects.active().select_related("user", "organisation", "organisation__state")

    def get_serializer_class(self) -> type[BaseSerializer[Membership]]:
        return MembershipInputSerializer if self.request.method == "POST" else MembershipSerializer

    @extend_schema(request=MembershipInputSerializer, responses=MembershipSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = MembershipInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        membership = services.membership_create(
            user=data["user"],
            organisation=data["organisation"],
            role=data["role"],
            title=data.get("title", ""),
            start_date=data.get("start_date"),
        )
        return Response(MembershipSerializer(membership).data, status=201)


class PersonViewSet(PolicyQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """People the caller may see (ARCHITECTURE.md §4): others answer 404."""

    queryset = User.objects.filter(is_active=True).prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.active().select_related("organisation", "organisation__state"),
            to_attr="current_memberships",
        )
    )
    serializer_class = PersonSerializer
    filterset_class = PersonFilterSet
    ordering_fields = ["full_name"]
    ordering = ["full_name"]


class CurrentUserView(generics.RetrieveUpdateAPIView):
    """The signed-in user: roles, memberships, language (which can be changed here)."""

    serializer_class = CurrentUserSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self) -> User:
        return self.request.user  # type: ignore[return-value]

    def perform_update(self, serializer: BaseSerializer[User]) -> None:
        services.user_update(user=self.request.user, **serializer.validated_data)  # type: ignore[arg-type]


class NotificationViewSet(
    PolicyQuerysetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The caller's own inbox, newest first (`?unread=true` for unread only). Another person's
    notifications answer 404."""

    queryset = Notification.objects.inbox()
    serializer_class = NotificationSerializer
    filterset_class = NotificationFilterSet
    ordering_fields = ["created_at"]
    ordering = ["-created_at", "-id"]

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str | None = None) -> Response:
        """Mark one notification read."""
        notification = notifications.notification_mark_read(
            actor=request.user,  # type: ignore[arg-type]
            notification=self.get_object(),
        )
        return Response(NotificationSerializer(notification).data)

    @extend_schema(request=None, responses=NotificationReadAllSerializer)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Request) -> Response:
        """Mark all the caller's notifications read."""
        count = notifications.notifications_mark_all_read(actor=request.user)  # type: ignore[arg-type]
        return Response({"marked_read": count})


class NotificationPreferenceViewSet(viewsets.ViewSet):
    """How the caller receives each registered kind of notification: inbox, email, both or none."""

    lookup_field = "kind"
    lookup_value_regex = r"[^/]+"
    serializer_class = NotificationPreferenceSerializer

    @staticmethod
    def _row(kind: notifications.NotificationKind, channel: str) -> dict[str, Any]:
        return {
            "kind": kind.key,
            "label": str(kind.label),
            "description": str(kind.description),
            "default_channel": kind.default_channel,
            "channel": channel,
        }

    def _find(self, user: User, key: str) -> dict[str, Any]:
        for kind, channel in notifications.preferences_for(user):
            if kind.key == key:
                return self._row(kind, channel)
        raise NotFound

    @extend_schema(responses=NotificationPreferenceSerializer(many=True))
    def list(self, request: Request) -> Response:
        rows = [self._row(k, c) for k, c in notifications.preferences_for(request.user)]  # type: ignore[arg-type]
        return Response(NotificationPreferenceSerializer(rows, many=True).data)

    @extend_schema(responses=NotificationPreferenceSerializer)
    def retrieve(self, request: Request, kind: str) -> Response:
        return Response(self._find(request.user, kind))  # type: ignore[arg-type]

    @extend_schema(request=NotificationPreferenceSerializer, responses=NotificationPreferenceSerializer)
    def update(self, request: Request, kind: str) -> Response:
        user: User = request.user  # type: ignore[assignment]
        self._find(user, kind)
        serializer = NotificationPreferenceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        notifications.notification_preference_set(
            actor=user, kind=kind, channel=serializer.validated_data["channel"]
        )
        return Response(self._find(user, kind))

    @extend_schema(request=NotificationPreferenceSerializer, responses=NotificationPreferenceSerializer)
    def partial_update(self, request: Request, kind: str) -> Response:
        return self.update(request, kind)
