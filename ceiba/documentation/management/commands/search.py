"""`ceiba search reindex [--kind report]`: rebuild the search documents (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ceiba.documentation.search import registered_kinds, search_reindex


class Command(BaseCommand):
    help = "Search index: `reindex` rebuilds the documents of every searchable record (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["reindex"])
        parser.add_argument("--kind", action="append", dest="kinds", help="only this kind (repeatable)")

    def handle(self, *args: Any, **options: Any) -> None:
        kinds = options.get("kinds")
        unknown = set(kinds or []) - set(registered_kinds())
        if unknown:
            raise CommandError(f"Unknown kinds: {', '.join(sorted(unknown))}")
        report = search_reindex(kinds)
        indexed = ", ".join(f"{kind} {count}" for kind, count in report.indexed.items())
        self.stdout.write(f"Search index rebuilt: {indexed}; {report.removed} stale documents removed.")
