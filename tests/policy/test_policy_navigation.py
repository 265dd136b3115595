"""The policy cycle is one product: every persona reaches its parts from /policy/ by following links,
and no link a page offers answers 404 or 500."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape
from typing import Any
from urllib.parse import urldefrag, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

HREF = re.compile(r'href="([^"]+)"')
#: Links not followed: downloads, and pages that only take POST or delete something.
SKIPPED = re.compile(r"(\.pdf|\.ics|\.csv)$|/delete/|/move/|/cancel/|/close/|/publish/|/validate/|/return/")
#: Every link is followed once per path (its query string aside), to keep the crawl short.
MAX_PAGES = 400


def crawl(client: Client, start: str = "/policy/") -> dict[str, int]:
    """Follow every /policy/ link (and redirect) reachable from `start`; the status each URL answered.
    A 404 or 500 is recorded with the page that linked to it, as "url <- referrer"."""
    seen: dict[str, int] = {}
    came_from: dict[str, str] = {}
    queue = [start]
    paths: set[str] = set()

    def follow(link: str, referrer: str) -> None:
        parts = urlsplit(link)
        if parts.netloc or not parts.path.startswith("/policy/") or SKIPPED.search(parts.path):
            return
        if link in seen or link in came_from or (parts.path in paths and link not in seen):
            return  # known, or the same page with other filters
        paths.add(parts.path)
        came_from[link] = referrer
        queue.append(link)

    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        response = client.get(url)
        status = response.status_code
        seen[url] = status
        if status in (404, 500):
            seen[f"{url} <- {came_from.get(url, '')}"] = status
        if status in (301, 302):
            follow(response["Location"], url)
        if status != 200 or not response.get("Content-Type", "").startswith("text/html"):
            continue
        for href in HREF.findall(response.content.decode()):
            follow(urldefrag(unescape(href))[0], url)
    return seen


def broken(seen: dict[str, int]) -> dict[str, int]:
    return {url: status for url, status in seen.items() if status in (404, 500)}


def reached(seen: dict[str, int], name: str, *args: Any) -> bool:
    """Whether the page was reached (with any query string) and answered 200."""
    path = reverse(f"policy:{name}", args=args)
    return any(urlsplit(url).path == path and status == 200 for url, status in seen.items())


def test_anonymous_visitors_reach_the_public_parts(
    policy: Any, persona_client: Callable[[str], Client]
) -> None:
    seen = crawl(persona_client("anonymous"))
    assert not broken(seen)
    assert reached(seen, "committee_detail", policy.committee.pk)
    assert reached(seen, "meeting_list")
    assert reached(seen, "meeting_detail", policy.public_meeting.pk)
    assert reached(seen, "recommendation_list")
    assert reached(seen, "recommendation_detail", policy.recommendation.pk)
    assert reached(seen, "recommendation_followup")
    assert reached(seen, "cycle_detail", policy.cycle.pk)
    assert not reached(seen, "meeting_detail", policy.meeting.pk)  # restricted
    assert not reached(seen, "progress_my_actions")


def test_a_focal_point_reaches_the_whole_cycle(policy: Any, persona_client: Callable[[str], Client]) -> None:
    seen = crawl(persona_client("national_focal_point"))
    assert not broken(seen)
    for name in ("committee_detail", "meeting_detail", "decision_detail"):
        pk = {"committee_detail": policy.committee, "meeting_detail": policy.meeting}.get(
            name, policy.decision
        ).pk
        assert reached(seen, name, pk), name
    assert reached(seen, "progress_my_actions")
    assert reached(seen, "progress_cycle_dashboard", policy.cycle.pk)
    assert reached(seen, "evaluation", policy.cycle.pk)
    assert reached(seen, "recommendation_followup")
    led = policy.actions[0]
    assert reached(seen, "action_detail", led.pk)
    assert reached(seen, "progress_action", led.pk)
    assert reached(seen, "progress_plan_dashboard", led.plan_id)


@pytest.mark.parametrize(
    "persona",
    ["national_analyst", "committee_delegate@other_state", "action_participant", "forum_participant"],
)
def test_other_personas_find_no_broken_link(
    persona: str, policy: Any, persona_client: Callable[[str], Client]
) -> None:
    seen = crawl(persona_client(persona))
    assert not broken(seen)
    assert reached(seen, "meeting_list") and reached(seen, "recommendation_followup")
    if persona == "action_participant":
        assert reached(seen, "progress_my_actions")


def test_the_secretariat_reaches_the_forms(policy: Any, persona_client: Callable[[str], Client]) -> None:
    seen = crawl(persona_client("secretariat_admin"))
    assert not broken(seen)
    for name in ("cycle_create", "meeting_create", "recommendation_create", "horizontal_goals"):
        assert reached(seen, name), name
    assert reached(seen, "priority_adopt", policy.cycle.pk)
    assert reached(seen, "action_create", policy.plans[0].pk)
    assert reached(seen, "evaluation", policy.cycle.pk)


def test_the_demo_cycle_has_no_broken_link(world: Any, persona_client: Callable[[str], Client]) -> None:
    from ceiba.policy.demo import load_policy_demo

    load_policy_demo(samples=200)
    for persona in ("anonymous", "secretariat_analyst"):
        seen = crawl(persona_client(persona))
        assert not broken(seen), persona
        assert reached(seen, "recommendation_followup")
