"""Helpers of the plans' tests: the small cycle built once per test (cached on `world`, so a
permission matrix's `url` and `data` share it), and assessment runs whose recommended priorities were
handed over to the committee, or not."""

from __future__ import annotations

from types import SimpleNamespace

from ceiba.assessment import runs
from ceiba.assessment.choices import PriorityListStatus
from ceiba.assessment.models import AssessmentRun

from ..assessment.run_factories import small_run
from .factories import small_cycle


def cycle_of(world: SimpleNamespace) -> SimpleNamespace:
    """The small synthetic cycle of `factories.small_cycle`, built once per test."""
    cached = getattr(world, "_plans_cycle", None)
    if cached is None:
        cached = small_cycle(world)
        world._plans_cycle = cached
    return cached


def handed_over_run(world: SimpleNamespace) -> AssessmentRun:
    """A restricted run (secretariat and committee delegates read it) whose priorities were
    frozen and handed over to the committee."""
    run = small_run(world)
    secretariat = world.users["secretariat_analyst"]
    if run.priorities_status == PriorityListStatus.PROPOSED:
        runs.freeze_priorities(run, secretariat)
    if run.priorities_status == PriorityListStatus.FROZEN:
        runs.hand_over_priorities(run, secretariat)
    return run


def proposed_run(world: SimpleNamespace) -> AssessmentRun:
    """The restricted run while its priorities are still proposed (not handed over)."""
    run = small_run(world)
    assert run.priorities_status == PriorityListStatus.PROPOSED
    return run
