"""The policy demo: a full synthetic cycle of CLASI, loaded fast and only once."""

from __future__ import annotations

import io

from django.core.management import call_command
from django.urls import reverse

from ceiba.assessment.choices import PriorityListStatus
from ceiba.core.demo import FOUNDING_MEMBERS
from ceiba.policy.choices import ActionStatus, ImplementationStatus, PriorityOrigin, ReviewStatus
from ceiba.policy.demo import CYCLE_NAME, load_policy_demo, restricted_demo_run
from ceiba.policy.evaluation_selectors import cycle_figures
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


def test_the_policy_demo_loads_a_full_cycle_once(world, persona_client) -> None:
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
    # Counted as the committee's services count it, so the decision page shows quorum and votes.
    assert decision.outcome["members"] == len(FOUNDING_MEMBERS) and decision.outcome["adopted"] is True
    assert decision.outcome["present"] == len(FOUNDING_MEMBERS) - 1 and decision.outcome["abstain"] == 1
    page = persona_client("anonymous").get(reverse("policy:decision_detail", args=[decision.pk]))
    assert (
        f"{len(FOUNDING_MEMBERS) - 1} of {len(FOUNDING_MEMBERS)} member states present"
        in page.content.decode()
    )
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

    figures = cycle_figures(cycle, world.users["secretariat_analyst"])
    assert figures["actions"]["total"] == actions.count()
    assert all(figures["actions"]["by_status"].values())
    assert figures["reporting"]["missing"] > 0 and figures["reporting"]["late"] > 0
    assert figures["kpis"]["measured"] > 0 and figures["recommendations"]["implemented_share"]
    ameripol = next(row for row in figures["participation"] if row["name"] == "AMERIPOL")
    assert ameripol["led"] == 6 and ameripol["missing"] >= 1
    page = persona_client("action_participant").get(reverse("policy:evaluation", args=[cycle.pk]))
    assert page.status_code == 200 and "Reports come late" in page.content.decode()

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
