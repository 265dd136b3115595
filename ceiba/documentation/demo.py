"""Demo threat documentation (all invented, labelled synthetic): the open cycle "IDEAL 2026", a draft
by Argentina and a contribution submitted by Brazil with two reports at different markings and
scopes, one criminal network profile and entities (persons, companies, a vessel, a bank account,
their links). Needs the core demo (`ceiba demo`) first. Loading it twice
changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from ceiba.core.models import Organisation, State, User
from ceiba.sharing.choices import TLP, HandlingCode, Scope

from . import entity_demo, services
from .choices import ContributionStatus, Enabler, HarmLevel, NetworkSize, NetworkStructure, ThreatScale, Trend
from .models import AssessmentCycle, Contribution, CrimeArea, ThreatReport
from .statistics_demo import load_statistics_demo

CYCLE_NAME = "IDEAL 2026"
CYCLE_AREAS = [
    "cocaine_trafficking",
    "synthetic_drug_trafficking",
    "firearms_trafficking",
    "migrant_smuggling",
    "trafficking_in_human_beings",
    "money_laundering",
    "illegal_mining",
]
SYNTHETIC = "Synthetic demonstration data: invented, not a real assessment."


@dataclass
class DocumentationDemoReport:
    created: int = 0


def _user(email: str) -> User:
    return User.objects.get(email=email)


@transaction.atomic
def load_documentation_demo() -> DocumentationDemoReport:
    report = DocumentationDemoReport()
    report.created += services.crime_areas_load()
    admin = _user("admin@demo.ceiba.example")
    cycle = AssessmentCycle.objects.filter(name=CYCLE_NAME).first()
    if cycle is None:
        cycle = services.cycle_open(
            actor=admin,
            name=CYCLE_NAME,
            description=f"Regional threat assessment, national contributions. {SYNTHETIC}",
            contribution_deadline=date(2026, 12, 15),
            crime_areas=CrimeArea.objects.filter(code__in=CYCLE_AREAS),
        )
        report.created += 1
    area = {a.code: a for a in cycle.crime_areas.all()}
    arg, bra, chl = (State.objects.get(iso3=code) for code in ("ARG", "BRA", "CHL"))

    analyst_arg = _user("analyst.arg@demo.ceiba.example")
    argentina = services.contribution_start(cycle=cycle, state=arg, actor=analyst_arg)
    if not argentina.threat_reports.exists():
        services.threat_report_create(
            contribution=argentina,
            actor=analyst_arg,
            crime_area=area["cocaine_trafficking"],
            title="Cocaine through the Paraná waterway (synthetic)",
            period_start=date(2025, 1, 1),
            period_end=date(2025, 12, 31),
            affected_states=[arg, State.objects.get(iso3="PRY")],
            subregions=["southern_cone"],
            border_areas="Tri-border area (invented example)",
            scale=ThreatScale.REGIONAL,
            trend=Trend.INCREASING,
            harm_physical=HarmLevel.MODERATE,
            harm_economic=HarmLevel.HIGH,
            enablers=[Enabler.LOGISTICS_HUBS, Enabler.CORRUPTION],
            narrative=f"**Draft.** {SYNTHETIC}",
            source_reliability="B",
            information_credibility="3",
            tlp=TLP.AMBER,
            scope=Scope.SECRETARIAT,
        )
        report.created += 1

    analyst_bra, focal_bra = _user("analyst.bra@demo.ceiba.example"), _user("focal.bra@demo.ceiba.example")
    brazil = services.contribution_start(cycle=cycle, state=bra, actor=analyst_bra)
    if not brazil.threat_reports.exists():
        services.threat_report_create(
            contribution=brazil,
            actor=analyst_bra,
            crime_area=area["cocaine_trafficking"],
            title="Maritime cocaine exports from Atlantic ports (synthetic)",
            period_start=date(2025, 1, 1),
            period_end=date(2025, 12, 31),
            affected_states=[bra],
            subregions=["southern_cone", "andean"],
            scale=ThreatScale.TRANSREGIONAL,
            scale_notes="Invented figures for the demonstration",
            trend=Trend.STABLE,
            harm_physical=HarmLevel.HIGH,
            harm_economic=HarmLevel.HIGH,
            harm_social=HarmLevel.MODERATE,
            harm_environmental=HarmLevel.NONE,
            harm_institutional=HarmLevel.HIGH,
            modus_operandi="Containers contaminated in port (rip-on/rip-off), invented for the demo.",
            enablers=[Enabler.LOGISTICS_HUBS, Enabler.LEGAL_BUSINESS, Enabler.CORRUPTION],
            narrative=f"## Summary\n\n{SYNTHETIC}\n\n- Routes by sea\n- Corruption of port staff",
            source_reliability="B",
            information_credibility="2",
            tlp=TLP.GREEN,
            scope=Scope.ALL_MEMBERS,
            routes=[
                services.RouteData(
                    commodity="Cocaine", origin=State.objects.get(iso3="BOL"), transit=[bra], destination=None
                )
            ],
        )
        services.threat_report_create(
            contribution=brazil,
            actor=analyst_bra,
            crime_area=area["illegal_mining"],
            title="Illegal gold mining and mercury supply (synthetic)",
            period_start=date(2025, 1, 1),
            period_end=date(2025, 12, 31),
            subregions=["andean"],
            scale=ThreatScale.NATIONAL,
            trend=Trend.INCREASING,
            harm_environmental=HarmLevel.SEVERE,
            harm_social=HarmLevel.HIGH,
            enablers=[Enabler.VIOLENCE, Enabler.MONEY_LAUNDERING_NETWORKS],
            narrative=SYNTHETIC,
            grading_scheme="europol",
            source_reliability="B",
            information_credibility="3",
            tlp=TLP.AMBER,
            handling_code=HandlingCode.H2,
            scope=Scope.NAMED,
            shared_with_states=[arg, chl],
            shared_with_organisations=[Organisation.objects.get(acronym="SRC")],
        )
        report.created += 2
    if not brazil.networks.exists() and brazil.status in (
        ContributionStatus.DRAFT,
        ContributionStatus.RETURNED,
    ):
        services.network_create(
            contribution=brazil,
            actor=analyst_bra,
            alias="Atlantic Harbour Crew (synthetic)",
            main_crime_area=area["cocaine_trafficking"],
            secondary_crime_areas=[area["money_laundering"], area["firearms_trafficking"]],
            countries=[bra, State.objects.get(iso3="BOL"), State.objects.get(iso3="PRY")],
            size_band=NetworkSize.FROM_50,
            structure=NetworkStructure.CELL_BASED,
            summary=f"An invented network moving cocaine through Atlantic ports. {SYNTHETIC}",
            indicators=[
                services.IndicatorData("international_dimension", 4, "Invented: three states, sea routes."),
                services.IndicatorData("legal_business_structures", 3, "Invented: freight companies."),
                services.IndicatorData("violence", 0, "Invented: no violence reported."),
                services.IndicatorData("corruption", 3, "Invented: port staff."),
                services.IndicatorData("territorial_control", None, "Not assessed in this synthetic demo."),
            ],
            source_reliability="B",
            information_credibility="3",
            tlp=TLP.GREEN,
            scope=Scope.ALL_MEMBERS,
        )
        report.created += 1
    for contribution, analyst, shared in ((argentina, analyst_arg, False), (brazil, analyst_bra, True)):
        originator = analyst.memberships.filter(organisation__state=contribution.state).first()
        if originator is not None:
            report.created += load_statistics_demo(
                contribution=contribution, actor=analyst, originator=originator.organisation, shared=shared
            )
    report.created += entity_demo.load_brazil(brazil, analyst_bra, brazil.networks.first())
    if brazil.status in (ContributionStatus.DRAFT, ContributionStatus.RETURNED):
        services.contribution_submit(contribution=brazil, actor=focal_bra)
        report.created += 1
    report.created += entity_demo.load_argentina(argentina, analyst_arg)
    return report


__all__ = ["Contribution", "ThreatReport", "load_documentation_demo"]
