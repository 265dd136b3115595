"""Template context every page needs: languages for the switcher and the platform name."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language_info

LANGUAGE_NATIVE_NAMES = {code: get_language_info(code)["name_local"] for code, _name in settings.LANGUAGES}


def platform(request: HttpRequest) -> dict[str, Any]:
    return {
        "platform_name": settings.CEIBA_PLATFORM_NAME,
        "interface_languages": [(code, LANGUAGE_NATIVE_NAMES[code]) for code, _name in settings.LANGUAGES],
    }
