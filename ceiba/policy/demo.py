"""The policy demo: a full synthetic cycle of the committee CLASI. A ministerial meeting (agenda,
delegations, minutes) adopts by vote five priorities from the demo assessment's restricted run (its
recommended priorities frozen and handed over by the secretariat); each priority has a strategic plan
with horizontal goals and an operational action plan 2026–2027; about forty actions led by national
agencies and by AMERIPOL, with partners, budgets, KPIs, statuses of every kind, progress reports (some
missing, some TLP:RED or AMBER) and results; recommendations in every state of implementation; lessons.
Everything is invented (seeded) and says so. Loading it twice creates nothing new."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from ceiba.assessment import runs
from ceiba.assessment.choices import Audience, PriorityListStatus
from ceiba.assessment.models import AssessmentRun
from ceiba.core.demo import FOUNDING_DATE, FOUNDING_MEMBERS
from ceiba.core.models import Organisation, State, User
from ceiba.sharing.choices import TLP, Scope

from . import voting
from .choices import (
    ActionStatus,
    ActorRole,
    CycleStatus,
    DecisionMethod,
    DecisionStatus,
    ImplementationStatus,
    KpiDirection,
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
    ResultKind,
    ReviewStatus,
    Visibility,
)
from .models import (
    ActionActor,
    ActionResult,
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
    Lesson,
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

COMMITTEE_NAME = "Comité Latinoamericano de Seguridad Interior"
COMMITTEE_ACRONYM = "CLASI"
CYCLE_NAME = "CLASI policy cycle 2026–2029 (synthetic)"
CYCLE_START = dt.date(2026, 1, 1)
CYCLE_END = dt.date(2029, 12, 31)
PLAN_START = dt.date(2026, 1, 1)
PLAN_END = dt.date(2027, 12, 31)
#: End of the first reporting period of the operational action plans (every six months).
FIRST_PERIOD_END = dt.date(2026, 6, 30)
SYNTHETIC = "Synthetic demonstration data: invented, not a real decision of any committee."
#: How many actions each of the five priorities gets (about forty in all).
ACTIONS_PER_PRIORITY = 8
#: The statuses of the forty actions, every kind present (shuffled with the seed).
STATUS_POOL = (
    [ActionStatus.ONGOING] * 16
    + [ActionStatus.COMPLETED] * 8
    + [ActionStatus.PLANNED] * 6
    + [ActionStatus.TO_BE_CONTINUED] * 4
    + [ActionStatus.NOT_COMPLETED] * 3
    + [ActionStatus.CANCELLED] * 3
)
PARTNERS = ["UNODC", "EL PAcCTO", "OEA"]
FUNDING = [
    "National budget (synthetic)",
    "EL PAcCTO 2.0 grant (synthetic)",
    "UNODC regional programme (synthetic)",
    "OAS cooperation fund (synthetic)",
]
ACTION_KINDS = [
    ("Joint investigation team on {area}", ResultKind.INVESTIGATIONS),
    ("Coordinated border controls against {area}", ResultKind.ARRESTS),
    ("Regional training course on {area}", ResultKind.PEOPLE_TRAINED),
    ("Financial investigation of {area} networks", ResultKind.ASSETS_USD),
    ("Joint action days on {area}", ResultKind.ARRESTS),
    ("Intelligence picture of {area}", ResultKind.OTHER),
    ("Exchange of liaison officers on {area}", ResultKind.INVESTIGATIONS),
    ("Prevention campaign on {area}", ResultKind.VICTIMS),
]
KPI_KINDS = [
    ("Joint operations carried out", KpiUnit.OPERATIONS, KpiDirection.INCREASE, 0, (4, 12)),
    ("Officers trained", KpiUnit.PERSONS, KpiDirection.INCREASE, 0, (40, 200)),
    ("States exchanging intelligence", KpiUnit.PERCENT, KpiDirection.INCREASE, 20, (60, 100)),
    ("Days to answer a request for information", KpiUnit.DAYS, KpiDirection.DECREASE, 45, (10, 20)),
    ("Investigations opened", KpiUnit.COUNT, KpiDirection.INCREASE, 0, (5, 30)),
]


@dataclass
class PolicyDemoReport:
    created: int = 0


def _saved(obj: Any) -> Any:
    obj.full_clean()
    obj.save()
    return obj


def _aware(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, 0))


def _organisation(key: str) -> Organisation:
    """An organisation by the demo's key: "ARG:PFA" (state and acronym) or "AMERIPOL"."""
    if ":" in key:
        iso3, acronym = key.split(":", 1)
        return Organisation.objects.get(state__iso3=iso3, acronym=acronym)
    return Organisation.objects.get(acronym=key, state__isnull=True)


