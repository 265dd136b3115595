"""Send people who must use a second factor to the check (or to enrolment) before anything else."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode

EXEMPT_PREFIXES = ("/static/", "/account/second-factor/", "/account/sign-out/", "/i18n/", "/api/", "/healthz")


class SecondFactorRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "requires_second_factor", False)
            and not user.is_verified()
            and not request.path.startswith(EXEMPT_PREFIXES)
        ):
            from django_otp.plugins.otp_totp.models import TOTPDevice

            has_device = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
            target = reverse("core:otp_verify" if has_device else "core:otp_enrol")
            return HttpResponseRedirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
