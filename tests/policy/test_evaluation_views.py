"""The evaluation's pages, PDF, services and API: the secretariat records lessons and finalises (the
figures freeze, the lessons too, the evaluation becomes public and feeds the next cycle); bad input
is refused with the field named and nothing saved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ceiba.common.models import AuditEvent
from ceiba.policy import evaluation_services
from ceiba.policy.choices import ActionStatus, EvaluationStatus
from ceiba.policy.models import CycleEvaluation, Lesson, PolicyCycle


def test_the_page_shows_the_figures_and_the_secretariat_s_forms(policy, persona_client) -> None:
    response = persona_client("secretariat_analyst").get(reverse("policy:evaluation", args=[policy.cycle.pk]))
    text = response.content.decode()
    assert response.status_code == 200
    assert "0 of 4 actions completed (0%)" in text
    assert "Record a lesson" in text and "Finalise and publish" in text
    delegate = persona_client("committee_delegate@other_state").get(
        reverse("policy:evaluation", args=[policy.cycle.pk])
    )
    assert "Record a lesson" not in delegate.content.decode()
    assert "reports you may not read count as missing" in delegate.content.decode()


def test_the_page_takes_a_fixed_number_of_queries(policy, persona_client) -> None:
    client = persona_client("secretariat_analyst")
    url = reverse("policy:evaluation", args=[policy.cycle.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for number in range(3):
        Lesson.objects.create(cycle=policy.cycle, title=f"Lesson {number} (synthetic)", text="Synthetic.")
        action = policy.actions[0]
        action.pk = None
        action.code = f"TC-EXTRA-{number}"
        action.status = ActionStatus.COMPLETED
        action.save()
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before) <= 30


def test_the_secretariat_records_corrects_and_removes_a_lesson(policy, persona_client) -> None:
    client = persona_client("secretariat_admin")
    url = reverse("policy:evaluation_lesson_create", args=[policy.cycle.pk])
    response = client.post(url, {"title": "Name a deputy reporter (synthetic)", "text": "Reports came late."})
    assert response.status_code == 302
    lesson = Lesson.objects.get(cycle=policy.cycle)
    assert lesson.recorded_by == policy.world.users["secretariat_admin"]
    assert AuditEvent.objects.filter(object_type="policy.lesson", object_id=str(lesson.pk)).exists()
    bad = client.post(url, {"title": "", "text": "No title."})
    assert bad.status_code == 400 and "This field is required" in bad.content.decode()
    assert Lesson.objects.filter(cycle=policy.cycle).count() == 1
    client.post(
        reverse("policy:evaluation_lesson_edit", args=[lesson.pk]),
        {"title": "Corrected", "text": "Corrected."},
    )
    lesson.refresh_from_db()
    assert lesson.title == "Corrected"
    client.post(reverse("policy:evaluation_lesson_delete", args=[lesson.pk]))
    assert not Lesson.objects.filter(pk=lesson.pk).exists()


def test_finalising_freezes_the_figures_and_the_lessons(policy, persona_client) -> None:
    admin = policy.world.users["secretariat_admin"]
    evaluation_services.lesson_create(
        actor=admin, cycle=policy.cycle, title="Lesson (synthetic)", text="Text."
    )
    with pytest.raises(PermissionDenied):
        evaluation_services.evaluation_finalise(
            actor=policy.world.users["national_focal_point"], cycle=policy.cycle
        )
    record = evaluation_services.evaluation_finalise(
        actor=admin, cycle=policy.cycle, summary="Done (synthetic)."
    )
    assert record.status == EvaluationStatus.FINAL and record.finalised_by == admin
    assert (
        record.figures["actions"]["total"] == 4
        and record.figures["lessons"][0]["title"] == "Lesson (synthetic)"
    )
    policy.actions[0].status = ActionStatus.COMPLETED
    policy.actions[0].save()
    response = persona_client("forum_participant").get(reverse("policy:evaluation", args=[policy.cycle.pk]))
    text = response.content.decode()
    assert response.status_code == 200 and "0 of 4 actions completed" in text and "Lesson (synthetic)" in text
    with pytest.raises(ValidationError) as error:
        evaluation_services.lesson_create(actor=admin, cycle=policy.cycle, title="Late", text="Too late.")
    assert "cycle" in error.value.message_dict
    with pytest.raises(ValidationError):
        evaluation_services.evaluation_finalise(actor=admin, cycle=policy.cycle)
    assert CycleEvaluation.objects.filter(cycle=policy.cycle).count() == 1
    assert Lesson.objects.filter(cycle=policy.cycle).count() == 1


def test_the_final_evaluation_feeds_the_next_cycle(policy, persona_client) -> None:
    admin = policy.world.users["secretariat_admin"]
    evaluation_services.lesson_create(
        actor=admin, cycle=policy.cycle, title="Carry this (synthetic)", text="T."
    )
    evaluation_services.evaluation_finalise(actor=admin, cycle=policy.cycle)
    following = PolicyCycle(
        committee=policy.committee,
        name="Next test cycle (synthetic)",
        starts_on=policy.cycle.ends_on + dt.timedelta(days=1),
        ends_on=policy.cycle.ends_on + dt.timedelta(days=4 * 365),
        previous=policy.cycle,
    )
    following.full_clean()
    following.save()
    client = persona_client("national_analyst")
    page = client.get(reverse("policy:evaluation", args=[policy.cycle.pk])).content.decode()
    assert reverse("policy:evaluation", args=[following.pk]) in page
    data = client.get(reverse("policy-evaluation", args=[following.pk])).json()
    assert data["previous_cycle"] == policy.cycle.pk and data["previous_evaluation_final"] is True
    assert data["previous_figures"]["lessons"][0]["title"] == "Carry this (synthetic)"
    assert data["status"] == "draft" and data["figures"]["actions"]["total"] == 0
    assert (
        client.get(reverse("policy-evaluation", args=[policy.cycle.pk])).json()["next_cycle"] == following.pk
    )


def test_the_pdf_in_every_language(policy, persona_client) -> None:
    client = persona_client("secretariat_analyst")
    for language in ("es", "fr"):
        response = client.get(reverse("policy:evaluation_pdf", args=[policy.cycle.pk]) + f"?lang={language}")
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
        assert f"cycle-{policy.cycle.pk}-{language}.pdf" in response["Content-Disposition"]
    assert AuditEvent.objects.filter(action="export", object_type="policy.policycycle").count() == 2


def test_the_api_records_lessons_with_clear_errors(policy, persona_client) -> None:
    client = persona_client("secretariat_analyst")
    url = reverse("policy-lesson-list", args=[policy.cycle.pk])
    bad = client.post(url, {"title": "No text"}, content_type="application/json")
    assert bad.status_code == 400 and "text" in str(bad.json())
    created = client.post(url, {"title": "T (synthetic)", "text": "X."}, content_type="application/json")
    assert created.status_code == 201
    assert [item["title"] for item in client.get(url).json()] == ["T (synthetic)"]
    final = client.post(
        reverse("policy-evaluation-finalise", args=[policy.cycle.pk]), {}, content_type="application/json"
    )
    assert final.status_code == 200 and final.json()["status"] == "final"
    refused = client.patch(
        reverse("policy-lesson-detail", args=[created.json()["id"]]),
        {"title": "Y"},
        content_type="application/json",
    )
    assert refused.status_code == 400 and "cycle" in str(refused.json())


@pytest.mark.parametrize(
    ("language", "title"),
    [("es", "Evaluación de"), ("pt", "Avaliação de"), ("fr", "Évaluation de"), ("en", "Evaluation of")],
)
def test_the_page_in_four_languages(policy, persona_client, language, title) -> None:
    client = persona_client("secretariat_analyst")
    response = client.get(
        reverse("policy:evaluation", args=[policy.cycle.pk]), headers={"accept-language": language}
    )
    assert title in response.content.decode()
