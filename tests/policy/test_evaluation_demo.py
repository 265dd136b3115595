"""The policy demo: a full synthetic cycle of CLASI, loaded fast and only once."""

from __future__ import annotations

import io
import time

from django.core.management import call_command

from ceiba.assessment.choices import PriorityListStatus
from ceiba.core.demo import FOUNDING_MEMBERS
from ceiba.policy.choices import ActionStatus, ImplementationStatus, PriorityOrigin, ReviewStatus
from ceiba.policy.demo import CYCLE_NAME, load_policy_demo, restricted_demo_run
from ceiba.policy.models import (
    Addressee,
    Decision,
    ImplementationReport,
    Lesson,
    Meeting,
    OperationalAction,
    PolicyCycle,
    Priority,
    ProgressReport,
    StatePosition,
)


def test_the_policy_demo_loads_a_full_cycle_once(world) -> None:
    started = time.perf_counter()
    report = load_policy_demo(samples=200)
    assert report.created > 0
    cycle = PolicyCycle.objects.get(name=CYCLE_NAME)
    run = restricted_demo_run()
    assert cycle.assessment_run == run and run.priorities_status == PriorityListStatus.HANDED_OVER
    priorities = Priority.objects.filter(cycle=cycle)
    assert priorities.count() == 5
    assert all(p.origin == PriorityOrigin.ASSESSMENT for p in priorities)
    assert {p.recommended_priority.run_id for p in priorities} == {run.pk}
    assert all(p.co_drivers.count() == 2 for p in priorities)
    decision = Decision.objects.filter(priorities__cycle=cycle).distinct().get()
    assert decision.method == "vote" and decision.status == "adopted"
    assert StatePosition.objects.filter(decision=decision).count() == len(FOUNDING_MEMBERS)
    actions = OperationalAction.objects.filter(plan__priority__cycle=cycle)
    assert 35 <= actions.count() <= 45
    assert set(actions.values_list("status", flat=True)) == set(ActionStatus.values)
    assert actions.filter(leader_organisation__acronym="AMERIPOL").exists()
    assert ProgressReport.objects.filter(action__in=actions, tlp="red").exists()
    statuses = set(Addressee.objects.filter(recommendation__cycle=cycle).values_list("status", flat=True))
    statuses |= set(ImplementationReport.objects.values_list("status", flat=True))
    assert statuses == set(ImplementationStatus.values)
    assert set(ImplementationReport.objects.values_list("review", flat=True)) == set(ReviewStatus.values)
    assert Lesson.objects.filter(cycle=cycle).count() == 3
    assert Meeting.objects.filter(committee=cycle.committee, level="technical", format="virtual").exists()
    assert all("synthetic" in p.title for p in priorities)
    assert time.perf_counter() - started < 20

    counts = (ProgressReport.objects.count(), OperationalAction.objects.count(), Meeting.objects.count())
    assert load_policy_demo().created == 0
    assert counts == (
        ProgressReport.objects.count(),
        OperationalAction.objects.count(),
        Meeting.objects.count(),
    )
    out = io.StringIO()
    call_command("demo_policy", stdout=out)
    assert "0 records created (already complete)" in out.getvalue()
