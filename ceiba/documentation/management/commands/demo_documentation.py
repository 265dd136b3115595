"""`ceiba demo_documentation`: load the demo threat documentation (idempotent; after `ceiba demo`)."""

from typing import Any

from django.core.management.base import BaseCommand

from ceiba.documentation.demo import load_documentation_demo
from ceiba.documentation.search import search_reindex


class Command(BaseCommand):
    help = "Load the demo threat documentation (synthetic; idempotent). Run `ceiba demo` first."

    def handle(self, *args: Any, **options: Any) -> None:
        report = load_documentation_demo()
        self.stdout.write(
            f"Demo threat documentation loaded: {report.created} records created"
            + (" (already complete)." if not report.created else ".")
        )
        search_reindex()
        self.stdout.write("Search index rebuilt.")
