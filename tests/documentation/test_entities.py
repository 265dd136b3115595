"""Entities (FollowTheMoney): permission matrices for every page and endpoint; an entity none of
whose records a user may see is invisible everywhere (404, lists, counts, graph, export); a user sees
only the values of the records they may see, each with its provenance; links and the graph; the
forms; the export's markings and audit; pinned query counts. All persons are synthetic."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ceiba.common.models import AuditAction, AuditEvent
from ceiba.common.testing.permissions import permission_matrix
from ceiba.documentation.models import Entity, EntityRecord
from ceiba.sharing.choices import TLP, Scope

from .entity_factories import (
    argentine_draft,
    brazilian_contribution,
    brazilian_released_entity,
    entity_in,
    link_in,
)
from .factories import submit

OTHER_ANALYST = "national_analyst@other_state"
ARG_DRAFTERS = {"national_focal_point": 200, "national_analyst": 200}
RELEASED = {"anonymous": 302, "forum_participant": 403, "action_participant": 404}
API_RELEASED = {"anonymous": 401, "action_participant": 404, "forum_participant": 404}


def argentine_draft_entity(world) -> EntityRecord:
    return entity_in(world, argentine_draft(world), properties={"name": ["Aurelio Synthetic"]})


# --- permission matrices ---------------------------------------------------------------------------
test_entity_list = permission_matrix(
    "documentation:entity_list",
    url=lambda w: reverse("documentation:entity_list"),
    expect={"anonymous": 302, "forum_participant": 403},
    default=200,
)
test_entity_export = permission_matrix(
    "documentation:entity_export",
    url=lambda w: reverse("documentation:entity_export"),
    expect={"anonymous": 302, "forum_participant": 403},
    default=200,
)
test_entity_detail = permission_matrix(
    "documentation:entity_detail",
    url=lambda w: reverse("documentation:entity_detail", args=[brazilian_released_entity(w).entity_id]),
    expect=RELEASED,
    default=200,
)
test_entity_detail_of_a_draft = permission_matrix(
    "documentation:entity_detail",
    url=lambda w: reverse("documentation:entity_detail", args=[argentine_draft_entity(w).entity_id]),
    expect={"anonymous": 302, "forum_participant": 403, **ARG_DRAFTERS},
    default=404,
)
test_entity_graph = permission_matrix(
    "documentation:entity_graph",
    url=lambda w: reverse("documentation:entity_graph", args=[brazilian_released_entity(w).entity_id]),
    expect=RELEASED,
    default=200,
)
test_entity_create = permission_matrix(
    "documentation:entity_create",
    url=lambda w: reverse("documentation:entity_create", args=[argentine_draft(w).pk]),
    expect={"anonymous": 302, "forum_participant": 403, **ARG_DRAFTERS},
    default=404,
)
test_entity_link_create = permission_matrix(
    "documentation:entity_link_create",
    url=lambda w: reverse("documentation:entity_link_create", args=[argentine_draft(w).pk]),
    expect={"anonymous": 302, "forum_participant": 403, **ARG_DRAFTERS},
    default=404,
)
test_entity_record_edit = permission_matrix(
    "documentation:entity_record_edit",
    url=lambda w: reverse("documentation:entity_record_edit", args=[argentine_draft_entity(w).pk]),
    expect={"anonymous": 302, "forum_participant": 403, **ARG_DRAFTERS},
    default=404,
)
test_entity_record_edit_when_released = permission_matrix(
    "documentation:entity_record_edit",
    url=lambda w: reverse("documentation:entity_record_edit", args=[brazilian_released_entity(w).pk]),
    # Brazil's focal point may still change it (dissemination), but the content is frozen: redirect.
    expect={
        "anonymous": 302,
        "forum_participant": 403,
        "action_participant": 404,
        "national_focal_point@other_state": 302,
    },
    default=403,
)
test_api_entities = permission_matrix(
    "documentation-entity-list",
    url=lambda w: reverse("documentation-entity-list"),
    expect={"anonymous": 401},
    default=200,
)
test_api_entity = permission_matrix(
    "documentation-entity-detail",
    url=lambda w: reverse("documentation-entity-detail", args=[brazilian_released_entity(w).entity_id]),
    expect=API_RELEASED,
    default=200,
)
test_api_entity_of_a_draft = permission_matrix(
    "documentation-entity-detail",
    url=lambda w: reverse("documentation-entity-detail", args=[argentine_draft_entity(w).entity_id]),
    expect={"anonymous": 401, **ARG_DRAFTERS},
    default=404,
)
test_api_entity_graph = permission_matrix(
    "documentation-entity-graph",
    url=lambda w: reverse("documentation-entity-graph", args=[brazilian_released_entity(w).entity_id]),
    expect=API_RELEASED,
    default=200,
)
test_api_entity_export = permission_matrix(
    "documentation-entity-export",
    url=lambda w: reverse("documentation-entity-export"),
    expect={"anonymous": 401},
    default=200,
)


# --- a hidden record's entity is invisible everywhere ----------------------------------------------


def _export(client, url_name: str = "documentation:entity_export") -> list[dict]:
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    return [json.loads(line) for line in body.splitlines() if line.strip()]


def test_another_states_draft_entity_is_not_found_anywhere(world, persona_client) -> None:
    record = argentine_draft_entity(world)
    pk = record.entity_id
    for persona in (OTHER_ANALYST, "secretariat_analyst", "committee_delegate@other_state"):
        client = persona_client(persona)
        assert client.get(reverse("documentation:entity_detail", args=[pk])).status_code == 404
        assert client.get(reverse("documentation:entity_graph", args=[pk])).status_code == 404
        assert client.get(reverse("documentation-entity-detail", args=[pk])).status_code == 404
        assert client.get(reverse("documentation-entity-graph", args=[pk])).status_code == 404
        page = client.get(reverse("documentation:entity_list"))
        assert page.context["page"].paginator.count == 0
        assert "Aurelio" not in page.content.decode()
        assert client.get(reverse("documentation-entity-list")).json()["count"] == 0
        assert _export(client) == []
        assert _export(client, "documentation-entity-export") == []
    # A request for it is audited as denied.
    assert AuditEvent.objects.filter(
        action=AuditAction.DENIED, object_type="documentation.entity", object_id=str(pk)
    ).exists()
    own = persona_client("national_analyst")
    assert own.get(reverse("documentation:entity_detail", args=[pk])).status_code == 200
    assert own.get(reverse("documentation-entity-list")).json()["count"] == 1


def test_released_entity_is_seen_with_provenance_and_its_view_audited(world, persona_client) -> None:
    record = brazilian_released_entity(world)
    client = persona_client("national_analyst")  # Argentina, an all-members recipient
    response = client.get(reverse("documentation:entity_detail", args=[record.entity_id]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bruno Synthetic" in html
    assert 'class="provenance-state">Brazil<' in html
    assert record.contribution.cycle.name in html
    assert "TLP:GREEN" in html
    row = next(r for r in response.context["view"].values if r.prop == "name")
    assert row.statement.first_seen is not None and row.statement.last_seen >= row.statement.first_seen
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW_RESTRICTED,
        object_type="documentation.entity",
        object_id=str(record.entity_id),
    ).exists()
    data = client.get(reverse("documentation-entity-detail", args=[record.entity_id])).json()
    assert data["schema"] == "Person" and data["caption"] == "Bruno Synthetic"
    [api_record] = data["records"]
    assert api_record["originator_state"] == "BRA" and api_record["tlp"] == "green"
    assert {s["prop"] for s in api_record["statements"]} == {"name", "nationality"}


def test_a_user_sees_only_the_values_of_records_they_may_see(world, persona_client) -> None:
    released = brazilian_released_entity(world, ftm_id="synthetic-shared-person")
    entity_in(
        world,
        argentine_draft(world),
        ftm_id="synthetic-shared-person",
        properties={"name": ["Bruno Synthetic"], "alias": ["El Secreto (synthetic)"]},
        tlp=TLP.RED,
        scope=Scope.ORIGINATOR,
    )
    brazil = persona_client(OTHER_ANALYST)
    html = brazil.get(reverse("documentation:entity_detail", args=[released.entity_id])).content.decode()
    assert "El Secreto" not in html and "TLP:RED" not in html
    data = brazil.get(reverse("documentation-entity-detail", args=[released.entity_id])).json()
    assert len(data["records"]) == 1
    [line] = _export(brazil)
    assert line["properties"]["name"] == ["Bruno Synthetic"] and "alias" not in line["properties"]
    argentina = persona_client("national_analyst")
    html = argentina.get(reverse("documentation:entity_detail", args=[released.entity_id])).content.decode()
    assert "El Secreto (synthetic)" in html and 'class="provenance-state">Argentina<' in html
    assert 'class="provenance-state">Brazil<' in html


# --- links and the graph ----------------------------------------------------------------------------


def test_graph_excludes_entities_the_user_may_not_see(world, persona_client) -> None:
    brazilian = brazilian_released_entity(world)
    contribution = argentine_draft(world)
    argentine = entity_in(world, contribution, properties={"name": ["Aurelio Synthetic"]})
    link = link_in(world, contribution, "Associate", argentine, brazilian)
    own = persona_client("national_analyst").get(
        reverse("documentation:entity_graph", args=[brazilian.entity_id])
    )
    graph = own.json()
    assert {n["data"]["id"] for n in graph["nodes"]} == {brazilian.entity.ftm_id, argentine.entity.ftm_id}
    [edge] = graph["edges"]
    assert (edge["data"]["source"], edge["data"]["target"]) == (
        argentine.entity.ftm_id,
        brazilian.entity.ftm_id,
    )
    # Brazil sees its own person alone: no node, no edge, no trace of the Argentine draft.
    other = persona_client(OTHER_ANALYST)
    for url in (
        reverse("documentation:entity_graph", args=[brazilian.entity_id]),
        reverse("documentation-entity-graph", args=[brazilian.entity_id]),
    ):
        body = other.get(url).content.decode()
        graph = json.loads(body)
        assert [n["data"]["id"] for n in graph["nodes"]] == [brazilian.entity.ftm_id]
        assert graph["edges"] == []
        assert argentine.entity.ftm_id not in body and link.entity.ftm_id not in body
    # The link shows on the page of both ends for Argentina.
    html = (
        persona_client("national_analyst")
        .get(reverse("documentation:entity_detail", args=[link.entity_id]))
        .content.decode()
    )
    assert "Aurelio Synthetic" in html and "Bruno Synthetic" in html


def test_export_carries_markings_and_a_link_only_with_both_ends(world, persona_client) -> None:
    brazilian = brazilian_released_entity(world)
    contribution = argentine_draft(world)
    argentine = entity_in(world, contribution, properties={"name": ["Aurelio Synthetic"]}, tlp=TLP.RED)
    link = link_in(world, contribution, "Associate", argentine, brazilian)
    lines = {line["id"]: line for line in _export(persona_client("national_analyst"))}
    assert set(lines) == {brazilian.entity.ftm_id, argentine.entity.ftm_id, link.entity.ftm_id}
    assert lines[argentine.entity.ftm_id]["context"]["ceiba"]["tlp"] == "red"
    [provenance] = lines[brazilian.entity.ftm_id]["context"]["ceiba"]["records"]
    assert provenance["state"] == "BRA" and provenance["tlp"] == "green" and provenance["grading"] == "B2"
    assert provenance["properties"]["name"][0]["first_seen"]
    assert lines[link.entity.ftm_id]["schema"] == "Associate"
    event = AuditEvent.objects.filter(action=AuditAction.EXPORT, object_type="documentation.entity").latest(
        "seq"
    )
    assert event.changes["entities"] == 3
    # Brazil's export has its own person, not the Argentine link to it.
    assert [line["id"] for line in _export(persona_client(OTHER_ANALYST))] == [brazilian.entity.ftm_id]


def test_an_organisation_stands_for_a_network_on_both_pages(world, persona_client) -> None:
    from .factories import network_in

    contribution = argentine_draft(world)
    network = network_in(world, contribution, alias="Clan del Río (synthetic)")
    organisation = entity_in(
        world,
        contribution,
        schema="Organization",
        properties={"name": ["Clan del Río (synthetic)"]},
        network=network,
    )
    client = persona_client("national_analyst")
    html = client.get(reverse("documentation:entity_detail", args=[organisation.entity_id])).content.decode()
    assert reverse("documentation:network_detail", args=[network.pk]) in html
    html = client.get(reverse("documentation:network_detail", args=[network.pk])).content.decode()
    assert reverse("documentation:entity_detail", args=[organisation.entity_id]) in html


# --- forms and validation ------------------------------------------------------------------------------


def _form_data(**extra) -> dict:
    return {
        "grading_scheme": "admiralty",
        "source_reliability": "B",
        "information_credibility": "2",
        "tlp": "amber",
        "handling_code": "H1",
        "scope": "secretariat",
        **extra,
    }


def test_an_analyst_records_an_entity_and_a_link_in_the_page(world, persona_client) -> None:
    contribution = argentine_draft(world)
    client = persona_client("national_analyst")
    page = client.get(reverse("documentation:contribution_detail", args=[contribution.pk])).content.decode()
    assert reverse("documentation:entity_create", args=[contribution.pk]) in page
    url = reverse("documentation:entity_create", args=[contribution.pk])
    response = client.post(
        url,
        _form_data(
            schema="Vessel",
            ftm_id="synthetic-vessel-1",
            properties="name: Mar Sintético\nimoNumber: IMO 9074729",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    vessel = EntityRecord.objects.get(entity__ftm_id="synthetic-vessel-1")
    assert vessel.caption == "Mar Sintético" and vessel.originator == world.arg_police
    response = client.post(url, _form_data(schema="Person", properties="name: Ana Synthetic"))
    person = EntityRecord.objects.get(contribution=contribution, schema="Person")
    response = client.post(
        reverse("documentation:entity_link_create", args=[contribution.pk]),
        _form_data(schema="Ownership", source=person.entity.ftm_id, target="synthetic-vessel-1"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    link = EntityRecord.objects.get(contribution=contribution, schema="Ownership")
    assert {(s.prop, s.value) for s in link.statements.all()} == {
        ("owner", person.entity.ftm_id),
        ("asset", "synthetic-vessel-1"),
    }


def test_the_originator_edits_its_record_and_kept_values_keep_their_dates(world, persona_client) -> None:
    record = entity_in(
        world, argentine_draft(world), properties={"name": ["Ana Synthetic"], "alias": ["La Ana"]}
    )
    kept = record.statements.get(prop="name")
    client = persona_client("national_analyst")
    detail = client.get(reverse("documentation:entity_detail", args=[record.entity_id])).content.decode()
    url = reverse("documentation:entity_record_edit", args=[record.pk])
    assert url in detail
    page = client.get(url)
    assert "name: Ana Synthetic" in page.content.decode()
    response = client.post(url, {"schema": "Person", "properties": "name: Ana Synthetic\nnationality: ar"})
    assert response.status_code == 302, response.content.decode()[:2000]
    values = {(s.prop, s.value): s for s in record.statements.all()}
    assert set(values) == {("name", "Ana Synthetic"), ("nationality", "ar")}
    assert values[("name", "Ana Synthetic")].first_seen == kept.first_seen
    assert AuditEvent.objects.filter(
        action=AuditAction.UPDATE, object_type="documentation.entityrecord", object_id=str(record.pk)
    ).exists()
    # Another state's analyst who sees nothing of it gets 404.
    assert persona_client(OTHER_ANALYST).get(url).status_code == 404


def test_bad_values_are_field_errors_naming_the_property(world, persona_client) -> None:
    contribution = argentine_draft(world)
    client = persona_client("national_analyst")
    url = reverse("documentation:entity_create", args=[contribution.pk])
    response = client.post(
        url, _form_data(schema="Person", properties="name: Ana\nbirthDate: 1980-02-30\nshoeSize: 42")
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "birthDate" in html and "Unknown property shoeSize" in html
    assert not EntityRecord.objects.filter(contribution=contribution).exists()
    # A link to an entity the user may not see is refused as if it did not exist.
    hidden = brazilian_contribution(world)
    secret = entity_in(world, hidden, ftm_id="synthetic-hidden")
    response = client.post(
        reverse("documentation:entity_link_create", args=[contribution.pk]),
        _form_data(schema="Associate", source="synthetic-hidden", target="synthetic-hidden-2"),
    )
    assert response.status_code == 400 and "No entity with this id." in response.content.decode()
    assert secret.entity.ftm_id == "synthetic-hidden"


def test_unknown_schema_and_frozen_after_submission(world) -> None:
    contribution = brazilian_contribution(world)
    with pytest.raises(ValidationError) as error:
        entity_in(world, contribution, schema="Spaceship")
    assert "schema" in error.value.message_dict
    entity_in(world, contribution)
    submit(world, contribution)
    with pytest.raises(ValidationError):
        entity_in(world, contribution, ftm_id="synthetic-late")


# --- query counts ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url_name", ["documentation:entity_list", "documentation-entity-list"])
def test_list_query_counts_do_not_grow_with_rows(
    world, persona_client, django_assert_max_num_queries, url_name
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    contribution = argentine_draft(world)
    client = persona_client("national_analyst")
    for i in range(2):
        entity_in(world, contribution, properties={"name": [f"Person {i} (synthetic)"]})
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse(url_name)).status_code == 200
    for i in range(2, 8):
        entity_in(world, contribution, properties={"name": [f"Person {i} (synthetic)"]})
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse(url_name)).status_code == 200
    assert Entity.objects.count() >= 8
