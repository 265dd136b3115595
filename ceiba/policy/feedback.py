"""The policy cycle's side of `ceiba.assessment.feedback`: the last final evaluation the user may read,
with its headline figures and lessons, for the next assessment's run form."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from ceiba.assessment.feedback import EvaluationFeedback, register_feedback_source
from ceiba.common.access import restrict

from .choices import EvaluationStatus
from .models import CycleEvaluation


def last_final_evaluation(user: Any) -> EvaluationFeedback | None:
    evaluation = (
        restrict(CycleEvaluation.objects.filter(status=EvaluationStatus.FINAL), user)
        .select_related("cycle")
        .order_by("-finalised_at", "-pk")
        .first()
    )
    if evaluation is None:
        return None
    figures = evaluation.figures or {}
    return EvaluationFeedback(
        cycle=evaluation.cycle.name,
        url=reverse("policy:evaluation", args=[evaluation.cycle_id]),
        finalised_on=evaluation.finalised_at.date() if evaluation.finalised_at else None,
        completed_share=(figures.get("actions") or {}).get("completed_share"),
        mean_attainment=(figures.get("kpis") or {}).get("mean_attainment"),
        implemented_share=(figures.get("recommendations") or {}).get("implemented_share"),
        lessons=[(lesson.get("title", ""), lesson.get("text", "")) for lesson in figures.get("lessons", [])],
    )


def register() -> None:
    register_feedback_source(last_final_evaluation)
