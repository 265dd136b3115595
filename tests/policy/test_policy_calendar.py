"""The calendar feed carries, besides meetings, action end dates for members, progress report due
dates for the actions' leaders and the secretariat, and recommendation deadlines for whoever may read
the recommendation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def feed(client: Client) -> str:
    response = client.get(reverse("policy:calendar"))
    assert response.status_code == 200
    return response.content.decode().replace("\r\n ", "")


def test_members_see_action_dates_and_recommendation_deadlines(
    policy: Any, persona_client: Callable[[str], Client]
) -> None:
    body = feed(persona_client("national_focal_point"))
    action = policy.actions[0]
    assert f"UID:action-end-{action.pk}@" in body
    assert f"Action ends: {action.code}" in body
    assert f"UID:recommendation-deadline-{policy.recommendation.pk}@" in body
    assert f"DTSTART;VALUE=DATE:{policy.recommendation.deadline:%Y%m%d}" in body


def test_anonymous_visitors_see_public_deadlines_only(
    policy: Any, persona_client: Callable[[str], Client]
) -> None:
    body = feed(persona_client("anonymous"))
    assert "UID:action-end-" not in body and "UID:progress-due-" not in body
    # The recommendation is public; its deadline is in the public feed.
    assert f"UID:recommendation-deadline-{policy.recommendation.pk}@" in body


def test_forum_participants_see_no_action_dates(policy: Any, persona_client: Callable[[str], Client]) -> None:
    body = feed(persona_client("forum_participant"))
    assert "UID:action-end-" not in body


def test_progress_report_due_dates_reach_the_actions_leaders_and_the_secretariat_only(
    policy: Any, persona_client: Callable[[str], Client]
) -> None:
    """Whoever may see an action sees when it ends; only who reports on it (its leading agency, or
    the leading state when no agency leads) and the secretariat, who follows every report up, get its
    report due dates."""
    ameripol_action = policy.actions[1]
    due = f"UID:progress-due-{ameripol_action.pk}@"
    assert due in feed(persona_client("action_participant"))  # AMERIPOL's action leader
    assert due in feed(persona_client("secretariat_analyst"))
    other = feed(persona_client("national_analyst@other_state"))
    assert f"UID:action-end-{ameripol_action.pk}@" in other
    assert "UID:progress-due-" not in other
    assert f"UID:progress-due-{policy.actions[0].pk}@" not in feed(persona_client("action_participant"))
