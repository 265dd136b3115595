"""API authentication: personal tokens (hashed, revocable; django-rest-knox) or the browser session
of a user who has passed the second factor."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from knox.auth import TokenAuthentication
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication
from rest_framework.request import Request


class PersonalTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>` with a personal API token created on the account page."""

    def authenticate_credentials(self, token: bytes) -> tuple[Any, Any]:
        user, auth_token = super().authenticate_credentials(token)
        # Record use at most once a minute: enough to spot stale tokens without a write per request.
        now = timezone.now()
        last = getattr(auth_token, "last_used_at", None)
        if hasattr(auth_token, "last_used_at") and (last is None or now - last > timedelta(minutes=1)):
            type(auth_token).objects.filter(pk=auth_token.pk).update(last_used_at=now)
        return user, auth_token


class VerifiedSessionAuthentication(SessionAuthentication):
    """The browser session, accepted only once the user has passed the second factor if required."""

    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        user = result[0]
        if getattr(user, "requires_second_factor", False) and not user.is_verified():
            raise exceptions.NotAuthenticated("Complete the second-factor check before using the API.")
        return result


class PersonalTokenScheme(OpenApiAuthenticationExtension):
    target_class = "ceiba.common.api.authentication.PersonalTokenAuthentication"
    name = "personalToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Personal API token, sent as `Authorization: Token <key>`.",
        }


class VerifiedSessionScheme(OpenApiAuthenticationExtension):
    target_class = "ceiba.common.api.authentication.VerifiedSessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}