def restricted_demo_run() -> AssessmentRun | None:
    from ceiba.assessment.demo import CYCLE_NAME as ASSESSMENT_CYCLE

    return (
        AssessmentRun.objects.filter(cycle__name=ASSESSMENT_CYCLE, audience=Audience.RESTRICTED)
        .order_by("pk")
        .first()
    )


@transaction.atomic
def load_policy_demo(*, samples: int = 1000) -> PolicyDemoReport:
    """Load the demo cycle (after `ceiba demo`; loads the demo assessment too if it is missing)."""
    report = PolicyDemoReport()
    if PolicyCycle.objects.filter(name=CYCLE_NAME).exists():
        return report
    run = restricted_demo_run()
    if run is None:
        from ceiba.assessment.demo import load_assessment_demo

        report.created += load_assessment_demo(samples=samples).created
        run = restricted_demo_run()
    assert run is not None
    secretariat_user = User.objects.get(email="secretariat.analyst@demo.ceiba.example")
    admin = User.objects.get(email="admin@demo.ceiba.example")
    if run.priorities_status == PriorityListStatus.PROPOSED:
        runs.freeze_priorities(run, secretariat_user)
    if run.priorities_status == PriorityListStatus.FROZEN:
        runs.hand_over_priorities(run, secretariat_user)
    rng = random.Random(2026)  # noqa: S311  (invented demo data, not security)
    states = {s.iso3: s for s in State.objects.filter(iso3__in=list(FOUNDING_MEMBERS))}
    members = sorted(states)
    before = _count()

    committee = _committee(members, states)
    meeting, decision = _ministerial_meeting(committee, members, states, secretariat_user, rng)
    _technical_meeting(committee, secretariat_user)
    cycle = _saved(
        PolicyCycle(
            committee=committee,
            name=CYCLE_NAME,
            starts_on=CYCLE_START,
            ends_on=CYCLE_END,
            status=CycleStatus.ACTIVE,
            assessment_run=run,
        )
    )
    priorities = _priorities(cycle, run, decision, members, states, rng)
    actions = _plans_and_actions(priorities, decision, members, states, rng)
    _progress(actions, rng)
    _recommendations(cycle, meeting, decision, states, secretariat_user)
    for title, text in LESSONS:
        _saved(Lesson(cycle=cycle, title=title, text=text, recorded_by=admin))
    report.created += _count() - before
    return report


def _count() -> int:
    return sum(
        model.objects.count()
        for model in (
            Committee,
            Meeting,
            Decision,
            PolicyCycle,
            Priority,
            OperationalAction,
            ProgressReport,
            Recommendation,
            Lesson,
        )
    )


def _committee(members: list[str], states: dict[str, State]) -> Committee:
    committee = Committee.objects.filter(name=COMMITTEE_NAME).first()
    if committee is not None:
        return committee
    committee = _saved(
        Committee(
            name=COMMITTEE_NAME,
            acronym=COMMITTEE_ACRONYM,
            description=f"The regional committee of the demo. {SYNTHETIC}",
            secretariat=_organisation("SRC"),
            default_quorum=QuorumRule.TWO_THIRDS,
            default_majority=MajorityRule.TWO_THIRDS,
        )
    )
    for iso3 in members:
        _saved(CommitteeMember(committee=committee, state=states[iso3], joined_on=FOUNDING_DATE))
    for year, iso3 in ((2024, "PRY"), (2025, "ECU"), (2026, "CHL"), (2027, "MEX")):
        _saved(
            PresidencyTerm(
                committee=committee,
                state=states[iso3],
                starts_on=dt.date(year, 1, 1),
                ends_on=dt.date(year, 12, 31),
            )
        )
    return committee


