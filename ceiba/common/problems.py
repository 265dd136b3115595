"""RFC 9457 problem details: the one error format of the API (and of errors met outside it)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

PROBLEM_CONTENT_TYPE = "application/problem+json"


def wants_json(request: HttpRequest) -> bool:
    accept = request.headers.get("Accept", "")
    return request.path.startswith("/api/") or ("json" in accept and "text/html" not in accept)


def problem_body(
    *, status: int, title: str, detail: str = "", instance: str = "", **extra: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {"type": "about:blank", "title": str(title), "status": status}
    if detail:
        body["detail"] = str(detail)
    if instance:
        body["instance"] = instance
    body.update(extra)
    return body


def problem_response(
    request: HttpRequest, *, status: int, title: str, detail: str = "", **extra: Any
) -> HttpResponse:
    """A problem+json answer for API clients, a readable error page for browsers."""
    if wants_json(request):
        body = problem_body(status=status, title=title, detail=detail, instance=request.path, **extra)
        return JsonResponse(body, status=status, content_type=PROBLEM_CONTENT_TYPE)
    html = render_to_string(
        "errors/problem.html", {"status": status, "title": title, "detail": detail}, request
    )
    return HttpResponse(html, status=status)
