"""`ceiba notify_deadlines` runs every registered deadline source once and prints what it did."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils.translation import gettext_lazy as _

from ceiba.core.models import Notification
from ceiba.core.notifications import NotificationRequest, register_deadline_source
from tests.factories import UserFactory

from .conftest import TEST_KIND

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("notify_deadlines", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_the_command_runs_registered_sources_once_per_deadline(
    django_capture_on_commit_callbacks: Any,
) -> None:
    leader, participant = UserFactory(language="pt"), UserFactory(language="fr")
    seen: list[date] = []

    def reports_due(today: date) -> Iterable[NotificationRequest]:
        seen.append(today)
        yield NotificationRequest(
            recipients=[leader, participant],
            kind=TEST_KIND,
            subject=_("Mark all read"),
            body="",
            url="/dashboard/",
            dedupe_key=f"report:1:due:{today:%Y-%m}",
        )

    register_deadline_source("test.reports_due", reports_due)
    with django_capture_on_commit_callbacks(execute=True):
        first = run("--date", "2026-03-10")
    assert seen == [date(2026, 3, 10)]
    assert "test.reports_due: 1 due, 2 new notifications (2 in inboxes, 2 e-mails)" in first
    assert sorted(Notification.objects.values_list("subject", flat=True)) == [
        "Marcar tudo como lido",
        "Tout marquer comme lu",
    ]
    assert len(mail.outbox) == 2
    with django_capture_on_commit_callbacks(execute=True):
        again = run("--date", "2026-03-11")
    assert "0 new notifications" in again
    assert Notification.objects.count() == 2
    assert len(mail.outbox) == 2


def test_a_failing_source_does_not_stop_the_others() -> None:
    person = UserFactory()

    def broken(today: date) -> Iterable[NotificationRequest]:
        yield NotificationRequest([person], TEST_KIND, "half", "", "", "broken:1")
        raise RuntimeError("the policy database is unreachable")

    def working(today: date) -> Iterable[NotificationRequest]:
        return [NotificationRequest([person], TEST_KIND, "Overdue (synthetic)", "", "", "working:1")]

    register_deadline_source("test.broken", broken)
    register_deadline_source("test.working", working)
    with pytest.raises(CommandError, match=r"test\.broken"):
        run()
    # The broken source's first notification is rolled back with it.
    assert list(Notification.objects.values_list("subject", flat=True)) == ["Overdue (synthetic)"]


def test_without_sources_the_command_says_so() -> None:
    assert "No deadline source is registered." in run()


def test_a_bad_date_is_named() -> None:
    with pytest.raises(CommandError, match="--date"):
        run("--date", "10/03/2026")