AGENDA = [
    ("Opening by the pro tempore presidency (synthetic)", ""),
    ("Presentation of the regional assessment IDEAL 2025 (synthetic)", "The secretariat presents the run."),
    ("Adoption of the priorities 2026–2029 (synthetic)", "From the recommended priorities handed over."),
    ("Strategic plans and operational action plans 2026–2027 (synthetic)", ""),
    ("Any other business (synthetic)", ""),
]


def _ministerial_meeting(
    committee: Committee, members: list[str], states: dict[str, State], user: User, rng: random.Random
) -> tuple[Meeting, Decision]:
    day = dt.date(2026, 3, 12)
    meeting = _saved(
        Meeting(
            committee=committee,
            title="III Ministerial meeting of CLASI (synthetic)",
            level=MeetingLevel.MINISTERIAL,
            format=MeetingFormat.IN_PERSON,
            status=MeetingStatus.HELD,
            starts_at=_aware(day, 9),
            ends_at=_aware(day, 18),
            location="Santiago de Chile (synthetic)",
            description=f"The ministers adopt the priorities of the cycle 2026–2029. {SYNTHETIC}",
            visibility=Visibility.PUBLIC,
            minutes=(
                "## Minutes (synthetic)\n\nThe pro tempore presidency opened the meeting. The secretariat "
                "presented the regional assessment IDEAL 2025. The ministers adopted five priorities by "
                "vote and asked the secretariat to prepare the operational action plans.\n\n" + SYNTHETIC
            ),
            minutes_approved_on=dt.date(2026, 4, 2),
            created_by=user,
        )
    )
    items = [
        _saved(AgendaItem(meeting=meeting, number=number, title=title, description=description))
        for number, (title, description) in enumerate(AGENDA, start=1)
    ]
    absent = "URY"
    for iso3 in members:
        _saved(
            MeetingParticipant(
                meeting=meeting,
                role=ParticipantRole.DELEGATION,
                state=states[iso3],
                name=f"Delegation of {states[iso3].english_name} (synthetic)",
                position="Minister (synthetic)",
                head_of_delegation=True,
                attended=iso3 != absent,
            )
        )
    for key in ("AMERIPOL", "UNODC", "OEA"):
        _saved(
            MeetingParticipant(
                meeting=meeting, role=ParticipantRole.OBSERVER, organisation=_organisation(key), attended=True
            )
        )
    _saved(
        MeetingParticipant(
            meeting=meeting,
            role=ParticipantRole.SECRETARIAT,
            organisation=_organisation("SRC"),
            attended=True,
        )
    )
    decision = _saved(
        Decision(
            meeting=meeting,
            agenda_item=items[2],
            reference="CLASI/MIN/3/2026-1 (synthetic)",
            title="Priorities of the policy cycle 2026–2029 (synthetic)",
            method=DecisionMethod.VOTE,
            quorum=QuorumRule.TWO_THIRDS,
            majority=MajorityRule.TWO_THIRDS,
            status=DecisionStatus.ADOPTED,
            visibility=Visibility.PUBLIC,
            decided_on=day,
            published_at=_aware(dt.date(2026, 3, 20)),
        )
    )
    DecisionText.objects.create(
        decision=decision,
        number=1,
        text="Draft: the committee adopts the priorities recommended by IDEAL 2025 (synthetic).",
        created_by=user,
        created_at=_aware(dt.date(2026, 3, 1)),
    )
    DecisionText.objects.create(
        decision=decision,
        number=2,
        text=(
            "The committee adopts for the cycle 2026–2029 the five priorities recommended by the regional "
            f"assessment IDEAL 2025, with their drivers and co-drivers. {SYNTHETIC}"
        ),
        note="Drivers and co-drivers named (synthetic).",
        created_by=user,
        created_at=_aware(day, 17),
    )
    positions: dict[str, str] = {iso3: Position.IN_FAVOUR for iso3 in members}
    positions[absent] = Position.ABSENT
    positions["PRY"] = Position.ABSTAIN
    positions["SLV"] = Position.RESERVATION
    for iso3, position in positions.items():
        statement = (
            "We join with a reservation on the budget (synthetic)." if position == "reservation" else ""
        )
        _saved(
            StatePosition(
                decision=decision,
                state=states[iso3],
                position=position,
                statement=statement,
                recorded_by=user,
            )
        )
    # The count the committee pages show, as the close service stores it (voting.Outcome).
    decision.outcome = voting.decide(
        method=decision.method,
        quorum_rule=decision.quorum,
        majority_rule=decision.majority,
        members=len(members),
        positions=positions,
    ).as_dict()
    decision.save(update_fields=["outcome"])
    return meeting, decision


