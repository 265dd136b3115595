"""The notifications API: my inbox, marking read, my preferences; nobody reaches another person's."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from ceiba.common.testing.permissions import permission_matrix
from ceiba.core.choices import NotificationChannel
from ceiba.core.models import Notification, NotificationPreference, User
from tests.factories import NotificationFactory

from .conftest import INBOX_ONLY_KIND, TEST_KIND

API_MEMBERS = {"anonymous": 401}


def analysts_notification(world: Any) -> Notification:
    return NotificationFactory(recipient=world.users["national_analyst"])


test_api_notifications = permission_matrix(
    "notification-list", url=lambda w: reverse("notification-list"), expect=API_MEMBERS, default=200
)
test_api_notification = permission_matrix(
    "notification-detail",
    url=lambda w: reverse("notification-detail", args=[analysts_notification(w).pk]),
    expect={"anonymous": 401, "national_analyst": 200},
    default=404,
)
test_api_notification_read = permission_matrix(
    "notification-read",
    url=lambda w: reverse("notification-read", args=[analysts_notification(w).pk]),
    method="post",
    expect={"anonymous": 401, "national_analyst": 200},
    default=404,
)
test_api_notification_read_all = permission_matrix(
    "notification-read-all",
    url=lambda w: reverse("notification-read-all"),
    method="post",
    expect=API_MEMBERS,
    default=200,
)
test_api_notification_preferences = permission_matrix(
    "notification-preference-list",
    url=lambda w: reverse("notification-preference-list"),
    expect=API_MEMBERS,
    default=200,
)
test_api_notification_preference = permission_matrix(
    "notification-preference-detail",
    url=lambda w: reverse("notification-preference-detail", args=[TEST_KIND]),
    method="patch",
    data={"channel": "inbox"},
    content_type="application/json",
    expect=API_MEMBERS,
    default=200,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(world: Any) -> User:
    return world.users["national_analyst"]


@pytest.fixture
def api(analyst: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(analyst)
    return client


def test_my_notifications_newest_first_and_filter_unread(world: Any, analyst: User, api: APIClient) -> None:
    read = NotificationFactory(recipient=analyst, read_at="2026-01-01T00:00:00Z")
    unread = NotificationFactory(recipient=analyst)
    NotificationFactory(recipient=world.users["national_focal_point"])
    NotificationFactory(recipient=analyst, channel=NotificationChannel.EMAIL)
    everything = api.get(reverse("notification-list")).json()
    assert [row["id"] for row in everything["results"]] == [unread.pk, read.pk]
    only_unread = api.get(reverse("notification-list"), {"unread": "true"}).json()
    assert [row["id"] for row in only_unread["results"]] == [unread.pk]
    assert only_unread["results"][0]["is_read"] is False


def test_another_persons_notification_is_not_found(world: Any, api: APIClient) -> None:
    theirs = NotificationFactory(recipient=world.users["national_focal_point"])
    assert api.get(reverse("notification-detail", args=[theirs.pk])).status_code == 404
    assert api.post(reverse("notification-read", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_read_and_mark_all_read(world: Any, analyst: User, api: APIClient) -> None:
    first, _second, _third = NotificationFactory.create_batch(3, recipient=analyst)
    theirs = NotificationFactory(recipient=world.users["national_focal_point"])
    assert api.post(reverse("notification-read", args=[first.pk])).json()["is_read"] is True
    assert api.post(reverse("notification-read-all")).json() == {"marked_read": 2}
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_preferences_list_every_registered_kind_with_my_channel(analyst: User, api: APIClient) -> None:
    NotificationPreference.objects.create(user=analyst, kind=TEST_KIND, channel=NotificationChannel.NONE)
    rows = {row["kind"]: row for row in api.get(reverse("notification-preference-list")).json()}
    assert rows[TEST_KIND]["channel"] == "none"
    assert rows[TEST_KIND]["default_channel"] == "both"
    assert rows[INBOX_ONLY_KIND]["channel"] == "inbox"


def test_setting_a_preference(analyst: User, api: APIClient) -> None:
    url = reverse("notification-preference-detail", args=[TEST_KIND])
    response = api.put(url, {"channel": "email"}, format="json")
    assert response.status_code == 200
    assert response.json()["channel"] == "email"
    assert NotificationPreference.objects.get(user=analyst, kind=TEST_KIND).channel == "email"


def test_a_bad_channel_names_the_field_and_an_unknown_kind_is_not_found(api: APIClient) -> None:
    bad = api.patch(
        reverse("notification-preference-detail", args=[TEST_KIND]), {"channel": "x"}, format="json"
    )
    assert bad.status_code == 400
    assert "channel" in str(bad.json())
    unknown = reverse("notification-preference-detail", args=["nobody.kind"])
    assert api.patch(unknown, {"channel": "inbox"}, format="json").status_code == 404
