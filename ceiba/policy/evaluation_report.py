"""The evaluation's figures laid out for a page and for the PDF (WeasyPrint), in four languages."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import get_language_info

from .choices import ActionStatus, EvaluationStatus, ImplementationStatus
from .models import PolicyCycle

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def report_language(requested: str | None) -> str:
    """`?lang=` if it is one of the four, else the active language."""
    if requested and requested in LANGUAGES:
        return requested
    active = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return active if active in LANGUAGES else "es"


def report_languages() -> list[tuple[str, str]]:
    return [(code, get_language_info(code)["name_local"]) for code in LANGUAGES]


def layout(data: dict[str, Any]) -> dict[str, Any]:
    """Labels for the status codes of `data["figures"]` (in the active language)."""
    figures = data["figures"]
    actions = figures.get("actions", {})
    recommendations = figures.get("recommendations", {})
    return {
        **data,
        "action_rows": [
            (ActionStatus(code).label, count) for code, count in actions.get("by_status", {}).items()
        ],
        "implementation_rows": [
            (ImplementationStatus(code).label, count)
            for code, count in recommendations.get("by_status", {}).items()
        ],
        "status_label": EvaluationStatus(data["status"]).label,
    }


def print_html(cycle: PolicyCycle, data: dict[str, Any], language: str) -> str:
    with translation.override(language):
        context = layout(data)
        context.update(language=language, print_mode=True)
        return render_to_string("policy/evaluation/print.html", context)


def evaluation_pdf(cycle: PolicyCycle, data: dict[str, Any], language: str) -> bytes:
    from weasyprint import HTML

    pdf: bytes = HTML(string=print_html(cycle, data, language), base_url=str(settings.BASE_DIR)).write_pdf()
    return pdf


def pdf_filename(cycle: PolicyCycle, language: str) -> str:
    return f"ceiba-evaluation-cycle-{cycle.pk}-{language}.pdf"
