"""The inbox, marking read, preferences and the header's unread count, for every persona."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ceiba.common.testing.permissions import permission_matrix
from ceiba.core.choices import NotificationChannel
from ceiba.core.models import Notification, NotificationPreference, User
from tests.conftest import sign_in
from tests.factories import NotificationFactory

from .conftest import INBOX_ONLY_KIND, TEST_KIND

MEMBERS = {"anonymous": 302}


def analysts_notification(world: Any) -> Notification:
    return NotificationFactory(recipient=world.users["national_analyst"])


test_notification_list = permission_matrix(
    "core:notification_list", url=lambda w: reverse("core:notification_list"), expect=MEMBERS, default=200
)
test_notification_preferences = permission_matrix(
    "core:notification_preferences",
    url=lambda w: reverse("core:notification_preferences"),
    expect=MEMBERS,
    default=200,
)
test_notification_read_all = permission_matrix(
    "core:notification_read_all",
    url=lambda w: reverse("core:notification_read_all"),
    method="post",
    expect={},
    default=302,
)
# Only the recipient may mark a notification read: everyone else is told it does not exist.
test_notification_read = permission_matrix(
    "core:notification_read",
    url=lambda w: reverse("core:notification_read", args=[analysts_notification(w).pk]),
    method="post",
    expect={"anonymous": 302, "national_analyst": 302},
    default=404,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(world: Any) -> User:
    return world.users["national_analyst"]


@pytest.fixture
def analyst_client(analyst: User) -> Client:
    return sign_in(Client(headers={"accept-language": "en"}), analyst)


def test_anonymous_visitors_are_sent_to_sign_in(client: Client) -> None:
    response = client.get(reverse("core:notification_list"))
    assert response.status_code == 302
    assert reverse("core:login") in response["Location"]


def test_the_inbox_shows_only_my_notifications_newest_first_unread_highlighted(
    world: Any, analyst: User, analyst_client: Client
) -> None:
    older = NotificationFactory(recipient=analyst, subject="Older (synthetic)")
    newer = NotificationFactory(recipient=analyst, subject="Newer (synthetic)")
    Notification.objects.filter(pk=older.pk).update(created_at=newer.created_at.replace(year=2025))
    NotificationFactory(
        recipient=analyst, subject="E-mail only (synthetic)", channel=NotificationChannel.EMAIL
    )
    NotificationFactory(recipient=world.users["national_focal_point"], subject="Not mine (synthetic)")
    older.read_at = older.created_at
    older.save()
    html = analyst_client.get(reverse("core:notification_list")).content.decode()
    assert html.index("Newer (synthetic)") < html.index("Older (synthetic)")
    assert "Not mine" not in html
    assert "E-mail only" not in html
    assert html.count('class="unread"') == 1
    unread_only = analyst_client.get(reverse("core:notification_list") + "?unread=1").content.decode()
    assert "Newer (synthetic)" in unread_only and "Older (synthetic)" not in unread_only


def test_the_inbox_is_paginated(analyst: User, analyst_client: Client) -> None:
    NotificationFactory.create_batch(30, recipient=analyst)
    first = analyst_client.get(reverse("core:notification_list"))
    assert len(first.context["page"]) == 25
    second = analyst_client.get(reverse("core:notification_list") + "?page=2")
    assert len(second.context["page"]) == 5


def test_marking_one_read(analyst: User, analyst_client: Client) -> None:
    notification = NotificationFactory(recipient=analyst)
    response = analyst_client.post(
        reverse("core:notification_read", args=[notification.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("core:notification_list")
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_nobody_marks_another_persons_notification(world: Any, analyst_client: Client) -> None:
    theirs = NotificationFactory(recipient=world.users["national_focal_point"])
    response = analyst_client.post(reverse("core:notification_read", args=[theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_all_read_touches_only_mine(world: Any, analyst: User, analyst_client: Client) -> None:
    NotificationFactory.create_batch(3, recipient=analyst)
    theirs = NotificationFactory(recipient=world.users["national_focal_point"])
    analyst_client.post(reverse("core:notification_read_all"))
    assert not Notification.objects.filter(recipient=analyst, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_preferences_page_lists_registered_kinds_and_saves_choices(
    analyst: User, analyst_client: Client
) -> None:
    page = analyst_client.get(reverse("core:notification_preferences"))
    assert "Choose how you are notified." in page.content.decode()
    form = page.context["form"]
    assert {name: field.initial for name, field in form.fields.items()} == {
        INBOX_ONLY_KIND: NotificationChannel.INBOX,
        TEST_KIND: NotificationChannel.BOTH,
    }
    response = analyst_client.post(
        reverse("core:notification_preferences"),
        {TEST_KIND: NotificationChannel.EMAIL, INBOX_ONLY_KIND: NotificationChannel.INBOX},
    )
    assert response.status_code == 302
    # Only the changed kind is stored: the other keeps following its default.
    assert dict(NotificationPreference.objects.filter(user=analyst).values_list("kind", "channel")) == {
        TEST_KIND: NotificationChannel.EMAIL
    }


def test_a_bad_choice_is_named(analyst_client: Client) -> None:
    response = analyst_client.post(
        reverse("core:notification_preferences"), {TEST_KIND: "pigeon", INBOX_ONLY_KIND: "inbox"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors.keys() == {TEST_KIND}


def test_the_header_shows_the_unread_count(analyst: User, analyst_client: Client) -> None:
    NotificationFactory.create_batch(3, recipient=analyst)
    NotificationFactory(recipient=analyst, read_at="2026-01-01T00:00:00Z")
    html = analyst_client.get(reverse("home")).content.decode()
    assert '<span class="badge">3</span>' in html


def notification_queries(client: Client) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    return [q["sql"] for q in queries.captured_queries if "core_notification" in q["sql"]]


def test_the_unread_count_costs_one_query_however_many_notifications(
    analyst: User, analyst_client: Client
) -> None:
    assert len(notification_queries(analyst_client)) == 1
    NotificationFactory.create_batch(20, recipient=analyst)
    with CaptureQueriesContext(connection) as few:
        analyst_client.get(reverse("home"))
    NotificationFactory.create_batch(20, recipient=analyst)
    with CaptureQueriesContext(connection) as many:
        analyst_client.get(reverse("home"))
    assert len(notification_queries(analyst_client)) == 1
    assert len(few.captured_queries) == len(many.captured_queries)


def test_anonymous_pages_do_not_count_notifications(client: Client) -> None:
    assert notification_queries(client) == []


def test_the_inbox_costs_a_fixed_number_of_queries(analyst: User, analyst_client: Client) -> None:
    NotificationFactory.create_batch(3, recipient=analyst)
    with CaptureQueriesContext(connection) as few:
        analyst_client.get(reverse("core:notification_list"))
    NotificationFactory.create_batch(20, recipient=analyst)
    with CaptureQueriesContext(connection) as many:
        analyst_client.get(reverse("core:notification_list"))
    assert len(few.captured_queries) == len(many.captured_queries)
