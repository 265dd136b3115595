"""Who may see and change what in the directory (ARCHITECTURE.md §4–5).

States and organisations are public: the observatory and the forum show them to everyone.
People are not: a member sees the people of their own state, every state's national focal points and
the secretariat (the published contact points); the secretariat sees everyone. Analysts of another
state stay hidden ("not found").
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from ceiba.common import access
from ceiba.common.access import EVERYTHING, NOTHING, Action, Policy, Principal, PublicPolicy
from ceiba.common.models import AuditEvent, Job

from .choices import SECRETARIAT_ROLES, Role
from .models import Membership, Notification, NotificationPreference, Organisation, State, User

PUBLISHED_CONTACT_ROLES = [Role.NATIONAL_FOCAL_POINT, *SECRETARIAT_ROLES]


def visible_people_ids(principal: Principal) -> Q | None:
    """People ids a non-secretariat member may see; None means everyone."""
    if principal.secretariat or principal.superuser:
        return None
    active = Membership.objects.active()
    contacts = Q(role__in=PUBLISHED_CONTACT_ROLES)
    if principal.state_ids and not principal.roles <= {Role.FORUM_PARTICIPANT}:
        contacts |= Q(organisation__state_id__in=principal.state_ids)
    if principal.roles <= {Role.FORUM_PARTICIPANT}:
        contacts = Q(role__in=list(SECRETARIAT_ROLES)) | Q(organisation_id__in=principal.organisation_ids)
    return Q(pk__in=active.filter(contacts).values("user_id")) | Q(pk=principal.user_id)


class PersonPolicy(Policy):
    """People's profiles are personal data: every view of someone else's profile is audited."""

    audit_views = True

    def is_restricted(self, obj: models.Model, principal: Principal) -> bool:
        return obj.pk != principal.user_id

    def filter(self, principal: Principal, action: Action) -> Q:
        if not principal.authenticated:
            return NOTHING
        if action in (Action.CHANGE, Action.DELETE):
            return EVERYTHING if principal.has_role(Role.SECRETARIAT_ADMIN) else NOTHING
        visible = visible_people_ids(principal)
        return EVERYTHING if visible is None else visible


class MembershipPolicy(Policy):
    def filter(self, principal: Principal, action: Action) -> Q:
        if not principal.authenticated:
            return NOTHING
        if action in (Action.CHANGE, Action.DELETE):
            return EVERYTHING if principal.has_role(Role.SECRETARIAT_ADMIN) else NOTHING
        if principal.secretariat or principal.superuser:
            return EVERYTHING
        return Q(user__in=User.objects.filter(PersonPolicy().filter(principal, action)).values("pk"))


class SecretariatOnlyPolicy(Policy):
    """Records only the secretariat may read (the audit trail); nobody edits them."""

    def filter(self, principal: Principal, action: Action) -> Q:
        if action == Action.VIEW and (principal.secretariat or principal.superuser):
            return EVERYTHING
        return NOTHING


class JobPolicy(Policy):
    """A job is seen by whoever started it and by the secretariat."""

    def filter(self, principal: Principal, action: Action) -> Q:
        if not principal.authenticated:
            return NOTHING
        if principal.secretariat or principal.superuser:
            return EVERYTHING
        return Q(created_by_id=principal.user_id) if action == Action.VIEW else NOTHING


class OwnRecordsPolicy(Policy):
    """Personal records (notifications, notification preferences): each person sees and changes only
    their own, whatever their role; nobody deletes them through the platform."""

    def __init__(self, owner_field: str) -> None:
        self.owner_field = owner_field

    def filter(self, principal: Principal, action: Action) -> Q:
        if not principal.authenticated or principal.user_id is None:
            return NOTHING
        if action not in (Action.VIEW, Action.CHANGE):
            return NOTHING
        return Q(**{f"{self.owner_field}_id": principal.user_id})


def register_all() -> None:
    access.register(State, PublicPolicy(Role.SECRETARIAT_ADMIN))
    access.register(Organisation, PublicPolicy(Role.SECRETARIAT_ADMIN))
    access.register(User, PersonPolicy())
    access.register(Membership, MembershipPolicy())
    access.register(AuditEvent, SecretariatOnlyPolicy())
    access.register(Job, JobPolicy())
    access.register(Notification, OwnRecordsPolicy("recipient"))
    access.register(NotificationPreference, OwnRecordsPolicy("user"))
