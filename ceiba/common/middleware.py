"""Request-level safeguards: body size limit, the user's language, and the audit context."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from . import audit
from .problems import problem_response


class RequestSizeLimitMiddleware:
    """Refuse requests whose declared body is larger than CEIBA_MAX_REQUEST_BYTES with 413."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.CEIBA_MAX_REQUEST_BYTES
        if length > limit:
            return problem_response(
                request,
                status=413,
                title=translation.gettext("Request too large"),
                detail=translation.gettext(
                    "The request body is %(size)s bytes; the largest accepted is %(limit)s bytes."
                )
                % {"size": length, "limit": limit},
            )
        return self.get_response(request)


class LanguageMiddleware:
    """Pick the interface language: explicit cookie choice, then the browser's, then Spanish.

    Unlike Django's LocaleMiddleware it keeps URLs language-neutral, so links can be shared between
    users who read different languages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = translation.get_language_from_request(request, check_path=False)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        vary = response.headers.get("Vary", "")
        if "Accept-Language" not in vary:
            response.headers["Vary"] = f"{vary}, Accept-Language, Cookie".strip(", ")
        translation.deactivate()
        return response


class AuditContextMiddleware:
    """Make the request available to audit writers (actor and address) for its whole duration."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with audit.request_context(request):
            return self.get_response(request)
