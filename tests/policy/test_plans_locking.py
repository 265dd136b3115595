"""Two people editing the same policy cycle, strategic goal or horizontal goal at once: the edit
started from an older version is refused (the page says so and keeps what was typed; the API answers
409) and the other person's change stays; an edit from the current version is saved and bumps it."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from ceiba.policy.api.plans import LOCK_HELP
from ceiba.policy.models import HorizontalGoal, PolicyCycle, StrategicGoal

from ..conftest import sign_in

pytestmark = pytest.mark.django_db
JSON = "application/json"
STALE = "Somebody else saved this record while you were editing it."
MINE = "Mine (synthetic)"
THEIRS = "Theirs (synthetic)"


@dataclass(frozen=True)
class Record:
    """One kind of record: its edit page, its API address, who edits it and the field changed."""

    page: str
    api: str
    path: str
    persona: str
    field: str
    record: Callable[[SimpleNamespace], Any]
    form: Callable[[Any], dict[str, Any]]


def _cycle(policy: SimpleNamespace) -> PolicyCycle:
    return policy.cycle


def _goal(policy: SimpleNamespace) -> StrategicGoal:
    return StrategicGoal.objects.filter(plan=policy.priorities[0].strategic_plan).order_by("code").first()


def _horizontal(policy: SimpleNamespace) -> HorizontalGoal:
    return HorizontalGoal.objects.order_by("order").first()


RECORDS = {
    "cycle": Record(
        page="policy:cycle_edit",
        api="policy-cycle-detail",
        path="/api/v1/policy/cycles/{id}/",
        persona="secretariat_analyst",
        field="name",
        record=_cycle,
        form=lambda cycle: {
            "name": cycle.name,
            "starts_on": str(cycle.starts_on),
            "ends_on": str(cycle.ends_on),
            "status": cycle.status,
        },
    ),
    "strategic_goal": Record(
        page="policy:goal_edit",
        api="policy-strategic-goal-detail",
        path="/api/v1/policy/strategic-goals/{id}/",
        persona="secretariat_analyst",
        field="title",
        record=_goal,
        form=lambda goal: {
            "code": goal.code,
            "title": goal.title,
            "description": goal.description,
            "horizontal_goal": goal.horizontal_goal_id or "",
        },
    ),
    "horizontal_goal": Record(
        page="policy:horizontal_goal_edit",
        api="policy-horizontal-goal-detail",
        path="/api/v1/policy/horizontal-goals/{id}/",
        persona="secretariat_admin",
        field="name_es",
        record=_horizontal,
        form=lambda goal: {
            "name_en": goal.name_en,
            "name_es": goal.name_es,
            "name_pt": goal.name_pt,
            "name_fr": goal.name_fr,
            "active": "on",
        },
    ),
}
KINDS = pytest.mark.parametrize("kind", list(RECORDS))


def _client(policy: SimpleNamespace, record: Record) -> Client:
    return sign_in(Client(headers={"accept-language": "en"}), policy.world.users[record.persona])


def _stored(obj: Any) -> Any:
    return type(obj).objects.get(pk=obj.pk)


def _page_version(client: Client, url: str) -> int:
    """The version the edit page's form starts from (its hidden `lock_version`)."""
    found = re.search(r'name="lock_version" value="(\d+)"', client.get(url).content.decode())
    assert found is not None, "the edit form carries no lock_version"
    return int(found.group(1))


# --- the pages --------------------------------------------------------------------------------------


