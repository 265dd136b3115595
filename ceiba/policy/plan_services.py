"""Writes of the policy cycle's plans (issue 5, items 3–5): cycles, priorities (adopted from an
assessment run's handed-over recommended priorities or by the committee's own decision), strategic
plans and their goals, the configurable horizontal goals, operational action plans and their actions
with KPIs, actors and results.

Every service checks who may act (the secretariat; horizontal goals: its administrator), validates
with `full_clean`, writes in one transaction with an audit row, and saves records people edit
concurrently through `save_versioned` (a stale `expected_version` raises `StaleEdit`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ceiba.assessment.choices import PriorityListStatus
from ceiba.assessment.models import AssessmentRun, RecommendedPriority
from ceiba.common import audit
from ceiba.common.access import Action, access_object, principal_for, require_secretariat
from ceiba.common.locking import VersionedModel, save_versioned
from ceiba.common.models import AuditAction
from ceiba.core.choices import Role
from ceiba.core.models import State

from .choices import CycleStatus, DecisionStatus, PlanStatus, PriorityOrigin
from .models import (
    ActionActor,
    ActionResult,
    Committee,
    Decision,
    HorizontalGoal,
    Kpi,
    OperationalAction,
    OperationalActionPlan,
    PolicyCycle,
    Priority,
    StrategicGoal,
    StrategicPlan,
)

M = TypeVar("M", bound=models.Model)

# --------------------------------------------------------------------------------------------------
# Who may write (cycles, priorities and plans: the secretariat, `access.is_secretariat`)

#: Why cycles, priorities and plans are not someone else's to write.
SECRETARIAT_ONLY = gettext_lazy("Only the secretariat writes the policy cycle's plans.")


def may_configure_goals(user: Any) -> bool:
    """The secretariat administrator configures the horizontal goals."""
    principal = principal_for(user)
    return principal.authenticated and principal.has_role(Role.SECRETARIAT_ADMIN)


def _check_configurator(actor: Any) -> None:
    if not may_configure_goals(actor):
        raise PermissionDenied(_("Only the secretariat administrator configures the horizontal goals."))


# --------------------------------------------------------------------------------------------------
# Helpers


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def period_end(starts_on: dt.date, years: int) -> dt.date:
    """The last day of a period of `years` years starting on `starts_on` (2026-01-01, 4 → 2029-12-31)."""
    return _add_years(starts_on, years) - dt.timedelta(days=1)


def _changes(obj: models.Model, values: Mapping[str, Any]) -> dict[str, list[str]]:
    return {
        name: [str(getattr(obj, name)), str(value)]
        for name, value in values.items()
        if getattr(obj, name) != value
    }


def _apply(obj: M, values: Mapping[str, Any], allowed: Iterable[str]) -> dict[str, list[str]]:
    allowed = set(allowed)
    unknown = set(values) - allowed
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %(names)s") % {"names": sorted(unknown)}
        )
    changes = _changes(obj, values)
    for name, value in values.items():
        setattr(obj, name, value)
    return changes


def _save_new(obj: M, actor: Any, **extra: Any) -> M:
    obj.full_clean()
    obj.save()
    audit.record(AuditAction.CREATE, obj=obj, actor=actor, changes=extra or None)
    return obj


def _save_versioned(
    obj: VersionedModel, actor: Any, expected_version: int | None, changes: dict[str, Any]
) -> None:
    obj.full_clean()
    save_versioned(obj, expected_version=expected_version)
    audit.record(AuditAction.UPDATE, obj=obj, actor=actor, changes=changes)


def _check_decision(decision: Decision | None, committee: Committee, name: str = "decision") -> None:
    if decision is None:
        return
    if decision.meeting.committee_id != committee.pk:
        raise ValidationError({name: _("The decision must be one of this committee's.")})
    if decision.status != DecisionStatus.ADOPTED:
        raise ValidationError({name: _("Only an adopted decision adopts priorities and plans.")})


def committee_member_ids(cycle: PolicyCycle) -> set[int]:
    """States that may drive a priority of the cycle: members at its start or today."""
    committee = cycle.committee
    return committee.member_state_ids(cycle.starts_on) | committee.member_state_ids(timezone.localdate())


def _check_drivers(cycle: PolicyCycle, driver: State | None, co_drivers: Iterable[State]) -> None:
    members = committee_member_ids(cycle)
    errors: dict[str, Any] = {}
    if driver is not None and driver.pk not in members:
        errors["driver"] = _("%(state)s is not a member state of the committee.") % {"state": driver}
    outsiders = [str(state) for state in co_drivers if state.pk not in members]
    if outsiders:
        errors["co_drivers"] = _("Not member states of the committee: %(states)s.") % {
            "states": ", ".join(outsiders)
        }
    elif driver is not None and any(state.pk == driver.pk for state in co_drivers):
        errors["co_drivers"] = _("The driver state is not also a co-driver.")
    if errors:
        raise ValidationError(errors)


def _within(starts_on: dt.date, ends_on: dt.date, outer_start: dt.date, outer_end: dt.date) -> bool:
    return outer_start <= starts_on and ends_on <= outer_end


# --------------------------------------------------------------------------------------------------
# Cycles


def cycle_create(
    *,
    actor: Any,
    committee: Committee,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    assessment_run: AssessmentRun | None = None,
    previous: PolicyCycle | None = None,
    status: str = CycleStatus.PLANNING,
) -> PolicyCycle:
    """Open a policy cycle of the committee; it lasts `committee.cycle_years` unless `ends_on` says
    otherwise. The assessment run that fed it must be one the actor may read."""
    require_secretariat(actor, SECRETARIAT_ONLY)
    if assessment_run is not None:
        assessment_run = access_object(AssessmentRun, actor, Action.VIEW, pk=assessment_run.pk)
    if previous is not None and previous.committee_id != committee.pk:
        raise ValidationError({"previous": _("The previous cycle must be one of this committee's.")})
    cycle = PolicyCycle(
        committee=committee,
        name=name.strip(),
        starts_on=starts_on,
        ends_on=ends_on or period_end(starts_on, committee.cycle_years),
        assessment_run=assessment_run,
        previous=previous,
        status=status,
    )
    with transaction.atomic():
        return _save_new(cycle, actor)


CYCLE_FIELDS = ("name", "starts_on", "ends_on", "status", "assessment_run", "previous")


def cycle_update(
    *, actor: Any, cycle: PolicyCycle, expected_version: int | None, **values: Any
) -> PolicyCycle:
    """Change a cycle's name, dates, status or links; refused if somebody saved it since
    `expected_version`."""
    require_secretariat(actor, SECRETARIAT_ONLY)
    run = values.get("assessment_run")
    if run is not None:
        values["assessment_run"] = access_object(AssessmentRun, actor, Action.VIEW, pk=run.pk)
    previous = values.get("previous")
    if previous is not None and (previous.pk == cycle.pk or previous.committee_id != cycle.committee_id):
        raise ValidationError({"previous": _("The previous cycle must be another cycle of this committee.")})
    with transaction.atomic():
        changes = _apply(cycle, values, CYCLE_FIELDS)
        _save_versioned(cycle, actor, expected_version, changes)
    return cycle


# --------------------------------------------------------------------------------------------------
# Priorities


def _next_code(cycle: PolicyCycle, taken: set[str]) -> str:
    number = cycle.priorities.count() + 1
    while f"P{number}" in taken:
        number += 1
    return f"P{number}"


def priority_create(
    *,
    actor: Any,
    cycle: PolicyCycle,
    title: str,
    driver: State,
    co_drivers: Sequence[State] = (),
    code: str = "",
    description: str = "",
    rationale: str = "",
    crime_area: Any = None,
    decision: Decision | None = None,
    weight: Decimal | int = 1,
) -> Priority:
    """A priority adopted by the committee's own decision (not from an assessment)."""
    require_secretariat(actor, SECRETARIAT_ONLY)
    _check_decision(decision, cycle.committee)
    _check_drivers(cycle, driver, co_drivers)
    taken = set(cycle.priorities.values_list("code", flat=True))
    priority = Priority(
        cycle=cycle,
        code=code.strip() or _next_code(cycle, taken),
        title=title.strip(),
        description=description,
        rationale=rationale,
        crime_area=crime_area,
        origin=PriorityOrigin.COMMITTEE,
        decision=decision,
        driver=driver,
        weight=Decimal(weight),
    )
    with transaction.atomic():
        _save_new(priority, actor)
        priority.co_drivers.set(co_drivers)
    return priority


