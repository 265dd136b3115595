"""The access policy engine: the one place that turns (user, action) into a queryset filter.

Each protected model registers a policy. Views, API viewsets, exports, search and aggregates obtain
their querysets through `restrict()` and single records through `access_object()`, which answers
"not found" for records the user may not see, so their existence is never disclosed.
Models without a registered policy are refused (fail closed).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from django.core.exceptions import ImproperlyConfigured, ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Action(StrEnum):
    VIEW = "view"
    CHANGE = "change"
    DELETE = "delete"
    EXPORT = "export"


class Grant(NamedTuple):
    """One active membership of the principal: its role, organisation and that organisation's state
    (None for regional bodies), and whether that state is a committee member today."""

    role: str
    organisation_id: int
    state_id: int | None
    member_state: bool


@dataclass(frozen=True)
class Principal:
    """What the policy engine knows about the person asking: roles and where they belong."""

    user_id: int | None = None
    authenticated: bool = False
    roles: frozenset[str] = frozenset()
    organisation_ids: frozenset[int] = frozenset()
    state_ids: frozenset[int] = frozenset()
    secretariat: bool = False
    superuser: bool = False
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    #: The memberships the principal was resolved from (once per request), so that policies write
    #: their ids into the SQL instead of a subquery on the memberships; None where a principal was
    #: built without them (the policies then read the memberships in SQL).
    grants: tuple[Grant, ...] | None = field(default=None, compare=False, hash=False)

    def has_role(self, *roles: str) -> bool:
        return self.superuser or bool(self.roles.intersection(roles))


ANONYMOUS = Principal()
NOTHING = Q(pk__in=[])
EVERYTHING = Q()

PrincipalResolver = Callable[[Any], Principal]
_resolver: PrincipalResolver | None = None


def set_principal_resolver(resolver: PrincipalResolver) -> None:
    """Called once at start-up by the app that owns users and memberships (core)."""
    global _resolver
    _resolver = resolver


def principal_for(user: Any) -> Principal:
    """The user's principal, computed once per user object (i.e. once per request)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    cached = getattr(user, "_ceiba_principal", None)
    if cached is not None:
        return cached
    if _resolver is None:
        raise ImproperlyConfigured("No principal resolver registered")
    principal = _resolver(user)
    user._ceiba_principal = principal
    return principal


def is_secretariat(who: Any) -> bool:
    """Whether `who` (a user, or the principal computed for one) acts for the regional secretariat:
    signed in as one of its analysts or administrators, or a superuser. The one secretariat rule of
    every app (the secretariat validates contributions, runs assessments, writes the policy cycle and
    reviews the observatory's alerts)."""
    principal = who if isinstance(who, Principal) else principal_for(who)
    return principal.authenticated and (principal.superuser or principal.secretariat)


def require_secretariat(actor: Any, message: StrOrPromise) -> None:
    """Refuse a write with `message` (shown to the person) unless `actor` is the secretariat."""
    if not is_secretariat(actor):
        raise PermissionDenied(message)


class Policy:
    """Base class of model policies. `filter` returns the Q a user's queryset is restricted to."""

    #: Views of records this policy protects are written to the audit trail.
    audit_views: bool = False

    def filter(self, principal: Principal, action: Action) -> Q:
        raise NotImplementedError

    def is_restricted(self, obj: models.Model, principal: Principal) -> bool:
        """Whether this principal's view of this record is audited (a restricted record)."""
        return self.audit_views


M = TypeVar("M", bound=models.Model)
_registry: dict[type[models.Model], Policy] = {}


def register(model: type[models.Model], policy: Policy) -> None:
    _registry[model] = policy


def policy_for(model: type[models.Model]) -> Policy:
    concrete = model._meta.concrete_model or model
    try:
        return _registry[concrete]
    except KeyError:
        raise ImproperlyConfigured(f"No access policy registered for {model._meta.label}") from None


def _as_queryset(source: type[M] | QuerySet[M]) -> QuerySet[M]:
    if isinstance(source, QuerySet):
        return source
    return source._default_manager.all()


def restrict(source: type[M] | QuerySet[M], user: Any, action: Action | str = Action.VIEW) -> QuerySet[M]:
    """The records of `source` that `user` may perform `action` on."""
    queryset = _as_queryset(source)
    principal = principal_for(user)
    condition = policy_for(queryset.model).filter(principal, Action(action))
    if condition == NOTHING:
        return queryset.none()
    return queryset.filter(condition)


def can(user: Any, obj: models.Model, action: Action | str = Action.VIEW) -> bool:
    """Whether `user` may perform `action` on this one record."""
    return restrict(type(obj)._default_manager.filter(pk=obj.pk), user, action).exists()


class NotShared(Http404):
    """The record does not exist or is not shared with the user: the two are indistinguishable."""


def access_object(
    source: type[M] | QuerySet[M], user: Any, action: Action | str = Action.VIEW, **lookup: Any
) -> M:
    """Fetch one protected record or raise NotShared (HTTP 404). Views of restricted records are
    written to the audit trail, as are requests for records that exist but are not shared."""
    from . import audit

    queryset = _as_queryset(source)
    try:
        obj = restrict(queryset, user, action).get(**lookup)
    except ObjectDoesNotExist:
        if (
            user is not None
            and getattr(user, "is_authenticated", False)
            and queryset.filter(**lookup).exists()
        ):
            audit.record(
                audit.AuditAction.DENIED,
                object_type=queryset.model._meta.label_lower,
                object_id=str(lookup.get("pk", lookup.get("id", ""))) or repr(lookup)[:64],
                actor=user,
                changes={"action": str(action)},
            )
        raise NotShared(_("Not found.")) from None
    if policy_for(queryset.model).is_restricted(obj, principal_for(user)):
        audit.record(audit.AuditAction.VIEW_RESTRICTED, obj=obj, actor=user, changes={"action": str(action)})
    return obj


class PublicPolicy(Policy):
    """Anyone may view; only principals holding one of `editor_roles` may change or delete."""

    def __init__(self, *editor_roles: str) -> None:
        self.editor_roles = editor_roles

    def filter(self, principal: Principal, action: Action) -> Q:
        if action in (Action.VIEW, Action.EXPORT):
            return EVERYTHING
        return EVERYTHING if principal.has_role(*self.editor_roles) else NOTHING
