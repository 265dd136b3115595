"""The `ceiba` command for operators.

ceiba serve [gunicorn options]   serve the platform with gunicorn (static files by WhiteNoise)
ceiba worker                     run background jobs (django-tasks database worker)
ceiba demo                       load the demo scenario and print the demo accounts
ceiba audit verify               check the audit trail's hash chain
ceiba createadmin --email … --name …
ceiba <any Django management command>
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    if args[:1] == ["serve"]:
        bind = os.environ.get("CEIBA_BIND", "127.0.0.1:8000")
        workers = os.environ.get("CEIBA_WEB_WORKERS", "2")
        from gunicorn.app.wsgiapp import run

        sys.argv = [
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            bind,
            "--workers",
            workers,
            "--access-logfile",
            "-",
            *args[1:],
        ]
        run()
        return
    if args[:1] == ["worker"]:
        args = ["db_worker", *args[1:]]
    from django.core.management import execute_from_command_line

    execute_from_command_line(["ceiba", *args])


if __name__ == "__main__":
    main()
