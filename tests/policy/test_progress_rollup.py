"""The rollup of progress (pure): bounds, weights, cancelled actions, empty levels; and the reporting
schedule: due dates every N months and at the end, overdue and next due."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from ceiba.policy import rollup
from ceiba.policy.progress_schedule import add_months, due_dates, schedule

STATUSES = ["planned", "ongoing", "completed", "to_be_continued", "not_completed", "cancelled"]
actions = st.builds(
    rollup.ActionInput,
    key=st.text(min_size=1, max_size=4),
    progress=st.floats(min_value=-50, max_value=150, allow_nan=False),
    weight=st.floats(min_value=0, max_value=10, allow_nan=False),
    status=st.sampled_from(STATUSES),
)
plans = st.builds(rollup.PlanInput, key=st.just("plan"), actions=st.lists(actions, max_size=6))
priorities = st.builds(
    rollup.PriorityInput,
    key=st.just("priority"),
    weight=st.floats(min_value=0, max_value=10, allow_nan=False),
    plans=st.lists(plans, max_size=3),
)


def _walk(node: rollup.Node):
    yield node
    for child in node.children:
        yield from _walk(child)


@settings(deadline=None)
@given(st.lists(priorities, max_size=4))
def test_every_progress_lies_between_0_and_100_or_is_none(cycle):
    tree = rollup.cycle_node("cycle", cycle)
    for node in _walk(tree):
        assert node.progress is None or 0 <= node.progress <= 100
        assert node.weight >= 0


@settings(deadline=None)
@given(plans)
def test_a_plan_lies_between_its_counted_actions(plan):
    node = rollup.plan_node(plan)
    counted = [rollup.clamp(a.progress) for a in plan.actions if rollup.counts(a)]
    if not counted:
        assert node.progress is None
    else:
        assert min(counted) - 1e-6 <= node.progress <= max(counted) + 1e-6


@settings(deadline=None)
@given(st.floats(min_value=0, max_value=100), st.floats(min_value=0.1, max_value=10))
def test_one_action_is_its_plan_its_priority_and_its_cycle(progress, weight):
    action = rollup.ActionInput("a", progress, weight)
    tree = rollup.cycle_node("c", [rollup.PriorityInput("p", 2, [rollup.PlanInput("oap", [action])])])
    assert abs(tree.progress - progress) < 1e-9


def test_weights_count_and_cancelled_actions_are_left_out():
    plan = rollup.PlanInput(
        "oap",
        [
            rollup.ActionInput("a", 100, 3),
            rollup.ActionInput("b", 0, 1),
            rollup.ActionInput("c", 0, 5, "cancelled"),
            rollup.ActionInput("d", 0, 0),
        ],
    )
    node = rollup.plan_node(plan)
    assert node.progress == 75
    assert node.weight == 4


def test_priorities_weigh_by_their_weight_and_empty_ones_are_left_out():
    full = rollup.PriorityInput("p1", 3, [rollup.PlanInput("x", [rollup.ActionInput("a", 100)])])
    half = rollup.PriorityInput("p2", 1, [rollup.PlanInput("y", [rollup.ActionInput("b", 0)])])
    empty = rollup.PriorityInput("p3", 5, [rollup.PlanInput("z", [])])
    tree = rollup.cycle_node("c", [full, half, empty])
    assert tree.progress == 75
    assert tree.children[2].progress is None
    assert rollup.cycle_node("c", []).progress is None
    assert rollup.as_dict(tree)["progress"] == 75.0


def test_a_priority_is_the_weighted_average_of_all_its_counted_actions():
    small = rollup.PlanInput("s", [rollup.ActionInput("a", 100, 1)])
    big = rollup.PlanInput("b", [rollup.ActionInput("b", 0, 1), rollup.ActionInput("c", 0, 2)])
    assert rollup.priority_node(rollup.PriorityInput("p", 1, [small, big])).progress == 25


# --- the reporting schedule ---------------------------------------------------------------------------


def test_due_dates_every_n_months_and_at_the_end():
    assert due_dates(dt.date(2026, 1, 31), dt.date(2026, 12, 31), 3) == [
        dt.date(2026, 4, 30),
        dt.date(2026, 7, 31),
        dt.date(2026, 10, 31),
        dt.date(2026, 12, 31),
    ]
    assert due_dates(dt.date(2026, 1, 1), dt.date(2026, 1, 15), 6) == [dt.date(2026, 1, 15)]
    assert due_dates(dt.date(2026, 2, 1), dt.date(2026, 1, 1), 6) == []
    assert add_months(dt.date(2027, 11, 30), 3) == dt.date(2028, 2, 29)


@settings(deadline=None)
@given(
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 1, 1)),
    st.integers(min_value=0, max_value=2000),
    st.integers(min_value=0, max_value=14),
)
def test_due_dates_are_increasing_within_the_action_and_end_with_it(start, days, months):
    end = start + dt.timedelta(days=days)
    dates = due_dates(start, end, months)
    assert dates[-1] == end
    assert dates == sorted(set(dates))
    assert all(start < day <= end for day in dates[:-1])


def test_overdue_and_next_due():
    start, end = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
    nothing = schedule(start=start, end=end, months=6, period_ends=[], today=dt.date(2026, 8, 1))
    assert nothing.overdue == [dt.date(2026, 7, 1)]
    assert nothing.next_due == dt.date(2026, 12, 31)
    assert nothing.is_overdue
    covered = schedule(
        start=start, end=end, months=6, period_ends=[dt.date(2026, 7, 1)], today=dt.date(2026, 8, 1)
    )
    assert covered.overdue == [] and covered.next_due == dt.date(2026, 12, 31)
    short = schedule(
        start=start, end=end, months=6, period_ends=[dt.date(2026, 6, 30)], today=dt.date(2026, 8, 1)
    )
    assert short.overdue == [dt.date(2026, 7, 1)]
    on_the_day = schedule(start=start, end=end, months=6, period_ends=[], today=dt.date(2026, 7, 1))
    assert on_the_day.overdue == [] and on_the_day.next_due == dt.date(2026, 7, 1)
    cancelled = schedule(
        start=start, end=end, months=6, period_ends=[], today=dt.date(2027, 1, 1), cancelled=True
    )
    assert cancelled.due == [] and not cancelled.is_overdue
    after = schedule(start=start, end=end, months=6, period_ends=[], today=dt.date(2027, 1, 1))
    assert after.overdue == [dt.date(2026, 7, 1), dt.date(2026, 12, 31)] and after.next_due is None
