"""The final evaluation of a policy cycle is shown where the secretariat prepares the next assessment
(issue 5: the evaluation "feeds the next assessment cycle")."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import reverse

from ceiba.policy import evaluation_services

pytestmark = pytest.mark.django_db


def test_the_run_form_shows_the_last_final_evaluation(policy: SimpleNamespace, persona_client: Any) -> None:
    client = persona_client("secretariat_analyst")
    before = client.get(reverse("assessment:run_create"), headers={"accept-language": "en"})
    assert before.status_code == 200 and "What the evaluation of" not in before.content.decode()

    analyst = policy.world.users["secretariat_analyst"]
    evaluation_services.lesson_create(
        actor=analyst,
        cycle=policy.cycle,
        title="Report on time (synthetic)",
        text="Late reports hid two stalled actions (synthetic).",
    )
    evaluation_services.evaluation_finalise(actor=analyst, cycle=policy.cycle)

    page = client.get(reverse("assessment:run_create"), headers={"accept-language": "en"}).content.decode()
    assert f"What the evaluation of {policy.cycle.name} found" in page
    assert "Report on time (synthetic)" in page and "Late reports hid two stalled actions" in page
    assert reverse("policy:evaluation", args=[policy.cycle.pk]) in page
    spanish = client.get(reverse("assessment:run_create"), headers={"accept-language": "es"}).content.decode()
    assert "Lo que encontró la evaluación de" in spanish
