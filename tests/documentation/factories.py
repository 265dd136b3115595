"""Threat documentation records for tests, made through the services (as users make them).
Everything here is invented and labelled synthetic."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

from ceiba.core.models import Organisation, State, User
from ceiba.documentation import services
from ceiba.documentation.models import AssessmentCycle, Contribution, CrimeArea, CriminalNetwork, ThreatReport
from ceiba.sharing.choices import TLP, Scope

#: The drafting personas of each originator state in the demo.
DRAFTERS = {
    "ARG": ("national_analyst", "national_focal_point"),
    "BRA": ("national_analyst@other_state", "national_focal_point@other_state"),
}
OTHER_STATE = {"ARG": "BRA", "BRA": "ARG"}


def open_cycle(world: SimpleNamespace, name: str = "Test cycle (synthetic)") -> AssessmentCycle:
    return services.cycle_open(
        actor=world.users["secretariat_admin"],
        name=name,
        contribution_deadline=date(2030, 1, 31),
        crime_areas=CrimeArea.objects.filter(code__in=["cocaine_trafficking", "illegal_mining"]),
    )


def contribution_for(world: SimpleNamespace, cycle: AssessmentCycle, iso3: str) -> Contribution:
    analyst, _focal = DRAFTERS[iso3]
    return services.contribution_start(
        cycle=cycle, state=State.objects.get(iso3=iso3), actor=world.users[analyst]
    )


def report_in(
    world: SimpleNamespace,
    contribution: Contribution,
    *,
    tlp: str = TLP.AMBER,
    scope: str = Scope.SECRETARIAT,
    states: list[State] | None = None,
    organisations: list[Organisation] | None = None,
    actor: User | None = None,
    **fields: Any,
) -> ThreatReport:
    analyst, _focal = DRAFTERS[contribution.state.iso3]
    values: dict[str, Any] = {
        "crime_area": CrimeArea.objects.get(code="cocaine_trafficking"),
        "title": "Cocaine report (synthetic)",
        "period_start": date(2025, 1, 1),
        "period_end": date(2025, 12, 31),
        "source_reliability": "B",
        "information_credibility": "2",
        **fields,
    }
    return services.threat_report_create(
        contribution=contribution,
        actor=actor or world.users[analyst],
        tlp=tlp,
        scope=scope,
        shared_with_states=states or [],
        shared_with_organisations=organisations or [],
        **values,
    )


def submit(world: SimpleNamespace, contribution: Contribution) -> Contribution:
    _analyst, focal = DRAFTERS[contribution.state.iso3]
    return services.contribution_submit(contribution=contribution, actor=world.users[focal])


def network_in(
    world: SimpleNamespace,
    contribution: Contribution,
    *,
    tlp: str = TLP.AMBER,
    scope: str = Scope.SECRETARIAT,
    indicators: list[services.IndicatorData] | None = None,
    **fields: Any,
) -> CriminalNetwork:
    analyst, _focal = DRAFTERS[contribution.state.iso3]
    values: dict[str, Any] = {
        "alias": "Network (synthetic)",
        "main_crime_area": CrimeArea.objects.get(code="cocaine_trafficking"),
        "source_reliability": "B",
        "information_credibility": "2",
        **fields,
    }
    return services.network_create(
        contribution=contribution,
        actor=world.users[analyst],
        tlp=tlp,
        scope=scope,
        indicators=indicators or [],
        **values,
    )