@KINDS
def test_a_stale_edit_on_the_page_is_refused_and_keeps_what_was_typed(
    policy: SimpleNamespace, kind: str
) -> None:
    record = RECORDS[kind]
    obj = record.record(policy)
    url = reverse(record.page, args=[obj.pk])
    mine, theirs = _client(policy, record), _client(policy, record)
    started_from = _page_version(mine, url)
    their_version = _page_version(theirs, url)
    saved = theirs.post(url, {**record.form(obj), record.field: THEIRS, "lock_version": their_version})
    assert saved.status_code == 302

    response = mine.post(url, {**record.form(obj), record.field: MINE, "lock_version": started_from})

    assert response.status_code == 400
    page = response.content.decode()
    assert STALE in page
    assert f'value="{MINE}"' in page
    # Only the form shows what was typed: the heading and links show the record as stored.
    assert page.count(MINE) == 1
    stored = _stored(obj)
    assert getattr(stored, record.field) == THEIRS
    assert stored.lock_version == started_from + 1


@KINDS
def test_an_edit_from_the_current_version_on_the_page_is_saved_and_bumps_it(
    policy: SimpleNamespace, kind: str
) -> None:
    record = RECORDS[kind]
    obj = record.record(policy)
    client = _client(policy, record)
    url = reverse(record.page, args=[obj.pk])
    started_from = _page_version(client, url)

    response = client.post(url, {**record.form(obj), record.field: MINE, "lock_version": started_from})

    assert response.status_code == 302
    stored = _stored(obj)
    assert getattr(stored, record.field) == MINE
    assert stored.lock_version == started_from + 1


# --- the API ----------------------------------------------------------------------------------------


@KINDS
def test_a_stale_edit_through_the_api_answers_409_and_changes_nothing(
    policy: SimpleNamespace, kind: str
) -> None:
    record = RECORDS[kind]
    obj = record.record(policy)
    url = reverse(record.api, args=[obj.pk])
    started_from = _stored(obj).lock_version
    theirs = _client(policy, record).patch(
        url, {record.field: THEIRS, "lock_version": started_from}, content_type=JSON
    )
    assert theirs.status_code == 200

    response = _client(policy, record).patch(
        url, {record.field: MINE, "lock_version": started_from}, content_type=JSON
    )

    assert response.status_code == 409
    assert STALE in response.json()["detail"]
    stored = _stored(obj)
    assert getattr(stored, record.field) == THEIRS
    assert stored.lock_version == started_from + 1


@KINDS
def test_an_edit_from_the_current_version_through_the_api_is_saved_and_bumps_it(
    policy: SimpleNamespace, kind: str
) -> None:
    record = RECORDS[kind]
    obj = record.record(policy)
    client = _client(policy, record)
    url = reverse(record.api, args=[obj.pk])
    started_from = client.get(url).json()["lock_version"]

    response = client.patch(url, {record.field: MINE, "lock_version": started_from}, content_type=JSON)

    assert response.status_code == 200
    assert response.json()["lock_version"] == started_from + 1
    stored = _stored(obj)
    assert getattr(stored, record.field) == MINE
    assert stored.lock_version == started_from + 1


@KINDS
def test_an_api_edit_without_a_version_is_refused_naming_the_field(
    policy: SimpleNamespace, kind: str
) -> None:
    record = RECORDS[kind]
    obj = record.record(policy)
    before = getattr(obj, record.field)

    response = _client(policy, record).patch(
        reverse(record.api, args=[obj.pk]), {record.field: MINE}, content_type=JSON
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "lock_version"
    assert getattr(_stored(obj), record.field) == before


@KINDS
def test_the_schema_documents_the_version_of_an_edit(kind: str) -> None:
    schema = json.loads(Client().get(reverse("api_schema"), headers={"accept": "application/json"}).content)
    operation = schema["paths"][RECORDS[kind].path]["patch"]

    def properties(shape: dict[str, Any]) -> dict[str, Any]:
        name = shape["$ref"].rsplit("/", 1)[-1]
        return schema["components"]["schemas"][name]["properties"]

    sent = properties(operation["requestBody"]["content"][JSON]["schema"])
    answered = properties(operation["responses"]["200"]["content"][JSON]["schema"])
    assert sent["lock_version"]["description"] == LOCK_HELP
    assert "lock_version" in answered
