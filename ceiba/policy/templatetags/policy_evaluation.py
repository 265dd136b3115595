"""Filters of the evaluation pages: shares as percentages."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def share_percent(value: float | None) -> str:
    """A share (0–1) as a whole percentage, "–" when unknown."""
    if value is None:
        return "–"
    return f"{round(float(value) * 100)}%"
