"""Who may see and change what in threat documentation (ARCHITECTURE.md §4–5,
docs/decisions/0020-dissemination-policy.md).

- Crime areas are reference data: everyone reads them; they change only through the taxonomy code.
- Cycles are seen by every member-data role; the secretariat administrator opens and edits them.
- A contribution is seen by the national analysts and focal points of its state (drafts included)
  and by the secretariat once submitted; the state's analysts and focal point change it.
- Threat reports follow `SharedRecordPolicy`: released once their contribution is submitted.
- Routes follow their threat report.
- Statistics datasets follow `SharedRecordPolicy` like threat reports; their rows and per-dataset
  totals follow their dataset (a million rows carry no sharing of their own).
- Import runs are seen by the national analysts and focal points of the contribution's state;
  nobody changes them (only the import machinery writes them).
- Entities: see `entity_policies` (records are SharedRecords, statements follow them).
- Criminal network profiles follow `SharedRecordPolicy` like threat reports; their indicator scores
  follow their network.
- Attachments follow their threat report (seen with it, added and removed by whoever may change it;
  a download is audited like a view of the report).
"""

from __future__ import annotations

from typing import Any

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
    ImportRun,
    NetworkIndicatorScore,
    ReportAttachment,
    StatisticRow,
    StatisticsDataset,
    StatisticTotal,
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


class AttachmentPolicy(RoutePolicy):
    """An attachment is seen and changed by whoever may see and change its threat report; its views
    are audited when the report's are."""

    def is_restricted(self, obj: Any, principal: Principal) -> bool:
        return self.report_policy.is_restricted(obj.report, principal)


class StatisticRowPolicy(Policy):
    """A statistic is seen by whoever may see its dataset (and changed by whoever may change it)."""

    def __init__(self, dataset_policy: Policy) -> None:
        self.dataset_policy = dataset_policy

    def filter(self, principal: Principal, action: Action) -> Q:
        condition = self.dataset_policy.filter(principal, action)
        if condition == NOTHING:
            return NOTHING
        return Q(dataset__in=StatisticsDataset.objects.filter(condition).values("pk"))


class ImportRunPolicy(Policy):
    """An import is followed by the analysts and focal points of the contribution's state."""

    def filter(self, principal: Principal, action: Action) -> Q:
        if not principal.authenticated or action not in (Action.VIEW, Action.EXPORT):
            return NOTHING
        return Q(contribution__state_id__in=originator_state_ids(principal))


def threat_report_policy() -> SharedRecordPolicy:
    return access.policy_for(ThreatReport)  # type: ignore[return-value]


def register_all() -> None:
    access.register(CrimeArea, PublicPolicy())
    access.register(AssessmentCycle, CyclePolicy())
    access.register(Contribution, ContributionPolicy())
    reports = register_shared_record(ThreatReport, released=Q(contribution__status__in=RELEASED_STATUSES))
    access.register(ThreatRoute, RoutePolicy(reports))
    access.register(ReportAttachment, AttachmentPolicy(reports))
    networks = register_shared_record(CriminalNetwork, released=Q(contribution__status__in=RELEASED_STATUSES))
    access.register(NetworkIndicatorScore, IndicatorScorePolicy(networks))
    datasets = register_shared_record(
        StatisticsDataset, released=Q(contribution__status__in=RELEASED_STATUSES)
    )
    access.register(StatisticRow, StatisticRowPolicy(datasets))
    access.register(StatisticTotal, StatisticRowPolicy(datasets))
    access.register(ImportRun, ImportRunPolicy())
    register_entities()
