"""The access matrix for entities: for every persona × dissemination scope (at TLP:AMBER, and at
TLP:RED where RED has rules of its own) × workflow status, an entity recorded in a
contribution is on the list, its page, its graph, the API and the export exactly when decision 0020
says its record is visible; otherwise 404, never counted, never exported."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from ceiba.core.models import Organisation, State
from ceiba.documentation.models import EntityRecord
from ceiba.sharing.choices import TLP, Scope

from .entity_factories import entity_in
from .factories import OTHER_STATE, contribution_for, open_cycle, report_in, submit
from .test_access_matrix import PERSONAS, SCOPES, expected_visible


def make_entity(world, tlp: str, scope: str, originator: str, submitted: bool) -> EntityRecord:
    contribution = contribution_for(world, open_cycle(world), originator)
    report_in(world, contribution)
    states, organisations = [], []
    if scope == "named_other_state_and_ameripol":
        states = [State.objects.get(iso3=OTHER_STATE[originator])]
        organisations = [Organisation.objects.get(acronym="AMERIPOL")]
    if scope == "named_secretariat":
        organisations = [world.secretariat]
    stored_scope = Scope.NAMED if scope.startswith("named") else Scope(scope)
    forced_red = tlp == TLP.RED and stored_scope == Scope.ALL_MEMBERS
    record = entity_in(
        world,
        contribution,
        ftm_id="synthetic-matrix-person",
        properties={"name": ["Matrix Person (synthetic)"]},
        tlp=TLP.AMBER if forced_red else tlp,
        scope=stored_scope,
        shared_with_states=states,
        shared_with_organisations=organisations,
    )
    if forced_red:
        EntityRecord.objects.filter(pk=record.pk).update(tlp=TLP.RED)
    if submitted:
        submit(world, contribution)
    return record


#: Every scope at TLP:AMBER, and TLP:RED where it has rules of its own (never to all members).
MARKINGS = [(TLP.AMBER, scope) for scope in SCOPES] + [
    (TLP.RED, "all_members"),
    (TLP.RED, "named_other_state_and_ameripol"),
]


@pytest.mark.parametrize("submitted", [False, True], ids=["draft", "submitted"])
@pytest.mark.parametrize(("tlp", "scope"), MARKINGS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_entity_access_matrix(world, persona_client, persona, tlp, scope, submitted) -> None:
    """Argentina is the originator (the threat-report matrix proves the two states symmetric)."""
    originator = "ARG"
    record = make_entity(world, tlp, scope, originator, submitted)
    pk = record.entity_id
    visible = expected_visible(persona, tlp, scope, originator, submitted)
    pages = persona != "forum_participant"
    client = persona_client(persona)

    listing = client.get(reverse("documentation:entity_list"))
    assert listing.status_code == (200 if pages else 403)
    if pages:
        assert listing.context["page"].paginator.count == int(visible)
        assert ("Matrix Person (synthetic)" in listing.content.decode()) == visible
    detail_status = 200 if visible else 404 if pages else 403
    assert client.get(reverse("documentation:entity_detail", args=[pk])).status_code == detail_status
    assert client.get(reverse("documentation:entity_graph", args=[pk])).status_code == detail_status

    api = client.get(reverse("documentation-entity-list")).json()
    assert api["count"] == int(visible)
    assert client.get(reverse("documentation-entity-detail", args=[pk])).status_code == (
        200 if visible else 404
    )
    assert client.get(reverse("documentation-entity-graph", args=[pk])).status_code == (
        200 if visible else 404
    )

    export = client.get(reverse("documentation-entity-export"))
    lines = [json.loads(line) for line in b"".join(export.streaming_content).decode().splitlines()]
    assert [line["id"] for line in lines] == (["synthetic-matrix-person"] if visible else [])
