"""A registered kind of notification and clean registries for every test of notifications."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils.translation import gettext_lazy as _

from ceiba.core import notifications
from ceiba.core.choices import NotificationChannel

TEST_KIND = "test.deadline"
INBOX_ONLY_KIND = "test.inbox_only"


@pytest.fixture(autouse=True)
def notification_registries(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test sees only the test kinds and no deadline source (whatever the apps registered)."""
    monkeypatch.setattr(notifications, "_kinds", {})
    monkeypatch.setattr(notifications, "_sources", {})
    notifications.register_notification_kind(
        TEST_KIND, _("Notifications"), _("Choose how you are notified."), NotificationChannel.BOTH
    )
    notifications.register_notification_kind(
        INBOX_ONLY_KIND, _("Mark all read"), "", default_channel=NotificationChannel.INBOX
    )
    yield
