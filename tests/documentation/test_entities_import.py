"""FollowTheMoney JSON-lines import: every bad line reported (line, property, reason), atomic (nothing
stays after ImportAborted), idempotent (a second import changes nothing), and no oracle (an entity
the importing user may not see answers as missing). All entities here are synthetic."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.db import transaction

from ceiba.documentation.entity_services import entities_store
from ceiba.documentation.interchange.base import IMPORTERS, ImportAborted, ImportRequest, ImportSummary
from ceiba.documentation.interchange.ftm import FtmImporter
from ceiba.documentation.models import Entity, EntityRecord, EntityStatement

from .entity_factories import argentine_draft, brazilian_contribution, entity_in

DEFAULTS = {
    "tlp": "amber",
    "handling_code": "H1",
    "scope": "secretariat",
    "grading_scheme": "admiralty",
    "source_reliability": "B",
    "information_credibility": "2",
}

GOOD = [
    {
        "id": "syn-person-1",
        "schema": "Person",
        "properties": {"name": ["Ana Synthetic"], "nationality": ["ar"]},
    },
    {"id": "syn-company-1", "schema": "Company", "properties": {"name": ["Synthetic Holdings SA"]}},
    {
        "id": "syn-dir-1",
        "schema": "Directorship",
        "properties": {"director": ["syn-person-1"], "organization": ["syn-company-1"], "role": ["director"]},
    },
    {
        "id": "syn-vessel-1",
        "schema": "Vessel",
        "properties": {"name": ["Mar Sintético"], "imoNumber": ["IMO 9074729"]},
        "first_seen": "2025-03-01",
        "last_seen": "2025-09-30T12:00:00",
    },
]


def write(tmp_path: Path, lines: list) -> Path:
    path = tmp_path / "entities.ftm.json"
    path.write_text("\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n")
    return path


def run(world, contribution, path: Path, user_persona: str = "national_analyst") -> ImportSummary:
    request = ImportRequest(
        path=path,
        contribution=contribution,
        originator=world.arg_police
        if contribution.state.iso3 == "ARG"
        else contribution.state.organisations.first(),
        user=world.users[user_persona],
        defaults=DEFAULTS,
    )
    progress: list[float] = []
    with transaction.atomic():
        summary = FtmImporter().run(request, progress.append)
    assert progress[-1] == 1.0
    return summary


def test_the_importer_is_registered() -> None:
    assert IMPORTERS["ftm"] is FtmImporter
    assert ".jsonl" in FtmImporter.extensions


def test_a_good_file_lands_and_a_second_import_changes_nothing(world, tmp_path) -> None:
    contribution = argentine_draft(world)
    path = write(tmp_path, GOOD)
    summary = run(world, contribution, path)
    assert (summary.rows, summary.created, summary.updated, summary.unchanged) == (4, 4, 0, 0)
    records = EntityRecord.objects.filter(contribution=contribution)
    assert records.count() == 4
    assert {r.tlp for r in records} == {"amber"} and {r.grading for r in records} == {"B2"}
    vessel = EntityStatement.objects.get(record__entity__ftm_id="syn-vessel-1", prop="name")
    assert (vessel.first_seen.date().isoformat(), vessel.last_seen.date().isoformat()) == (
        "2025-03-01",
        "2025-09-30",
    )
    before = list(
        EntityStatement.objects.filter(record__contribution=contribution).values_list(
            "pk", "first_seen", "last_seen"
        )
    )
    again = run(world, contribution, path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    after = list(
        EntityStatement.objects.filter(record__contribution=contribution).values_list(
            "pk", "first_seen", "last_seen"
        )
    )
    assert before == after


def test_a_changed_value_updates_and_a_later_sighting_moves_last_seen(world, tmp_path) -> None:
    contribution = argentine_draft(world)
    run(world, contribution, write(tmp_path, GOOD))
    changed = [dict(line) for line in GOOD]
    changed[3] = {**changed[3], "last_seen": "2026-01-15"}
    changed[0] = {**changed[0], "properties": {"name": ["Ana Synthetic"]}}
    summary = run(world, contribution, write(tmp_path, changed))
    assert (summary.updated, summary.unchanged) == (2, 2)
    assert not EntityStatement.objects.filter(
        record__entity__ftm_id="syn-person-1", prop="nationality"
    ).exists()
    vessel = EntityStatement.objects.get(record__entity__ftm_id="syn-vessel-1", prop="name")
    assert vessel.first_seen.date().isoformat() == "2025-03-01"
    assert vessel.last_seen.date().isoformat() == "2026-01-15"


def test_every_bad_line_is_reported_and_nothing_is_stored(world, tmp_path) -> None:
    contribution = argentine_draft(world)
    lines = [
        GOOD[0],  # 1: fine
        '{"id": "syn-broken", "schema": "Person", ',  # 2: truncated JSON
        {"id": "syn-x", "schema": "Spaceship", "properties": {}},  # 3
        {"id": "syn-y", "schema": "Person", "properties": {"shoeSize": ["42"]}},  # 4
        {"id": "syn-z", "schema": "Person", "properties": {"birthDate": ["1980-02-30"]}},  # 5
        {"schema": "Person", "properties": {"name": ["No Id"]}},  # 6
        {
            "id": "syn-m",
            "schema": "Membership",
            "properties": {"member": ["syn-person-1"], "organization": ["syn-ghost"]},
        },  # 7
        {"id": "syn-person-1", "schema": "Person", "properties": {"name": ["Twice"]}},  # 8
        {"id": "syn-d", "schema": "Person", "properties": {"name": ["Ana"]}, "first_seen": "yesterday"},  # 9
        {"id": "syn-e", "schema": "Email", "properties": {}},  # 10: an FtM schema Ceiba does not store
    ]
    entities, records = Entity.objects.count(), EntityRecord.objects.count()
    with pytest.raises(ImportAborted) as aborted:
        run(world, contribution, write(tmp_path, lines))
    found = {(e.row, e.column) for e in aborted.value.errors}
    assert found == {
        (2, ""),
        (3, "schema"),
        (4, "shoeSize"),
        (5, "birthDate"),
        (6, "id"),
        (7, "organization"),
        (8, "id"),
        (9, "first_seen"),
        (10, "schema"),
    }
    messages = {(e.row, e.column): e.message for e in aborted.value.errors}
    assert messages[(2, "")].startswith("Invalid JSON")
    assert "Unknown schema: Spaceship" in messages[(3, "schema")]
    assert "Unknown property shoeSize" in messages[(4, "shoeSize")]
    assert "syn-ghost" in messages[(7, "organization")]
    assert "not one Ceiba stores" in messages[(10, "schema")]
    assert (Entity.objects.count(), EntityRecord.objects.count()) == (entities, records)


def test_a_link_end_of_the_wrong_kind_is_refused(world, tmp_path) -> None:
    contribution = argentine_draft(world)
    lines = [
        GOOD[0],
        GOOD[3],
        {
            "id": "syn-bad",
            "schema": "Membership",
            "properties": {"member": ["syn-person-1"], "organization": ["syn-vessel-1"]},
        },
    ]
    with pytest.raises(ImportAborted) as aborted:
        run(world, contribution, write(tmp_path, lines))
    [error] = aborted.value.errors
    assert (error.row, error.column) == (3, "organization")
    assert (
        error.message
        == "organization must name an entity of kind Organisation; syn-vessel-1 is of kind Vessel."
    )


def test_a_reference_to_an_entity_the_user_may_not_see_is_missing(world, tmp_path) -> None:
    hidden = entity_in(world, brazilian_contribution(world), ftm_id="syn-brazilian-secret")
    visible = entity_in(world, argentine_draft(world), ftm_id="syn-argentine-known")
    contribution = visible.contribution
    lines = [
        {
            "id": "syn-a1",
            "schema": "Associate",
            "properties": {"person": ["syn-argentine-known"], "associate": ["syn-brazilian-secret"]},
        },
    ]
    with pytest.raises(ImportAborted) as aborted:
        run(world, contribution, write(tmp_path, lines))
    [error] = aborted.value.errors
    assert (error.row, error.column) == (1, "associate") and "syn-brazilian-secret" in error.message
    assert hidden.entity.ftm_id == "syn-brazilian-secret"
    # A reference to an entity in the database the user may see is fine.
    lines[0]["properties"]["associate"] = ["syn-argentine-known"]
    lines.insert(0, {"id": "syn-p2", "schema": "Person", "properties": {"name": ["Pedro Synthetic"]}})
    lines[1]["properties"]["person"] = ["syn-p2"]
    summary = run(world, contribution, write(tmp_path, lines))
    assert summary.created == 2


def test_encoding_and_empty_files_are_refused(world, tmp_path) -> None:
    contribution = argentine_draft(world)
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(
        '{"id": "syn-l", "schema": "Person", "properties": {"name": ["José"]}}\n'.encode("latin-1")
    )
    with pytest.raises(ImportAborted) as aborted:
        run(world, contribution, path)
    assert [(e.row, e.message) for e in aborted.value.errors] == [(1, "The line is not UTF-8 text.")]
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    with pytest.raises(ImportAborted) as aborted:
        run(world, contribution, empty)
    assert aborted.value.errors[0].row is None


def test_entities_store_is_what_other_importers_call(world) -> None:
    contribution = argentine_draft(world)
    request = ImportRequest(
        path=Path("/dev/null"),
        contribution=contribution,
        originator=world.arg_police,
        user=None,
        defaults=DEFAULTS,
    )
    summary = ImportSummary()
    errors = entities_store(request=request, entities=[(1, GOOD[0]), (2, GOOD[1])], summary=summary)
    assert errors == [] and summary.created == 2 and summary.details == {"Person": 1, "Company": 1}
    errors = entities_store(request=request, entities=[(7, {"id": "q", "schema": "Nope"})], summary=summary)
    assert [(e.row, e.column) for e in errors] == [(7, "schema")]