def _technical_meeting(committee: Committee, user: User) -> Meeting:
    start = timezone.localdate() + dt.timedelta(days=30)
    meeting = _saved(
        Meeting(
            committee=committee,
            title="Technical meeting of the national focal points (synthetic)",
            level=MeetingLevel.TECHNICAL,
            format=MeetingFormat.VIRTUAL,
            starts_at=_aware(start, 14),
            ends_at=_aware(start, 17),
            online_url="https://meet.example.org/clasi-technical-synthetic",
            description=f"Follow-up of the operational action plans. {SYNTHETIC}",
            visibility=Visibility.RESTRICTED,
            created_by=user,
        )
    )
    for number, title in enumerate(
        ("Progress of the operational actions (synthetic)", "Overdue progress reports (synthetic)"), start=1
    ):
        _saved(AgendaItem(meeting=meeting, number=number, title=title))
    return meeting


def _priorities(
    cycle: PolicyCycle,
    run: AssessmentRun,
    decision: Decision,
    members: list[str],
    states: dict[str, State],
    rng: random.Random,
) -> list[Priority]:
    drivers = ["ARG", "BRA", "CHL", "MEX", "PER"]
    priorities = []
    for number, recommended in enumerate(run.priorities.order_by("rank")[:5], start=1):
        driver = drivers[(number - 1) % len(drivers)]
        priority = _saved(
            Priority(
                cycle=cycle,
                code=f"P{number}",
                title=f"{recommended.crime_area} (synthetic)",
                description=f"Priority {number} of the cycle 2026–2029. {SYNTHETIC}",
                crime_area=recommended.crime_area,
                origin=PriorityOrigin.ASSESSMENT,
                recommended_priority=recommended,
                rationale=recommended.rationale or recommended.computed_rationale,
                decision=decision,
                driver=states[driver],
            )
        )
        priority.co_drivers.set([states[iso3] for iso3 in rng.sample([m for m in members if m != driver], 2)])
        priorities.append(priority)
    return priorities


