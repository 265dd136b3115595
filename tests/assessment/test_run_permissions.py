"""Permission matrices for every page and endpoint of assessment runs. A run one may not read
answers 404; the secretariat's actions answer 403 to anyone else who may read the run; pages ask
anonymous visitors to sign in, the API answers 401."""

from __future__ import annotations

from django.urls import reverse

from ceiba.assessment import methodology_store, runs
from ceiba.common.testing.permissions import PERSONAS, permission_matrix

from .run_factories import draft_public_run, public_run, restricted_run, validated_cycle

EVERYONE = {p: 200 for p in PERSONAS}
SECRETARIAT = {"secretariat_admin": 200, "secretariat_analyst": 200}
#: Who reads a restricted run (not TLP:RED) or a public run still being prepared.
READERS = {**SECRETARIAT, "committee_delegate@other_state": 200}
DELEGATE = "committee_delegate@other_state"
JSON = "application/json"


def _page_action(done: int = 302) -> dict[str, int]:
    return {"anonymous": 302, "secretariat_admin": done, "secretariat_analyst": done, DELEGATE: 403}


def _api_action(done: int = 200) -> dict[str, int]:
    return {"anonymous": 401, "secretariat_admin": done, "secretariat_analyst": done, DELEGATE: 403}


def first_priority(world):
    return restricted_run(world).priorities.order_by("rank").first()


def frozen_run(world):
    run = restricted_run(world)
    runs.freeze_priorities(run, world.users["secretariat_analyst"])
    return run


# --- pages --------------------------------------------------------------------------------------------

test_run_list = permission_matrix(
    "assessment:run_list", url=lambda w: reverse("assessment:run_list"), expect=EVERYONE
)
test_run_create = permission_matrix(
    "assessment:run_create",
    url=lambda w: reverse("assessment:run_create"),
    expect={"anonymous": 302, **SECRETARIAT},
    default=403,
)
test_run_detail_restricted = permission_matrix(
    "assessment:run_detail",
    url=lambda w: reverse("assessment:run_detail", args=[restricted_run(w).pk]),
    expect=READERS,
    default=404,
)
test_run_detail_published = permission_matrix(
    "assessment:run_detail",
    url=lambda w: reverse("assessment:run_detail", args=[public_run(w).pk]),
    expect=EVERYONE,
)
test_run_detail_public_draft = permission_matrix(
    "assessment:run_detail",
    url=lambda w: reverse("assessment:run_detail", args=[draft_public_run(w).pk]),
    expect=READERS,
    default=404,
)
test_priority_rationale = permission_matrix(
    "assessment:priority_rationale",
    url=lambda w: reverse("assessment:priority_rationale", args=[restricted_run(w).pk, first_priority(w).pk]),
    method="post",
    data=lambda w: {f"p{first_priority(w).pk}-rationale": "Edited in a permission test (synthetic)."},
    expect=_page_action(),
    default=404,
)
test_priorities_freeze = permission_matrix(
    "assessment:priorities_freeze",
    url=lambda w: reverse("assessment:priorities_freeze", args=[restricted_run(w).pk]),
    method="post",
    expect=_page_action(),
    default=404,
)
test_priorities_hand_over = permission_matrix(
    "assessment:priorities_hand_over",
    url=lambda w: reverse("assessment:priorities_hand_over", args=[frozen_run(w).pk]),
    method="post",
    expect=_page_action(),
    default=404,
)
test_run_publish = permission_matrix(
    "assessment:run_publish",
    url=lambda w: reverse("assessment:run_publish", args=[draft_public_run(w).pk]),
    method="post",
    expect=_page_action(),
    default=404,
)

# --- API ----------------------------------------------------------------------------------------------

test_api_run_list = permission_matrix(
    "assessment-run-list", url=lambda w: reverse("assessment-run-list"), expect=EVERYONE
)
test_api_run_create = permission_matrix(
    "assessment-run-list",
    url=lambda w: reverse("assessment-run-list"),
    method="post",
    data=lambda w: {
        "cycle": validated_cycle(w).pk,
        "methodology": methodology_store.ensure_default().pk,
        "samples": 10,
    },
    content_type=JSON,
    expect={"anonymous": 401, "secretariat_admin": 201, "secretariat_analyst": 201},
    default=403,
)
test_api_run_detail = permission_matrix(
    "assessment-run-detail",
    url=lambda w: reverse("assessment-run-detail", args=[restricted_run(w).pk]),
    expect=READERS,
    default=404,
)
test_api_run_detail_published = permission_matrix(
    "assessment-run-detail",
    url=lambda w: reverse("assessment-run-detail", args=[public_run(w).pk]),
    expect=EVERYONE,
)
test_api_run_results = permission_matrix(
    "assessment-run-results",
    url=lambda w: reverse("assessment-run-results", args=[restricted_run(w).pk]),
    expect=READERS,
    default=404,
)
test_api_run_priorities = permission_matrix(
    "assessment-run-priorities",
    url=lambda w: reverse("assessment-run-priorities", args=[restricted_run(w).pk]),
    expect=READERS,
    default=404,
)
test_api_run_freeze = permission_matrix(
    "assessment-run-freeze",
    url=lambda w: reverse("assessment-run-freeze", args=[restricted_run(w).pk]),
    method="post",
    expect=_api_action(),
    default=404,
)
test_api_run_hand_over = permission_matrix(
    "assessment-run-hand-over",
    url=lambda w: reverse("assessment-run-hand-over", args=[frozen_run(w).pk]),
    method="post",
    expect=_api_action(),
    default=404,
)
test_api_run_publish = permission_matrix(
    "assessment-run-publish",
    url=lambda w: reverse("assessment-run-publish", args=[draft_public_run(w).pk]),
    method="post",
    expect=_api_action(),
    default=404,
)
test_api_priority_list = permission_matrix(
    "assessment-priority-list", url=lambda w: reverse("assessment-priority-list"), expect=EVERYONE
)
test_api_priority_detail = permission_matrix(
    "assessment-priority-detail",
    url=lambda w: reverse("assessment-priority-detail", args=[first_priority(w).pk]),
    expect=READERS,
    default=404,
)
test_api_priority_rationale = permission_matrix(
    "assessment-priority-detail",
    url=lambda w: reverse("assessment-priority-detail", args=[first_priority(w).pk]),
    method="patch",
    data={"rationale": "Edited through the API in a permission test (synthetic)."},
    content_type=JSON,
    expect=_api_action(),
    default=404,
)
