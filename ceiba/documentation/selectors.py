"""Reads of threat documentation. Every protected read goes through `restrict`, so lists, counts and
dashboards contain only what the user may see (and never count what they may not)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from ceiba.common.access import Action, restrict
from ceiba.core.choices import Role
from ceiba.core.models import Membership, State
from ceiba.core.selectors import committee_members

from .models import AssessmentCycle, Contribution, CrimeArea, CriminalNetwork, ThreatReport, ThreatRoute


def crime_areas() -> QuerySet[CrimeArea]:
    return CrimeArea.objects.select_related("parent").order_by("position")


def visible_cycles(user: Any) -> QuerySet[AssessmentCycle]:
    return restrict(AssessmentCycle, user).annotate(crime_area_count=Count("crime_areas", distinct=True))


def visible_contributions(user: Any, action: Action = Action.VIEW) -> QuerySet[Contribution]:
    return restrict(Contribution.objects.select_related("cycle", "state"), user, action)


def visible_threat_reports(user: Any, action: Action = Action.VIEW) -> QuerySet[ThreatReport]:
    queryset = ThreatReport.objects.select_related(
        "crime_area", "originator", "originator_state", "contribution", "contribution__cycle"
    )
    return restrict(queryset, user, action)


def threat_report_detail_queryset(user: Any) -> QuerySet[ThreatReport]:
    routes = ThreatRoute.objects.select_related("origin", "destination").prefetch_related("transit")
    return visible_threat_reports(user).prefetch_related(
        "affected_states",
        "shared_with_states",
        "shared_with_organisations",
        Prefetch("routes", queryset=routes),
    )


def visible_networks(user: Any, action: Action = Action.VIEW) -> QuerySet[CriminalNetwork]:
    queryset = CriminalNetwork.objects.select_related(
        "main_crime_area", "originator", "originator_state", "contribution", "contribution__cycle"
    )
    return restrict(queryset, user, action)


def network_list_queryset(user: Any) -> QuerySet[CriminalNetwork]:
    return visible_networks(user).prefetch_related("countries")


def network_detail_queryset(user: Any) -> QuerySet[CriminalNetwork]:
    return visible_networks(user).prefetch_related(
        "secondary_crime_areas",
        "countries",
        "shared_with_states",
        "shared_with_organisations",
        "indicator_scores",
    )


def contributing_states(user: Any) -> list[State]:
    """The states whose contributions the user drafts (as national analyst or focal point)."""
    memberships = (
        Membership.objects.active()
        .filter(user_id=user.pk, role__in=[Role.NATIONAL_ANALYST, Role.NATIONAL_FOCAL_POINT])
        .select_related("organisation__state")
    )
    states = {m.organisation.state_id: m.organisation.state for m in memberships if m.organisation.state}
    return [state for state in states.values() if state is not None]


@dataclass
class CrimeAreaRow:
    area: CrimeArea
    reports: list[ThreatReport] = field(default_factory=list)


@dataclass
class Dashboard:
    """What a contribution holds per crime area in scope, as far as the user may see."""

    cycle: AssessmentCycle
    state: State
    contribution: Contribution | None
    rows: list[CrimeAreaRow]

    @property
    def missing(self) -> list[CrimeArea]:
        return [row.area for row in self.rows if not row.reports]

    @property
    def report_count(self) -> int:
        return sum(len(row.reports) for row in self.rows)


def contribution_dashboard(
    *, cycle: AssessmentCycle, state: State, contribution: Contribution | None, user: Any
) -> Dashboard:
    areas = list(cycle.crime_areas.order_by("position"))
    rows = {area.pk: CrimeAreaRow(area) for area in areas}
    if contribution is not None:
        for report in visible_threat_reports(user).filter(contribution=contribution):
            rows.setdefault(report.crime_area_id, CrimeAreaRow(report.crime_area)).reports.append(report)
    return Dashboard(cycle=cycle, state=state, contribution=contribution, rows=list(rows.values()))


def cycle_states(cycle: AssessmentCycle, user: Any) -> list[tuple[State, Contribution | None]]:
    """Each committee member state with its contribution, where the user may see it."""
    contributions = {c.state_id: c for c in visible_contributions(user).filter(cycle=cycle)}
    return [(state, contributions.get(state.pk)) for state in committee_members()]