def _plans_and_actions(
    priorities: list[Priority],
    decision: Decision,
    members: list[str],
    states: dict[str, State],
    rng: random.Random,
) -> list[OperationalAction]:
    horizontal = list(HorizontalGoal.objects.filter(active=True))
    statuses = list(STATUS_POOL)
    rng.shuffle(statuses)
    partners = [_organisation(key) for key in PARTNERS]
    ameripol = _organisation("AMERIPOL")
    agencies = {iso3: list(Organisation.objects.filter(state__iso3=iso3).order_by("pk")) for iso3 in members}
    actions: list[OperationalAction] = []
    for priority in priorities:
        area = str(priority.crime_area).lower()
        plan = _saved(
            StrategicPlan(
                priority=priority,
                title=f"Strategic plan {priority.code} 2026–2029: {priority.crime_area} (synthetic)",
                summary=f"The multi-annual plan of priority {priority.code}. {SYNTHETIC}",
                starts_on=CYCLE_START,
                ends_on=CYCLE_END,
                status=PlanStatus.ADOPTED,
                decision=decision,
            )
        )
        goals = [
            _saved(
                StrategicGoal(
                    plan=plan,
                    code=f"G{index}",
                    title=f"{kind.name_en} (synthetic)",
                    horizontal_goal=kind,
                )
            )
            for index, kind in enumerate(sorted(rng.sample(horizontal, 4), key=lambda g: g.order), start=1)
        ]
        goals.append(
            _saved(
                StrategicGoal(
                    plan=plan,
                    code=f"G{len(goals) + 1}",
                    title=f"Dismantle the networks behind {area} (synthetic)",
                )
            )
        )
        oap = _saved(
            OperationalActionPlan(
                priority=priority,
                title=f"Operational action plan {priority.code} 2026–2027 (synthetic)",
                starts_on=PLAN_START,
                ends_on=PLAN_END,
                status=PlanStatus.ADOPTED,
                reporting_months=6,
                decision=decision,
            )
        )
        for index in range(1, ACTIONS_PER_PRIORITY + 1):
            status = statuses.pop()
            kind, result_kind = ACTION_KINDS[index - 1]
            by_ameripol = index in (3, 6) if priority.code in ("P1", "P2", "P3") else False
            leader_iso3 = priority.driver.iso3 if index == 1 else rng.choice(members)
            starts, ends = _dates(status, rng)
            action = OperationalAction(
                plan=oap,
                code=f"CLASI-{priority.code}-OA{index:02d}",
                title=f"{kind.format(area=area)} (synthetic)",
                description=f"An invented operational action. {SYNTHETIC}",
                goal=rng.choice(goals),
                leader_state=None if by_ameripol else states[leader_iso3],
                leader_organisation=ameripol if by_ameripol else rng.choice(agencies[leader_iso3]),
                starts_on=starts,
                ends_on=ends,
                budget=Decimal(rng.randrange(20, 400) * 1000),
                currency="USD",
                funding_source=rng.choice(FUNDING),
                status=status,
                weight=Decimal(rng.choice([1, 1, 1, 2])),
            )
            action.progress = _progress_for(status, rng)
            _saved(action)
            others = [m for m in members if m != leader_iso3]
            co_leader = rng.choice(others)
            _saved(
                ActionActor(
                    action=action,
                    role=ActorRole.CO_LEADER,
                    state=states[co_leader],
                    organisation=rng.choice(agencies[co_leader]),
                )
            )
            for iso3 in rng.sample([m for m in others if m != co_leader], rng.randint(1, 4)):
                _saved(ActionActor(action=action, role=ActorRole.PARTICIPANT, state=states[iso3]))
            if by_ameripol is False and rng.random() < 0.25:
                _saved(ActionActor(action=action, role=ActorRole.PARTICIPANT, organisation=ameripol))
            for partner in rng.sample(partners, rng.randint(0, 2)):
                _saved(ActionActor(action=action, role=ActorRole.PARTNER, organisation=partner))
            for code, (name, unit, direction, baseline, span) in enumerate(
                rng.sample(KPI_KINDS, rng.randint(1, 2)), start=1
            ):
                _saved(
                    Kpi(
                        action=action,
                        code=f"K{code}",
                        name=f"{name} (synthetic)",
                        unit=unit,
                        direction=direction,
                        baseline=Decimal(baseline),
                        target=Decimal(rng.randint(*span)),
                    )
                )
            if status in (ActionStatus.COMPLETED, ActionStatus.TO_BE_CONTINUED, ActionStatus.ONGOING):
                quantity = rng.randint(3, 60) * (1000 if result_kind == ResultKind.ASSETS_USD else 1)
                _saved(
                    ActionResult(
                        action=action,
                        kind=result_kind,
                        quantity=Decimal(quantity),
                        description="Counted in the progress reports (synthetic).",
                    )
                )
            actions.append(action)
    return actions


def _dates(status: str, rng: random.Random) -> tuple[dt.date, dt.date]:
    if status == ActionStatus.PLANNED:
        starts = dt.date(2027, rng.randint(1, 6), 1)
        return starts, dt.date(2027, rng.randint(9, 12), 28)
    if status in (ActionStatus.COMPLETED, ActionStatus.NOT_COMPLETED, ActionStatus.TO_BE_CONTINUED):
        return dt.date(2026, rng.randint(1, 4), 1), dt.date(2026, rng.randint(8, 10), 28)
    if status == ActionStatus.CANCELLED:
        return dt.date(2026, rng.randint(2, 5), 1), dt.date(2027, rng.randint(3, 12), 28)
    return dt.date(2026, rng.randint(1, 5), 1), dt.date(2027, rng.randint(3, 12), 28)


def _progress_for(status: str, rng: random.Random) -> int:
    ranges: dict[str, tuple[int, int]] = {
        ActionStatus.PLANNED: (0, 0),
        ActionStatus.COMPLETED: (100, 100),
        ActionStatus.TO_BE_CONTINUED: (60, 90),
        ActionStatus.NOT_COMPLETED: (20, 50),
        ActionStatus.CANCELLED: (0, 15),
    }
    low, high = ranges.get(status, (15, 70))
    return rng.randint(low, high)


