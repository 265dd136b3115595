"""How progress rolls up: action -> operational action plan -> priority -> cycle (pure: no Django,
no database; docs/decisions/0053-progress-reporting.md).

- A plan's progress is the average of its actions' progress weighted by each action's `weight`.
  Cancelled actions are left out (they will never progress; counting them at 0 would punish a plan
  for dropping an action, counting them at 100 would reward it). Actions of weight 0 count for
  nothing.
- A priority's progress is the average of its plans' progress weighted by each plan's counted
  weight (the sum of the weights of the actions it counts), i.e. the weighted average of all the
  counted actions of the priority.
- A cycle's progress is the average of its priorities' progress weighted by each priority's
  `weight`.
- Whatever has nothing to count (no actions, only cancelled ones, all weights 0) has no progress
  (None) and is left out of the level above, rather than counted as 0.

Every progress is a number from 0 to 100 (inputs are clamped to that range)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

CANCELLED = "cancelled"


@dataclass(frozen=True)
class ActionInput:
    """An action as the rollup sees it: its progress (0-100), weight and status code."""

    key: str
    progress: float
    weight: float = 1.0
    status: str = "ongoing"


@dataclass(frozen=True)
class PlanInput:
    key: str
    actions: Sequence[ActionInput] = ()


@dataclass(frozen=True)
class PriorityInput:
    key: str
    weight: float = 1.0
    plans: Sequence[PlanInput] = ()


@dataclass
class Node:
    """One level's result: its progress (None when nothing counts), the weight it carries into the
    level above, and its children."""

    key: str
    progress: float | None
    weight: float
    children: list[Node] = field(default_factory=list)


def clamp(value: float, low: float = 0.0, high: float = 100.0) -> float:
    return max(low, min(high, float(value)))


def weighted_average(pairs: Iterable[tuple[float | None, float]]) -> float | None:
    """The average of the values weighted by their weights, leaving out values that are None and
    non-positive weights; None when nothing is left."""
    total = 0.0
    weights = 0.0
    for value, weight in pairs:
        if value is None or weight <= 0:
            continue
        total += clamp(value) * weight
        weights += weight
    if weights <= 0:
        return None
    return clamp(total / weights)


def counts(action: ActionInput) -> bool:
    return action.status != CANCELLED and action.weight > 0


def plan_node(plan: PlanInput) -> Node:
    children = [
        Node(a.key, clamp(a.progress), max(0.0, float(a.weight)) if counts(a) else 0.0) for a in plan.actions
    ]
    progress = weighted_average((child.progress, child.weight) for child in children)
    weight = sum(child.weight for child in children) if progress is not None else 0.0
    return Node(plan.key, progress, weight, children)


def priority_node(priority: PriorityInput) -> Node:
    children = [plan_node(plan) for plan in priority.plans]
    progress = weighted_average((child.progress, child.weight) for child in children)
    return Node(priority.key, progress, max(0.0, float(priority.weight)), children)


def cycle_node(key: str, priorities: Sequence[PriorityInput]) -> Node:
    children = [priority_node(priority) for priority in priorities]
    progress = weighted_average((child.progress, child.weight) for child in children)
    return Node(key, progress, 1.0, children)


def as_dict(node: Node) -> dict[str, object]:
    """The tree as plain data (for the API and templates); progress rounded to one decimal."""
    return {
        "key": node.key,
        "progress": None if node.progress is None else round(node.progress, 1),
        "weight": round(node.weight, 2),
        "children": [as_dict(child) for child in node.children],
    }
