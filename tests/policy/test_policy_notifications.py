"""The policy cycle's deadlines reach the right people through `ceiba notify_deadlines`, each in their
own language, once per deadline."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from ceiba.core.models import Notification
from ceiba.core.notifications import deadline_sources, notification_kinds
from ceiba.policy import notifications as policy_notifications
from ceiba.policy.committee_services import committee_deadlines
from ceiba.policy.progress_services import progress_deadlines
from ceiba.policy.recommendation_services import recommendation_deadlines

pytestmark = pytest.mark.django_db


def run(day: dt.date) -> str:
    out = StringIO()
    call_command("notify_deadlines", "--date", day.isoformat(), stdout=out, stderr=StringIO())
    return out.getvalue()


def entries(day: dt.date, language: str) -> dict[str, dict[str, Any]]:
    with translation.override(language):
        found = committee_deadlines(day) + progress_deadlines(day) + recommendation_deadlines(day)
    return {entry["dedupe_key"]: entry for entry in found}


def test_the_policy_kinds_and_sources_are_registered() -> None:
    keys = {kind.key for kind in notification_kinds()}
    assert {
        policy_notifications.MEETING_SOON,
        policy_notifications.PROGRESS_DUE,
        policy_notifications.PROGRESS_OVERDUE,
        policy_notifications.RECOMMENDATION_DEADLINE,
        policy_notifications.RECOMMENDATION_OVERDUE,
        policy_notifications.REPORT_PENDING,
    } <= keys
    assert {"policy.meetings", "policy.progress_reports", "policy.recommendations"} <= set(deadline_sources())


def test_deadlines_notify_the_right_people_in_their_language_once(policy: Any) -> None:
    users = policy.world.users
    languages = {"secretariat_admin": "es", "national_focal_point": "pt", "national_analyst": "fr"}
    for persona, language in languages.items():
        users[persona].language = language
        users[persona].save(update_fields=["language"])
    meeting_day = timezone.localtime(policy.public_meeting.starts_at).date() - dt.timedelta(days=7)
    deadline_day = policy.recommendation.deadline - dt.timedelta(days=30)

    for day in (meeting_day, deadline_day):
        run(day)
        expected = {code: entries(day, code) for code in ("en", "es", "pt", "fr")}
        for key, entry in expected["en"].items():
            got = Notification.objects.filter(dedupe_key=key).select_related("recipient")
            assert {n.recipient_id for n in got} == set(entry["recipients"]), key
            for notification in got:
                language = notification.recipient.language or "en"
                assert notification.subject == str(expected[language][key]["subject"])
                assert notification.kind == policy_notifications.KIND_KEYS[entry["kind"]]

    kinds = set(Notification.objects.values_list("kind", flat=True))
    assert policy_notifications.MEETING_SOON in kinds
    assert policy_notifications.RECOMMENDATION_DEADLINE in kinds
    # The report awaiting validation goes to the secretariat, in Spanish for the one who reads it.
    pending = Notification.objects.filter(kind=policy_notifications.REPORT_PENDING)
    assert set(pending.values_list("recipient_id", flat=True)) == {
        users["secretariat_admin"].pk,
        users["secretariat_analyst"].pk,
    }
    assert pending.get(recipient=users["secretariat_admin"]).subject.startswith("Informe de implementación")
    # The focal point of Argentina (an addressee) is reminded of the recommendation in Portuguese.
    assert Notification.objects.filter(
        recipient=users["national_focal_point"], kind=policy_notifications.RECOMMENDATION_DEADLINE
    ).exists()

    count = Notification.objects.count()
    run(meeting_day)
    run(deadline_day)
    assert Notification.objects.count() == count


def test_the_demo_deadlines_notify_once(world: Any) -> None:
    from ceiba.policy.demo import load_policy_demo

    load_policy_demo(samples=200)
    today = timezone.localdate()
    first = run(today)
    assert "policy.progress_reports" in first and "failed" not in first.lower()
    count = Notification.objects.filter(kind__startswith="policy.").count()
    assert count > 0
    run(today)
    assert Notification.objects.filter(kind__startswith="policy.").count() == count