#: Marking and dissemination of the invented progress reports, in turn.
REPORT_MARKINGS = [
    (TLP.AMBER, Scope.SECRETARIAT),
    (TLP.GREEN, Scope.ALL_MEMBERS),
    (TLP.RED, Scope.NAMED),
    (TLP.AMBER, Scope.NAMED),
    (TLP.CLEAR, Scope.ALL_MEMBERS),
    (TLP.GREEN, Scope.ALL_MEMBERS),
]


def _progress(actions: list[OperationalAction], rng: random.Random) -> None:
    """First-period reports (to 30 June 2026) for the started actions and final reports for those that
    ended; a few are missing (overdue) and a few filed late."""
    reporter = User.objects.get(email="action.leader@demo.ceiba.example")
    arg_analyst = User.objects.get(email="analyst.arg@demo.ceiba.example")
    turn = 0
    missing_left = 6
    for action in actions:
        if action.status == ActionStatus.PLANNED:
            continue
        periods = []
        if action.starts_on < FIRST_PERIOD_END:
            periods.append((action.starts_on, min(FIRST_PERIOD_END, action.ends_on), False))
        if action.ends_on < timezone.localdate() and action.ends_on > FIRST_PERIOD_END:
            periods.append((FIRST_PERIOD_END + dt.timedelta(days=1), action.ends_on, True))
        is_ameripol = action.leader_state is None
        leader_iso3 = "" if action.leader_state is None else action.leader_state.iso3
        for start, end, final in periods:
            # AMERIPOL's first-period report of OA03 is missing, so its persona has one to file.
            if not final and is_ameripol and action.code.endswith("OA03"):
                continue
            if not final and missing_left > 0 and rng.random() < 0.15:
                missing_left -= 1
                continue
            tlp, scope = REPORT_MARKINGS[turn % len(REPORT_MARKINGS)]
            turn += 1
            status = action.status if final else ActionStatus.ONGOING
            if action.status == ActionStatus.CANCELLED and end >= FIRST_PERIOD_END:
                status = ActionStatus.CANCELLED
            progress = action.progress if final else min(action.progress, rng.randint(10, 45))
            report = _saved(
                ProgressReport(
                    action=action,
                    organisation=action.leader_organisation,
                    created_by=reporter if is_ameripol else (arg_analyst if leader_iso3 == "ARG" else None),
                    period_start=start,
                    period_end=end,
                    status=status,
                    progress=progress,
                    narrative=f"Progress of {action.code} for the period (synthetic). {SYNTHETIC}",
                    tlp=tlp,
                    scope=scope,
                )
            )
            if scope == Scope.NAMED:
                report.shared_with_states.set([action.plan.priority.driver])
            late = rng.random() < 0.25
            filed = end + dt.timedelta(days=rng.randint(35, 70) if late else rng.randint(5, 25))
            ProgressReport.objects.filter(pk=report.pk).update(created_at=_aware(filed))
            for kpi in action.kpis.all():
                share = Decimal(progress) / 100
                value = (kpi.baseline + (kpi.target - kpi.baseline) * share).quantize(Decimal(1))
                _saved(KpiValue(report=report, kpi=kpi, value=value, unit=kpi.unit))
                kpi.actual = value
                kpi.save(update_fields=["actual"])


LESSONS = [
    (
        "Reports come late when the leader changes (synthetic)",
        "Actions whose leading agency changed its contact person filed their reports late: name a deputy "
        f"reporter for every action. {SYNTHETIC}",
    ),
    (
        "KPIs in percent need a baseline (synthetic)",
        "Several KPIs in percent started from an unknown baseline; measure it before the plan starts. "
        + SYNTHETIC,
    ),
    (
        "Partners' funding arrives in the second semester (synthetic)",
        f"Actions funded by international partners started later than planned. {SYNTHETIC}",
    ),
]


