"""Notifications: what other apps call to tell people that something needs them.

Apps declare their kinds of notification at start-up (`register_notification_kind` in
`AppConfig.ready`), and may register deadline sources that `ceiba notify_deadlines` runs once a day.
`notify()` writes inbox rows and sends e-mail according to each recipient's preference, in each
recipient's language; a `dedupe_key` makes it idempotent per recipient.

    register_notification_kind(
        "policy.report_due", _("Progress report due"), _("A progress report you lead is due soon."),
    )
    notify(
        recipients=[leader],
        kind="policy.report_due",
        subject=format_lazy(_("Progress report due on {date}"), date=report.due_date),
        body=lambda person: _("Dear {name}, …").format(name=person.full_name),
        url=report.get_absolute_url(),
        dedupe_key=f"report:{report.pk}:due",
    )

Text may be a plain string, a lazy translatable string, or a callable taking the recipient (rendered
with the recipient's language active). E-mail is sent after the surrounding transaction commits,
only to active accounts; a failing mail server is logged, never raised into the caller.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from ceiba.common import audit
from ceiba.common.models import AuditAction

from .choices import EMAIL_CHANNELS, NotificationChannel
from .models import Notification, NotificationPreference, User

logger = logging.getLogger(__name__)

#: A text of a notification: plain, lazy (translated when rendered) or computed for the recipient.
Text = str | Promise | Callable[[User], Any]


# --- kinds ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NotificationKind:
    """A kind of notification an app sends, e.g. "policy.report_due", shown on the preferences page."""

    key: str
    label: str | Promise
    description: str | Promise = ""
    default_channel: str = NotificationChannel.BOTH


_kinds: dict[str, NotificationKind] = {}


def register_notification_kind(
    key: str,
    label: str | Promise,
    description: str | Promise = "",
    default_channel: str = NotificationChannel.BOTH,
) -> NotificationKind:
    """Declare a kind of notification (call it from the app's `AppConfig.ready`)."""
    if not key or len(key) > 100 or "/" in key:
        raise ImproperlyConfigured(f"Invalid notification kind {key!r}")
    if default_channel not in NotificationChannel.values:
        raise ImproperlyConfigured(f"Invalid default channel {default_channel!r} for {key!r}")
    kind = NotificationKind(key, label, description, NotificationChannel(default_channel))
    _kinds[key] = kind
    return kind


def notification_kinds() -> list[NotificationKind]:
    """The registered kinds, in the order of their keys."""
    return [_kinds[key] for key in sorted(_kinds)]


def notification_kind(key: str) -> NotificationKind:
    try:
        return _kinds[key]
    except KeyError:
        raise ImproperlyConfigured(f"Notification kind {key!r} is not registered") from None


def channels_for(users: Iterable[User], kind: str) -> dict[int, str]:
    """Each user's channel for this kind (their preference, or the kind's default), in one query."""
    users = list(users)
    default = notification_kind(kind).default_channel
    chosen = dict(
        NotificationPreference.objects.filter(user__in=users, kind=kind).values_list("user_id", "channel")
    )
    return {user.pk: chosen.get(user.pk, default) for user in users}


def preferences_for(user: User) -> list[tuple[NotificationKind, str]]:
    """Every registered kind with the user's channel for it."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "channel"))
    return [(kind, chosen.get(kind.key, kind.default_channel)) for kind in notification_kinds()]


# --- sending ----------------------------------------------------------------------------------------


def render_text(text: Text, recipient: User) -> str:
    """The text in the recipient's language."""
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        value = text(recipient) if callable(text) else text
        return str(value)


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    subject: Text,
    body: Text = "",
    url: str = "",
    dedupe_key: str = "",
) -> list[Notification]:
    """Notify each recipient by the channels they chose for this kind (inbox, e-mail, both or none),
    in their own language. Skips recipients already notified with the same non-empty `dedupe_key`.
    Returns the notifications created (those sent by e-mail only included)."""
    notification_kind(kind)
    unique: dict[int, User] = {user.pk: user for user in recipients}
    if not unique:
        return []
    already: set[int] = set()
    if dedupe_key:
        already = set(
            Notification.objects.filter(recipient_id__in=unique, dedupe_key=dedupe_key).values_list(
                "recipient_id", flat=True
            )
        )
    pending = [user for pk, user in unique.items() if pk not in already]
    channels = channels_for(pending, kind)
    created: list[Notification] = []
    with transaction.atomic():
        for user in pending:
            channel = channels[user.pk]
            if channel == NotificationChannel.NONE:
                continue
            notification = Notification(
                recipient=user,
                kind=kind,
                channel=channel,
                subject=render_text(subject, user)[:300],
                body=render_text(body, user),
                url=url,
                dedupe_key=dedupe_key,
            )
            notification.full_clean(exclude=["recipient"], validate_unique=False, validate_constraints=False)
            try:
                with transaction.atomic():
                    notification.save()
            except IntegrityError:
                # Created by a concurrent run with the same key: already notified.
                continue
            created.append(notification)
        to_email = [n.pk for n in created if n.channel in EMAIL_CHANNELS and n.recipient.is_active]
        if to_email:
            transaction.on_commit(lambda: send_notification_emails(to_email))
    return created


