"""Directory API: states, organisations, memberships, people and the current user."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import generics, mixins, permissions, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from ceiba.common.access import principal_for
from ceiba.common.api.viewsets import PolicyQuerysetMixin
from ceiba.core import services
from ceiba.core.choices import Role
from ceiba.core.filtersets import MembershipFilterSet, OrganisationFilterSet, PersonFilterSet, StateFilterSet
from ceiba.core.models import Membership, Organisation, State, User

from .serializers import (
    CurrentUserSerializer,
    MembershipInputSerializer,
    MembershipSerializer,
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

    queryset = Membership.objects.active().select_related("user", "organisation", "organisation__state")
    filterset_class = MembershipFilterSet
    permission_classes = [permissions.IsAuthenticated, IsSecretariatAdminForWrites]
    ordering_fields = ["start_date", "role"]
    ordering = ["id"]

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
