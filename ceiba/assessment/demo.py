"""The assessment demo: a closed cycle ("IDEAL 2025 (synthetic)") with validated contributions from
six member states, the default methodology in the database, a restricted run and a published public
run. Every network, report and figure is invented (seeded), and says so. Idempotent."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction

from ceiba.core import services as core_services
from ceiba.core.choices import Role
from ceiba.core.models import Organisation, State, User
from ceiba.documentation import services
from ceiba.documentation.choices import (
    ContributionStatus,
    Enabler,
    NetworkSize,
    NetworkStructure,
    Trend,
)
from ceiba.documentation.models import AssessmentCycle, CrimeArea
from ceiba.documentation.statistics_demo import load_statistics_demo
from ceiba.sharing.choices import TLP, Scope

from . import methodology_store, runs
from .choices import Audience
from .models import AssessmentRun

CYCLE_NAME = "IDEAL 2025 (synthetic)"
CYCLE_AREAS = [
    "cocaine_trafficking",
    "cannabis_trafficking",
    "synthetic_drug_trafficking",
    "firearms_trafficking",
    "migrant_smuggling",
    "trafficking_in_human_beings",
    "money_laundering",
    "extortion",
    "illegal_mining",
]
#: The states contributing to the demo cycle; those without demo accounts get synthetic ones.
STATES = ["ARG", "BRA", "CHL", "ECU", "MEX", "PER"]
SYNTHETIC = "Synthetic demonstration data: invented, not a real assessment."
ALIAS_WORDS = (
    "Condor", "Jaguar", "Harbour", "Ridge", "Delta", "Puma", "Coastal", "Andean", "River", "Night",
    "Border", "Silver", "Summit", "Mangrove", "Pacific", "Atlantic", "Canyon", "Lagoon",
)  # fmt: skip
INDICATORS = [
    "international_dimension",
    "legal_business_structures",
    "violence",
    "corruption",
    "counter_measures",
    "money_laundering",
    "adaptability",
    "territorial_control",
    "cooperation",
    "resources_expertise",
    "longevity",
]
#: How much each crime area weighs in the invented picture (so the ranking is not flat).
AREA_INTENSITY = {
    "cocaine_trafficking": 3.4,
    "firearms_trafficking": 3.0,
    "extortion": 2.8,
    "money_laundering": 2.6,
    "migrant_smuggling": 2.3,
    "synthetic_drug_trafficking": 2.1,
    "illegal_mining": 2.0,
    "trafficking_in_human_beings": 1.8,
    "cannabis_trafficking": 1.2,
}
#: (marking, scope) of the invented records, in turn: a third may go to everyone.
MARKINGS = [
    (TLP.CLEAR, Scope.ALL_MEMBERS),
    (TLP.GREEN, Scope.ALL_MEMBERS),
    (TLP.AMBER, Scope.SECRETARIAT),
]


@dataclass
class AssessmentDemoReport:
    created: int = 0


def _demo_user(state: State, role: str) -> User:
    prefix = "focal" if role == Role.NATIONAL_FOCAL_POINT else "analyst"
    email = f"{prefix}.{state.iso3.lower()}@demo.ceiba.example"
    user = User.objects.filter(email=email).first()
    if user is not None:
        return user
    organisation = Organisation.objects.filter(state=state).order_by("pk").first()
    assert organisation is not None, state.iso3
    name = "Focal point" if role == Role.NATIONAL_FOCAL_POINT else "Analyst"
    return core_services.user_create(
        email=email,
        full_name=f"{name} {state.iso3} (synthetic)",
        password=None,
        language="es" if state.iso3 != "BRA" else "pt",
        is_synthetic=True,
        organisation=organisation,
        role=role,
    )


def _pick_scores(rng: random.Random, intensity: float) -> list[services.IndicatorData]:
    items = []
    for code in INDICATORS:
        if rng.random() < 0.12:
            items.append(services.IndicatorData(code, None, "Not assessed (synthetic)."))
            continue
        value = max(0, min(4, round(rng.gauss(intensity, 0.9))))
        items.append(services.IndicatorData(code, value, "Invented rationale for the demo."))
    return items


@transaction.atomic
def load_assessment_demo(*, samples: int = 1000) -> AssessmentDemoReport:
    report = AssessmentDemoReport()
    report.created += services.crime_areas_load()
    admin = User.objects.get(email="admin@demo.ceiba.example")
    secretariat = User.objects.get(email="secretariat.analyst@demo.ceiba.example")
    cycle = AssessmentCycle.objects.filter(name=CYCLE_NAME).first()
    if cycle is None:
        cycle = services.cycle_open(
            actor=admin,
            name=CYCLE_NAME,
            description=f"Regional threat assessment of the previous cycle. {SYNTHETIC}",
            contribution_deadline=date(2025, 12, 15),
            crime_areas=CrimeArea.objects.filter(code__in=CYCLE_AREAS),
        )
        report.created += 1
    areas = {a.code: a for a in cycle.crime_areas.all()}
    states = {s.iso3: s for s in State.objects.all()}
    rng = random.Random(2025)  # noqa: S311  (invented demo data, not security)
    turn = 0
    for iso3 in STATES:
        state = states[iso3]
        analyst = _demo_user(state, Role.NATIONAL_ANALYST)
        focal = _demo_user(state, Role.NATIONAL_FOCAL_POINT)
        contribution = services.contribution_start(cycle=cycle, state=state, actor=analyst)
        if contribution.status == ContributionStatus.VALIDATED:
            continue
        neighbours = [s for s in states.values() if s.subregion == state.subregion and s != state]
        if not contribution.threat_reports.exists():
            codes = rng.sample(sorted(areas), 5)
            for code in codes:
                tlp, scope = MARKINGS[turn % len(MARKINGS)]
                turn += 1
                intensity = AREA_INTENSITY[code]
                affected = [state, *rng.sample(neighbours, min(len(neighbours), rng.randint(0, 2)))]
                services.threat_report_create(
                    contribution=contribution,
                    actor=analyst,
                    crime_area=areas[code],
                    title=f"{areas[code]} in {state.english_name}, 2025 (synthetic)",
                    period_start=date(2025, 1, 1),
                    period_end=date(2025, 12, 31),
                    affected_states=affected,
                    scale=min(4, max(1, round(intensity - 0.5 + rng.random()))),
                    trend=rng.choice(
                        [Trend.INCREASING, Trend.INCREASING, Trend.STABLE, Trend.DECREASING, Trend.UNKNOWN]
                    ),
                    harm_physical=min(4, round(intensity * rng.uniform(0.6, 1.2))),
                    harm_economic=min(4, round(intensity * rng.uniform(0.6, 1.2))),
                    harm_social=min(4, round(intensity * rng.uniform(0.5, 1.1))),
                    harm_environmental=(4 if code == "illegal_mining" else rng.choice([None, 0, 1])),
                    harm_institutional=min(4, round(intensity * rng.uniform(0.5, 1.1))),
                    enablers=rng.sample([e.value for e in Enabler], rng.randint(1, 4)),
                    narrative=f"## Summary\n\n{SYNTHETIC}",
                    source_reliability=rng.choice("ABC"),
                    information_credibility=rng.choice("123"),
                    tlp=tlp,
                    scope=scope,
                )
                report.created += 1
        if not contribution.networks.exists():
            for _ in range(rng.randint(3, 5)):
                main = rng.choice(sorted(areas))
                secondary = rng.sample([a for a in sorted(areas) if a != main], rng.randint(0, 2))
                tlp, scope = MARKINGS[turn % len(MARKINGS)]
                turn += 1
                alias = f"{rng.choice(ALIAS_WORDS)} {rng.choice(ALIAS_WORDS)} {iso3}-{rng.randint(10, 99)}"
                services.network_create(
                    contribution=contribution,
                    actor=analyst,
                    alias=f"{alias} (synthetic)",
                    main_crime_area=areas[main],
                    secondary_crime_areas=[areas[a] for a in secondary],
                    countries=[state, *rng.sample(neighbours, min(len(neighbours), rng.randint(0, 3)))],
                    size_band=rng.choice([s.value for s in NetworkSize if s != NetworkSize.UNKNOWN]),
                    structure=rng.choice([s.value for s in NetworkStructure]),
                    summary=f"An invented network. {SYNTHETIC}",
                    indicators=_pick_scores(rng, AREA_INTENSITY[main]),
                    source_reliability=rng.choice("ABC"),
                    information_credibility=rng.choice("123"),
                    tlp=tlp,
                    scope=scope,
                )
                report.created += 1
        originator = analyst.memberships.filter(organisation__state=state).first()
        if originator is not None:
            report.created += load_statistics_demo(
                contribution=contribution, actor=analyst, originator=originator.organisation, shared=True
            )
        if contribution.status in (ContributionStatus.DRAFT, ContributionStatus.RETURNED):
            services.contribution_submit(contribution=contribution, actor=focal)
        services.contribution_validate(
            contribution=contribution, actor=secretariat, comments="Validated for the demo (synthetic)."
        )
        report.created += 1
    methodology = methodology_store.ensure_default()
    if not AssessmentRun.objects.filter(cycle=cycle).exists():
        runs.run_cycle(
            methodology_version=methodology,
            cycle=cycle,
            user=secretariat,
            audience=Audience.RESTRICTED,
            title="IDEAL 2025 · regional threat assessment (restricted, synthetic)",
            samples=samples,
        )
        public = runs.run_cycle(
            methodology_version=methodology,
            cycle=cycle,
            user=secretariat,
            audience=Audience.PUBLIC,
            title="IDEAL 2025 · public assessment (synthetic)",
            samples=samples,
        )
        runs.publish(public, secretariat)
        report.created += 2
    return report


def demo_user_for(iso3: str, role: str) -> Any:
    """The synthetic account of a demo state (tests use it)."""
    return _demo_user(State.objects.get(iso3=iso3), role)
