"""`ceiba audit verify`: check the audit trail's hash chain and report the first broken event."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ceiba.common.audit import verify_chain


class Command(BaseCommand):
    help = "Audit trail tools. `verify` checks the hash chain."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("operation", choices=["verify"])

    def handle(self, *args: Any, operation: str, **options: Any) -> None:
        report = verify_chain()
        if not report.ok:
            raise CommandError(f"Audit trail broken after {report.checked} intact events: {report.problem}")
        self.stdout.write(self.style.SUCCESS(f"Audit trail intact: {report.checked} events verified."))
