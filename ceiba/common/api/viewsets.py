"""API base classes: every viewset gets its queryset through the access policy."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from rest_framework import viewsets
from rest_framework.generics import GenericAPIView

from ceiba.common.access import Action, NotShared, access_object, restrict


class PolicyQuerysetMixin(GenericAPIView):
    """Restrict `queryset` through the access policy for the request's user and the view's action,
    and fetch single objects with `access_object` (404 for what is not shared)."""

    def policy_action(self) -> Action:
        if self.request.method in ("GET", "HEAD", "OPTIONS"):
            return Action.VIEW
        if self.request.method == "DELETE":
            return Action.DELETE
        return Action.CHANGE

    def base_queryset(self) -> QuerySet[Any]:
        source: Any = getattr(self, "queryset", None)
        assert source is not None, f"{type(self).__name__} needs a queryset"
        return source.all()

    def get_queryset(self) -> QuerySet[Any]:
        return restrict(self.base_queryset(), self.request.user, Action.VIEW)

    def get_object(self) -> Any:
        lookup_kwarg = self.lookup_url_kwarg or self.lookup_field
        queryset = self.filter_queryset(self.base_queryset())
        lookup = {self.lookup_field: self.kwargs[lookup_kwarg]}
        action = self.policy_action()
        try:
            obj = access_object(queryset, self.request.user, action, **lookup)
        except NotShared:
            # Seeing a record but not being allowed to change it is "forbidden", not "not found".
            if (
                action != Action.VIEW
                and restrict(queryset, self.request.user, Action.VIEW).filter(**lookup).exists()
            ):
                raise PermissionDenied from None
            raise
        self.check_object_permissions(self.request, obj)
        return obj


class ReadOnlyPolicyViewSet(PolicyQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """A read-only API over a protected model."""


class PolicyViewSet(PolicyQuerysetMixin, viewsets.ModelViewSet):
    """A read-write API over a protected model; writes go through services in subclasses."""