def _recommendations(
    cycle: PolicyCycle,
    meeting: Meeting,
    decision: Decision,
    states: dict[str, State],
    user: User,
) -> None:
    today = timezone.localdate()
    specs = [
        # code, title, source, addressees, deadline, visibility
        ("CLASI-R1", "Designate national contact points for firearms tracing", RecommendationSource.MEETING,
         ["ARG", "BRA", "CHL", "ECU"], dt.date(2026, 9, 30), Visibility.PUBLIC),
        ("CLASI-R2", "Join the regional network of asset recovery offices", RecommendationSource.MEETING,
         ["MEX", "PER", "PAN"], dt.date(2027, 3, 31), Visibility.PUBLIC),
        ("CLASI-R3", "Share seizure statistics every quarter", RecommendationSource.DECISION,
         ["ARG", "CRI", "SLV", "URY", "AMERIPOL"], dt.date(2026, 11, 30), Visibility.RESTRICTED),
        ("CLASI-R4", "Adopt the protocol on joint investigation teams", RecommendationSource.DECISION,
         ["BRA", "CHL", "PRY"], dt.date(2027, 6, 30), Visibility.PUBLIC),
        ("CLASI-R5", "Train prosecutors in financial investigation", RecommendationSource.CONFERENCE,
         ["ECU", "PER", "MEX", "ARG"], dt.date(2026, 12, 31), Visibility.PUBLIC),
        ("CLASI-R6", "Open a hotline for victims of trafficking", RecommendationSource.CONFERENCE,
         ["PAN", "CRI", "SLV"], dt.date(2026, 10, 31), Visibility.RESTRICTED),
    ]  # fmt: skip
    # (implementation status, review of the latest report or None) assigned in turn: every kind present.
    outcomes = [
        (ImplementationStatus.IMPLEMENTED, ReviewStatus.VALIDATED),
        (ImplementationStatus.IN_PROGRESS, ReviewStatus.PENDING),
        (ImplementationStatus.NOT_STARTED, None),
        (ImplementationStatus.PARTIAL, ReviewStatus.VALIDATED),
        (ImplementationStatus.IMPLEMENTED, ReviewStatus.RETURNED),
        (ImplementationStatus.NOT_APPLICABLE, ReviewStatus.VALIDATED),
        (ImplementationStatus.IN_PROGRESS, ReviewStatus.VALIDATED),
        (ImplementationStatus.PARTIAL, ReviewStatus.PENDING),
    ]
    turn = 0
    for code, title, source, addressees, deadline, visibility in specs:
        recommendation = _saved(
            Recommendation(
                code=f"{code} (synthetic)",
                title=f"{title} (synthetic)",
                text=f"The committee recommends that the addressees {title.lower()}. {SYNTHETIC}",
                source=source,
                meeting=meeting if source == RecommendationSource.MEETING else None,
                decision=decision if source == RecommendationSource.DECISION else None,
                source_reference=(
                    "Hemispheric conference on organised crime, Panamá, 20 May 2026 (synthetic)"
                    if source == RecommendationSource.CONFERENCE
                    else ""
                ),
                cycle=cycle,
                deadline=deadline,
                visibility=visibility,
                created_by=user,
            )
        )
        for key in addressees:
            status, review = outcomes[turn % len(outcomes)]
            turn += 1
            addressee = _saved(
                Addressee(
                    recommendation=recommendation,
                    state=states.get(key),
                    organisation=None if key in states else _organisation(key),
                )
            )
            if review is None:
                continue
            evidence = status in (ImplementationStatus.PARTIAL, ImplementationStatus.IMPLEMENTED)
            reviewed = review != ReviewStatus.PENDING
            _saved(
                ImplementationReport(
                    addressee=addressee,
                    status=status,
                    narrative=f"What {key} did to implement {code} (synthetic). {SYNTHETIC}",
                    evidence_url=f"https://example.org/evidence/{code.lower()}-{key.lower()}"
                    if evidence
                    else "",
                    review=review,
                    reviewed_by=user if reviewed else None,
                    reviewed_at=_aware(min(today, deadline)) if reviewed else None,
                    review_note=(
                        "Please attach the decree (synthetic)." if review == ReviewStatus.RETURNED else ""
                    ),
                )
            )
            if review == ReviewStatus.VALIDATED:
                addressee.status = status
                addressee.status_validated_on = min(today, deadline)
                addressee.save(update_fields=["status", "status_validated_on"])