@dataclass
class Adoption:
    """One recommended priority the committee adopted: its driver, co-drivers and (edited)
    rationale; an empty rationale or title keeps the recommended one."""

    recommended: RecommendedPriority
    driver: State
    co_drivers: Sequence[State] = field(default_factory=list)
    code: str = ""
    title: str = ""
    rationale: str = ""


def adoptable_run(actor: Any, run_pk: int) -> AssessmentRun:
    """The run to adopt from, read through the access policy (404 when not visible); a clear error
    unless its priorities were handed over to the committee."""
    run = access_object(AssessmentRun, actor, Action.VIEW, pk=run_pk)
    if run.priorities_status != PriorityListStatus.HANDED_OVER:
        raise ValidationError(
            {
                "run": _(
                    "The recommended priorities of “%(run)s” have not been handed over to the committee "
                    "(their list is %(status)s): the secretariat hands them over first."
                )
                % {"run": run.title, "status": run.get_priorities_status_display().lower()}
            }
        )
    return run


def priorities_adopt(
    *,
    actor: Any,
    cycle: PolicyCycle,
    run: AssessmentRun,
    adoptions: Sequence[Adoption],
    decision: Decision | None = None,
) -> list[Priority]:
    """Adopt some of a run's handed-over recommended priorities as priorities of the cycle: each
    keeps the link to its recommended priority and a copy of its rationale. All or nothing."""
    require_secretariat(actor, SECRETARIAT_ONLY)
    run = adoptable_run(actor, run.pk)
    _check_decision(decision, cycle.committee)
    if not adoptions:
        raise ValidationError({"adoptions": _("Choose at least one recommended priority.")})
    already = set(
        cycle.priorities.exclude(recommended_priority=None).values_list("recommended_priority_id", flat=True)
    )
    taken = set(cycle.priorities.values_list("code", flat=True))
    created: list[Priority] = []
    with transaction.atomic():
        for index, adoption in enumerate(adoptions, start=1):
            recommended = adoption.recommended
            label = str(recommended.crime_area)
            try:
                if recommended.run_id != run.pk:
                    raise ValidationError(
                        {"recommended_priority": _("It is not a recommended priority of this run.")}
                    )
                if recommended.pk in already:
                    raise ValidationError(
                        {"recommended_priority": _("The cycle has already adopted this priority.")}
                    )
                _check_drivers(cycle, adoption.driver, adoption.co_drivers)
                code = adoption.code.strip() or _next_code(cycle, taken)
                if code in taken:
                    raise ValidationError(
                        {"code": _("Another priority of the cycle has code %(code)s.") % {"code": code}}
                    )
                priority = Priority(
                    cycle=cycle,
                    code=code,
                    title=adoption.title.strip() or label,
                    crime_area=recommended.crime_area,
                    origin=PriorityOrigin.ASSESSMENT,
                    recommended_priority=recommended,
                    rationale=adoption.rationale.strip() or recommended.rationale,
                    decision=decision,
                    driver=adoption.driver,
                )
                priority.full_clean()
            except ValidationError as error:
                raise ValidationError(
                    {
                        name: [f"{index}. {label}: {message}" for message in messages]
                        for name, messages in error.message_dict.items()
                    }
                ) from error
            priority.save()
            priority.co_drivers.set(adoption.co_drivers)
            audit.record(
                AuditAction.CREATE,
                obj=priority,
                actor=actor,
                changes={"adopted_from": {"run": run.pk, "recommended_priority": recommended.pk}},
            )
            already.add(recommended.pk)
            taken.add(code)
            created.append(priority)
    return created


