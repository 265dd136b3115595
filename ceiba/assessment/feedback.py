"""What the policy cycle's evaluations tell the next assessment (issue 5: the evaluation "feeds the
next assessment cycle"). The assessment may not import the policy app (the layer rules), so the policy
app registers a source at start-up and the run form shows what it returns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class EvaluationFeedback:
    """The last final evaluation of a policy cycle, as the secretariat should read it before a run."""

    cycle: str
    url: str
    finalised_on: date | None
    completed_share: float | None
    mean_attainment: float | None
    implemented_share: float | None
    lessons: list[tuple[str, str]] = field(default_factory=list)


FeedbackSource = Callable[[Any], EvaluationFeedback | None]
_sources: list[FeedbackSource] = []


def register_feedback_source(source: FeedbackSource) -> None:
    """Called once at start-up by the app that evaluates policy cycles."""
    if source not in _sources:
        _sources.append(source)


def latest_feedback(user: Any) -> list[EvaluationFeedback]:
    """What every registered source has for this user (each reads through the access policy)."""
    return [item for item in (source(user) for source in _sources) if item is not None]
