"""WSGI entry point for gunicorn (`ceiba serve`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
application = get_wsgi_application()

from ceiba.common.runtime import settle  # noqa: E402 - needs the loaded apps

settle()
