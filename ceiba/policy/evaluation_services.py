"""The secretariat's writes of a cycle's evaluation: lessons (record, correct, remove) and the
finalisation that freezes the figures (and the lessons with them) and makes the evaluation public.
Every service checks the actor's role itself, validates, runs atomically and is audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ceiba.common import audit
from ceiba.common.access import require_secretariat
from ceiba.common.models import AuditAction

from . import evaluation_selectors
from .choices import EvaluationStatus
from .models import CycleEvaluation, Lesson, PolicyCycle

#: Why lessons and the finalisation are not someone else's (the secretariat's).
SECRETARIAT_ONLY = gettext_lazy("Only the secretariat records lessons and finalises an evaluation.")


def _check_open(cycle: PolicyCycle) -> None:
    if evaluation_selectors.is_final(evaluation_selectors.evaluation_of(cycle)):
        raise ValidationError(
            {
                "cycle": _("The evaluation of %(cycle)s is final: its lessons no longer change.")
                % {"cycle": cycle}
            }
        )


@transaction.atomic
def lesson_create(*, actor: Any, cycle: PolicyCycle, title: str, text: str) -> Lesson:
    """Record a lesson of a cycle whose evaluation is not final yet."""
    require_secretariat(actor, SECRETARIAT_ONLY)
    _check_open(cycle)
    lesson = Lesson(cycle=cycle, title=title.strip(), text=text.strip(), recorded_by=actor)
    lesson.full_clean()
    lesson.save()
    audit.record(AuditAction.CREATE, obj=lesson, actor=actor, changes={"title": lesson.title})
    return lesson


@transaction.atomic
def lesson_update(*, actor: Any, lesson: Lesson, title: str, text: str) -> Lesson:
    """Correct a lesson (while the evaluation is not final)."""
    require_secretariat(actor, SECRETARIAT_ONLY)
    _check_open(lesson.cycle)
    before = {"title": lesson.title, "text": lesson.text}
    lesson.title, lesson.text = title.strip(), text.strip()
    lesson.full_clean()
    lesson.save()
    audit.record(
        AuditAction.UPDATE,
        obj=lesson,
        actor=actor,
        changes={k: [v, getattr(lesson, k)] for k, v in before.items() if v != getattr(lesson, k)},
    )
    return lesson


@transaction.atomic
def lesson_delete(*, actor: Any, lesson: Lesson) -> None:
    """Remove a lesson (while the evaluation is not final)."""
    require_secretariat(actor, SECRETARIAT_ONLY)
    _check_open(lesson.cycle)
    audit.record(AuditAction.DELETE, obj=lesson, actor=actor, changes={"title": lesson.title})
    lesson.delete()


@transaction.atomic
def evaluation_finalise(*, actor: Any, cycle: PolicyCycle, summary: str = "") -> CycleEvaluation:
    """Freeze the cycle's figures (computed from every record, as the secretariat reads them), with
    its lessons and a summary; the final evaluation is public and feeds the next cycle."""
    require_secretariat(actor, SECRETARIAT_ONLY)
    record = CycleEvaluation.objects.select_for_update().filter(cycle=cycle).first()
    if record is not None and record.status == EvaluationStatus.FINAL:
        raise ValidationError(
            {"cycle": _("The evaluation of %(cycle)s is already final.") % {"cycle": cycle}}
        )
    record = record or CycleEvaluation(cycle=cycle)
    record.summary = summary.strip() or record.summary
    record.figures = evaluation_selectors.cycle_figures(cycle, actor)
    record.status = EvaluationStatus.FINAL
    record.finalised_at = timezone.now()
    record.finalised_by = actor
    record.full_clean()
    record.save()
    audit.record(
        AuditAction.UPDATE,
        obj=record,
        actor=actor,
        changes={"status": EvaluationStatus.FINAL, "as_of": record.figures.get("as_of")},
    )
    return record
