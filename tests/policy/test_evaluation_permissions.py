"""Permission matrices of the evaluation's pages and endpoints. A draft evaluation reaches the
members (every role but the forum's: "not found" for it); a final one everyone. The secretariat
records lessons and finalises; other members get "forbidden"; pages ask anonymous visitors to sign
in, the API answers 401."""

from __future__ import annotations

from django.urls import reverse

from ceiba.common.testing.permissions import PERSONAS, permission_matrix
from ceiba.policy import evaluation_services
from ceiba.policy.models import Lesson

from .factories import small_cycle

EVERYONE = {p: 200 for p in PERSONAS}
SECRETARIAT = ("secretariat_admin", "secretariat_analyst")
JSON = "application/json"


def members(status: int) -> dict[str, int]:
    return {p: status for p in PERSONAS if p not in ("anonymous", "forum_participant")}


def secretariat_action(done: int, others: int = 403, anonymous: int = 302) -> dict[str, int]:
    table = {**members(others), "anonymous": anonymous, "forum_participant": 404}
    table.update({p: done for p in SECRETARIAT})
    return table


def cycle_pk(world) -> int:
    return small_cycle(world).cycle.pk


def final_cycle_pk(world) -> int:
    cycle = small_cycle(world).cycle
    evaluation_services.evaluation_finalise(actor=world.users["secretariat_admin"], cycle=cycle)
    return cycle.pk


def lesson_pk(world) -> int:
    cycle = small_cycle(world).cycle
    lesson = Lesson(cycle=cycle, title="A lesson (synthetic)", text="Learnt (synthetic).")
    lesson.full_clean()
    lesson.save()
    return lesson.pk


LESSON = {"title": "Name a deputy reporter (synthetic)", "text": "Reports came late (synthetic)."}

# --- pages ------------------------------------------------------------------------------------------

test_page_draft = permission_matrix(
    "policy:evaluation",
    url=lambda w: reverse("policy:evaluation", args=[cycle_pk(w)]),
    expect={**members(200), "anonymous": 302, "forum_participant": 404},
)
test_page_final = permission_matrix(
    "policy:evaluation",
    url=lambda w: reverse("policy:evaluation", args=[final_cycle_pk(w)]),
    expect=EVERYONE,
)
test_pdf_final = permission_matrix(
    "policy:evaluation_pdf",
    url=lambda w: reverse("policy:evaluation_pdf", args=[final_cycle_pk(w)]) + "?lang=fr",
    expect=EVERYONE,
)
test_finalise = permission_matrix(
    "policy:evaluation_finalise",
    url=lambda w: reverse("policy:evaluation_finalise", args=[cycle_pk(w)]),
    method="post",
    data={"summary": "Finalised in a permission test (synthetic)."},
    expect=secretariat_action(302),
)
test_lesson_create = permission_matrix(
    "policy:evaluation_lesson_create",
    url=lambda w: reverse("policy:evaluation_lesson_create", args=[cycle_pk(w)]),
    method="post",
    data=LESSON,
    expect=secretariat_action(302),
)
test_lesson_edit = permission_matrix(
    "policy:evaluation_lesson_edit",
    url=lambda w: reverse("policy:evaluation_lesson_edit", args=[lesson_pk(w)]),
    expect=secretariat_action(200),
)
test_lesson_edit_post = permission_matrix(
    "policy:evaluation_lesson_edit",
    url=lambda w: reverse("policy:evaluation_lesson_edit", args=[lesson_pk(w)]),
    method="post",
    data=LESSON,
    expect=secretariat_action(302),
)
test_lesson_delete = permission_matrix(
    "policy:evaluation_lesson_delete",
    url=lambda w: reverse("policy:evaluation_lesson_delete", args=[lesson_pk(w)]),
    method="post",
    expect=secretariat_action(302),
)

# --- API ----------------------------------------------------------------------------------------------

test_api_evaluation_draft = permission_matrix(
    "policy-evaluation",
    url=lambda w: reverse("policy-evaluation", args=[cycle_pk(w)]),
    expect={**members(200), "anonymous": 401, "forum_participant": 404},
)
test_api_evaluation_final = permission_matrix(
    "policy-evaluation",
    url=lambda w: reverse("policy-evaluation", args=[final_cycle_pk(w)]),
    expect=EVERYONE,
)
test_api_finalise = permission_matrix(
    "policy-evaluation-finalise",
    url=lambda w: reverse("policy-evaluation-finalise", args=[cycle_pk(w)]),
    method="post",
    data={"summary": "Finalised through the API (synthetic)."},
    content_type=JSON,
    expect=secretariat_action(200, anonymous=401),
)
test_api_lessons = permission_matrix(
    "policy-lesson-list",
    url=lambda w: reverse("policy-lesson-list", args=[cycle_pk(w)]),
    expect={**EVERYONE, "anonymous": 401},
)
test_api_lesson_create = permission_matrix(
    "policy-lesson-list",
    url=lambda w: reverse("policy-lesson-list", args=[cycle_pk(w)]),
    method="post",
    data=LESSON,
    content_type=JSON,
    expect={**secretariat_action(201, anonymous=401), "forum_participant": 403},
)
test_api_lesson_detail = permission_matrix(
    "policy-lesson-detail",
    url=lambda w: reverse("policy-lesson-detail", args=[lesson_pk(w)]),
    expect={**members(200), "anonymous": 401, "forum_participant": 404},
)
test_api_lesson_patch = permission_matrix(
    "policy-lesson-detail",
    url=lambda w: reverse("policy-lesson-detail", args=[lesson_pk(w)]),
    method="patch",
    data={"title": "Corrected (synthetic)"},
    content_type=JSON,
    expect=secretariat_action(200, anonymous=401),
)
test_api_lesson_delete = permission_matrix(
    "policy-lesson-detail",
    url=lambda w: reverse("policy-lesson-detail", args=[lesson_pk(w)]),
    method="delete",
    expect=secretariat_action(204, anonymous=401),
)
