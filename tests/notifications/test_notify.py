"""notify(): channels chosen by each person, their language, deduplication, e-mail after commit."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ceiba.core.choices import NotificationChannel
from ceiba.core.models import Notification, User
from ceiba.core.notifications import notification_preference_set, notify
from tests.factories import UserFactory

from .conftest import INBOX_ONLY_KIND, TEST_KIND

pytestmark = pytest.mark.django_db


def send(users: list[User], **overrides: Any) -> list[Notification]:
    arguments: dict[str, Any] = {
        "recipients": users,
        "kind": TEST_KIND,
        "subject": "Report due",
        "body": "Your progress report is due on Friday.",
        "url": "/dashboard/",
        "dedupe_key": "",
    }
    return notify(**{**arguments, **overrides})


@pytest.mark.parametrize(
    ("language", "subject", "body", "footer"),
    [
        (
            "es",
            "Marcar todo como leído",
            "Preferencias de notificación",
            "Elija cómo recibe las notificaciones",
        ),
        ("pt", "Marcar tudo como lido", "Preferências de notificação", "Escolha como é notificado"),
        (
            "fr",
            "Tout marquer comme lu",
            "Préférences de notification",
            "Choisissez comment vous êtes notifié",
        ),
        ("en", "Mark all read", "Notification preferences", "Choose how you are notified"),
    ],
)
def test_each_recipient_reads_the_notification_in_their_own_language(
    language: str, subject: str, body: str, footer: str, django_capture_on_commit_callbacks: Any
) -> None:
    person = UserFactory(language=language, full_name="Ana Prueba (synthetic)")
    with django_capture_on_commit_callbacks(execute=True):
        (notification,) = send(
            [person],
            subject=_("Mark all read"),
            body=lambda recipient: f"{gettext('Notification preferences')}: {recipient.full_name}",
        )
    assert notification.subject == subject
    assert notification.body == f"{body}: Ana Prueba (synthetic)"
    (email,) = mail.outbox
    assert email.to == [person.email]
    assert subject in email.subject
    assert footer in email.body
    assert email.body.startswith(notification.body)


def test_two_recipients_with_different_languages_get_one_text_each() -> None:
    spanish, french = UserFactory(language="es"), UserFactory(language="fr")
    created = send([spanish, french], subject=_("Mark all read"))
    assert {n.recipient_id: n.subject for n in created} == {
        spanish.pk: "Marcar todo como leído",
        french.pk: "Tout marquer comme lu",
    }


@pytest.mark.parametrize(
    ("channel", "in_inbox", "emailed"),
    [
        (NotificationChannel.BOTH, True, True),
        (NotificationChannel.INBOX, True, False),
        (NotificationChannel.EMAIL, False, True),
        (NotificationChannel.NONE, False, False),
    ],
)
def test_each_person_chooses_the_channel(
    channel: str, in_inbox: bool, emailed: bool, django_capture_on_commit_callbacks: Any
) -> None:
    person = UserFactory()
    notification_preference_set(actor=person, kind=TEST_KIND, channel=channel)
    with django_capture_on_commit_callbacks(execute=True):
        send([person])
    assert Notification.objects.inbox().filter(recipient=person).exists() is in_inbox
    assert len(mail.outbox) == (1 if emailed else 0)


def test_without_a_preference_the_kinds_default_applies(django_capture_on_commit_callbacks: Any) -> None:
    person = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        send([person], kind=INBOX_ONLY_KIND)
        send([person], kind=TEST_KIND)
    assert Notification.objects.inbox().filter(recipient=person).count() == 2
    assert len(mail.outbox) == 1


def test_a_dedupe_key_notifies_each_person_once(django_capture_on_commit_callbacks: Any) -> None:
    first, second = UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        assert len(send([first], dedupe_key="report:7:due")) == 1
        again = send([first, second, second], dedupe_key="report:7:due")
    assert [n.recipient for n in again] == [second]
    assert Notification.objects.filter(dedupe_key="report:7:due").count() == 2
    assert len(mail.outbox) == 2


def test_deduplication_also_covers_email_only_deliveries(django_capture_on_commit_callbacks: Any) -> None:
    person = UserFactory()
    notification_preference_set(actor=person, kind=TEST_KIND, channel=NotificationChannel.EMAIL)
    with django_capture_on_commit_callbacks(execute=True):
        send([person], dedupe_key="action:3:overdue")
        assert send([person], dedupe_key="action:3:overdue") == []
    assert len(mail.outbox) == 1


def test_without_a_dedupe_key_every_call_notifies() -> None:
    person = UserFactory()
    send([person])
    send([person])
    assert Notification.objects.filter(recipient=person).count() == 2


def test_email_leaves_only_after_the_transaction_commits(django_capture_on_commit_callbacks: Any) -> None:
    person = UserFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        (notification,) = send([person])
        assert mail.outbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_nothing_is_emailed_when_the_callers_transaction_rolls_back(
    django_capture_on_commit_callbacks: Any,
) -> None:
    person = UserFactory()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        send([person])
        raise RuntimeError("the caller failed")
    assert callbacks == []
    assert mail.outbox == []
    assert not Notification.objects.filter(recipient=person).exists()


def test_inactive_accounts_get_no_email(django_capture_on_commit_callbacks: Any) -> None:
    person = UserFactory(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        (notification,) = send([person])
    assert mail.outbox == []
    notification.refresh_from_db()
    assert notification.emailed_at is None


class BrokenMailServer(BaseEmailBackend):
    def send_messages(self, email_messages: Any) -> int:
        raise ConnectionRefusedError("mail server down")


def test_a_mail_failure_is_logged_not_raised(
    settings: Any, caplog: pytest.LogCaptureFixture, django_capture_on_commit_callbacks: Any
) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.BrokenMailServer"
    person = UserFactory()
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        (notification,) = send([person])
    assert "Could not e-mail notification" in caplog.text
    notification.refresh_from_db()
    assert notification.emailed_at is None
    assert Notification.objects.inbox().filter(recipient=person).exists()


def test_the_email_links_to_the_platform(settings: Any, django_capture_on_commit_callbacks: Any) -> None:
    settings.CEIBA_BASE_URL = "https://ceiba.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        send([UserFactory(language="en")], url="/assessment/runs/3/")
    body = mail.outbox[0].body
    assert "https://ceiba.example.org/assessment/runs/3/" in body
    assert "https://ceiba.example.org/notifications/preferences/" in body
    assert mail.outbox[0].extra_headers["Auto-Submitted"] == "auto-generated"


def test_an_unregistered_kind_is_a_programming_error() -> None:
    with pytest.raises(ImproperlyConfigured):
        send([UserFactory()], kind="nobody.registered_this")


@pytest.mark.parametrize("url", ["https://elsewhere.example/", "//elsewhere.example/x", "dashboard/"])
def test_links_stay_inside_the_platform(url: str) -> None:
    with pytest.raises(ValidationError):
        send([UserFactory()], url=url)


def test_a_preference_for_an_unknown_kind_is_refused() -> None:
    with pytest.raises(ValidationError) as error:
        notification_preference_set(actor=UserFactory(), kind="nobody.kind", channel="both")
    assert "kind" in error.value.message_dict
