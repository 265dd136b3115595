"""What the progress dashboards show, read for one viewer: the rollup (action -> plan -> priority ->
cycle), counts by status, KPI attainment from the reports the viewer may read, the timeline of the
actions (a Gantt chart drawn as SVG beside a table of the same data) and overdue reports.

The actions' own status and progress are summary data every member reads (they drive the rollup);
a report's narrative and KPI values follow the report's policy (docs/policy/progress.md)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery

from ceiba.common.access import Action, restrict

from . import rollup
from .choices import ActionStatus
from .models import Kpi, KpiValue, OperationalAction, OperationalActionPlan, Priority
from .progress_schedule import Schedule
from .progress_services import action_schedule, with_latest_report

#: Height of one Gantt row and the chart's width, in SVG units.
ROW_HEIGHT = 24
CHART_WIDTH = 1000
LABEL_WIDTH = 0


@dataclass
class ActionRow:
    action: OperationalAction
    schedule: Schedule
    latest_period_end: dt.date | None
    x: float = 0.0
    width: float = 0.0
    y: int = 0


@dataclass
class KpiRow:
    kpi: Kpi
    value: Any
    attainment: float | None


@dataclass
class Dashboard:
    """Everything a dashboard page (or the rollup API) shows."""

    tree: rollup.Node
    labels: dict[str, str]
    actions: list[ActionRow]
    status_counts: list[tuple[str, str, int]]
    kpis: list[KpiRow]
    start: dt.date | None
    end: dt.date | None
    today_x: float | None
    chart_height: int
    overdue: list[ActionRow] = field(default_factory=list)


def _actions(user: Any, plans: Sequence[OperationalActionPlan]) -> QuerySet[OperationalAction, Any]:
    return with_latest_report(
        restrict(OperationalAction, user, Action.VIEW)
        .filter(plan__in=[plan.pk for plan in plans])
        .select_related("plan", "plan__priority", "leader_state", "leader_organisation")
        .order_by("plan__priority__code", "plan__starts_on", "code")
    )


def with_visible_actual(kpis: QuerySet[Kpi, Any], user: Any) -> QuerySet[Kpi, Any]:
    """Annotate `visible_actual`: each KPI's latest value among the progress reports `user` may
    read. Pages and the API show it instead of the stored `actual`, which comes from every report
    (a report shared with the secretariat only would otherwise reach every member through it)."""
    latest = (
        restrict(KpiValue, user, Action.VIEW)
        .filter(kpi=OuterRef("pk"))
        .order_by("-report__period_end", "-report_id")
        .values("value")[:1]
    )
    return kpis.annotate(visible_actual=Subquery(latest))


def visible_kpis(user: Any, actions: Sequence[OperationalAction]) -> list[KpiRow]:
    """Each KPI of the actions with its latest value among the reports the viewer may read."""
    kpis = list(Kpi.objects.filter(action__in=[a.pk for a in actions]).select_related("action"))
    latest: dict[int, Decimal] = {}
    values = (
        restrict(KpiValue, user, Action.VIEW)
        .filter(kpi__in=[k.pk for k in kpis])
        .order_by("kpi_id", "-report__period_end")
        .values_list("kpi_id", "value")
    )
    for kpi_id, reported in values:
        latest.setdefault(kpi_id, reported)
    rows = []
    for kpi in kpis:
        value = latest.get(kpi.pk)
        attainment = None
        if value is not None and kpi.target != kpi.baseline:
            share = float((value - kpi.baseline) / (kpi.target - kpi.baseline))
            attainment = max(0.0, min(1.0, share)) * 100
        rows.append(KpiRow(kpi, value, attainment))
    return rows


def dashboard(
    user: Any,
    *,
    key: str,
    priorities: Sequence[Priority],
    plans: Sequence[OperationalActionPlan],
    today: dt.date,
) -> Dashboard:
    """The dashboard over `plans` (grouped under `priorities`) as `user` sees it."""
    actions = list(_actions(user, plans))
    by_plan: dict[int, list[OperationalAction]] = {}
    for action in actions:
        by_plan.setdefault(action.plan_id, []).append(action)
    labels: dict[str, str] = {key: key}
    inputs = []
    for priority in priorities:
        labels[f"priority:{priority.pk}"] = str(priority)
        plan_inputs = []
        for plan in plans:
            if plan.priority_id != priority.pk:
                continue
            labels[f"plan:{plan.pk}"] = str(plan)
            action_inputs = []
            for action in by_plan.get(plan.pk, []):
                labels[f"action:{action.pk}"] = str(action)
                action_inputs.append(
                    rollup.ActionInput(
                        f"action:{action.pk}", action.progress, float(action.weight), action.status
                    )
                )
            plan_inputs.append(rollup.PlanInput(f"plan:{plan.pk}", action_inputs))
        inputs.append(rollup.PriorityInput(f"priority:{priority.pk}", float(priority.weight), plan_inputs))
    tree = rollup.cycle_node(key, inputs)
    rows = [
        ActionRow(a, action_schedule(a, today, a.latest_period_end), a.latest_period_end) for a in actions
    ]
    start = min((a.starts_on for a in actions), default=None)
    end = max((a.ends_on for a in actions), default=None)
    today_x = None
    if start and end:
        span = max(1, (end - start).days)
        for index, row in enumerate(rows):
            row.x = round(CHART_WIDTH * (row.action.starts_on - start).days / span, 1)
            row.width = round(
                max(2.0, CHART_WIDTH * (row.action.ends_on - row.action.starts_on).days / span), 1
            )
            row.y = index * ROW_HEIGHT
        if start <= today <= end:
            today_x = round(CHART_WIDTH * (today - start).days / span, 1)
    counts = Counter(a.status for a in actions)
    status_counts = [(str(value), str(label), counts.get(value, 0)) for value, label in ActionStatus.choices]
    return Dashboard(
        tree=tree,
        labels=labels,
        actions=rows,
        status_counts=status_counts,
        kpis=visible_kpis(user, actions),
        start=start,
        end=end,
        today_x=today_x,
        chart_height=max(1, len(rows)) * ROW_HEIGHT,
        overdue=[row for row in rows if row.schedule.is_overdue],
    )


def flat_tree(node: rollup.Node, labels: dict[str, str], depth: int = 0) -> list[dict[str, Any]]:
    """The rollup tree as rows for a table (depth 0 = the whole)."""
    rows = [
        {
            "key": node.key,
            "label": labels.get(node.key, node.key),
            "depth": depth,
            "level": node.key.split(":", 1)[0] if ":" in node.key else "whole",
            "progress": None if node.progress is None else round(node.progress, 1),
            "weight": node.weight,
        }
    ]
    for child in node.children:
        rows += flat_tree(child, labels, depth + 1)
    return rows


def api_tree(node: rollup.Node, labels: dict[str, str]) -> dict[str, Any]:
    """The rollup as nested data for the API: level, id, label, progress, weight, children."""
    level, _sep, ident = node.key.partition(":")
    return {
        "level": level if ident else "cycle",
        "id": int(ident) if ident.isdigit() else None,
        "label": labels.get(node.key, node.key),
        "progress": None if node.progress is None else round(node.progress, 1),
        "weight": round(node.weight, 2),
        "children": [api_tree(child, labels) for child in node.children],
    }
