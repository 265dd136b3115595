"""The policy cycle's data model: validation of bad input, optimistic locking, and who reads what
under the access policy (docs/decisions/0051-policy-cycle.md)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from ceiba.common.access import is_secretariat, principal_for, require_secretariat, restrict
from ceiba.common.locking import StaleEdit, save_versioned
from ceiba.core.models import State
from ceiba.policy import plan_services
from ceiba.policy.choices import KpiUnit, Position
from ceiba.policy.models import (
    Decision,
    HorizontalGoal,
    ImplementationReport,
    KpiValue,
    Meeting,
    OperationalAction,
    OperationalActionPlan,
    ProgressReport,
    StatePosition,
)

from ..factories import UserFactory

pytestmark = pytest.mark.django_db

ALL = (
    "anonymous",
    "secretariat_admin",
    "secretariat_analyst",
    "national_focal_point",
    "national_analyst",
    "national_focal_point@other_state",
    "national_analyst@other_state",
    "committee_delegate@other_state",
    "action_participant",
    "forum_participant",
)
SECRETARIAT = ("secretariat_admin", "secretariat_analyst")


def user_of(policy: SimpleNamespace, persona: str):  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser() if persona == "anonymous" else policy.world.users[persona]


def test_the_eight_horizontal_goals_exist_in_four_languages() -> None:
    goals = HorizontalGoal.objects.all()
    assert goals.count() == 8
    finances = goals.get(code="criminal-finances")
    assert finances.name_es == "Finanzas criminales y recuperación de activos"
    assert all(goal.name_pt and goal.name_fr for goal in goals)


def test_an_action_cannot_end_before_it_starts(policy: SimpleNamespace) -> None:
    action = policy.actions[0]
    action.ends_on = action.starts_on - dt.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        action.full_clean()
    assert "ends_on" in error.value.message_dict


def test_an_action_needs_a_leader(policy: SimpleNamespace) -> None:
    action = OperationalAction(
        plan=policy.plans[0],
        code="X-1",
        title="Leaderless (synthetic)",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 2, 1),
    )
    with pytest.raises(ValidationError) as error:
        action.full_clean()
    assert "leader_state" in error.value.message_dict


def test_a_kpi_value_in_the_wrong_unit_is_refused(policy: SimpleNamespace) -> None:
    kpi = policy.actions[0].kpis.get()
    value = KpiValue(report=policy.police_report, kpi=kpi, value=Decimal(3), unit=KpiUnit.KILOGRAMS)
    with pytest.raises(ValidationError) as error:
        value.full_clean(validate_constraints=False)
    assert "persons" in str(error.value.message_dict["unit"])


def test_a_state_that_is_not_a_member_has_no_vote(policy: SimpleNamespace) -> None:
    outsider = State.objects.filter(committee_member_since__isnull=True).first()
    vote = StatePosition(decision=policy.draft_decision, state=outsider, position=Position.IN_FAVOUR)
    with pytest.raises(ValidationError) as error:
        vote.full_clean()
    assert "not a member" in str(error.value.message_dict["state"])


def test_a_concurrent_edit_of_a_plan_is_detected(policy: SimpleNamespace) -> None:
    first = OperationalActionPlan.objects.get(pk=policy.plans[0].pk)
    second = OperationalActionPlan.objects.get(pk=policy.plans[0].pk)
    first.title = "First editor's title"
    save_versioned(first, expected_version=first.lock_version)
    second.title = "Second editor's title"
    with pytest.raises(StaleEdit):
        save_versioned(second, expected_version=second.lock_version)
    assert OperationalActionPlan.objects.get(pk=policy.plans[0].pk).title == "First editor's title"


@pytest.mark.parametrize("persona", ALL)
def test_who_reads_progress_reports(policy: SimpleNamespace, persona: str) -> None:
    """The police report (ARG, secretariat only) and AMERIPOL's (all members)."""
    visible = set(restrict(ProgressReport, user_of(policy, persona)).values_list("pk", flat=True))
    police, ameripol = policy.police_report.pk, policy.ameripol_report.pk
    expected = {
        "anonymous": set(),
        "forum_participant": set(),
        "secretariat_admin": {police, ameripol},
        "secretariat_analyst": {police, ameripol},
        "national_focal_point": {police, ameripol},
        "national_analyst": {police, ameripol},
        "action_participant": {ameripol},
    }.get(persona, {ameripol})
    assert visible == expected


@pytest.mark.parametrize("persona", ALL)
def test_who_reads_meetings_and_decisions(policy: SimpleNamespace, persona: str) -> None:
    user = user_of(policy, persona)
    meetings = set(restrict(Meeting, user).values_list("pk", flat=True))
    decisions = set(restrict(Decision, user).values_list("pk", flat=True))
    public = persona in ("anonymous", "forum_participant")
    if public:
        assert meetings == {policy.public_meeting.pk}
        assert decisions == {policy.decision.pk}
    else:
        assert {policy.meeting.pk, policy.public_meeting.pk} <= meetings
        drafts = persona.startswith("secretariat") or persona.startswith("committee_delegate")
        assert (policy.draft_decision.pk in decisions) is drafts


@pytest.mark.parametrize("persona", ALL)
def test_who_reads_implementation_reports(policy: SimpleNamespace, persona: str) -> None:
    visible = set(restrict(ImplementationReport, user_of(policy, persona)).values_list("pk", flat=True))
    pending, validated = policy.pending_report.pk, policy.validated_report.pk
    if persona.startswith("secretariat") or persona in ("national_focal_point", "national_analyst"):
        assert visible == {pending, validated}
    else:
        assert visible == {validated}


@pytest.mark.parametrize("persona", ALL)
def test_action_plans_are_for_members(policy: SimpleNamespace, persona: str) -> None:
    count = restrict(OperationalAction, user_of(policy, persona)).count()
    assert (count == 4) is (persona not in ("anonymous", "forum_participant"))
    assert count in (0, 4)


@pytest.mark.parametrize("persona", ALL)
def test_the_secretariat_is_its_analysts_and_administrators(policy: SimpleNamespace, persona: str) -> None:
    """One rule for who writes meetings, decisions, plans, recommendations and the evaluation."""
    user = user_of(policy, persona)
    assert is_secretariat(user) is (persona in SECRETARIAT)
    assert is_secretariat(principal_for(user)) is (persona in SECRETARIAT)


def test_a_superuser_acts_for_the_secretariat() -> None:
    assert is_secretariat(UserFactory(is_superuser=True))


@pytest.mark.parametrize("persona", [p for p in ALL if p not in SECRETARIAT])
def test_a_write_by_anyone_else_is_refused_saying_why(policy: SimpleNamespace, persona: str) -> None:
    with pytest.raises(PermissionDenied) as refused:
        require_secretariat(user_of(policy, persona), plan_services.SECRETARIAT_ONLY)
    assert str(refused.value) == "Only the secretariat writes the policy cycle's plans."


@pytest.mark.parametrize("persona", SECRETARIAT)
def test_a_write_by_the_secretariat_goes_through(policy: SimpleNamespace, persona: str) -> None:
    assert require_secretariat(user_of(policy, persona), plan_services.SECRETARIAT_ONLY) is None