PRIORITY_FIELDS = ("code", "title", "description", "rationale", "crime_area", "decision", "driver", "weight")


def priority_update(
    *,
    actor: Any,
    priority: Priority,
    expected_version: int | None,
    co_drivers: Sequence[State] | None = None,
    **values: Any,
) -> Priority:
    """Edit a priority (its rationale, driver, co-drivers...); refused if somebody saved it since
    `expected_version`."""
    require_secretariat(actor, SECRETARIAT_ONLY)
    cycle = priority.cycle
    if "decision" in values:
        _check_decision(values["decision"], cycle.committee)
    driver = values.get("driver", priority.driver)
    _check_drivers(cycle, driver, co_drivers if co_drivers is not None else list(priority.co_drivers.all()))
    with transaction.atomic():
        changes = _apply(priority, values, PRIORITY_FIELDS)
        if co_drivers is not None:
            changes["co_drivers"] = [str(state) for state in co_drivers]
        _save_versioned(priority, actor, expected_version, changes)
        if co_drivers is not None:
            priority.co_drivers.set(co_drivers)
    return priority


# --------------------------------------------------------------------------------------------------
# Horizontal goals


HORIZONTAL_GOAL_FIELDS = ("name_en", "name_es", "name_pt", "name_fr", "active", "order")


