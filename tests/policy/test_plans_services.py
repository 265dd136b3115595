"""The plans' services: cycles, priorities adopted from a handed-over run or by the committee,
strategic plans with horizontal goals, action plans within their cycle and period, actions with
KPIs, actors and results; bad input refused with the field named and nothing half-saved; stale
edits refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from ceiba.common.locking import StaleEdit
from ceiba.common.models import AuditEvent
from ceiba.core.models import State
from ceiba.policy import plan_services as services
from ceiba.policy.choices import ActorRole, KpiUnit, PriorityOrigin, ResultKind
from ceiba.policy.models import (
    HorizontalGoal,
    OperationalAction,
    PolicyCycle,
    Priority,
    StrategicGoal,
)

from .plans_factories import handed_over_run, proposed_run

pytestmark = pytest.mark.django_db


def secretariat(policy: SimpleNamespace):  # type: ignore[no-untyped-def]
    return policy.world.users["secretariat_analyst"]


def non_member_state() -> State:
    return State.objects.filter(committee_member_since__isnull=True).order_by("iso3").first()


def test_a_cycle_lasts_the_committees_cycle_years_by_default(policy: SimpleNamespace) -> None:
    cycle = services.cycle_create(
        actor=secretariat(policy),
        committee=policy.committee,
        name="Next cycle (synthetic)",
        starts_on=dt.date(2030, 1, 1),
        previous=policy.cycle,
    )
    assert (cycle.starts_on, cycle.ends_on) == (dt.date(2030, 1, 1), dt.date(2033, 12, 31))
    assert AuditEvent.objects.filter(object_type="policy.policycycle", object_id=str(cycle.pk)).exists()


def test_only_the_secretariat_opens_a_cycle(policy: SimpleNamespace) -> None:
    with pytest.raises(PermissionDenied):
        services.cycle_create(
            actor=policy.world.users["committee_delegate@other_state"],
            committee=policy.committee,
            name="Refused (synthetic)",
            starts_on=dt.date(2030, 1, 1),
        )
    assert not PolicyCycle.objects.filter(name="Refused (synthetic)").exists()


def test_adopting_from_a_handed_over_run_keeps_the_link_and_rationale(policy: SimpleNamespace) -> None:
    run = handed_over_run(policy.world)
    recommended = run.priorities.order_by("rank")[0]
    chile = State.objects.get(iso3="CHL")
    [priority] = services.priorities_adopt(
        actor=secretariat(policy),
        cycle=policy.cycle,
        run=run,
        decision=policy.decision,
        adoptions=[services.Adoption(recommended=recommended, driver=policy.world.arg, co_drivers=[chile])],
    )
    assert priority.origin == PriorityOrigin.ASSESSMENT
    assert priority.recommended_priority == recommended
    assert priority.rationale == recommended.rationale
    assert priority.crime_area == recommended.crime_area
    assert list(priority.co_drivers.all()) == [chile]
    assert priority.code == "P3"


def test_adopting_from_a_run_not_handed_over_is_refused(policy: SimpleNamespace) -> None:
    run = proposed_run(policy.world)
    with pytest.raises(ValidationError) as error:
        services.priorities_adopt(
            actor=secretariat(policy),
            cycle=policy.cycle,
            run=run,
            adoptions=[services.Adoption(recommended=run.priorities.first(), driver=policy.world.arg)],
        )
    assert "not been handed over" in error.value.message_dict["run"][0]
    assert policy.cycle.priorities.count() == 2


def test_adopting_reads_the_run_through_the_access_policy(policy: SimpleNamespace) -> None:
    run = handed_over_run(policy.world)
    # A secretariat user would see it; a principal without access gets "not found" even in the service.
    with pytest.raises(Http404):
        services.adoptable_run(policy.world.users["national_analyst"], run.pk)


def test_a_driver_that_is_not_a_member_is_refused_and_nothing_is_saved(policy: SimpleNamespace) -> None:
    run = handed_over_run(policy.world)
    first = run.priorities.order_by("rank")[0]
    outsider = non_member_state()
    with pytest.raises(ValidationError) as error:
        services.priorities_adopt(
            actor=secretariat(policy),
            cycle=policy.cycle,
            run=run,
            adoptions=[services.Adoption(recommended=first, driver=outsider)],
        )
    assert "not a member state" in error.value.message_dict["driver"][0]
    assert policy.cycle.priorities.count() == 2


def test_a_committee_priority_with_a_non_member_co_driver_is_refused(policy: SimpleNamespace) -> None:
    with pytest.raises(ValidationError) as error:
        services.priority_create(
            actor=secretariat(policy),
            cycle=policy.cycle,
            title="Cybercrime (synthetic)",
            driver=policy.world.arg,
            co_drivers=[non_member_state()],
        )
    assert "co_drivers" in error.value.message_dict


def test_a_stale_priority_edit_is_refused(policy: SimpleNamespace) -> None:
    priority = policy.priorities[0]
    version = priority.lock_version
    services.priority_update(
        actor=secretariat(policy), priority=priority, expected_version=version, rationale="First (synthetic)."
    )
    stale = Priority.objects.get(pk=priority.pk)
    with pytest.raises(StaleEdit):
        services.priority_update(
            actor=secretariat(policy),
            priority=stale,
            expected_version=version,
            rationale="Second (synthetic).",
        )
    assert Priority.objects.get(pk=priority.pk).rationale == "First (synthetic)."


def test_a_strategic_plan_gets_a_goal_per_chosen_horizontal_goal(policy: SimpleNamespace) -> None:
    priority = services.priority_create(
        actor=secretariat(policy), cycle=policy.cycle, title="Cybercrime (synthetic)", driver=policy.world.arg
    )
    active = list(HorizontalGoal.objects.filter(active=True))
    plan = services.strategic_plan_create(
        actor=secretariat(policy), priority=priority, title="Plan (synthetic)", horizontal_goals=active
    )
    assert (plan.starts_on, plan.ends_on) == (policy.cycle.starts_on, policy.cycle.ends_on)
    assert plan.goals.filter(horizontal_goal__isnull=False).count() == len(active) == 8
    with pytest.raises(ValidationError):
        services.strategic_plan_create(
            actor=secretariat(policy), priority=priority, title="Second (synthetic)"
        )


def test_horizontal_goals_are_configured_by_the_administrator(policy: SimpleNamespace) -> None:
    admin = policy.world.users["secretariat_admin"]
    with pytest.raises(PermissionDenied):
        services.horizontal_goal_create(
            actor=secretariat(policy), code="x", name_en="X", name_es="X", name_pt="X", name_fr="X"
        )
    goal = services.horizontal_goal_create(
        actor=admin, code="cyber", name_en="Cyber", name_es="Ciber", name_pt="Ciber", name_fr="Cyber"
    )
    assert list(HorizontalGoal.objects.values_list("code", flat=True))[-1] == "cyber"
    services.horizontal_goal_move(actor=admin, goal=goal, up=True)
    assert list(HorizontalGoal.objects.values_list("code", flat=True))[-2] == "cyber"
    services.horizontal_goal_update(
        actor=admin, goal=goal, expected_version=goal.lock_version, name_fr="Cybercriminalité", active=False
    )
    goal.refresh_from_db()
    assert (goal.name_fr, goal.active) == ("Cybercriminalité", False)


def test_an_action_plan_lasts_the_committees_period_within_the_cycle(policy: SimpleNamespace) -> None:
    priority = policy.priorities[0]
    start = policy.cycle.starts_on
    plan = services.action_plan_create(
        actor=secretariat(policy), priority=priority, title="OAP", starts_on=start
    )
    assert plan.ends_on == services.period_end(start, policy.committee.action_plan_years)
    with pytest.raises(ValidationError) as error:
        services.action_plan_create(
            actor=secretariat(policy),
            priority=priority,
            title="Too long",
            starts_on=start,
            ends_on=start + dt.timedelta(days=3 * 366),
        )
    assert "ends_on" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.action_plan_create(
            actor=secretariat(policy),
            priority=priority,
            title="Outside",
            starts_on=start - dt.timedelta(days=30),
        )
    assert "within the cycle" in error.value.message_dict["ends_on"][0]


def test_an_action_with_kpis_actors_and_results(policy: SimpleNamespace) -> None:
    plan = policy.plans[0]
    action = services.action_create(
        actor=secretariat(policy),
        plan=plan,
        code="TC-P1-OA9",
        title="Container controls (synthetic)",
        leader_state=policy.world.arg,
        starts_on=dt.date(plan.starts_on.year, 4, 1),
        ends_on=dt.date(plan.starts_on.year, 9, 30),
        budget=Decimal("5000"),
        currency="usd",
        funding_source="Donor (synthetic)",
        kpis=[{"code": "K1", "name": "Containers checked", "unit": KpiUnit.COUNT, "target": Decimal(50)}],
        actors=[{"role": ActorRole.PARTNER, "organisation": policy.ameripol}],
        results=[{"kind": ResultKind.ARRESTS, "quantity": Decimal(3)}],
    )
    assert action.currency == "USD"
    assert (action.kpis.count(), action.actors.count(), action.results.count()) == (1, 1, 1)


def test_an_action_ending_before_it_starts_is_refused_and_nothing_saved(policy: SimpleNamespace) -> None:
    plan = policy.plans[0]
    with pytest.raises(ValidationError) as error:
        services.action_create(
            actor=secretariat(policy),
            plan=plan,
            code="TC-BAD",
            title="Backwards (synthetic)",
            leader_state=policy.world.arg,
            starts_on=dt.date(plan.starts_on.year, 9, 1),
            ends_on=dt.date(plan.starts_on.year, 8, 1),
        )
    assert "cannot end before it starts" in error.value.message_dict["ends_on"][0]
    assert not OperationalAction.objects.filter(code="TC-BAD").exists()


def test_a_bad_kpi_rolls_back_the_whole_action(policy: SimpleNamespace) -> None:
    plan = policy.plans[0]
    with pytest.raises(ValidationError) as error:
        services.action_create(
            actor=secretariat(policy),
            plan=plan,
            code="TC-KPI",
            title="Bad KPI (synthetic)",
            leader_state=policy.world.arg,
            starts_on=dt.date(plan.starts_on.year, 4, 1),
            ends_on=dt.date(plan.starts_on.year, 5, 1),
            kpis=[{"code": "K1", "name": "Flat", "unit": KpiUnit.COUNT, "baseline": 5, "target": 5}],
        )
    assert "kpis[1].target" in error.value.message_dict
    assert not OperationalAction.objects.filter(code="TC-KPI").exists()


def test_a_stale_action_edit_is_refused(policy: SimpleNamespace) -> None:
    action = policy.actions[0]
    version = action.lock_version
    services.action_update(actor=secretariat(policy), action=action, expected_version=version, title="New")
    stale = OperationalAction.objects.get(pk=action.pk)
    with pytest.raises(StaleEdit):
        services.action_update(
            actor=secretariat(policy), action=stale, expected_version=version, title="Lost"
        )
    assert OperationalAction.objects.get(pk=action.pk).title == "New"


def test_a_goal_of_another_priority_is_refused(policy: SimpleNamespace) -> None:
    other_goal = StrategicGoal.objects.filter(plan__priority=policy.priorities[1]).first()
    with pytest.raises(ValidationError) as error:
        services.action_update(
            actor=secretariat(policy), action=policy.actions[0], expected_version=None, goal=other_goal
        )
    assert "goal" in error.value.message_dict
