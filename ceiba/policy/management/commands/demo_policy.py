"""`ceiba demo_policy`: load the demo policy cycle (idempotent; after `ceiba demo_assessment`)."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import translation

from ceiba.policy.demo import load_policy_demo


class Command(BaseCommand):
    help = "Load the demo policy cycle of CLASI (synthetic; idempotent), after `ceiba demo_assessment`."

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate("en")
        report = load_policy_demo()
        self.stdout.write(
            f"Demo policy cycle loaded: {report.created} records created"
            + (" (already complete)." if not report.created else ".")
        )