def absolute_url(path: str) -> str:
    return f"{settings.CEIBA_BASE_URL.rstrip('/')}{path}" if path else ""


def notification_email(notification: Notification) -> EmailMessage:
    """The e-mail of a notification, its footer in the recipient's language."""
    recipient = notification.recipient
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        parts = [notification.body.strip()]
        if notification.url:
            parts.append(absolute_url(notification.url))
        parts.append(
            "-- \n"
            + _("You receive this e-mail from %(platform)s. Choose how you are notified: %(link)s")
            % {
                "platform": settings.CEIBA_PLATFORM_NAME,
                "link": absolute_url(reverse("core:notification_preferences")),
            }
        )
    return EmailMessage(
        subject=f"[{settings.CEIBA_PLATFORM_NAME}] {notification.subject}",
        body="\n\n".join(part for part in parts if part),
        to=[recipient.email],
        headers={"Auto-Submitted": "auto-generated"},
    )


def send_notification_emails(notification_ids: Iterable[int]) -> int:
    """Send the e-mails of these notifications (to active accounts only) and record when; a failure is
    logged and the others are still sent. Returns how many were sent."""
    notifications = Notification.objects.filter(
        pk__in=list(notification_ids), emailed_at__isnull=True, recipient__is_active=True
    ).select_related("recipient")
    sent: list[int] = []
    try:
        connection = get_connection()
        for notification in notifications:
            try:
                connection.send_messages([notification_email(notification)])
            except Exception:
                logger.exception("Could not e-mail notification %s to its recipient", notification.pk)
            else:
                sent.append(notification.pk)
        connection.close()
    except Exception:
        logger.exception("Could not reach the mail server for notifications")
    if sent:
        Notification.objects.filter(pk__in=sent).update(emailed_at=timezone.now())
    return len(sent)


# --- reading and preferences --------------------------------------------------------------------------


def notification_mark_read(*, actor: User, notification: Notification) -> Notification:
    """Mark one of the actor's own notifications read (the caller fetched it through the policy)."""
    if notification.recipient_id != actor.pk:
        raise ValidationError(_("This notification is not yours."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, actor: User) -> int:
    """Mark all the actor's unread notifications read; returns how many."""
    return Notification.objects.filter(recipient=actor).unread().update(read_at=timezone.now())


def unread_count(user: Any) -> int:
    """Unread notifications in the user's inbox (one query)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient_id=user.pk).inbox().unread().count()


@transaction.atomic
def notification_preference_set(*, actor: User, kind: str, channel: str) -> NotificationPreference:
    """Choose how the actor receives one registered kind of notification."""
    if kind not in _kinds:
        raise ValidationError({"kind": _("Unknown kind of notification.")})
    preference = NotificationPreference.objects.filter(user=actor, kind=kind).first()
    before = preference.channel if preference else notification_kind(kind).default_channel
    if preference is None:
        preference = NotificationPreference(user=actor, kind=kind)
    preference.channel = channel
    preference.full_clean(validate_unique=False)
    preference.save()
    if before != channel:
        audit.record(AuditAction.UPDATE, obj=preference, actor=actor, changes={"channel": [before, channel]})
    return preference


# --- deadline sources --------------------------------------------------------------------------------


@dataclass(frozen=True)
class NotificationRequest:
    """One notification a deadline source asks for: the arguments of `notify()`."""

    recipients: Iterable[User]
    kind: str
    subject: Text
    body: Text
    url: str
    dedupe_key: str


DeadlineSource = Callable[[date], Iterable[NotificationRequest]]
_sources: dict[str, DeadlineSource] = {}


def register_deadline_source(name: str, source: DeadlineSource) -> None:
    """Register `source(today)`, run by `ceiba notify_deadlines`; give each request a `dedupe_key` so
    a daily run notifies once per deadline."""
    _sources[name] = source


def deadline_sources() -> dict[str, DeadlineSource]:
    return dict(sorted(_sources.items()))


@dataclass
class DeadlineReport:
    """What one deadline source produced in a run."""

    source: str
    requests: int = 0
    inbox: int = 0
    emails: int = 0
    error: str = ""
    notifications: list[Notification] = field(default_factory=list, repr=False)


def run_deadline_sources(today: date | None = None) -> list[DeadlineReport]:
    """Run every registered deadline source for `today`, each in its own transaction: a failing
    source is logged and reported, and rolled back without stopping the others."""
    day = today or timezone.localdate()
    reports: list[DeadlineReport] = []
    for name, source in deadline_sources().items():
        report = DeadlineReport(source=name)
        try:
            with transaction.atomic():
                for request in source(day):
                    report.requests += 1
                    report.notifications += notify(
                        recipients=request.recipients,
                        kind=request.kind,
                        subject=request.subject,
                        body=request.body,
                        url=request.url,
                        dedupe_key=request.dedupe_key,
                    )
        except Exception as error:
            logger.exception("Deadline source %s failed", name)
            report = DeadlineReport(source=name, error=f"{type(error).__name__}: {error}")
        report.inbox = sum(1 for n in report.notifications if n.channel != NotificationChannel.EMAIL)
        report.emails = sum(
            1 for n in report.notifications if n.channel in EMAIL_CHANNELS and n.recipient.is_active
        )
        reports.append(report)
    return reports
