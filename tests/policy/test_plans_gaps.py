"""Editing a cycle and a strategic goal, and removing a KPI, a participant or a result of an action,
in the pages and the API: permission matrices and bad input (a KPI with reported values stays)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from ceiba.common.models import AuditEvent
from ceiba.common.testing.permissions import permission_matrix
from ceiba.policy import plan_services
from ceiba.policy.models import ActionActor, ActionResult, Kpi

from .plans_factories import cycle_of
from .test_plans_permissions import api_write, first_goal, page_write


def fresh_kpi(w: Any) -> Kpi:
    return plan_services.kpi_add(
        actor=w.users["secretariat_analyst"],
        action=cycle_of(w).actions[0],
        code="KX",
        name="Removable (synthetic)",
        unit="persons",
        target=Decimal(10),
    )


def fresh_result(w: Any) -> ActionResult:
    return plan_services.result_add(
        actor=w.users["secretariat_analyst"], action=cycle_of(w).actions[0], kind="arrests", quantity=1
    )


def an_actor(w: Any) -> ActionActor:
    return cycle_of(w).actions[0].actors.first()


PARTS = {"kpi": fresh_kpi, "actor": an_actor, "result": fresh_result}

# --- pages ------------------------------------------------------------------------------------------

test_cycle_edit = permission_matrix(
    "policy:cycle_edit",
    url=lambda w: reverse("policy:cycle_edit", args=[cycle_of(w).cycle.pk]),
    expect=page_write(),
    default=403,
)
test_cycle_edit_post = permission_matrix(
    "policy:cycle_edit",
    url=lambda w: reverse("policy:cycle_edit", args=[cycle_of(w).cycle.pk]),
    method="post",
    data=lambda w: {
        "name": "Renamed (synthetic)",
        "starts_on": str(cycle_of(w).cycle.starts_on),
        "ends_on": str(cycle_of(w).cycle.ends_on),
        "status": cycle_of(w).cycle.status,
    },
    expect=page_write(302),
    default=403,
)
test_goal_edit = permission_matrix(
    "policy:goal_edit",
    url=lambda w: reverse("policy:goal_edit", args=[first_goal(w).pk]),
    expect=page_write(),
    default=403,
)
for _part, _make in PARTS.items():
    globals()[f"test_action_part_remove_{_part}"] = permission_matrix(
        "policy:action_part_remove",
        url=lambda w, p=_part, m=_make: reverse(
            "policy:action_part_remove", args=[cycle_of(w).actions[0].pk, p, m(w).pk]
        ),
        method="post",
        expect=page_write(302, members_only=True),
        default=403,
    )

# --- API ---------------------------------------------------------------------------------------------

for _name, _make in (
    ("policy-kpi", fresh_kpi),
    ("policy-action-actor", an_actor),
    ("policy-action-result", fresh_result),
):
    globals()[f"test_{_name.replace('-', '_')}_delete"] = permission_matrix(
        f"{_name}-detail",
        url=lambda w, n=_name, m=_make: reverse(f"{n}-detail", args=[m(w).pk]),
        method="delete",
        expect=api_write(204, members_only=True),
        default=403,
    )


# --- behaviour and bad input -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_cycle_page_saves_and_names_the_bad_field(world, persona_client):
    cycle = cycle_of(world).cycle
    client = persona_client("secretariat_analyst")
    url = reverse("policy:cycle_edit", args=[cycle.pk])
    bad = client.post(
        url,
        {"name": "X", "starts_on": str(cycle.starts_on), "ends_on": "1999-01-01", "status": cycle.status},
    )
    assert bad.status_code == 400
    cycle.refresh_from_db()
    assert cycle.name != "X"
    data = {"name": "Renamed (synthetic)", "starts_on": str(cycle.starts_on), "ends_on": str(cycle.ends_on)}
    assert client.post(url, {**data, "status": cycle.status}).status_code == 302
    cycle.refresh_from_db()
    assert cycle.name == "Renamed (synthetic)"
    assert AuditEvent.objects.filter(object_type="policy.policycycle", object_id=str(cycle.pk)).exists()


@pytest.mark.django_db
def test_the_goal_page_refuses_a_taken_code(world, persona_client):
    plan = cycle_of(world).priorities[0].strategic_plan
    goals = list(plan.goals.all())
    assert len(goals) >= 2
    client = persona_client("secretariat_analyst")
    response = client.post(
        reverse("policy:goal_edit", args=[goals[1].pk]), {"code": goals[0].code, "title": "Taken (synthetic)"}
    )
    assert response.status_code == 400
    goals[1].refresh_from_db()
    assert goals[1].title != "Taken (synthetic)"
    ok = client.post(
        reverse("policy:goal_edit", args=[goals[1].pk]),
        {"code": goals[1].code, "title": "Edited (synthetic)"},
    )
    assert ok.status_code == 302
    goals[1].refresh_from_db()
    assert goals[1].title == "Edited (synthetic)"


@pytest.mark.django_db
def test_a_kpi_with_reported_values_stays(world, persona_client):
    from ceiba.policy.models import KpiValue

    kpi = KpiValue.objects.filter(kpi__action__in=cycle_of(world).actions).first().kpi
    page = persona_client("secretariat_analyst").post(
        reverse("policy:action_part_remove", args=[kpi.action_id, "kpi", kpi.pk]), follow=True
    )
    assert "Progress reports give values of this KPI" in page.content.decode()
    api = persona_client("secretariat_analyst").delete(reverse("policy-kpi-detail", args=[kpi.pk]))
    assert api.status_code == 400
    assert Kpi.objects.filter(pk=kpi.pk).exists()


@pytest.mark.django_db
def test_a_part_of_another_action_is_not_found(world, persona_client):
    policy = cycle_of(world)
    result = fresh_result(world)
    other = policy.actions[1]
    response = persona_client("secretariat_analyst").post(
        reverse("policy:action_part_remove", args=[other.pk, "result", result.pk])
    )
    assert response.status_code == 404
    assert ActionResult.objects.filter(pk=result.pk).exists()
    unknown = persona_client("secretariat_analyst").post(
        reverse("policy:action_part_remove", args=[other.pk, "budget", result.pk])
    )
    assert unknown.status_code == 403
