"""Small assessment runs for permission matrices: one cycle with Argentina's validated contribution
(a TLP:AMBER network for the secretariat, a TLP:CLEAR network and report for all members), scored
with 20 sensitivity samples. Much quicker than the demo; everything invented."""

from __future__ import annotations

from types import SimpleNamespace

from ceiba.assessment import methodology_store, runs
from ceiba.assessment.choices import Audience
from ceiba.assessment.models import AssessmentRun
from ceiba.documentation import services
from ceiba.documentation.choices import ContributionStatus
from ceiba.documentation.models import AssessmentCycle
from ceiba.sharing.choices import TLP, Scope

from ..documentation.factories import contribution_for, network_in, open_cycle, report_in, submit

CYCLE = "Runs test cycle (synthetic)"
INDICATORS = ["international_dimension", "violence", "corruption", "money_laundering", "adaptability"]


def validated_cycle(world: SimpleNamespace) -> AssessmentCycle:
    cycle = AssessmentCycle.objects.filter(name=CYCLE).first()
    if cycle is not None:
        return cycle
    cycle = open_cycle(world, CYCLE)
    contribution = contribution_for(world, cycle, "ARG")
    for alias, tlp, scope, score in (
        ("Amber river network (synthetic)", TLP.AMBER, Scope.SECRETARIAT, 4),
        ("Clear port network (synthetic)", TLP.CLEAR, Scope.ALL_MEMBERS, 2),
    ):
        network_in(
            world,
            contribution,
            alias=alias,
            tlp=tlp,
            scope=scope,
            indicators=[services.IndicatorData(code, score, "Invented.") for code in INDICATORS],
        )
    report_in(world, contribution, tlp=TLP.CLEAR, scope=Scope.ALL_MEMBERS)
    submit(world, contribution)
    services.contribution_validate(contribution=contribution, actor=world.users["secretariat_analyst"])
    assert contribution.__class__.objects.get(pk=contribution.pk).status == ContributionStatus.VALIDATED
    return cycle


def small_run(
    world: SimpleNamespace, audience: str = Audience.RESTRICTED, published: bool = False
) -> AssessmentRun:
    cycle = validated_cycle(world)
    existing = AssessmentRun.objects.filter(cycle=cycle, audience=audience).first()
    if existing is not None:
        return existing
    secretariat = world.users["secretariat_analyst"]
    run = runs.run_cycle(
        methodology_version=methodology_store.ensure_default(),
        cycle=cycle,
        user=secretariat,
        audience=audience,
        samples=20,
    )
    if published:
        runs.publish(run, secretariat)
    return run


def restricted_run(world: SimpleNamespace) -> AssessmentRun:
    return small_run(world)


def public_run(world: SimpleNamespace) -> AssessmentRun:
    return small_run(world, Audience.PUBLIC, published=True)


def draft_public_run(world: SimpleNamespace) -> AssessmentRun:
    """A public run not yet published (committee delegates and the secretariat read it)."""
    return small_run(world, Audience.PUBLIC)
