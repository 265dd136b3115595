"""Permission matrices for every page and endpoint of the plans. Cycles, priorities, strategic plans
and horizontal goals are public; operational action plans and actions reach the members (others: 404);
the secretariat writes (its administrator the horizontal goals): pages ask anonymous visitors to sign
in, the API answers 401; everyone else who may read gets 403."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from ceiba.common.testing.permissions import PERSONAS, permission_matrix
from ceiba.policy import plan_services

from .plans_factories import cycle_of, handed_over_run

EVERYONE = {p: 200 for p in PERSONAS}
MEMBERS = {p: 200 for p in PERSONAS if p not in ("anonymous", "forum_participant")}
NOT_MEMBERS = {"anonymous": 404, "forum_participant": 404}
SECRETARIAT = ("secretariat_admin", "secretariat_analyst")
JSON = "application/json"


def page_write(done: int = 200, *, members_only: bool = False) -> dict[str, Any]:
    """A secretariat page: sign in first; 404 where the record is not visible; 403 otherwise."""
    expect: dict[str, Any] = {"anonymous": 302, **{p: done for p in SECRETARIAT}}
    if members_only:
        expect["forum_participant"] = 404
    return expect


def api_write(done: int = 200, *, members_only: bool = False, admin_only: bool = False) -> dict[str, Any]:
    writers = ("secretariat_admin",) if admin_only else SECRETARIAT
    expect: dict[str, Any] = {"anonymous": 401, **{p: done for p in writers}}
    if members_only:
        expect["forum_participant"] = 404
    return expect


def bare_priority(world: Any) -> Any:
    """A priority of the small cycle without a strategic plan yet."""
    cached = getattr(world, "_bare_priority", None)
    if cached is None:
        cached = plan_services.priority_create(
            actor=world.users["secretariat_analyst"],
            cycle=cycle_of(world).cycle,
            title="Cybercrime (synthetic)",
            driver=world.arg,
        )
        world._bare_priority = cached
    return cached


def first_goal(world: Any) -> Any:
    return cycle_of(world).priorities[0].strategic_plan.goals.first()


def horizontal_goal(world: Any) -> Any:
    from ceiba.policy.models import HorizontalGoal

    return HorizontalGoal.objects.order_by("order").last()


def adoption(world: Any) -> dict[str, Any]:
    run = handed_over_run(world)
    return {
        "run": run.pk,
        "adoptions": [
            {"recommended_priority": run.priorities.first().pk, "driver": "ARG", "co_drivers": ["CHL"]}
        ],
    }


# --- pages ----------------------------------------------------------------------------------------

test_home = permission_matrix("policy:home", url=lambda w: reverse("policy:home"), expect=EVERYONE)
test_cycle_detail = permission_matrix(
    "policy:cycle_detail",
    url=lambda w: reverse("policy:cycle_detail", args=[cycle_of(w).cycle.pk]),
    expect=EVERYONE,
)
test_cycle_create = permission_matrix(
    "policy:cycle_create", url=lambda w: reverse("policy:cycle_create"), expect=page_write(), default=403
)
test_priority_create = permission_matrix(
    "policy:priority_create",
    url=lambda w: reverse("policy:priority_create", args=[cycle_of(w).cycle.pk]),
    expect=page_write(),
    default=403,
)
test_priority_adopt = permission_matrix(
    "policy:priority_adopt",
    url=lambda w: reverse("policy:priority_adopt", args=[cycle_of(w).cycle.pk]),
    expect=page_write(),
    default=403,
)
test_priority_edit = permission_matrix(
    "policy:priority_edit",
    url=lambda w: reverse("policy:priority_edit", args=[cycle_of(w).priorities[0].pk]),
    expect=page_write(),
    default=403,
)
test_strategic_plan_create = permission_matrix(
    "policy:strategic_plan_create",
    url=lambda w: reverse("policy:strategic_plan_create", args=[bare_priority(w).pk]),
    expect=page_write(),
    default=403,
)
test_strategic_plan_edit = permission_matrix(
    "policy:strategic_plan_edit",
    url=lambda w: reverse("policy:strategic_plan_edit", args=[cycle_of(w).priorities[0].strategic_plan.pk]),
    expect=page_write(),
    default=403,
)
test_goal_create = permission_matrix(
    "policy:goal_create",
    url=lambda w: reverse("policy:goal_create", args=[cycle_of(w).priorities[0].strategic_plan.pk]),
    expect=page_write(),
    default=403,
)
test_horizontal_goals = permission_matrix(
    "policy:horizontal_goals",
    url=lambda w: reverse("policy:horizontal_goals"),
    expect={"anonymous": 302, "secretariat_admin": 200},
    default=403,
)
test_horizontal_goal_edit = permission_matrix(
    "policy:horizontal_goal_edit",
    url=lambda w: reverse("policy:horizontal_goal_edit", args=[horizontal_goal(w).pk]),
    expect={"anonymous": 302, "secretariat_admin": 200},
    default=403,
)
test_horizontal_goal_move = permission_matrix(
    "policy:horizontal_goal_move",
    url=lambda w: reverse("policy:horizontal_goal_move", args=[horizontal_goal(w).pk]),
    method="post",
    data={"direction": "up"},
    expect={"anonymous": 302, "secretariat_admin": 302},
    default=403,
)
test_action_plan_create = permission_matrix(
    "policy:action_plan_create",
    url=lambda w: reverse("policy:action_plan_create", args=[cycle_of(w).priorities[0].pk]),
    expect=page_write(),
    default=403,
)
test_action_plan_detail = permission_matrix(
    "policy:action_plan_detail",
    url=lambda w: reverse("policy:action_plan_detail", args=[cycle_of(w).plans[0].pk]),
    expect={**MEMBERS, **NOT_MEMBERS},
)
test_action_plan_edit = permission_matrix(
    "policy:action_plan_edit",
    url=lambda w: reverse("policy:action_plan_edit", args=[cycle_of(w).plans[0].pk]),
    expect=page_write(members_only=True),
    default=403,
)
test_action_create = permission_matrix(
    "policy:action_create",
    url=lambda w: reverse("policy:action_create", args=[cycle_of(w).plans[0].pk]),
    expect=page_write(members_only=True),
    default=403,
)
test_action_detail = permission_matrix(
    "policy:action_detail",
    url=lambda w: reverse("policy:action_detail", args=[cycle_of(w).actions[0].pk]),
    expect={**MEMBERS, **NOT_MEMBERS},
)
test_action_edit = permission_matrix(
    "policy:action_edit",
    url=lambda w: reverse("policy:action_edit", args=[cycle_of(w).actions[0].pk]),
    expect=page_write(members_only=True),
    default=403,
)
test_action_part_add = permission_matrix(
    "policy:action_part_add",
    url=lambda w: reverse("policy:action_part_add", args=[cycle_of(w).actions[0].pk, "result"]),
    method="post",
    data={"result-kind": "arrests", "result-quantity": "2"},
    expect=page_write(302, members_only=True),
    default=403,
)

# --- API: reads -------------------------------------------------------------------------------------


PUBLIC_LISTS = [
    "policy-cycle",
    "policy-priority",
    "policy-horizontal-goal",
    "policy-strategic-plan",
    "policy-strategic-goal",
]
MEMBER_LISTS = [
    "policy-action-plan",
    "policy-action",
    "policy-kpi",
    "policy-action-actor",
    "policy-action-result",
]
for _name in PUBLIC_LISTS + MEMBER_LISTS:
    globals()[f"test_{_name.replace('-', '_')}_list"] = permission_matrix(
        f"{_name}-list", url=lambda w, n=_name: reverse(f"{n}-list"), expect=EVERYONE
    )

DETAILS: dict[str, Any] = {
    "policy-cycle": lambda w: cycle_of(w).cycle.pk,
    "policy-priority": lambda w: cycle_of(w).priorities[0].pk,
    "policy-horizontal-goal": lambda w: horizontal_goal(w).pk,
    "policy-strategic-plan": lambda w: cycle_of(w).priorities[0].strategic_plan.pk,
    "policy-strategic-goal": lambda w: first_goal(w).pk,
    "policy-action-plan": lambda w: cycle_of(w).plans[0].pk,
    "policy-action": lambda w: cycle_of(w).actions[0].pk,
    "policy-kpi": lambda w: cycle_of(w).actions[0].kpis.first().pk,
    "policy-action-actor": lambda w: cycle_of(w).actions[0].actors.first().pk,
    "policy-action-result": lambda w: (
        plan_services.result_add(
            actor=w.users["secretariat_analyst"], action=cycle_of(w).actions[0], kind="arrests", quantity=1
        ).pk
    ),
}
for _name, _pk in DETAILS.items():
    globals()[f"test_{_name.replace('-', '_')}_detail"] = permission_matrix(
        f"{_name}-detail",
        url=lambda w, n=_name, pk=_pk: reverse(f"{n}-detail", args=[pk(w)]),
        expect=EVERYONE if _name in PUBLIC_LISTS else {**MEMBERS, **NOT_MEMBERS},
    )

# --- API: writes ------------------------------------------------------------------------------------

CREATES: dict[str, Any] = {
    "policy-cycle": lambda w: {
        "committee": cycle_of(w).committee.pk,
        "name": "API cycle (synthetic)",
        "starts_on": "2040-01-01",
    },
    "policy-priority": lambda w: {
        "cycle": cycle_of(w).cycle.pk,
        "title": "API priority (synthetic)",
        "driver": "ARG",
    },
    "policy-horizontal-goal": lambda w: {
        "code": "cyber",
        "name_en": "Cybercrime",
        "name_es": "Cibercrimen",
        "name_pt": "Cibercrime",
        "name_fr": "Cybercriminalité",
    },
    "policy-strategic-plan": lambda w: {"priority": bare_priority(w).pk, "title": "API plan (synthetic)"},
    "policy-strategic-goal": lambda w: {
        "plan": cycle_of(w).priorities[0].strategic_plan.pk,
        "code": "G9",
        "title": "API goal (synthetic)",
    },
    "policy-action-plan": lambda w: {
        "priority": cycle_of(w).priorities[0].pk,
        "title": "API action plan (synthetic)",
        "starts_on": str(cycle_of(w).cycle.ends_on.replace(month=1, day=1)),
    },
    "policy-action": lambda w: {
        "plan": cycle_of(w).plans[0].pk,
        "code": "API-OA1",
        "title": "API action (synthetic)",
        "leader_state": "ARG",
        "starts_on": str(cycle_of(w).plans[0].starts_on),
        "ends_on": str(cycle_of(w).plans[0].ends_on),
    },
    "policy-kpi": lambda w: {
        "action": cycle_of(w).actions[0].pk,
        "code": "K9",
        "name": "Operations (synthetic)",
        "unit": "operations",
        "target": "4",
    },
    "policy-action-actor": lambda w: {
        "action": cycle_of(w).actions[0].pk,
        "role": "participant",
        "state": "CHL",
    },
    "policy-action-result": lambda w: {
        "action": cycle_of(w).actions[0].pk,
        "kind": "arrests",
        "quantity": "2",
    },
}
for _name, _data in CREATES.items():
    globals()[f"test_{_name.replace('-', '_')}_create"] = permission_matrix(
        f"{_name}-list",
        url=lambda w, n=_name: reverse(f"{n}-list"),
        method="post",
        data=_data,
        content_type=JSON,
        expect=api_write(201, admin_only=_name == "policy-horizontal-goal"),
        default=403,
    )


def _versioned(obj: Any, **values: Any) -> dict[str, Any]:
    return {**values, "lock_version": obj.lock_version}


UPDATES: dict[str, Any] = {
    "policy-cycle": lambda w: _versioned(cycle_of(w).cycle, name="Renamed (synthetic)"),
    "policy-priority": lambda w: _versioned(cycle_of(w).priorities[0], title="Renamed (synthetic)"),
    "policy-horizontal-goal": lambda w: _versioned(horizontal_goal(w), name_fr="Renommé"),
    "policy-strategic-plan": lambda w: _versioned(cycle_of(w).priorities[0].strategic_plan, title="Renamed"),
    "policy-strategic-goal": lambda w: _versioned(first_goal(w), title="Renamed (synthetic)"),
    "policy-action-plan": lambda w: _versioned(cycle_of(w).plans[0], title="Renamed (synthetic)"),
    "policy-action": lambda w: _versioned(cycle_of(w).actions[0], title="Renamed (synthetic)"),
    "policy-kpi": lambda w: {"name": "Renamed (synthetic)"},
}
for _name, _data in UPDATES.items():
    globals()[f"test_{_name.replace('-', '_')}_update"] = permission_matrix(
        f"{_name}-detail",
        url=lambda w, n=_name: reverse(f"{n}-detail", args=[DETAILS[n](w)]),
        method="patch",
        data=_data,
        content_type=JSON,
        expect=api_write(
            200, members_only=_name not in PUBLIC_LISTS, admin_only=_name == "policy-horizontal-goal"
        ),
        default=403,
    )

test_cycle_adopt = permission_matrix(
    "policy-cycle-adopt",
    url=lambda w: reverse("policy-cycle-adopt", args=[cycle_of(w).cycle.pk]),
    method="post",
    data=adoption,
    content_type=JSON,
    expect=api_write(201),
    default=403,
)
