"""Who may see and change what in the policy cycle (docs/decisions/0051-policy-cycle.md).

- The committee, its members and presidencies, policy cycles, priorities, strategic plans and the
  horizontal goals are public: the committee adopts them to be known. The secretariat writes them.
- Meetings, decisions and recommendations are public or restricted by their own `visibility`.
  Restricted ones reach the members: every signed-in person with a role other than forum participant.
  A decision is read by the public only once adopted (or rejected) and published; drafts reach the
  secretariat and committee delegates only. The secretariat writes all of them.
- Operational action plans and their actions, KPIs and results are restricted to the members.
- A progress report stays under the reporting state's control (`ProgressReportPolicy`); so do the
  results reported in it (`ActionResultPolicy`).
- Implementation reports reach the secretariat and the addressee; once validated, they follow their
  recommendation's visibility (the follow-up reports are built from them).
- Lessons and evaluations: the secretariat writes them; members read drafts, everyone a final one.
- A view (`access_object`) of a record the public may not read is written to the audit trail.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q

from ceiba.common import access
from ceiba.common.access import (
    EVERYTHING,
    NOTHING,
    Action,
    Policy,
    Principal,
    PublicPolicy,
    is_secretariat,
)
from ceiba.core.choices import NATIONAL_ROLES, Role
from ceiba.sharing.choices import TLP, Scope
from ceiba.sharing.policies import (
    Ids,
    focal_point_state_ids,
    membership_organisation_ids,
    membership_state_ids,
    national_state_ids,
    recipient_organisation_ids,
)

from .choices import DecisionStatus, EvaluationStatus, ReviewStatus, Visibility
from .models import (
    ActionActor,
    ActionResult,
    Addressee,
    AgendaItem,
    Committee,
    CommitteeMember,
    CycleEvaluation,
    Decision,
    DecisionText,
    HorizontalGoal,
    ImplementationReport,
    Kpi,
    KpiValue,
    Lesson,
    Meeting,
    MeetingDocument,
    MeetingParticipant,
    OperationalAction,
    OperationalActionPlan,
    PolicyCycle,
    PresidencyTerm,
    Priority,
    ProgressReport,
    Recommendation,
    StatePosition,
    StrategicGoal,
    StrategicPlan,
)

if TYPE_CHECKING:
    pass

SECRETARIAT_EDITORS = (Role.SECRETARIAT_ANALYST, Role.SECRETARIAT_ADMIN)
#: Roles through which a state's people act for it in the policy cycle.
STATE_ROLES = frozenset({*NATIONAL_ROLES, Role.ACTION_PARTICIPANT})


def is_member(principal: Principal) -> bool:
    """Signed in with a role that reaches member information (every role but the forum's)."""
    if not principal.authenticated:
        return False
    return principal.superuser or bool(principal.roles - {Role.FORUM_PARTICIPANT})


def state_ids(principal: Principal) -> Ids:
    """States the principal acts for in the policy cycle."""
    return membership_state_ids(principal, STATE_ROLES)


def action_organisation_ids(principal: Principal) -> Ids:
    """Agencies in which the principal is an action leader or participant."""
    return membership_organisation_ids(principal, [Role.ACTION_PARTICIPANT])


class PrefixedPolicy(Policy):
    """A policy whose conditions may be applied through a relation (`prefix`, e.g. "meeting__"), so
    that the records of a parent follow it."""

    def __init__(self, prefix: str = "") -> None:
        self.prefix = prefix

    def q(self, **conditions: object) -> Q:
        return Q(**{f"{self.prefix}{name}": value for name, value in conditions.items()})

    def change(self, principal: Principal) -> Q:
        return EVERYTHING if is_secretariat(principal) else NOTHING

    def filter(self, principal: Principal, action: Action) -> Q:
        if action in (Action.CHANGE, Action.DELETE):
            return self.change(principal)
        return self.view(principal)

    def view(self, principal: Principal) -> Q:
        raise NotImplementedError

    def target(self, obj: models.Model) -> Any:
        """The record the conditions apply to: `obj`, or its parent through `prefix`."""
        for name in filter(None, self.prefix.split("__")):
            obj = getattr(obj, name)
        return obj

    def is_restricted(self, obj: models.Model, principal: Principal) -> bool:
        """Views of what the public may not read are audited (as for restricted assessment runs)."""
        return True


class VisibilityPolicy(PrefixedPolicy):
    """Public records for everyone, restricted ones for the members (meetings, recommendations)."""

    def view(self, principal: Principal) -> Q:
        if is_member(principal):
            return EVERYTHING
        return self.q(visibility=Visibility.PUBLIC)

    def is_restricted(self, obj: models.Model, principal: Principal) -> bool:
        return getattr(self.target(obj), "visibility", Visibility.RESTRICTED) != Visibility.PUBLIC


class DecisionPolicy(PrefixedPolicy):
    """Drafts: secretariat and committee delegates. Decided: members; the public once published."""

    def view(self, principal: Principal) -> Q:
        if principal.authenticated and (
            is_secretariat(principal) or principal.has_role(Role.COMMITTEE_DELEGATE)
        ):
            return EVERYTHING
        decided = ~self.q(status=DecisionStatus.DRAFT)
        if is_member(principal):
            return decided
        return decided & self.q(visibility=Visibility.PUBLIC) & ~self.q(published_at=None)

    def is_restricted(self, obj: models.Model, principal: Principal) -> bool:
        decision = self.target(obj)
        return not (
            decision.status != DecisionStatus.DRAFT
            and decision.visibility == Visibility.PUBLIC
            and decision.published_at is not None
        )


class MembersPolicy(PrefixedPolicy):
    """Members read, the secretariat writes (operational action plans and what they hold)."""

    def view(self, principal: Principal) -> Q:
        return EVERYTHING if is_member(principal) else NOTHING


class ActionResultPolicy(MembersPolicy):
    """A result entered by the secretariat on the action reaches the members; a result reported in a
    progress report reaches only whom may read that report (`ProgressReportPolicy`)."""

    def view(self, principal: Principal) -> Q:
        if not is_member(principal):
            return NOTHING
        reported = ProgressReportPolicy(f"{self.prefix}report__").filter(principal, Action.VIEW)
        if reported == EVERYTHING:  # an empty Q would vanish from the OR below
            return EVERYTHING
        return self.q(report=None) | reported

    def is_restricted(self, obj: models.Model, principal: Principal) -> bool:
        return True


class ProgressReportPolicy(Policy):
    """A progress report reaches its own state (its national roles and action leaders) or its own
    regional body, the
    secretariat (always: it follows the plans up) and whom the state named, or every member state
    when it chose "all members" (never for TLP:RED). Its agency's action leaders and the state's focal
    point correct it."""

    def __init__(self, prefix: str = "") -> None:
        self.prefix = prefix

    def _q(self, **conditions: object) -> Q:
        return Q(**{f"{self.prefix}{name}": value for name, value in conditions.items()})

    def _named(self, field: str, ids: Ids) -> Q:
        relation = ProgressReport._meta.get_field(field)
        through = relation.remote_field.through  # type: ignore[union-attr]
        source = relation.m2m_field_name()  # type: ignore[union-attr]
        target = relation.m2m_reverse_field_name()  # type: ignore[union-attr]
        return self._q(pk__in=through.objects.filter(**{f"{target}__in": ids}).values(source))

    def filter(self, principal: Principal, action: Action) -> Q:
        if not principal.authenticated or principal.user_id is None:
            return NOTHING
        if action == Action.DELETE:
            return NOTHING
        if action == Action.CHANGE:
            return self._q(organisation_id__in=action_organisation_ids(principal)) | self._q(
                state_id__in=focal_point_state_ids(principal)
            )
        if is_secretariat(principal):
            return EVERYTHING
        if not is_member(principal):
            return NOTHING
        own = self._q(state_id__in=state_ids(principal)) | self._q(
            organisation_id__in=action_organisation_ids(principal)
        )
        named = self._q(scope=Scope.NAMED) & (
            self._named("shared_with_states", national_state_ids(principal))
            | self._named("shared_with_organisations", recipient_organisation_ids(principal))
        )
        members = self._q(scope=Scope.ALL_MEMBERS) & ~self._q(tlp=TLP.RED)
        return own | named | members

    def is_restricted(self, obj: models.Model, principal: Principal) -> bool:
        report = getattr(obj, "report", obj)
        return getattr(report, "tlp", TLP.RED) != TLP.CLEAR


class ImplementationReportPolicy(PrefixedPolicy):
    """The secretariat and the addressee's state read every report; validated reports follow their
    recommendation's visibility. The addressee's focal point and delegates file them (services check
    that); the secretariat validates."""

    def view(self, principal: Principal) -> Q:
        if is_secretariat(principal):
            return EVERYTHING
        validated = self.q(review=ReviewStatus.VALIDATED)
        public = validated & self.q(addressee__recommendation__visibility=Visibility.PUBLIC)
        if not is_member(principal):
            return public
        own = self.q(addressee__state_id__in=state_ids(principal)) | self.q(
            addressee__organisation_id__in=recipient_organisation_ids(principal)
        )
        return own | validated

    def is_restricted(self, obj: models.Model, principal: Principal) -> bool:
        report = self.target(obj)
        return not (
            report.review == ReviewStatus.VALIDATED
            and report.addressee.recommendation.visibility == Visibility.PUBLIC
        )


class EvaluationPolicy(PrefixedPolicy):
    """Members read a draft evaluation; everyone reads a final one."""

    def view(self, principal: Principal) -> Q:
        if is_member(principal):
            return EVERYTHING
        return self.q(status=EvaluationStatus.FINAL)

    def is_restricted(self, obj: models.Model, principal: Principal) -> bool:
        return getattr(self.target(obj), "status", None) != EvaluationStatus.FINAL


def register_all() -> None:
    model: type[models.Model]
    for model in (Committee, CommitteeMember, PresidencyTerm, HorizontalGoal, PolicyCycle, Priority):
        access.register(model, PublicPolicy(*SECRETARIAT_EDITORS))
    access.register(StrategicPlan, PublicPolicy(*SECRETARIAT_EDITORS))
    access.register(StrategicGoal, PublicPolicy(*SECRETARIAT_EDITORS))
    access.register(Meeting, VisibilityPolicy())
    for model in (AgendaItem, MeetingDocument, MeetingParticipant):
        access.register(model, VisibilityPolicy("meeting__"))
    access.register(Decision, DecisionPolicy())
    access.register(DecisionText, DecisionPolicy("decision__"))
    access.register(StatePosition, DecisionPolicy("decision__"))
    access.register(OperationalActionPlan, MembersPolicy())
    for model in (OperationalAction, ActionActor, Kpi):
        access.register(model, MembersPolicy())
    access.register(ActionResult, ActionResultPolicy())
    access.register(ProgressReport, ProgressReportPolicy())
    access.register(KpiValue, ProgressReportPolicy("report__"))
    access.register(Recommendation, VisibilityPolicy())
    access.register(Addressee, VisibilityPolicy("recommendation__"))
    access.register(ImplementationReport, ImplementationReportPolicy())
    access.register(Lesson, MembersPolicy())
    access.register(CycleEvaluation, EvaluationPolicy())
