"""Reads of the directory. Everything that returns people goes through the access policy."""

from __future__ import annotations

import unicodedata
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from ceiba.common.access import Action, Grant, Principal, restrict

from .choices import SECRETARIAT_ROLES, Role
from .models import Membership, Organisation, State, User


def principal_for_user(user: User) -> Principal:
    """Roles, organisations and states from the user's active memberships."""
    memberships = user.active_memberships
    roles = frozenset(m.role for m in memberships)
    today = timezone.localdate()
    grants = tuple(
        Grant(
            role=m.role,
            organisation_id=m.organisation_id,
            state_id=m.organisation.state_id,
            member_state=bool(
                m.organisation.state is not None
                and m.organisation.state.committee_member_since is not None
                and m.organisation.state.committee_member_since <= today
            ),
        )
        for m in memberships
    )
    return Principal(
        grants=grants,
        user_id=user.pk,
        authenticated=True,
        roles=roles,
        organisation_ids=frozenset(m.organisation_id for m in memberships),
        state_ids=frozenset(m.organisation.state_id for m in memberships if m.organisation.state_id),
        secretariat=bool(roles & SECRETARIAT_ROLES),
        superuser=user.is_superuser,
    )


def sort_by_name(states: list[State]) -> list[State]:
    """Sort states by their name in the active language (accents ignored)."""

    def key(state: State) -> str:
        return unicodedata.normalize("NFKD", state.name).encode("ascii", "ignore").decode().casefold()

    return sorted(states, key=key)


def state_list(queryset: QuerySet[State] | None = None, *, members_only: bool = False) -> list[State]:
    """States (all, or those of `queryset`) with their count of active organisations, sorted by name
    in the active language."""
    queryset = State.objects.all() if queryset is None else queryset
    if members_only:
        queryset = queryset.filter(
            committee_member_since__isnull=False, committee_member_since__lte=timezone.localdate()
        )
    annotated = queryset.annotate(
        organisation_count=Count("organisations", filter=Q(organisations__is_active=True))
    )
    return sort_by_name(list(annotated))


def committee_members() -> list[State]:
    return state_list(members_only=True)


def visible_people(user: Any) -> QuerySet[User]:
    return restrict(User.objects.filter(is_active=True), user, Action.VIEW)


def visible_memberships(user: Any) -> QuerySet[Membership]:
    return restrict(Membership.objects.active(), user, Action.VIEW).select_related(
        "user", "organisation", "organisation__state"
    )


def organisation_people(organisation: Organisation, user: Any) -> QuerySet[Membership]:
    return visible_memberships(user).filter(organisation=organisation)


def focal_points(state: State, user: Any) -> QuerySet[Membership]:
    return visible_memberships(user).filter(organisation__state=state, role=Role.NATIONAL_FOCAL_POINT)


def people_with_memberships(user: Any) -> QuerySet[User]:
    active = Membership.objects.active().select_related("organisation", "organisation__state")
    return visible_people(user).prefetch_related(
        Prefetch("memberships", queryset=active, to_attr="current_memberships")
    )
