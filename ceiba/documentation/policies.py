"""Who may see and change what in threat documentation (ARCHITECTURE.md §4–5,
docs/decisions/0020-dissemination-policy.md).

- Crime areas are reference data: everyone reads them; they change only through the taxonomy code.
- Cycles are seen by every member-data role; the secretariat administrator opens and edits them.
- A contribution is seen by the national analysts and focal points of its state (drafts included)
  and by the secretariat once submitted; the state's analysts and focal point change it.
- Threat reports follow `SharedRecordPolicy`: released once their contribution is submitted.
- Routes follow their threat report.
- Entities: see `entity_policies` (records are SharedRecords, statements follow them).
- Criminal network profiles follow `SharedRecordPolicy` like threat reports; their indicator scores
  follow their network.
"""

from __future__ import annotations

from django.db.models import Q

from ceiba.common import access
from ceiba.common.access import EVERYTHING, NOTHING, Action, Policy, Principal, PublicPolicy
from ceiba.core.choices import Role
from ceiba.sharing.policies import (
    NO_MEMBER_DATA_ROLES,
    SharedRecordPolicy,
    originator_state_ids,
    register_shared_record,
)

from .choices import RELEASED_STATUSES, SECRETARIAT_STATUSES
from .entity_policies import register_entities
from .models import (
    AssessmentCycle,
    Contribution,
    CrimeArea,
    CriminalNetwork,
    NetworkIndicatorScore,
    ThreatReport,
    ThreatRoute,
)


def has_member_data_role(principal: Principal) -> bool:
    return principal.superuser or bool(principal.roles - NO_MEMBER_DATA_ROLES)


class CyclePolicy(Policy):
    def filter(self, principal: Principal, action: Action) -> Q:
        if not principal.authenticated or not has_member_data_role(principal):
            return NOTHING
        if action in (Action.VIEW, Action.EXPORT):
            return EVERYTHING
        return EVERYTHING if principal.has_role(Role.SECRETARIAT_ADMIN) else NOTHING


class ContributionPolicy(Policy):
    def filter(self, principal: Principal, action: Action) -> Q:
        if not principal.authenticated or not has_member_data_role(principal):
            return NOTHING
        own_state = Q(state_id__in=originator_state_ids(principal))
        if action in (Action.CHANGE, Action.DELETE):
            return own_state
        if principal.secretariat or principal.superuser:
            return own_state | Q(status__in=SECRETARIAT_STATUSES)
        return own_state


class RoutePolicy(Policy):
    """A route is seen and changed by whoever may see and change its threat report."""

    def __init__(self, report_policy: Policy) -> None:
        self.report_policy = report_policy

    def filter(self, principal: Principal, action: Action) -> Q:
        condition = self.report_policy.filter(principal, action)
        if condition == NOTHING:
            return NOTHING
        return Q(report__in=ThreatReport.objects.filter(condition).values("pk"))


class IndicatorScorePolicy(Policy):
    """An indicator score is seen and changed by whoever may see and change its network."""

    def __init__(self, network_policy: Policy) -> None:
        self.network_policy = network_policy

    def filter(self, principal: Principal, action: Action) -> Q:
        condition = self.network_policy.filter(principal, action)
        if condition == NOTHING:
            return NOTHING
        return Q(network__in=CriminalNetwork.objects.filter(condition).values("pk"))


def threat_report_policy() -> SharedRecordPolicy:
    return access.policy_for(ThreatReport)  # type: ignore[return-value]


def register_all() -> None:
    access.register(CrimeArea, PublicPolicy())
    access.register(AssessmentCycle, CyclePolicy())
    access.register(Contribution, ContributionPolicy())
    reports = register_shared_record(ThreatReport, released=Q(contribution__status__in=RELEASED_STATUSES))
    access.register(ThreatRoute, RoutePolicy(reports))
    networks = register_shared_record(CriminalNetwork, released=Q(contribution__status__in=RELEASED_STATUSES))
    access.register(NetworkIndicatorScore, IndicatorScorePolicy(networks))
    register_entities()
