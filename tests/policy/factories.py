"""A small synthetic policy cycle for tests: the committee with the demo's founding states, a
ministerial meeting (restricted) and a public one, an adopted and published decision and a draft, a
cycle with two priorities, their strategic plans, one operational action plan per priority, actions
led by Argentina's federal police and by AMERIPOL (the action-participant persona's body) with KPIs,
progress reports, and a recommendation addressed to Argentina and Brazil. Everything invented."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.utils import timezone

from ceiba.core.demo import FOUNDING_DATE
from ceiba.core.models import Organisation, State
from ceiba.policy.choices import (
    ActionStatus,
    ActorRole,
    DecisionMethod,
    DecisionStatus,
    ImplementationStatus,
    KpiUnit,
    MajorityRule,
    MeetingFormat,
    MeetingLevel,
    MeetingStatus,
    ParticipantRole,
    PlanStatus,
    Position,
    PriorityOrigin,
    QuorumRule,
    RecommendationSource,
    ReviewStatus,
    Visibility,
)
from ceiba.policy.models import (
    ActionActor,
    Addressee,
    AgendaItem,
    Committee,
    CommitteeMember,
    Decision,
    DecisionText,
    HorizontalGoal,
    ImplementationReport,
    Kpi,
    KpiValue,
    Meeting,
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
from ceiba.sharing.choices import TLP, Scope

COMMITTEE = "Test committee (synthetic)"


def _saved(obj: Any) -> Any:
    obj.full_clean()
    obj.save()
    return obj


def committee_with_members(world: SimpleNamespace) -> Committee:
    """The test committee, its secretariat and the founding member states (idempotent)."""
    committee = Committee.objects.filter(name=COMMITTEE).first()
    if committee is not None:
        return committee
    committee = _saved(
        Committee(
            name=COMMITTEE,
            acronym="TC",
            secretariat=world.secretariat,
            default_quorum=QuorumRule.TWO_THIRDS,
            default_majority=MajorityRule.TWO_THIRDS,
        )
    )
    members = State.objects.filter(committee_member_since__isnull=False)
    CommitteeMember.objects.bulk_create(
        CommitteeMember(committee=committee, state=state, joined_on=FOUNDING_DATE) for state in members
    )
    return committee


def small_cycle(world: SimpleNamespace) -> SimpleNamespace:
    """The whole small cycle described in the module's docstring."""
    committee = committee_with_members(world)
    today = timezone.localdate()
    year = today.year
    _saved(
        PresidencyTerm(
            committee=committee, state=world.arg, starts_on=dt.date(year, 1, 1), ends_on=dt.date(year, 12, 31)
        )
    )
    starts = timezone.now() - dt.timedelta(days=30)
    meeting = _saved(
        Meeting(
            committee=committee,
            title="Ministerial meeting (synthetic)",
            level=MeetingLevel.MINISTERIAL,
            format=MeetingFormat.IN_PERSON,
            status=MeetingStatus.HELD,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=8),
            location="Asunción",
            visibility=Visibility.RESTRICTED,
            minutes="The committee adopted the priorities (synthetic minutes).",
        )
    )
    public_meeting = _saved(
        Meeting(
            committee=committee,
            title="Technical meeting (synthetic)",
            level=MeetingLevel.TECHNICAL,
            format=MeetingFormat.VIRTUAL,
            starts_at=timezone.now() + dt.timedelta(days=20),
            ends_at=timezone.now() + dt.timedelta(days=20, hours=3),
            online_url="https://meet.example.org/ceiba-technical",
            visibility=Visibility.PUBLIC,
        )
    )
    item = _saved(AgendaItem(meeting=meeting, number=1, title="Adoption of the priorities (synthetic)"))
    for state in State.objects.filter(iso3__in=["ARG", "BRA", "CHL"]):
        _saved(
            MeetingParticipant(meeting=meeting, role=ParticipantRole.DELEGATION, state=state, attended=True)
        )
    decision = _saved(
        Decision(
            meeting=meeting,
            agenda_item=item,
            reference="TC/1/2026 (synthetic)",
            title="Priorities of the cycle (synthetic)",
            method=DecisionMethod.CONSENSUS,
            quorum=QuorumRule.TWO_THIRDS,
            majority=MajorityRule.TWO_THIRDS,
            status=DecisionStatus.ADOPTED,
            visibility=Visibility.PUBLIC,
            decided_on=starts.date(),
            published_at=timezone.now(),
        )
    )
    DecisionText.objects.create(decision=decision, number=1, text="The committee adopts two priorities.")
    for state in State.objects.filter(committee_member_since__isnull=False):
        _saved(StatePosition(decision=decision, state=state, position=Position.IN_FAVOUR))
    draft = _saved(
        Decision(
            meeting=meeting,
            reference="TC/2/2026 (synthetic)",
            title="Draft budget line (synthetic)",
            method=DecisionMethod.VOTE,
            quorum=QuorumRule.MAJORITY,
            majority=MajorityRule.SIMPLE,
            visibility=Visibility.RESTRICTED,
        )
    )
    DecisionText.objects.create(decision=draft, number=1, text="A draft text.")
    cycle = _saved(
        PolicyCycle(
            committee=committee,
            name="Test cycle (synthetic)",
            starts_on=dt.date(year, 1, 1),
            ends_on=dt.date(year + 3, 12, 31),
        )
    )
    ameripol = Organisation.objects.get(acronym="AMERIPOL")
    goal_kinds = list(HorizontalGoal.objects.all()[:2])
    priorities, plans, actions = [], [], []
    for number, (title, driver) in enumerate(
        (("Cocaine trafficking (synthetic)", world.arg), ("Arms trafficking (synthetic)", world.bra)), start=1
    ):
        priority = _saved(
            Priority(
                cycle=cycle,
                code=f"P{number}",
                title=title,
                origin=PriorityOrigin.COMMITTEE,
                decision=decision,
                driver=driver,
            )
        )
        priority.co_drivers.set(State.objects.filter(iso3="CHL"))
        plan = _saved(
            StrategicPlan(
                priority=priority,
                title=f"Strategic plan {number} (synthetic)",
                starts_on=cycle.starts_on,
                ends_on=cycle.ends_on,
                status=PlanStatus.ADOPTED,
                decision=decision,
            )
        )
        goals = [
            _saved(StrategicGoal(plan=plan, code=f"G{index}", title=str(kind), horizontal_goal=kind))
            for index, kind in enumerate(goal_kinds, start=1)
        ]
        oap = _saved(
            OperationalActionPlan(
                priority=priority,
                title=f"Operational action plan {number} (synthetic)",
                starts_on=dt.date(year, 1, 1),
                ends_on=dt.date(year + 1, 12, 31),
                status=PlanStatus.ADOPTED,
            )
        )
        led_by_police = _saved(
            OperationalAction(
                plan=oap,
                code=f"TC-P{number}-OA1",
                title=f"Joint investigation {number} (synthetic)",
                goal=goals[0],
                leader_state=world.arg,
                leader_organisation=world.arg_police,
                starts_on=dt.date(year, 2, 1),
                ends_on=dt.date(year, 11, 30),
                budget=Decimal("120000"),
                funding_source="National budget (synthetic)",
                status=ActionStatus.ONGOING,
            )
        )
        led_by_ameripol = _saved(
            OperationalAction(
                plan=oap,
                code=f"TC-P{number}-OA2",
                title=f"Regional training {number} (synthetic)",
                goal=goals[-1],
                leader_organisation=ameripol,
                starts_on=dt.date(year, 3, 1),
                ends_on=dt.date(year + 1, 6, 30),
                status=ActionStatus.PLANNED,
            )
        )
        _saved(ActionActor(action=led_by_police, role=ActorRole.CO_LEADER, state=world.bra))
        _saved(ActionActor(action=led_by_ameripol, role=ActorRole.PARTICIPANT, state=world.arg))
        for action in (led_by_police, led_by_ameripol):
            _saved(
                Kpi(
                    action=action,
                    code="K1",
                    name="People trained (synthetic)",
                    unit=KpiUnit.PERSONS,
                    baseline=Decimal(0),
                    target=Decimal(100),
                )
            )
        priorities.append(priority)
        plans.append(oap)
        actions += [led_by_police, led_by_ameripol]
    police_report = _saved(
        ProgressReport(
            action=actions[0],
            organisation=world.arg_police,
            period_start=dt.date(year, 2, 1),
            period_end=dt.date(year, 6, 30),
            status=ActionStatus.ONGOING,
            progress=40,
            narrative="Two joint operations prepared (synthetic).",
            tlp=TLP.AMBER,
            scope=Scope.SECRETARIAT,
        )
    )
    _saved(KpiValue(report=police_report, kpi=actions[0].kpis.get(), value=Decimal(30), unit=KpiUnit.PERSONS))
    ameripol_report = _saved(
        ProgressReport(
            action=actions[1],
            organisation=ameripol,
            period_start=dt.date(year, 3, 1),
            period_end=dt.date(year, 6, 30),
            status=ActionStatus.ONGOING,
            progress=20,
            narrative="Curriculum drafted (synthetic).",
            tlp=TLP.GREEN,
            scope=Scope.ALL_MEMBERS,
        )
    )
    recommendation = _saved(
        Recommendation(
            code="TC-R1 (synthetic)",
            title="Designate a national contact point for firearms tracing (synthetic)",
            text="Each addressed state designates a contact point (synthetic).",
            source=RecommendationSource.DECISION,
            decision=decision,
            cycle=cycle,
            deadline=today + dt.timedelta(days=60),
            visibility=Visibility.PUBLIC,
        )
    )
    arg_addressee = _saved(Addressee(recommendation=recommendation, state=world.arg))
    bra_addressee = _saved(
        Addressee(
            recommendation=recommendation,
            state=world.bra,
            status=ImplementationStatus.IMPLEMENTED,
            status_validated_on=today,
        )
    )
    pending = _saved(
        ImplementationReport(
            addressee=arg_addressee,
            status=ImplementationStatus.IN_PROGRESS,
            narrative="A decree is being drafted (synthetic).",
        )
    )
    validated = _saved(
        ImplementationReport(
            addressee=bra_addressee,
            status=ImplementationStatus.IMPLEMENTED,
            narrative="Contact point designated (synthetic).",
            evidence_url="https://example.org/decree-synthetic",
            review=ReviewStatus.VALIDATED,
            reviewed_at=timezone.now(),
        )
    )
    return SimpleNamespace(
        world=world,
        committee=committee,
        meeting=meeting,
        public_meeting=public_meeting,
        decision=decision,
        draft_decision=draft,
        cycle=cycle,
        priorities=priorities,
        plans=plans,
        actions=actions,
        police_report=police_report,
        ameripol_report=ameripol_report,
        recommendation=recommendation,
        pending_report=pending,
        validated_report=validated,
        ameripol=ameripol,
    )
