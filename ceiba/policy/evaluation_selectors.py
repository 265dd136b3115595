"""Gathers a cycle's evaluation facts through the access policy (what the viewer may read) and hands
them to the pure arithmetic of `evaluation`. A final evaluation's figures are the frozen ones."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.utils import timezone

from ceiba.common.access import Action, NotShared, access_object, is_secretariat, principal_for, restrict
from ceiba.core.models import Organisation, State

from . import evaluation
from .choices import ActorRole, EvaluationStatus
from .models import (
    ActionActor,
    Addressee,
    CycleEvaluation,
    Kpi,
    KpiValue,
    Lesson,
    OperationalAction,
    PolicyCycle,
    Priority,
    ProgressReport,
)
from .policies import is_member


def default_as_of(cycle: PolicyCycle) -> dt.date:
    return min(timezone.localdate(), cycle.ends_on)


def _actor(state: State | None, organisation: Organisation | None) -> evaluation.Actor | None:
    if state is None and organisation is not None:
        state = organisation.state
    if state is not None:
        return evaluation.Actor(state.iso3, state.english_name, "state")
    if organisation is not None:
        return evaluation.Actor(f"org:{organisation.pk}", organisation.acronym or organisation.name, "body")
    return None


def gather_facts(cycle: PolicyCycle, user: Any, as_of: dt.date | None = None) -> evaluation.EvaluationFacts:
    """The cycle's facts as `user` may read them (a fixed number of queries)."""
    priorities = list(
        restrict(Priority.objects.filter(cycle=cycle), user).order_by("code").values_list("code", "title")
    )
    actions = list(
        restrict(OperationalAction.objects.filter(plan__priority__cycle=cycle), user).select_related(
            "plan__priority", "leader_state", "leader_organisation__state"
        )
    )
    ids = [a.pk for a in actions]
    actors: dict[int, dict[str, list[evaluation.Actor]]] = defaultdict(lambda: defaultdict(list))
    for row in restrict(ActionActor.objects.filter(action_id__in=ids), user).select_related(
        "state", "organisation__state"
    ):
        actor = _actor(row.state, row.organisation)
        if actor is not None:
            role = "co_leaders" if row.role == ActorRole.CO_LEADER else "participants"
            actors[row.action_id][role].append(actor)
    action_facts = [
        evaluation.ActionFact(
            code=a.code,
            priority=a.plan.priority.code,
            status=a.status,
            starts_on=a.starts_on,
            ends_on=a.ends_on,
            plan_starts_on=a.plan.starts_on,
            reporting_months=a.plan.reporting_months,
            leader=_actor(a.leader_state, a.leader_organisation),
            co_leaders=actors[a.pk]["co_leaders"],
            participants=actors[a.pk]["participants"],
        )
        for a in actions
    ]
    code_of = {a.pk: a.code for a in actions}
    priority_of = {a.pk: a.plan.priority.code for a in actions}
    reports = restrict(ProgressReport.objects.filter(action_id__in=ids), user)
    report_rows = list(reports.values_list("action_id", "period_end", "created_at"))
    latest: dict[int, float] = {}
    for kpi_id, value in (
        restrict(KpiValue.objects.filter(kpi__action_id__in=ids), user)
        .order_by("report__period_end", "report_id")
        .values_list("kpi_id", "value")
    ):
        latest[kpi_id] = float(value)
    complete = is_secretariat(user)
    kpis = [
        evaluation.KpiFact(
            action=code_of[action_id],
            priority=priority_of[action_id],
            baseline=float(baseline),
            target=float(target),
            # The stored actual comes from every report: only the secretariat (which reads them
            # all) uses it; others count the values of the reports they may read.
            actual=float(actual) if complete and actual is not None else latest.get(pk),
        )
        for pk, action_id, baseline, target, actual in restrict(
            Kpi.objects.filter(action_id__in=ids), user
        ).values_list("pk", "action_id", "baseline", "target", "actual")
    ]
    addressees = [
        evaluation.AddresseeFact(recommendation=str(rec), status=status)
        for rec, status in restrict(Addressee.objects.filter(recommendation__cycle=cycle), user).values_list(
            "recommendation_id", "status"
        )
    ]
    lessons = [
        evaluation.LessonFact(title=title, text=text, recorded_on=timezone.localtime(created).date())
        for title, text, created in restrict(Lesson.objects.filter(cycle=cycle), user)
        .order_by("created_at", "pk")
        .values_list("title", "text", "created_at")
    ]
    return evaluation.EvaluationFacts(
        as_of=as_of or default_as_of(cycle),
        priorities=priorities,
        actions=action_facts,
        kpis=kpis,
        reports=[
            evaluation.ReportFact(code_of[action_id], period_end, timezone.localtime(created).date())
            for action_id, period_end, created in report_rows
        ],
        addressees=addressees,
        lessons=lessons,
        complete=complete,
    )


def cycle_figures(cycle: PolicyCycle, user: Any, as_of: dt.date | None = None) -> dict[str, Any]:
    """The cycle's figures computed now from what `user` may read."""
    return evaluation.compute(gather_facts(cycle, user, as_of))


def evaluation_of(cycle: PolicyCycle) -> CycleEvaluation | None:
    return CycleEvaluation.objects.filter(cycle=cycle).select_related("finalised_by").first()


def is_final(record: CycleEvaluation | None) -> bool:
    return record is not None and record.status == EvaluationStatus.FINAL


def may_read(cycle: PolicyCycle, user: Any) -> bool:
    """Members read a draft (or not yet started) evaluation; everyone reads a final one."""
    return is_final(evaluation_of(cycle)) or is_member(principal_for(user))


def visible_cycle(user: Any, pk: int) -> PolicyCycle:
    """The cycle whose evaluation `user` may read (NotShared, i.e. 404, otherwise)."""
    cycle = access_object(
        PolicyCycle.objects.select_related("committee", "previous", "assessment_run"),
        user,
        Action.VIEW,
        pk=pk,
    )
    if not may_read(cycle, user):
        raise NotShared
    return cycle


def next_cycle(cycle: PolicyCycle) -> PolicyCycle | None:
    return PolicyCycle.objects.filter(previous=cycle).first()


def evaluation_data(cycle: PolicyCycle, user: Any) -> dict[str, Any]:
    """What the page and the API show: status, figures (frozen once final), the previous cycle's
    final evaluation (it feeds this cycle) and the next cycle."""
    record = evaluation_of(cycle)
    final = is_final(record)
    figures = record.figures if final and record is not None else cycle_figures(cycle, user)
    previous = cycle.previous
    previous_record = evaluation_of(previous) if previous is not None else None
    following = next_cycle(cycle)
    return {
        "cycle": cycle,
        "evaluation": record,
        "final": final,
        "status": record.status if record is not None else EvaluationStatus.DRAFT,
        "summary": record.summary if record is not None else "",
        "figures": figures,
        "previous": previous,
        "previous_final": previous_record if is_final(previous_record) else None,
        "next": following,
    }
