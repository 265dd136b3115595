"""`ceiba notify_deadlines`: run every registered deadline source once (daily, from cron or a timer)."""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ceiba.core.notifications import deadline_sources, run_deadline_sources


class Command(BaseCommand):
    help = (
        "Notify people of deadlines and overdue items: run every registered deadline source for today "
        "(or --date) and print what each produced. Safe to run more than once a day."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--date", help="Run as if today were this day (YYYY-MM-DD)")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["date"]:
            try:
                today = date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(f"--date: not a date (YYYY-MM-DD): {options['date']!r}") from None
        if not deadline_sources():
            self.stdout.write("No deadline source is registered.")
            return
        reports = run_deadline_sources(today)
        failed = [r for r in reports if r.error]
        for report in reports:
            if report.error:
                self.stderr.write(f"{report.source}: FAILED ({report.error}); nothing sent for it")
                continue
            self.stdout.write(
                f"{report.source}: {report.requests} due, {len(report.notifications)} new notifications "
                f"({report.inbox} in inboxes, {report.emails} e-mails)"
            )
        total = sum(len(r.notifications) for r in reports)
        self.stdout.write(f"total: {total} new notifications from {len(reports) - len(failed)} sources")
        if failed:
            names = ", ".join(r.source for r in failed)
            raise CommandError(f"{len(failed)} deadline source(s) failed: {names}")
