"""The arithmetic of a cycle's evaluation (docs/policy/evaluation.md), without Django: plain facts in,
JSON-ready figures out. `evaluation_selectors` gathers the facts through the access policy.

- Actions: how many per status; the share completed is completed / all actions of the cycle.
- KPI attainment: per KPI, the share of the way from baseline to target reached by its latest actual
  (0–1, capped; it works for "lower is better" KPIs too); the mean over the KPIs with an actual, for
  the cycle and per priority.
- Participation per state (and per regional body): actions led, co-led and taken part in; progress
  reports filed, on time, late and missing. Reporting periods follow each plan's rhythm from its start
  (every `reporting_months`); a period is due for an action that is not planned or cancelled and that
  runs during it, `GRACE_DAYS` after the period's end (or the action's end, if earlier). A report
  belongs to the period its `period_end` falls in; it is on time when filed by that period's deadline.
- Recommendations: the addressees' implementation status (as validated by the secretariat), and the
  share implemented: implemented / (addressees − not applicable).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

#: Days after a reporting period's end by which its progress report is due.
GRACE_DAYS = 30
#: Version of the figures' layout (stored with frozen figures).
FIGURES_VERSION = 1

ACTION_STATUSES = ("planned", "ongoing", "completed", "to_be_continued", "not_completed", "cancelled")
NOT_DUE_STATUSES = frozenset({"planned", "cancelled"})
IMPLEMENTATION_STATUSES = (
    "not_started",
    "in_progress",
    "partially_implemented",
    "implemented",
    "not_applicable",
)


@dataclass(frozen=True)
class Actor:
    """A state (key: ISO3) or a body without a state (key: "org:<id>")."""

    key: str
    name: str
    kind: str  # "state" or "body"


@dataclass
class ActionFact:
    code: str
    priority: str
    status: str
    starts_on: dt.date
    ends_on: dt.date
    plan_starts_on: dt.date
    reporting_months: int
    leader: Actor | None
    co_leaders: list[Actor] = field(default_factory=list)
    participants: list[Actor] = field(default_factory=list)


@dataclass
class KpiFact:
    action: str
    priority: str
    baseline: float
    target: float
    actual: float | None


@dataclass
class ReportFact:
    action: str
    period_end: dt.date
    filed_on: dt.date


@dataclass
class AddresseeFact:
    recommendation: str
    status: str


@dataclass
class LessonFact:
    title: str
    text: str
    recorded_on: dt.date


@dataclass
class EvaluationFacts:
    as_of: dt.date
    priorities: list[tuple[str, str]]  # (code, title), in order
    actions: list[ActionFact]
    kpis: list[KpiFact]
    reports: list[ReportFact]
    addressees: list[AddresseeFact]
    lessons: list[LessonFact]
    complete: bool = True  # False when the viewer may not read every progress report


def share(part: float, whole: float) -> float | None:
    return None if not whole else round(part / whole, 4)


def attainment(baseline: float, target: float, actual: float | None) -> float | None:
    """Share of the way from baseline to target reached (0–1, capped); None without an actual."""
    if actual is None or target == baseline:
        return None
    return max(0.0, min(1.0, (actual - baseline) / (target - baseline)))


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return dt.date(year, month, 1) if day.day == 1 else dt.date(year, month, min(day.day, 28))


def reporting_periods(action: ActionFact, until: dt.date) -> list[tuple[dt.date, dt.date, dt.date]]:
    """(start, end, deadline) of the reporting periods an action runs in, from its plan's start up to
    `until` (periods starting after it are left out)."""
    periods = []
    start = action.plan_starts_on
    months = max(1, action.reporting_months)
    while start <= min(action.ends_on, until):
        nxt = add_months(start, months)
        end = nxt - dt.timedelta(days=1)
        if end >= action.starts_on:
            deadline = min(end, action.ends_on) + dt.timedelta(days=GRACE_DAYS)
            periods.append((start, end, deadline))
        start = nxt
    return periods


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


def compute(facts: EvaluationFacts) -> dict[str, Any]:
    """The evaluation's figures (a JSON-ready dict; see the module's docstring)."""
    by_status = Counter(a.status for a in facts.actions)
    total = len(facts.actions)

    # KPI attainment, for the cycle and per priority.
    values: dict[str, list[float]] = defaultdict(list)
    everything: list[float] = []
    without: Counter[str] = Counter()
    for kpi in facts.kpis:
        value = attainment(kpi.baseline, kpi.target, kpi.actual)
        if value is None:
            without[kpi.priority] += 1
            continue
        values[kpi.priority].append(value)
        everything.append(value)

    # Participation and reporting.
    actors: dict[str, Actor] = {}
    rows: dict[str, Counter[str]] = defaultdict(Counter)
    for action in facts.actions:
        for role, people in (
            ("led", [action.leader] if action.leader else []),
            ("co_led", action.co_leaders),
            ("participated", action.participants),
        ):
            for actor in {p.key: p for p in people}.values():
                actors[actor.key] = actor
                rows[actor.key][role] += 1
    reports_by_action: dict[str, list[ReportFact]] = defaultdict(list)
    for report in facts.reports:
        reports_by_action[report.action].append(report)
    reporting: Counter[str] = Counter()
    for action in facts.actions:
        periods = reporting_periods(action, facts.as_of)
        leader = action.leader.key if action.leader else None
        filed_periods = set()
        for report in reports_by_action.get(action.code, []):
            period = next((p for p in periods if p[0] <= report.period_end <= p[1]), None)
            deadline = (
                period[2]
                if period
                else min(report.period_end, action.ends_on) + dt.timedelta(days=GRACE_DAYS)
            )
            if period:
                filed_periods.add(period[0])
            kind = "on_time" if report.filed_on <= deadline else "late"
            reporting[kind] += 1
            if leader:
                rows[leader]["reports_filed"] += 1
                rows[leader][kind] += 1
        if action.status in NOT_DUE_STATUSES:
            continue
        for start, _end, deadline in periods:
            if deadline > facts.as_of:
                continue
            reporting["due"] += 1
            if start not in filed_periods:
                reporting["missing"] += 1
                if leader:
                    rows[leader]["missing"] += 1
    participation = [
        {
            "key": key,
            "name": actors[key].name,
            "kind": actors[key].kind,
            **{
                name: rows[key][name]
                for name in ("led", "co_led", "participated", "reports_filed", "on_time", "late", "missing")
            },
        }
        for key in sorted(actors, key=lambda k: (actors[k].kind != "state", actors[k].name))
    ]

    # Recommendations.
    statuses = Counter(a.status for a in facts.addressees)
    applicable = len(facts.addressees) - statuses["not_applicable"]

    priorities = []
    for code, title in facts.priorities:
        actions = [a for a in facts.actions if a.priority == code]
        done = sum(1 for a in actions if a.status == "completed")
        priorities.append(
            {
                "code": code,
                "title": title,
                "actions": len(actions),
                "completed": done,
                "completed_share": share(done, len(actions)),
                "kpis_measured": len(values[code]),
                "kpis_without_value": without[code],
                "kpi_attainment": _mean(values[code]),
            }
        )
    return {
        "version": FIGURES_VERSION,
        "as_of": facts.as_of.isoformat(),
        "complete": facts.complete,
        "actions": {
            "total": total,
            "by_status": {status: by_status[status] for status in ACTION_STATUSES},
            "completed": by_status["completed"],
            "completed_share": share(by_status["completed"], total),
        },
        "kpis": {
            "total": len(facts.kpis),
            "measured": len(everything),
            "without_value": len(facts.kpis) - len(everything),
            "mean_attainment": _mean(everything),
        },
        "priorities": priorities,
        "reporting": {
            "due": reporting["due"],
            "filed": reporting["on_time"] + reporting["late"],
            "on_time": reporting["on_time"],
            "late": reporting["late"],
            "missing": reporting["missing"],
            "on_time_share": share(reporting["on_time"], reporting["on_time"] + reporting["late"]),
        },
        "participation": participation,
        "recommendations": {
            "recommendations": len({a.recommendation for a in facts.addressees}),
            "addressees": len(facts.addressees),
            "by_status": {status: statuses[status] for status in IMPLEMENTATION_STATUSES},
            "implemented_share": share(statuses["implemented"], applicable),
            "partially_implemented_share": share(statuses["partially_implemented"], applicable),
        },
        "lessons": [
            {"title": lesson.title, "text": lesson.text, "recorded_on": lesson.recorded_on.isoformat()}
            for lesson in facts.lessons
        ],
    }
