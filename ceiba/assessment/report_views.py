"""The assessment report as a page (HTML, charts drawn by vega-embed) and as a PDF download.

Both go through the access policy on the run: a run the user may not see answers 404 (anonymous
visitors are sent to sign in); a published public run is readable by everyone. Downloading the
report of a restricted run is written to the audit trail as an export."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils import translation

from ceiba.common import audit
from ceiba.common.access import Action, NotShared, access_object
from ceiba.common.models import AuditAction

from . import report
from .choices import RunKind
from .models import AssessmentRun

TOPOLOGY_STATIC = "ceiba/vendor/world-atlas/americas-50m.json"


def visible_run(request: HttpRequest, pk: int) -> AssessmentRun:
    """The run if `request.user` may see it and it is a threat assessment (NotShared otherwise)."""
    run = access_object(
        AssessmentRun.objects.select_related("methodology", "cycle"), request.user, Action.VIEW, pk=pk
    )
    if run.kind != RunKind.CYCLE:
        raise NotShared
    return run


def record_export(run: AssessmentRun, user: Any, language: str, file_format: str) -> None:
    """Downloads of restricted reports are exports of restricted data: audited."""
    if not run.is_public:
        audit.record(
            AuditAction.EXPORT,
            obj=run,
            actor=user,
            changes={"report": file_format, "language": language, "marking": run.tlp},
        )


def _run_or_login(request: HttpRequest, pk: int) -> AssessmentRun | HttpResponse:
    try:
        return visible_run(request, pk)
    except NotShared:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise


def report_page(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run_or_login(request, pk)
    if isinstance(run, HttpResponse):
        return run
    language = report.report_language(request.GET.get("lang"))
    with translation.override(language):
        context = report.report_context(
            run, inline_geometry=False, topology_url=static(TOPOLOGY_STATIC), width="container"
        )
        context.update(language=language, languages=settings.LANGUAGES)
        response = render(request, "assessment/report.html", context)
    response["Content-Language"] = language
    return response


def pdf_response(run: AssessmentRun, language: str) -> HttpResponse:
    response = HttpResponse(report.report_pdf(run, language), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report.pdf_filename(run, language)}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run_or_login(request, pk)
    if isinstance(run, HttpResponse):
        return run
    language = report.report_language(request.GET.get("lang"))
    record_export(run, request.user, language, "pdf")
    return pdf_response(run, language)