def horizontal_goal_create(
    *,
    actor: Any,
    code: str,
    name_en: str,
    name_es: str,
    name_pt: str,
    name_fr: str,
    order: int | None = None,
    active: bool = True,
) -> HorizontalGoal:
    """Add a horizontal goal (last in the order unless `order` says otherwise), named in the four
    languages."""
    _check_configurator(actor)
    if order is None:
        order = (HorizontalGoal.objects.aggregate(last=Max("order"))["last"] or 0) + 10
    goal = HorizontalGoal(
        code=code.strip(),
        name_en=name_en.strip(),
        name_es=name_es.strip(),
        name_pt=name_pt.strip(),
        name_fr=name_fr.strip(),
        order=order,
        active=active,
    )
    with transaction.atomic():
        return _save_new(goal, actor)


def horizontal_goal_update(
    *, actor: Any, goal: HorizontalGoal, expected_version: int | None, **values: Any
) -> HorizontalGoal:
    """Rename a horizontal goal in the four languages, (de)activate it or set its place; refused if
    somebody saved it since `expected_version`."""
    _check_configurator(actor)
    with transaction.atomic():
        changes = _apply(goal, values, HORIZONTAL_GOAL_FIELDS)
        _save_versioned(goal, actor, expected_version, changes)
    return goal


def horizontal_goal_move(*, actor: Any, goal: HorizontalGoal, up: bool) -> HorizontalGoal:
    """Move a horizontal goal one place up or down; the order is renumbered 10, 20, 30... A move
    leaves the goals' `lock_version` alone: it changes no field of the edit form (names, active), so
    it should not refuse somebody's rename made at the same time."""
    _check_configurator(actor)
    with transaction.atomic():
        goals = list(HorizontalGoal.objects.select_for_update().order_by("order", "code"))
        index = next(i for i, item in enumerate(goals) if item.pk == goal.pk)
        other = index - 1 if up else index + 1
        if 0 <= other < len(goals):
            goals[index], goals[other] = goals[other], goals[index]
        for position, item in enumerate(goals, start=1):
            if item.order != position * 10:
                item.order = position * 10
                item.save(update_fields=["order"])
        audit.record(AuditAction.UPDATE, obj=goal, actor=actor, changes={"moved": "up" if up else "down"})
    goal.refresh_from_db()
    return goal


# --------------------------------------------------------------------------------------------------
# Strategic plans and goals


