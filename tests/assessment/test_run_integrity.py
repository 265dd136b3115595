"""Aggregates never leak (issue 4): a state's restricted input moves a regional score only in runs
whose marking covers it, the public run is computed only from inputs that may go to everyone, and a
run's visibility follows its inputs' markings. Also: bad input creates no run, and the priority list
workflow. All data is invented (synthetic)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ceiba.assessment import runs
from ceiba.assessment.choices import Audience, PriorityListStatus
from ceiba.assessment.demo import demo_user_for
from ceiba.assessment.models import AssessmentRun
from ceiba.common.access import restrict
from ceiba.common.models import AuditEvent
from ceiba.core.choices import Role
from ceiba.core.models import State
from ceiba.documentation import services
from ceiba.documentation.models import CrimeArea, CriminalNetwork, ThreatReport
from ceiba.sharing.choices import TLP, Scope

EVERY_INDICATOR = [
    "international_dimension",
    "legal_business_structures",
    "violence",
    "corruption",
    "counter_measures",
    "money_laundering",
    "adaptability",
    "territorial_control",
    "cooperation",
    "resources_expertise",
    "longevity",
]


def _validated_network(assessment, iso3, *, tlp, scope, area="cannabis_trafficking", score=4, **extra):
    """A new state's validated contribution to the demo cycle holding one extreme network and one
    report (so it can be submitted), with the marking and scope given."""
    state = State.objects.get(iso3=iso3)
    analyst = demo_user_for(iso3, Role.NATIONAL_ANALYST)
    focal = demo_user_for(iso3, Role.NATIONAL_FOCAL_POINT)
    cycle = assessment.cycle
    crime_area = CrimeArea.objects.get(code=area)
    contribution = services.contribution_start(cycle=cycle, state=state, actor=analyst)
    services.threat_report_create(
        contribution=contribution,
        actor=analyst,
        crime_area=crime_area,
        title="Invented report (synthetic)",
        period_start=date(2025, 1, 1),
        period_end=date(2025, 12, 31),
        scale=4,
        source_reliability="A",
        information_credibility="1",
        tlp=tlp,
        scope=scope,
        **extra,
    )
    network = services.network_create(
        contribution=contribution,
        actor=analyst,
        alias="Invented extreme network (synthetic)",
        main_crime_area=crime_area,
        countries=[state],
        indicators=[services.IndicatorData(code, score) for code in EVERY_INDICATOR],
        source_reliability="A",
        information_credibility="1",
        tlp=tlp,
        scope=scope,
        **extra,
    )
    services.contribution_submit(contribution=contribution, actor=focal)
    services.contribution_validate(contribution=contribution, actor=assessment.secretariat)
    return network


def _rerun(assessment, audience):
    return runs.run_cycle(
        methodology_version=assessment.methodology,
        cycle=assessment.cycle,
        user=assessment.secretariat,
        audience=audience,
        samples=200,  # as the fixture's runs: the sensitivity settings are inputs too
    )


def _regional(run, area):
    results = run.results
    return results["levels"]["region"]["score"][results["areas"].index(area)][0]


def test_the_public_run_uses_only_inputs_that_may_go_to_everyone(assessment):
    records = assessment.public.inputs["records"].values()
    assert records
    networks = CriminalNetwork.objects.filter(pk__in=[r["pk"] for r in records if r["model"] == "network"])
    reports = ThreatReport.objects.filter(pk__in=[r["pk"] for r in records if r["model"] == "report"])
    for record in [*networks, *reports]:
        assert (record.tlp, record.scope) == (TLP.CLEAR, Scope.ALL_MEMBERS)
    assert assessment.public.tlp == TLP.CLEAR
    # ...and the restricted run has more (the AMBER records for the secretariat).
    assert assessment.restricted.counts["networks"] > assessment.public.counts["networks"]


def test_a_restricted_input_moves_the_restricted_score_but_never_the_public_one(assessment):
    before_public = assessment.public
    before_restricted = assessment.restricted
    _validated_network(assessment, "URY", tlp=TLP.AMBER, scope=Scope.SECRETARIAT)
    public = _rerun(assessment, Audience.PUBLIC)
    restricted = _rerun(assessment, Audience.RESTRICTED)
    assert public.input_hash == before_public.input_hash
    assert public.results == before_public.results
    assert restricted.input_hash != before_restricted.input_hash
    assert _regional(restricted, "cannabis_trafficking") != _regional(
        before_restricted, "cannabis_trafficking"
    )


def test_a_public_input_moves_both_runs(assessment):
    _validated_network(assessment, "URY", tlp=TLP.CLEAR, scope=Scope.ALL_MEMBERS)
    public = _rerun(assessment, Audience.PUBLIC)
    assert public.input_hash != assessment.public.input_hash


def test_what_the_originator_kept_to_itself_enters_no_run(assessment):
    network = _validated_network(assessment, "URY", tlp=TLP.AMBER, scope=Scope.ORIGINATOR)
    restricted = _rerun(assessment, Audience.RESTRICTED)
    assert f"N{network.pk}" not in restricted.inputs["records"]
    assert restricted.input_hash == assessment.restricted.input_hash


def test_a_red_input_makes_the_run_red_and_keeps_it_from_delegates(assessment):
    network = _validated_network(assessment, "URY", tlp=TLP.RED, scope=Scope.SECRETARIAT)
    restricted = _rerun(assessment, Audience.RESTRICTED)
    assert f"N{network.pk}" in restricted.inputs["records"]
    assert restricted.tlp == TLP.RED
    delegate = assessment.world.users["committee_delegate@other_state"]
    visible = set(restrict(AssessmentRun, delegate).values_list("pk", flat=True))
    assert restricted.pk not in visible
    assert assessment.restricted.pk in visible  # AMBER: the committee reads it
    assert restricted.pk in set(restrict(AssessmentRun, assessment.secretariat).values_list("pk", flat=True))


@pytest.mark.parametrize(
    "persona, sees_restricted, sees_public",
    [
        ("anonymous", False, True),
        ("forum_participant", False, True),
        ("national_analyst", False, True),
        ("national_focal_point", False, True),
        ("action_participant", False, True),
        ("committee_delegate@other_state", True, True),
        ("secretariat_analyst", True, True),
        ("secretariat_admin", True, True),
    ],
)
def test_who_reads_which_run(assessment, persona, sees_restricted, sees_public):
    from django.contrib.auth.models import AnonymousUser

    user = AnonymousUser() if persona == "anonymous" else assessment.world.users[persona]
    visible = set(restrict(AssessmentRun, user).values_list("pk", flat=True))
    assert (assessment.restricted.pk in visible) is sees_restricted
    assert (assessment.public.pk in visible) is sees_public


def test_an_unpublished_public_run_is_for_the_secretariat_and_the_committee(assessment):
    from django.contrib.auth.models import AnonymousUser

    draft = _rerun(assessment, Audience.PUBLIC)
    assert draft.pk not in set(restrict(AssessmentRun, AnonymousUser()).values_list("pk", flat=True))
    delegate = assessment.world.users["committee_delegate@other_state"]
    assert draft.pk in set(restrict(AssessmentRun, delegate).values_list("pk", flat=True))
    runs.publish(draft, assessment.secretariat)
    assert draft.pk in set(restrict(AssessmentRun, AnonymousUser()).values_list("pk", flat=True))


def test_a_cycle_without_validated_contributions_creates_no_run(assessment):
    cycle = services.cycle_open(
        actor=assessment.admin,
        name="Empty cycle (synthetic)",
        contribution_deadline=date(2030, 1, 1),
        crime_areas=CrimeArea.objects.filter(code="cocaine_trafficking"),
    )
    count = AssessmentRun.objects.count()
    with pytest.raises(runs.RunError) as error:
        runs.run_cycle(methodology_version=assessment.methodology, cycle=cycle, user=assessment.secretariat)
    assert "no validated contribution" in str(error.value)
    assert AssessmentRun.objects.count() == count


@pytest.mark.parametrize(
    "persona", ["national_focal_point", "committee_delegate@other_state", "forum_participant"]
)
def test_only_the_secretariat_runs_assessments(assessment, persona):
    with pytest.raises(PermissionDenied):
        runs.run_cycle(
            methodology_version=assessment.methodology,
            cycle=assessment.cycle,
            user=assessment.world.users[persona],
        )


def test_the_run_records_what_it_was_given(assessment):
    run = assessment.restricted
    rebuilt = runs.rebuild(run)
    assert list(rebuilt.network_scores.keys) == [n["key"] for n in run.results["networks"]]
    for i, stored in enumerate(run.results["networks"]):
        score = rebuilt.network_scores.score[i]
        assert stored["score"] == (None if score != score else float(score))
    assert AuditEvent.objects.filter(object_type="assessment.assessmentrun", object_id=str(run.pk)).exists()
    assert run.inputs["statistics"], "the demo's shared datasets give context figures"


def test_the_priority_list_is_edited_frozen_and_handed_over(assessment):
    run = assessment.restricted
    first = run.priorities.first()
    runs.edit_rationale(first, "Edited by the secretariat (synthetic).", assessment.secretariat)
    first.refresh_from_db()
    assert first.rationale.startswith("Edited") and first.computed_rationale != first.rationale
    with pytest.raises(ValidationError):
        runs.hand_over_priorities(run, assessment.secretariat)  # not frozen yet
    runs.freeze_priorities(run, assessment.secretariat)
    with pytest.raises(ValidationError):
        runs.edit_rationale(first, "Too late", assessment.secretariat)
    runs.hand_over_priorities(run, assessment.secretariat)
    run.refresh_from_db()
    assert run.priorities_status == PriorityListStatus.HANDED_OVER
    assert run.frozen_by == assessment.secretariat and run.handed_over_at is not None


def test_the_committee_cannot_edit_the_list(assessment):
    delegate = assessment.world.users["committee_delegate@other_state"]
    with pytest.raises(PermissionDenied):
        runs.edit_rationale(assessment.restricted.priorities.first(), "No", delegate)
    with pytest.raises(PermissionDenied):
        runs.freeze_priorities(assessment.restricted, delegate)


def test_a_restricted_run_is_never_published(assessment):
    with pytest.raises(ValidationError):
        runs.publish(assessment.restricted, assessment.secretariat)
