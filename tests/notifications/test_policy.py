"""The access policy of notifications and preferences: each person their own, whatever their role."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from ceiba.common.access import Action, restrict
from ceiba.common.testing.permissions import PERSONAS
from ceiba.core.choices import NotificationChannel
from ceiba.core.models import Notification, NotificationPreference
from tests.factories import NotificationFactory, UserFactory

from .conftest import TEST_KIND

pytestmark = pytest.mark.django_db

SIGNED_IN = [p for p in PERSONAS if p != "anonymous"]


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_every_role_sees_and_changes_only_its_own(world: Any, persona: str) -> None:
    me = world.users[persona]
    mine = NotificationFactory(recipient=me)
    NotificationFactory.create_batch(2)
    NotificationPreference.objects.create(user=me, kind=TEST_KIND, channel=NotificationChannel.INBOX)
    NotificationPreference.objects.create(
        user=UserFactory(), kind=TEST_KIND, channel=NotificationChannel.NONE
    )
    for action in (Action.VIEW, Action.CHANGE):
        assert list(restrict(Notification, me, action)) == [mine]
        assert [p.user for p in restrict(NotificationPreference, me, action)] == [me]
    for action in (Action.DELETE, Action.EXPORT):
        assert not restrict(Notification, me, action).exists()


def test_the_superuser_sees_only_their_own_too() -> None:
    root = UserFactory(is_superuser=True, is_staff=True)
    NotificationFactory.create_batch(2)
    own = NotificationFactory(recipient=root)
    assert list(restrict(Notification, root)) == [own]


def test_anonymous_visitors_see_nothing() -> None:
    NotificationFactory()
    assert not restrict(Notification, AnonymousUser()).exists()
    assert not restrict(NotificationPreference, AnonymousUser()).exists()
