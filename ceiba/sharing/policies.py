"""`SharedRecordPolicy`: ARCHITECTURE.md §4 for every concrete `SharedRecord` model.
The exact rules, and why, are in docs/decisions/0020-dissemination-policy.md.

VIEW (and EXPORT) reaches:
- the national analysts and focal points of the originator state: all its records, drafts included;
- once the originator has released the record (its contribution submitted):
  - the secretariat, when the scope is "originator and secretariat", "all members" (not TLP:RED) or
    "named" with the secretariat organisation among the named organisations;
  - named recipients: national analysts, focal points and committee delegates of a named state, and
    the members of a named organisation (never its forum participants);
  - "all members" (not TLP:RED): the national roles of every committee member state.
Forum participants never see member data. TLP:RED never reaches beyond the originator state and the
recipients the originator named (the secretariat scope names the secretariat).

CHANGE: the originator state's focal point, and while the record is not released, the analysts of
the originator organisation. DELETE: the same, drafts only. Dissemination is changed only through
`sharing.services.shared_record_set_dissemination`, which requires CHANGE.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone

from ceiba.common import access
from ceiba.common.access import NOTHING, Action, Policy, Principal
from ceiba.core.choices import NATIONAL_ROLES, Role
from ceiba.core.models import Membership

from .choices import TLP, Scope

#: Roles that never reach member data, whatever a record names.
NO_MEMBER_DATA_ROLES = frozenset({Role.FORUM_PARTICIPANT})
#: Roles through which a state sees its own, unreleased records.
ORIGINATOR_ROLES = (Role.NATIONAL_ANALYST, Role.NATIONAL_FOCAL_POINT)


#: What the helpers below return: the ids themselves when the principal carries its memberships
#: (resolved once per request), else a subquery on the memberships.
Ids = list[int] | QuerySet[Membership, Any]


def _memberships(principal: Principal, roles: Any) -> QuerySet[Membership, Any]:
    """The principal's active memberships in `roles` (a subquery: no query of its own)."""
    return Membership.objects.active().filter(user_id=principal.user_id or 0, role__in=list(roles))


def membership_state_ids(principal: Principal, roles: Any, *, members_only: bool = False) -> Ids:
    """The states of the principal's active memberships in `roles` (only committee member states
    with `members_only`). Every app's policy asks this function, so that each writes the ids into its
    SQL when the principal carries its memberships."""
    if principal.grants is None:
        memberships = _memberships(principal, roles)
        if members_only:
            today = timezone.localdate()
            memberships = memberships.filter(
                organisation__state__committee_member_since__isnull=False,
                organisation__state__committee_member_since__lte=today,
            )
        return memberships.values("organisation__state_id")
    wanted = set(roles)
    return sorted(
        {
            grant.state_id
            for grant in principal.grants
            if grant.role in wanted
            and grant.state_id is not None
            and (grant.member_state or not members_only)
        }
    )


def membership_organisation_ids(principal: Principal, roles: Any) -> Ids:
    """The organisations of the principal's active memberships in `roles` (ids or a subquery)."""
    if principal.grants is None:
        return _memberships(principal, roles).values("organisation_id")
    wanted = set(roles)
    return sorted({grant.organisation_id for grant in principal.grants if grant.role in wanted})


def originator_state_ids(principal: Principal) -> Ids:
    return membership_state_ids(principal, ORIGINATOR_ROLES)


def focal_point_state_ids(principal: Principal) -> Ids:
    return membership_state_ids(principal, [Role.NATIONAL_FOCAL_POINT])


def analyst_organisation_ids(principal: Principal) -> Ids:
    return membership_organisation_ids(principal, [Role.NATIONAL_ANALYST])


def national_state_ids(principal: Principal) -> Ids:
    """States the principal represents (analyst, focal point or committee delegate)."""
    return membership_state_ids(principal, NATIONAL_ROLES)


def member_state_ids(principal: Principal) -> Ids:
    """Committee member states the principal represents."""
    return membership_state_ids(principal, NATIONAL_ROLES, members_only=True)


