"""The policy cycle's notifications: its kinds, and its deadlines as sources of `ceiba notify_deadlines`
(ceiba/core/notifications.py, docs/decisions/0050-notifications.md).

The parts' `*_deadlines(today)` functions (committee, progress, recommendations) return plain dicts
whose texts are rendered in the active language. To give each recipient their own language, a source
runs such a function once per language and hands `notify()` texts that pick the recipient's version
by `dedupe_key`. The reports awaiting the secretariat's validation are a source of their own."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ceiba.core.choices import SECRETARIAT_ROLES
from ceiba.core.models import Membership, User
from ceiba.core.notifications import (
    NotificationRequest,
    register_deadline_source,
    register_notification_kind,
)

from .choices import ReviewStatus
from .models import ImplementationReport

MEETING_SOON = "policy.meeting_soon"
PROGRESS_DUE = "policy.progress_due"
PROGRESS_OVERDUE = "policy.progress_overdue"
RECOMMENDATION_DEADLINE = "policy.recommendation_deadline"
RECOMMENDATION_OVERDUE = "policy.recommendation_overdue"
REPORT_PENDING = "policy.implementation_report_pending"

#: The kinds the parts' deadline functions use, mapped to the registered keys.
KIND_KEYS = {
    "policy.meeting_soon": MEETING_SOON,
    "progress_due": PROGRESS_DUE,
    "progress_overdue": PROGRESS_OVERDUE,
    "recommendation_deadline": RECOMMENDATION_DEADLINE,
    "recommendation_overdue": RECOMMENDATION_OVERDUE,
}

Entries = Callable[[dt.date], list[dict[str, Any]]]


def register_kinds() -> None:
    """Declare the policy cycle's kinds of notification (shown on each user's preferences page)."""
    register_notification_kind(
        MEETING_SOON,
        gettext_lazy("Committee meeting reminder"),
        gettext_lazy("A committee meeting your delegation or the secretariat attends starts in a week."),
    )
    register_notification_kind(
        PROGRESS_DUE,
        gettext_lazy("Progress report due"),
        gettext_lazy("A progress report on an operational action you lead is due within a week."),
    )
    register_notification_kind(
        PROGRESS_OVERDUE,
        gettext_lazy("Progress report overdue"),
        gettext_lazy("A progress report on an operational action you lead is overdue."),
    )
    register_notification_kind(
        RECOMMENDATION_DEADLINE,
        gettext_lazy("Recommendation deadline"),
        gettext_lazy("A recommendation you report on is due in 30 or 7 days."),
    )
    register_notification_kind(
        RECOMMENDATION_OVERDUE,
        gettext_lazy("Recommendation overdue"),
        gettext_lazy("A recommendation you report on passed its deadline without being implemented."),
    )
    register_notification_kind(
        REPORT_PENDING,
        gettext_lazy("Implementation report awaiting validation"),
        gettext_lazy("An addressee reported how it implements a recommendation (for the secretariat)."),
    )


def _language_of(user: User) -> str:
    return getattr(user, "language", "") or settings.LANGUAGE_CODE


def requests_in_languages(entries: Entries, today: dt.date) -> list[NotificationRequest]:
    """Notification requests from a part's deadline entries, their texts in each recipient's language
    (the entries are computed once per language and matched by `dedupe_key`)."""
    versions: dict[str, dict[str, dict[str, Any]]] = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            versions[code] = {entry["dedupe_key"]: entry for entry in entries(today)}
    default = versions.get(settings.LANGUAGE_CODE) or next(iter(versions.values()), {})
    ids = {pk for entry in default.values() for pk in entry["recipients"]}
    users = User.objects.filter(pk__in=ids, is_active=True).in_bulk()

    def text(key: str, field: str) -> Callable[[User], str]:
        def render(person: User) -> str:
            chosen = versions.get(_language_of(person), {}).get(key) or default[key]
            return str(chosen[field])

        return render

    requests = []
    for key, entry in default.items():
        recipients = [users[pk] for pk in entry["recipients"] if pk in users]
        if not recipients:
            continue
        requests.append(
            NotificationRequest(
                recipients=recipients,
                kind=KIND_KEYS.get(entry["kind"], entry["kind"]),
                subject=text(key, "subject"),
                body=text(key, "body"),
                url=entry["url"],
                dedupe_key=key,
            )
        )
    return requests


def meeting_reminders(today: dt.date) -> list[NotificationRequest]:
    from .committee_services import committee_deadlines

    return requests_in_languages(committee_deadlines, today)


def progress_reports_due(today: dt.date) -> list[NotificationRequest]:
    from .progress_services import progress_deadlines

    return requests_in_languages(progress_deadlines, today)


def recommendation_deadlines(today: dt.date) -> list[NotificationRequest]:
    from .recommendation_services import recommendation_deadlines as deadlines

    return requests_in_languages(deadlines, today)


def reports_awaiting_validation(today: dt.date) -> list[NotificationRequest]:
    """Each implementation report awaiting validation, once, to the secretariat's people."""
    from django.urls import reverse

    reports = list(
        ImplementationReport.objects.filter(review=ReviewStatus.PENDING)
        .select_related("addressee__recommendation", "addressee__state", "addressee__organisation")
        .order_by("created_at", "pk")
    )
    if not reports:
        return []
    secretariat = list(
        User.objects.filter(
            is_active=True,
            pk__in=Membership.objects.active().filter(role__in=SECRETARIAT_ROLES).values("user_id"),
        ).order_by("pk")
    )
    if not secretariat:
        return []
    requests = []
    for report in reports:
        recommendation = report.addressee.recommendation
        values = {
            "code": recommendation.code,
            "title": recommendation.title,
            "addressee": str(report.addressee),
            "status": report.get_status_display,
        }

        def subject(person: User, values: dict[str, Any] = values) -> str:
            return _("Implementation report to validate: %(code)s (%(addressee)s)") % values

        def body(person: User, values: dict[str, Any] = values) -> str:
            return _(
                "%(addressee)s reported the implementation of recommendation %(code)s (%(title)s) as "
                "“%(status)s”. Validate the report or return it for more evidence."
            ) % {**values, "status": values["status"]()}

        requests.append(
            NotificationRequest(
                recipients=secretariat,
                kind=REPORT_PENDING,
                subject=subject,
                body=body,
                url=reverse("policy:recommendation_detail", args=[recommendation.pk]),
                dedupe_key=f"{REPORT_PENDING}:{report.pk}",
            )
        )
    return requests


def register_sources() -> None:
    """Register the policy cycle's deadline sources (run daily by `ceiba notify_deadlines`)."""
    register_deadline_source("policy.meetings", meeting_reminders)
    register_deadline_source("policy.progress_reports", progress_reports_due)
    register_deadline_source("policy.recommendations", recommendation_deadlines)
    register_deadline_source("policy.implementation_reports", reports_awaiting_validation)


def register() -> None:
    register_kinds()
    register_sources()
