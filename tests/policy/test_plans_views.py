"""The plans' pages and API as people use them: the public home page (current cycle first), fixed
query counts on the list pages, adopting priorities from a handed-over run, stale edits refused
(form and API: 409), and bad input refused with the field named."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ceiba.core.models import State
from ceiba.policy import plan_services as services
from ceiba.policy.choices import KpiUnit, PriorityOrigin
from ceiba.policy.models import HorizontalGoal, OperationalAction, Priority

from ..conftest import sign_in
from ..test_form_help import HINT_IN_EACH_LANGUAGE
from .plans_factories import handed_over_run, proposed_run

pytestmark = pytest.mark.django_db
JSON = "application/json"


def client_of(policy: SimpleNamespace, persona: str = "secretariat_analyst") -> Client:
    return sign_in(Client(headers={"accept-language": "en"}), policy.world.users[persona])


def secretariat(policy: SimpleNamespace) -> Any:
    return policy.world.users["secretariat_analyst"]


def more_of_everything(policy: SimpleNamespace, number: int) -> None:
    """Another cycle with a priority, and another action with two KPIs and an actor in the first plan."""
    actor = secretariat(policy)
    cycle = services.cycle_create(
        actor=actor,
        committee=policy.committee,
        name=f"Old cycle {number} (synthetic)",
        starts_on=dt.date(2000 + number, 1, 1),
    )
    priority = services.priority_create(
        actor=actor,
        cycle=cycle,
        title=f"Old priority {number}",
        driver=policy.world.arg,
        co_drivers=[policy.world.bra],
    )
    services.strategic_plan_create(
        actor=actor, priority=priority, title="Old plan", horizontal_goals=HorizontalGoal.objects.all()[:2]
    )
    plan = policy.plans[0]
    services.action_create(
        actor=actor,
        plan=plan,
        code=f"TC-MORE-{number}",
        title="More (synthetic)",
        leader_organisation=policy.world.arg_police,
        starts_on=plan.starts_on,
        ends_on=plan.ends_on,
        budget=Decimal(10),
        kpis=[
            {"code": "K1", "name": "A", "unit": KpiUnit.COUNT, "target": 5},
            {"code": "K2", "name": "B", "unit": KpiUnit.PERSONS, "target": 9},
        ],
        actors=[{"role": "participant", "state": policy.world.bra}],
    )


@pytest.mark.parametrize(
    "page",
    [
        lambda p: reverse("policy:home"),
        lambda p: reverse("policy:cycle_detail", args=[p.cycle.pk]),
        lambda p: reverse("policy:action_plan_detail", args=[p.plans[0].pk]),
    ],
    ids=["home", "cycle", "action_plan"],
)
def test_list_pages_have_a_fixed_number_of_queries(
    policy: SimpleNamespace, page: Any, django_assert_num_queries: Any
) -> None:
    client = client_of(policy, "national_analyst")
    url = page(policy)
    client.get(url)  # warm the session and caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    more_of_everything(policy, 1)
    more_of_everything(policy, 2)
    with django_assert_num_queries(len(before.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_home_page_is_public_and_shows_the_current_cycle_first(policy: SimpleNamespace) -> None:
    more_of_everything(policy, 1)
    page = Client(headers={"accept-language": "en"}).get(reverse("policy:home")).content.decode()
    assert page.index(policy.cycle.name) < page.index("Old cycle 1 (synthetic)")
    assert "Current cycle" in page
    assert reverse("policy:home") in page  # the main navigation links here


def test_cycle_page_shows_plans_to_members_only(policy: SimpleNamespace) -> None:
    url = reverse("policy:cycle_detail", args=[policy.cycle.pk])
    anonymous = Client(headers={"accept-language": "en"}).get(url).content.decode()
    member = client_of(policy, "national_analyst").get(url).content.decode()
    assert policy.priorities[0].title in anonymous
    assert "Strategic plan 1 (synthetic)" in anonymous
    assert "Operational action plan 1 (synthetic)" not in anonymous
    assert "Operational action plan 1 (synthetic)" in member


def test_opening_a_cycle_from_the_page(policy: SimpleNamespace) -> None:
    response = client_of(policy).post(
        reverse("policy:cycle_create"),
        {"committee": policy.committee.pk, "name": "Page cycle (synthetic)", "starts_on": "2030-01-01"},
    )
    assert response.status_code == 302
    cycle = policy.committee.cycles.get(name="Page cycle (synthetic)")
    assert cycle.ends_on == dt.date(2033, 12, 31)


def test_adopting_priorities_from_the_page(policy: SimpleNamespace) -> None:
    run = handed_over_run(policy.world)
    recommended = run.priorities.first()
    url = reverse("policy:priority_adopt", args=[policy.cycle.pk])
    client = client_of(policy)
    page = client.get(url, {"run": run.pk})
    assert recommended.crime_area.name in page.content.decode()
    prefix = f"r{recommended.pk}"
    chile = State.objects.get(iso3="CHL")
    response = client.post(
        url,
        {
            "run": run.pk,
            "decision": policy.decision.pk,
            f"{prefix}_adopt": "on",
            f"{prefix}_driver": policy.world.arg.pk,
            f"{prefix}_co_drivers": [chile.pk],
            f"{prefix}_rationale": "Edited rationale (synthetic).",
        },
    )
    assert response.status_code == 302
    priority = Priority.objects.get(cycle=policy.cycle, recommended_priority=recommended)
    assert (priority.origin, priority.rationale) == (
        PriorityOrigin.ASSESSMENT,
        "Edited rationale (synthetic).",
    )


@HINT_IN_EACH_LANGUAGE
def test_the_co_drivers_list_says_how_to_select_several(policy: SimpleNamespace, language, hint) -> None:
    run = handed_over_run(policy.world)
    field = f"id_r{run.priorities.first().pk}_co_drivers"
    client = sign_in(Client(headers={"accept-language": language}), secretariat(policy))
    page = client.get(
        reverse("policy:priority_adopt", args=[policy.cycle.pk]), {"run": run.pk}
    ).content.decode()
    assert re.search(rf'<select [^>]*aria-describedby="{field}_helptext" id="{field}" multiple>', page)
    assert f'<small id="{field}_helptext">{hint}</small>' in page


def test_adopting_from_a_run_not_handed_over_says_why(policy: SimpleNamespace) -> None:
    run = proposed_run(policy.world)
    page = client_of(policy).get(reverse("policy:priority_adopt", args=[policy.cycle.pk]), {"run": run.pk})
    assert "have not been handed over to the committee" in page.content.decode()


def test_a_driver_that_is_not_a_member_is_refused_on_the_page(policy: SimpleNamespace) -> None:
    outsider = State.objects.filter(committee_member_since__isnull=True).first()
    response = client_of(policy).post(
        reverse("policy:priority_create", args=[policy.cycle.pk]),
        {"title": "Outsider (synthetic)", "driver": outsider.pk, "weight": "1"},
    )
    # The form offers only member states: the choice is refused before the service.
    assert response.status_code == 400
    assert not Priority.objects.filter(title="Outsider (synthetic)").exists()


def _form_data(page: str) -> dict[str, str]:
    return dict(re.findall(r'name="([a-z_]+)" value="([^"]*)"', page))


def test_a_stale_action_edit_on_the_page_is_refused_and_nothing_overwritten(policy: SimpleNamespace) -> None:
    action = policy.actions[0]
    client = client_of(policy)
    url = reverse("policy:action_edit", args=[action.pk])
    page = client.get(url).content.decode()
    version = re.search(r'name="lock_version" value="(\d+)"', page).group(1)
    services.action_update(actor=secretariat(policy), action=action, expected_version=None, title="Theirs")
    response = client.post(
        url,
        {
            "lock_version": version,
            "code": "TC-MINE",
            "title": "Mine",
            "leader_state": policy.world.arg.pk,
            "leader_organisation": policy.world.arg_police.pk,
            "starts_on": action.starts_on,
            "ends_on": action.ends_on,
            "currency": "USD",
            "status": action.status,
            "weight": "1",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Somebody else saved this record" in page
    assert OperationalAction.objects.get(pk=action.pk).title == "Theirs"
    # The heading names the action as stored; only the form keeps the typed code.
    assert f"Edit action {action.code}</h1>" in page and page.count("TC-MINE") == 1


def test_an_action_ending_before_it_starts_is_refused_on_the_page(policy: SimpleNamespace) -> None:
    plan = policy.plans[0]
    response = client_of(policy).post(
        reverse("policy:action_create", args=[plan.pk]),
        {
            "code": "TC-BACK",
            "title": "Backwards (synthetic)",
            "leader_state": policy.world.arg.pk,
            "starts_on": "2026-09-01",
            "ends_on": "2026-08-01",
            "currency": "USD",
            "status": "planned",
            "weight": "1",
        },
    )
    assert response.status_code == 400
    assert "An action cannot end before it starts." in response.content.decode()
    assert not OperationalAction.objects.filter(code="TC-BACK").exists()


def test_horizontal_goals_are_reordered_and_deactivated(policy: SimpleNamespace) -> None:
    client = client_of(policy, "secretariat_admin")
    first = HorizontalGoal.objects.order_by("order").first()
    client.post(reverse("policy:horizontal_goal_move", args=[first.pk]), {"direction": "down"})
    assert list(HorizontalGoal.objects.order_by("order"))[1] == first
    goal_url = reverse("policy:horizontal_goal_edit", args=[first.pk])
    data = {"name_en": first.name_en, "name_es": "Nuevo", "name_pt": first.name_pt, "name_fr": first.name_fr}
    assert client.post(goal_url, data).status_code == 302  # "active" unticked
    first.refresh_from_db()
    assert (first.name_es, first.active) == ("Nuevo", False)
    priority = services.priority_create(
        actor=secretariat(policy), cycle=policy.cycle, title="New (synthetic)", driver=policy.world.arg
    )
    form = client.get(reverse("policy:strategic_plan_create", args=[priority.pk])).content.decode()
    assert "Nuevo" not in form and first.name_en not in form


def test_adding_a_kpi_from_the_action_page(policy: SimpleNamespace) -> None:
    action = policy.actions[0]
    response = client_of(policy).post(
        reverse("policy:action_part_add", args=[action.pk, "kpi"]),
        {
            "kpi-code": "K2",
            "kpi-name": "Seizures",
            "kpi-unit": "kg",
            "kpi-direction": "increase",
            "kpi-baseline": "0",
            "kpi-target": "100",
        },
    )
    assert response.status_code == 302
    assert action.kpis.filter(code="K2").exists()
    page = client_of(policy).get(reverse("policy:action_detail", args=[action.pk])).content.decode()
    assert "Seizures" in page


# --- API --------------------------------------------------------------------------------------------


def test_api_stale_lock_version_answers_409(policy: SimpleNamespace) -> None:
    plan = policy.plans[0]
    client = client_of(policy)
    url = reverse("policy-action-plan-detail", args=[plan.pk])
    first = client.patch(url, {"title": "First", "lock_version": plan.lock_version}, content_type=JSON)
    assert first.status_code == 200
    assert first.json()["lock_version"] == plan.lock_version + 1
    second = client.patch(url, {"title": "Second", "lock_version": plan.lock_version}, content_type=JSON)
    assert second.status_code == 409
    plan.refresh_from_db()
    assert plan.title == "First"
    missing = client.patch(url, {"title": "Third"}, content_type=JSON)
    assert missing.status_code == 400
    assert missing.json()["errors"][0]["field"] == "lock_version"


def test_api_adopting_from_a_run_not_handed_over_is_a_clear_400(policy: SimpleNamespace) -> None:
    run = proposed_run(policy.world)
    response = client_of(policy).post(
        reverse("policy-cycle-adopt", args=[policy.cycle.pk]),
        {"run": run.pk, "adoptions": [{"recommended_priority": run.priorities.first().pk, "driver": "ARG"}]},
        content_type=JSON,
    )
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["field"] == "run" and "handed over" in error["message"]


def test_api_adopting_with_a_driver_not_member_is_refused(policy: SimpleNamespace) -> None:
    run = handed_over_run(policy.world)
    outsider = State.objects.filter(committee_member_since__isnull=True).first()
    response = client_of(policy).post(
        reverse("policy-cycle-adopt", args=[policy.cycle.pk]),
        {
            "run": run.pk,
            "adoptions": [{"recommended_priority": run.priorities.first().pk, "driver": outsider.iso3}],
        },
        content_type=JSON,
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "driver"
    assert policy.cycle.priorities.count() == 2


def test_api_action_ending_before_it_starts_is_a_clear_400(policy: SimpleNamespace) -> None:
    response = client_of(policy).post(
        reverse("policy-action-list"),
        {
            "plan": policy.plans[0].pk,
            "code": "API-BACK",
            "title": "Backwards",
            "leader_state": "ARG",
            "starts_on": "2026-09-01",
            "ends_on": "2026-08-01",
            "kpis": [{"code": "K1", "name": "N", "unit": "count", "target": "3"}],
        },
        content_type=JSON,
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "ends_on"
    assert not OperationalAction.objects.filter(code="API-BACK").exists()


def test_api_action_with_kpis_and_actors(policy: SimpleNamespace) -> None:
    plan = policy.plans[0]
    response = client_of(policy).post(
        reverse("policy-action-list"),
        {
            "plan": plan.pk,
            "code": "API-OK",
            "title": "Joint controls",
            "leader_organisation": policy.world.arg_police.pk,
            "starts_on": str(plan.starts_on),
            "ends_on": str(plan.ends_on),
            "budget": "1500.00",
            "currency": "EUR",
            "kpis": [{"code": "K1", "name": "Controls", "unit": "operations", "target": "3"}],
            "actors": [{"role": "partner", "organisation": policy.ameripol.pk}],
            "results": [{"kind": "arrests", "quantity": "4"}],
        },
        content_type=JSON,
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert [k["code"] for k in body["kpis"]] == ["K1"]
    assert body["actors"][0]["role"] == "partner"
    assert body["results"][0]["kind"] == "arrests"


def test_members_only_records_are_not_listed_for_the_public(policy: SimpleNamespace) -> None:
    anonymous = Client()
    assert anonymous.get(reverse("policy-action-list")).json()["count"] == 0
    assert anonymous.get(reverse("policy-priority-list")).json()["count"] == 2


@pytest.mark.parametrize(
    ("language", "title", "goal"),
    [
        ("es", "Ciclo de políticas", "Objetivos horizontales"),
        ("pt", "Ciclo de políticas", "Objetivos horizontais"),
        ("fr", "Cycle politique", "Objectifs horizontaux"),
        ("en", "Policy cycle", "Horizontal goals"),
    ],
)
def test_pages_speak_the_four_languages(
    policy: SimpleNamespace, language: str, title: str, goal: str
) -> None:
    client = sign_in(Client(headers={"accept-language": language}), policy.world.users["secretariat_admin"])
    assert title in client.get(reverse("policy:home")).content.decode()
    assert goal in client.get(reverse("policy:horizontal_goals")).content.decode()
