"""Formatting of run results in templates: scores, shares and unknown values."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format

register = template.Library()

UNKNOWN = "–"


@register.filter
def score(value: float | None) -> str:
    """A score with two decimals in the viewer's locale, "–" when unknown."""
    if value is None:
        return UNKNOWN
    return number_format(value, 2)


@register.filter
def percent(value: float | None) -> str:
    """A share (0–1) as a whole percentage, "–" when unknown."""
    if value is None:
        return UNKNOWN
    return f"{round(value * 100)}%"
