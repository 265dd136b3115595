"""The assessment report through the API: GET /api/v1/assessment/runs/<pk>/report/?format=pdf|html
&lang=es|en|pt|fr. Same access, marking, cache and audit as the pages (report_views)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotAuthenticated, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.views import APIView

from ceiba.common.access import NotShared

from .. import report
from ..report_views import pdf_response, record_export, visible_run

FORMATS = ("pdf", "html")


class RunReportAPIView(APIView):
    """A run's report as a file: PDF (default) or self-contained HTML (the print version). A
    published public run's report is readable without signing in; any other run needs a session or
    token and the access policy."""

    permission_classes = [AllowAny]

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        # `format` names the report's file format here, not a DRF renderer: errors answer JSON.
        return (JSONRenderer(), JSONRenderer.media_type)

    @extend_schema(
        parameters=[
            OpenApiParameter("format", str, enum=list(FORMATS), description="pdf (default) or html"),
            OpenApiParameter("lang", str, enum=list(report.LANGUAGES), description="the report's language"),
        ],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, (200, "text/html"): OpenApiTypes.STR},
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        file_format = request.query_params.get("format", "pdf")
        if file_format not in FORMATS:
            raise ValidationError({"format": [f"Choose one of: {', '.join(FORMATS)}."]})
        lang = request.query_params.get("lang")
        if lang is not None and lang not in report.LANGUAGES:
            raise ValidationError({"lang": [f"Choose one of: {', '.join(report.LANGUAGES)}."]})
        try:
            run = visible_run(request, pk)
        except NotShared:
            if not request.user.is_authenticated:
                raise NotAuthenticated from None
            raise
        language = report.report_language(lang)
        record_export(run, request.user, language, file_format)
        if file_format == "pdf":
            return pdf_response(run, language)
        # The print version: one self-contained file (maps as SVG data URIs, no script, no link).
        html = report.render_print_html(run, language)
        response = HttpResponse(html, content_type="text/html; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="{report.pdf_filename(run, language).removesuffix(".pdf")}.html"'
        )
        return response
