"""`ceiba demo`: load the demo scenario (idempotent) and print the demo accounts."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import translation

from ceiba.core.demo import demo_accounts_table, load_demo


class Command(BaseCommand):
    help = "Load the demo scenario (idempotent) and print the demo accounts with their TOTP secrets."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--quiet", action="store_true", help="Do not print the accounts.")

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate("en")
        report = load_demo()
        self.stdout.write(
            f"Demo scenario loaded: {report.created} records created"
            + (" (already complete)." if not report.created else ".")
        )
        if options["quiet"]:
            return
        self.stdout.write("")
        self.stdout.write(
            "Demo accounts (synthetic people). Password for all: " + demo_accounts_table()[0]["password"]
        )
        self.stdout.write(
            "Second factor: add the TOTP secret to an authenticator app, or run `ceiba totp <e-mail>`."
        )
        self.stdout.write("")
        width = max(len(r["email"]) for r in demo_accounts_table())
        for row in demo_accounts_table():
            self.stdout.write(
                f"  {row['email']:<{width}}  {row['role']:<32}  "
                f"TOTP secret: {row['totp_secret'] or '(not required for this role)'}"
            )
