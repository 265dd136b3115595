"""Views every app shares: language choice, error pages and the CSRF failure page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import audit
from .models import AuditAction
from .problems import problem_response


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; the choice is kept in a cookie (and on the account)."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
            secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False),
            httponly=False,
        )
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "language", language) != language:
            user.language = language
            user.save(update_fields=["language"])
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    audit.record(
        AuditAction.CSRF_FAILED, object_repr=request.path[:300], changes={"reason": reason}, request=request
    )
    return problem_response(
        request,
        status=403,
        title=_("This form has expired or was not sent by Ceiba"),
        detail=_("Nothing was saved. Reload the page and submit the form again."),
    )


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return problem_response(request, status=400, title=_("Invalid request"))


def permission_denied(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return problem_response(
        request, status=403, title=_("Not allowed"), detail=_("Your role does not give access to this page.")
    )


def page_not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return problem_response(
        request,
        status=404,
        title=_("Not found"),
        detail=_("This page does not exist, or it is not shared with you."),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return problem_response(
        request,
        status=500,
        title=_("Something went wrong"),
        detail=_("The error was logged. Try again later."),
    )
