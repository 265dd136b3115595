"""Map every API error to one RFC 9457 problem+json body with a message a person can act on."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from ceiba.common.locking import StaleEdit
from ceiba.common.problems import PROBLEM_CONTENT_TYPE, problem_body

TITLES = {
    400: "Invalid request",
    401: "Authentication required",
    403: "Not allowed",
    404: "Not found",
    409: "Conflict",
    405: "Method not allowed",
    406: "Not acceptable",
    413: "Request too large",
    415: "Unsupported media type",
    429: "Too many requests",
}


#: The keys under which DRF and Django's `full_clean()` put errors of the whole record: no field.
NON_FIELD_KEYS = frozenset({"non_field_errors", NON_FIELD_ERRORS})


def _flatten(detail: Any, prefix: str = "") -> list[dict[str, str]]:
    """Turn DRF's nested error detail into a list of {field, message} a client can show."""
    if isinstance(detail, dict):
        items: list[dict[str, str]] = []
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            items.extend(_flatten(value, "" if key in NON_FIELD_KEYS else name))
        return items
    if isinstance(detail, list):
        items = []
        for index, value in enumerate(detail):
            nested = isinstance(value, dict | list)
            items.extend(_flatten(value, f"{prefix}[{index}]" if nested and prefix else prefix))
        return items
    return [{"field": prefix, "message": str(detail)}]


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """The REST framework's exception handler: a service's validation error is a 400 naming the
    fields, its refusal a 403 that says why (or the default message), a stale edit a 409."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found, or not shared with you."))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(serializers.as_serializer_error(exc))
    elif isinstance(exc, StaleEdit):
        conflict = exceptions.APIException(str(exc))
        conflict.status_code = status.HTTP_409_CONFLICT
        exc = conflict
    response = exception_handler(exc, context)
    if response is None:
        return None
    code = response.status_code
    request = context.get("request")
    extra: dict[str, Any] = {}
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        extra["errors"] = errors
        detail = "; ".join(f"{e['field']}: {e['message']}" if e["field"] else e["message"] for e in errors)
    elif isinstance(exc, exceptions.APIException):
        detail = str(exc.detail)
    else:
        detail = ""
    wait = getattr(exc, "wait", None)
    if isinstance(exc, exceptions.Throttled) and wait:
        extra["retry_after"] = int(wait)
    if code == status.HTTP_401_UNAUTHORIZED:
        hint = _("Send a personal API token (Authorization: Token <key>) or sign in.")
        if isinstance(exc, exceptions.NotAuthenticated) and detail == str(
            exceptions.NotAuthenticated.default_detail
        ):
            detail = hint
        elif hint not in detail:
            detail = f"{detail} {hint}".strip()
    body = problem_body(
        status=code,
        title=_(TITLES.get(code, "Error")),
        detail=detail,
        instance=request.path if request is not None else "",
        **extra,
    )
    response.data = body
    response.content_type = PROBLEM_CONTENT_TYPE
    return response
