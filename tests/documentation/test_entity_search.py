"""Entities in the cross-record search: found through the values of the records a user may see, per
record (each with its own state's marking), never through another state's hidden record. All persons
are synthetic."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ceiba.common.testing.permissions import permission_matrix
from ceiba.documentation.search import search_reindex
from ceiba.sharing.choices import TLP, Scope

from .entity_factories import argentine_draft, brazilian_released_entity, entity_in

pytestmark = pytest.mark.django_db

API = "/api/v1/documentation/search/"
RELEASED = {"anonymous": 302, "forum_participant": 403, "action_participant": 404}


test_entity_record_detail = permission_matrix(
    "documentation:entity_record_detail",
    url=lambda w: reverse("documentation:entity_record_detail", args=[brazilian_released_entity(w).pk]),
    expect=RELEASED,
    default=302,
)
test_entity_record_detail_of_a_draft = permission_matrix(
    "documentation:entity_record_detail",
    url=lambda w: reverse(
        "documentation:entity_record_detail",
        args=[entity_in(w, argentine_draft(w), properties={"name": ["Aurelio Synthetic"]}).pk],
    ),
    expect={"anonymous": 302, "forum_participant": 403, "national_focal_point": 302, "national_analyst": 302},
    default=404,
)


def found(persona_client, persona: str, query: str) -> set[tuple[str, int]]:
    response = persona_client(persona).get(API, {"q": query})
    assert response.status_code == 200, response.content
    return {(row["kind"], row["id"]) for row in response.json()["results"]}


def test_an_entity_is_found_by_the_values_of_records_the_user_may_see(world, persona_client):
    released = brazilian_released_entity(
        world, properties={"name": ["Zacarías Sintético"], "nationality": ["br"]}
    )
    hidden = entity_in(
        world,
        argentine_draft(world),
        properties={"name": ["Zacarías Sintético"], "alias": ["Quimérico"]},
        ftm_id=released.entity.ftm_id,
        tlp=TLP.AMBER,
        scope=Scope.ORIGINATOR,
    )

    assert found(persona_client, "national_analyst@other_state", "zacarias") == {("entity", released.pk)}
    assert found(persona_client, "national_analyst@other_state", "quimerico") == set()
    assert found(persona_client, "national_analyst", "quimerico") == {("entity", hidden.pk)}
    assert found(persona_client, "forum_participant", "zacarias") == set()


def test_a_result_opens_the_entity_page(world, persona_client):
    record = brazilian_released_entity(world, properties={"name": ["Otilia Synthetic"]})
    client = persona_client("national_analyst@other_state")

    payload = client.get(API, {"q": "otilia"}).json()
    response = client.get(payload["results"][0]["url"])

    assert response.status_code == 302
    assert (
        response.url
        == reverse("documentation:entity_detail", args=[record.entity_id]) + f"#record-{record.pk}"
    )


def test_reindex_keeps_entity_documents(world, persona_client):
    record = brazilian_released_entity(world, properties={"name": ["Eulalia Synthetic"]})

    report = search_reindex(["entity"])

    assert report.indexed["entity"] >= 1
    assert found(persona_client, "national_analyst@other_state", "eulalia") == {("entity", record.pk)}