def strategic_plan_create(
    *,
    actor: Any,
    priority: Priority,
    title: str,
    summary: str = "",
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    status: str = PlanStatus.DRAFT,
    decision: Decision | None = None,
    horizontal_goals: Iterable[HorizontalGoal] = (),
) -> StrategicPlan:
    """The strategic plan of a priority (one per priority), by default over the whole cycle, with
    a strategic goal for each chosen (active) horizontal goal."""
    require_secretariat(actor, SECRETARIAT_ONLY)
    cycle = priority.cycle
    if StrategicPlan.objects.filter(priority=priority).exists():
        raise ValidationError({"priority": _("This priority already has its strategic plan.")})
    _check_decision(decision, cycle.committee)
    plan = StrategicPlan(
        priority=priority,
        title=title.strip(),
        summary=summary,
        starts_on=starts_on or cycle.starts_on,
        ends_on=ends_on or cycle.ends_on,
        status=status,
        decision=decision,
    )
    if (
        plan.starts_on
        and plan.ends_on
        and not _within(plan.starts_on, plan.ends_on, cycle.starts_on, cycle.ends_on)
    ):
        raise ValidationError(
            {
                "ends_on": _("The plan must lie within the cycle (%(start)s – %(end)s).")
                % {"start": cycle.starts_on, "end": cycle.ends_on}
            }
        )
    goals = [goal for goal in horizontal_goals if goal.active]
    with transaction.atomic():
        _save_new(plan, actor)
        for number, goal in enumerate(goals, start=1):
            _save_new(
                StrategicGoal(plan=plan, code=f"H{number}", title=goal.name_en, horizontal_goal=goal), actor
            )
    return plan


STRATEGIC_PLAN_FIELDS = ("title", "summary", "starts_on", "ends_on", "status", "decision")


def strategic_plan_update(
    *, actor: Any, plan: StrategicPlan, expected_version: int | None, **values: Any
) -> StrategicPlan:
    """Edit a strategic plan; refused if somebody saved it since `expected_version`."""
    require_secretariat(actor, SECRETARIAT_ONLY)
    cycle = plan.priority.cycle
    if "decision" in values:
        _check_decision(values["decision"], cycle.committee)
    with transaction.atomic():
        changes = _apply(plan, values, STRATEGIC_PLAN_FIELDS)
        if not _within(plan.starts_on, plan.ends_on, cycle.starts_on, cycle.ends_on):
            raise ValidationError(
                {
                    "ends_on": _("The plan must lie within the cycle (%(start)s – %(end)s).")
                    % {"start": cycle.starts_on, "end": cycle.ends_on}
                }
            )
        _save_versioned(plan, actor, expected_version, changes)
    return plan


def _check_goal_code(plan: StrategicPlan, code: str, goal: StrategicGoal | None = None) -> None:
    others = StrategicGoal.objects.filter(plan=plan, code=code)
    if goal is not None:
        others = others.exclude(pk=goal.pk)
    if others.exists():
        raise ValidationError({"code": _("Another goal of this plan has code %(code)s.") % {"code": code}})


def goal_create(
    *,
    actor: Any,
    plan: StrategicPlan,
    code: str,
    title: str,
    description: str = "",
    horizontal_goal: HorizontalGoal | None = None,
) -> StrategicGoal:
    """Add a strategic goal to a plan."""
    require_secretariat(actor, SECRETARIAT_ONLY)
    _check_goal_code(plan, code.strip())
    goal = StrategicGoal(
        plan=plan,
        code=code.strip(),
        title=title.strip(),
        description=description,
        horizontal_goal=horizontal_goal,
    )
    with transaction.atomic():
        return _save_new(goal, actor)


def goal_update(
    *, actor: Any, goal: StrategicGoal, expected_version: int | None, **values: Any
) -> StrategicGoal:
    """Edit a strategic goal's code, title, description or horizontal goal; refused if somebody
    saved it since `expected_version`."""
    require_secretariat(actor, SECRETARIAT_ONLY)
    if "code" in values:
        _check_goal_code(goal.plan, values["code"], goal)
    with transaction.atomic():
        changes = _apply(goal, values, ("code", "title", "description", "horizontal_goal"))
        _save_versioned(goal, actor, expected_version, changes)
    return goal


# --------------------------------------------------------------------------------------------------
# Operational action plans


def _check_action_plan_period(priority: Priority, starts_on: dt.date, ends_on: dt.date) -> None:
    cycle = priority.cycle
    years = cycle.committee.action_plan_years
    errors: dict[str, Any] = {}
    if not _within(starts_on, ends_on, cycle.starts_on, cycle.ends_on):
        errors["ends_on"] = _("The plan must lie within the cycle (%(start)s – %(end)s).") % {
            "start": cycle.starts_on,
            "end": cycle.ends_on,
        }
    elif ends_on > period_end(starts_on, years):
        errors["ends_on"] = _(
            "An operational action plan of this committee covers at most %(years)s year(s)."
        ) % {"years": years}
    if errors:
        raise ValidationError(errors)


