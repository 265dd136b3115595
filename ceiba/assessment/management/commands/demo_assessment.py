"""`ceiba demo_assessment`: load the demo assessment (idempotent; after `ceiba demo`)."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import translation

from ceiba.assessment.composite_demo import load_composite_demo
from ceiba.assessment.demo import load_assessment_demo
from ceiba.documentation.search import search_reindex


class Command(BaseCommand):
    help = "Load the demo assessment cycle, methodology and runs (synthetic; idempotent), after `ceiba demo`."

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate("en")
        report = load_assessment_demo()
        self.stdout.write(
            f"Demo assessment loaded: {report.created} records created"
            + (" (already complete)." if not report.created else ".")
        )
        load_composite_demo()
        search_reindex()
        self.stdout.write("Search index rebuilt.")