def recipient_organisation_ids(principal: Principal) -> Ids:
    """Organisations through which the principal receives member data (all roles but the forum's)."""
    everything_but_forum = [role for role in Role if role not in NO_MEMBER_DATA_ROLES]
    return membership_organisation_ids(principal, everything_but_forum)


class SharedRecordPolicy(Policy):
    """The access policy of one concrete `SharedRecord` model.

    `released` is a condition on that model, true once the originator has released the record to
    anyone beyond its own state (for threat reports: their contribution has been submitted). Until
    then the record stays with the originator state."""

    def __init__(self, model: type[models.Model], *, released: Q | None = None) -> None:
        self.model = model
        self.released = released if released is not None else Q()

    # --- the parts of the rule ---------------------------------------------------------------------

    def _named(self, field: str, ids: Ids) -> Q:
        """Records whose many-to-many `field` names one of `ids` (a subquery, so no duplicate rows)."""
        if isinstance(ids, list) and not ids:
            return NOTHING
        relation = self.model._meta.get_field(field)
        through = relation.remote_field.through  # type: ignore[union-attr]
        source = relation.m2m_field_name()  # type: ignore[union-attr]
        target = relation.m2m_reverse_field_name()  # type: ignore[union-attr]
        return Q(pk__in=through.objects.filter(**{f"{target}__in": ids}).values(source))

    def _secretariat(self, principal: Principal) -> Q:
        """The secretariat receives "originator and secretariat" and (not RED) "all members"; when it
        is named, it is a named recipient like any other organisation."""
        if not (principal.secretariat or principal.superuser):
            return NOTHING
        return Q(scope=Scope.SECRETARIAT) | (Q(scope=Scope.ALL_MEMBERS) & ~Q(tlp=TLP.RED))

    def _named_recipient(self, principal: Principal) -> Q:
        return Q(scope=Scope.NAMED) & (
            self._named("shared_with_states", national_state_ids(principal))
            | self._named("shared_with_organisations", recipient_organisation_ids(principal))
        )

    def _all_members(self, principal: Principal) -> Q:
        members = member_state_ids(principal)
        if isinstance(members, list):
            if not members:
                return NOTHING
            return Q(scope=Scope.ALL_MEMBERS) & ~Q(tlp=TLP.RED)
        return Q(scope=Scope.ALL_MEMBERS) & ~Q(tlp=TLP.RED) & Q(models.Exists(members))

    # --- the policy -----------------------------------------------------------------------------------

    def filter(self, principal: Principal, action: Action) -> Q:
        if not principal.authenticated or principal.user_id is None:
            return NOTHING
        if principal.roles and principal.roles <= NO_MEMBER_DATA_ROLES and not principal.superuser:
            return NOTHING
        if action in (Action.CHANGE, Action.DELETE):
            focal_point = Q(originator_state_id__in=focal_point_state_ids(principal))
            drafting_analyst = Q(originator_id__in=analyst_organisation_ids(principal)) & ~self.released
            if action == Action.DELETE:
                return (focal_point | drafting_analyst) & ~self.released
            return focal_point | drafting_analyst
        own_state = Q(originator_state_id__in=originator_state_ids(principal))
        shared = (
            self._secretariat(principal) | self._named_recipient(principal) | self._all_members(principal)
        )
        return own_state | (self.released & shared)

    def is_restricted(self, obj: models.Model, principal: Principal) -> bool:
        """Every view of member data is audited, the originator state's own included, except records
        marked TLP:CLEAR."""
        return getattr(obj, "tlp", TLP.RED) != TLP.CLEAR


#: Every concrete SharedRecord model, registered by the app that defines it (sharing imports none).
SHARED_MODELS: dict[type[models.Model], SharedRecordPolicy] = {}


def register_shared_record(model: type[models.Model], *, released: Q | None = None) -> SharedRecordPolicy:
    """Protect a concrete SharedRecord model with the dissemination policy (called in `ready()`)."""
    policy = SharedRecordPolicy(model, released=released)
    access.register(model, policy)
    SHARED_MODELS[model] = policy
    return policy


__all__ = ["SHARED_MODELS", "SharedRecordPolicy", "register_shared_record"]