def action_plan_create(
    *,
    actor: Any,
    priority: Priority,
    title: str,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    reporting_months: int = 6,
    status: str = PlanStatus.DRAFT,
    decision: Decision | None = None,
) -> OperationalActionPlan:
    """An operational action plan of a priority for one period (the committee's
    `action_plan_years`, unless `ends_on` ends it earlier), within the cycle."""
    require_secretariat(actor, SECRETARIAT_ONLY)
    cycle = priority.cycle
    _check_decision(decision, cycle.committee)
    ends_on = ends_on or min(period_end(starts_on, cycle.committee.action_plan_years), cycle.ends_on)
    plan = OperationalActionPlan(
        priority=priority,
        title=title.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        reporting_months=reporting_months,
        status=status,
        decision=decision,
    )
    plan.full_clean()
    _check_action_plan_period(priority, starts_on, ends_on)
    with transaction.atomic():
        return _save_new(plan, actor)


ACTION_PLAN_FIELDS = ("title", "starts_on", "ends_on", "reporting_months", "status", "decision")


def action_plan_update(
    *, actor: Any, plan: OperationalActionPlan, expected_version: int | None, **values: Any
) -> OperationalActionPlan:
    """Edit an operational action plan; refused if somebody saved it since `expected_version`."""
    require_secretariat(actor, SECRETARIAT_ONLY)
    if "decision" in values:
        _check_decision(values["decision"], plan.priority.cycle.committee)
    with transaction.atomic():
        changes = _apply(plan, values, ACTION_PLAN_FIELDS)
        plan.full_clean()
        _check_action_plan_period(plan.priority, plan.starts_on, plan.ends_on)
        _save_versioned(plan, actor, expected_version, changes)
    return plan


# --------------------------------------------------------------------------------------------------
# Operational actions, their KPIs, actors and results


ACTION_FIELDS = (
    "code",
    "title",
    "description",
    "goal",
    "leader_state",
    "leader_organisation",
    "starts_on",
    "ends_on",
    "budget",
    "currency",
    "funding_source",
    "status",
    "weight",
)


def _check_action(action: OperationalAction) -> None:
    errors: dict[str, Any] = {}
    if action.goal_id is not None:
        goal_plan = action.goal.plan if action.goal else None
        if goal_plan is None or goal_plan.priority_id != action.plan.priority_id:
            errors["goal"] = _("The goal must be one of the strategic plan of the same priority.")
    if action.currency:
        action.currency = action.currency.strip().upper()
        if len(action.currency) != 3 or not action.currency.isalpha():
            errors["currency"] = _("Give the currency as its three-letter ISO 4217 code (e.g. USD).")
    if action.budget is not None and not action.currency:
        errors["currency"] = _("Give the currency of the budget.")
    if errors:
        raise ValidationError(errors)


def _clean_action(action: OperationalAction) -> None:
    try:
        action.full_clean()
    except ValidationError as error:
        own: dict[str, Any] = {}
        try:
            _check_action(action)
        except ValidationError as more:
            own = more.message_dict
        raise ValidationError({**own, **error.message_dict}) from error
    _check_action(action)


def action_create(
    *,
    actor: Any,
    plan: OperationalActionPlan,
    kpis: Sequence[Mapping[str, Any]] = (),
    actors: Sequence[Mapping[str, Any]] = (),
    results: Sequence[Mapping[str, Any]] = (),
    **values: Any,
) -> OperationalAction:
    """An operational action of a plan, with its KPIs, co-leaders/participants/partners and results
    (each a mapping of the model's fields). All or nothing."""
    require_secretariat(actor, SECRETARIAT_ONLY)
    unknown = set(values) - set(ACTION_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(names)s") % {"names": sorted(unknown)})
    action = OperationalAction(plan=plan, **values)
    _clean_action(action)
    with transaction.atomic():
        _save_new(action, actor)
        for index, data in enumerate(kpis, start=1):
            _child(Kpi(action=action, **data), actor, "kpis", index)
        for index, data in enumerate(actors, start=1):
            _child(ActionActor(action=action, **data), actor, "actors", index)
        for index, data in enumerate(results, start=1):
            _child(ActionResult(action=action, reported_by=actor, **data), actor, "results", index)
    return action


def _child(obj: M, actor: Any, group: str = "", index: int = 0) -> M:
    try:
        obj.full_clean()
    except ValidationError as error:
        if not group:
            raise
        raise ValidationError(
            {f"{group}[{index}].{name}": messages for name, messages in error.message_dict.items()}
        ) from error
    obj.save()
    audit.record(AuditAction.CREATE, obj=obj, actor=actor)
    return obj


def action_update(
    *, actor: Any, action: OperationalAction, expected_version: int | None, **values: Any
) -> OperationalAction:
    """Edit an action; refused if somebody saved it since `expected_version` (nothing is
    overwritten)."""
    require_secretariat(actor, SECRETARIAT_ONLY)
    with transaction.atomic():
        changes = _apply(action, values, ACTION_FIELDS)
        _clean_action(action)
        save_versioned(action, expected_version=expected_version)
        audit.record(AuditAction.UPDATE, obj=action, actor=actor, changes=changes)
    return action


def _touch(action: OperationalAction, expected_version: int | None) -> None:
    """A change of an action's KPIs, actors or results is a change of the action (its version)."""
    save_versioned(action, expected_version=expected_version, update_fields=["updated_at"])


def kpi_add(
    *, actor: Any, action: OperationalAction, expected_version: int | None = None, **values: Any
) -> Kpi:
    """Add a KPI (code, name, unit, direction, baseline, target) to an action."""
    require_secretariat(actor, SECRETARIAT_ONLY)
    with transaction.atomic():
        kpi = _child(Kpi(action=action, **values), actor)
        _touch(action, expected_version)
    return kpi


def kpi_update(*, actor: Any, kpi: Kpi, **values: Any) -> Kpi:
    """Edit a KPI's definition (its actual value comes from progress reports)."""
    require_secretariat(actor, SECRETARIAT_ONLY)
    if "unit" in values and values["unit"] != kpi.unit and kpi.values.exists():
        # The values were reported in the KPI's unit (the same message as for removing the KPI).
        raise ValidationError({"unit": _("Progress reports give values of this KPI: it stays.")})
    with transaction.atomic():
        changes = _apply(kpi, values, ("code", "name", "unit", "direction", "baseline", "target"))
        kpi.full_clean()
        kpi.save()
        audit.record(AuditAction.UPDATE, obj=kpi, actor=actor, changes=changes)
        _touch(kpi.action, None)
    return kpi


def actor_add(
    *, actor: Any, action: OperationalAction, expected_version: int | None = None, **values: Any
) -> ActionActor:
    """Add a co-leader, participant or international partner (a state, an agency or both)."""
    require_secretariat(actor, SECRETARIAT_ONLY)
    with transaction.atomic():
        item = _child(ActionActor(action=action, **values), actor)
        _touch(action, expected_version)
    return item


def result_add(
    *, actor: Any, action: OperationalAction, expected_version: int | None = None, **values: Any
) -> ActionResult:
    """Record a counted result of an action (arrests, seizures, people trained...)."""
    require_secretariat(actor, SECRETARIAT_ONLY)
    with transaction.atomic():
        item = _child(ActionResult(action=action, reported_by=actor, **values), actor)
        _touch(action, expected_version)
    return item


def child_remove(*, actor: Any, obj: Kpi | ActionActor | ActionResult) -> None:
    """Remove a KPI, an actor or a result of an action."""
    require_secretariat(actor, SECRETARIAT_ONLY)
    action = obj.action
    if isinstance(obj, Kpi) and obj.values.exists():
        raise ValidationError(_("Progress reports give values of this KPI: it stays."))
    with transaction.atomic():
        audit.record(AuditAction.DELETE, obj=obj, actor=actor)
        obj.delete()
        _touch(action, None)
