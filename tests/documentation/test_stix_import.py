"""Importing STIX 2.1 bundles: mapping, markings, idempotence, atomicity and bad input. The bundles
are synthetic (tests/documentation/fixtures)."""

from __future__ import annotations

import copy
from datetime import date

import pytest

from ceiba.core.models import Membership
from ceiba.documentation.interchange.base import IMPORTERS, ImportAborted, ImportRequest
from ceiba.documentation.interchange.stix import StixImporter, stix_entities
from ceiba.documentation.models import CriminalNetwork, ThreatReport

from .factories import contribution_for, submit
from .stix_helpers import load, run_import, write

pytestmark = pytest.mark.django_db

REPORT_ID = "report--84e4d88f-44ea-4bcd-bbf3-b2c1c320bcb3"
CLAN_ID = "threat-actor--9a8b7c6d-1e2f-4a3b-8c4d-5e6f7a8b9c0d"
DREDGES_ID = "intrusion-set--0b1c2d3e-4f5a-4b6c-9d7e-8f9a0b1c2d3e"


@pytest.fixture
def contribution(world, cycle):
    return contribution_for(world, cycle, "ARG")


def bundle():
    return load("stix_river_clan.json")


def obj(data, stix_id):
    return next(o for o in data["objects"] if o["id"] == stix_id)


def errors_of(world, contribution, tmp_path, data, **kwargs):
    with pytest.raises(ImportAborted) as caught:
        run_import(world, contribution, write(tmp_path, data), **kwargs)
    return caught.value.errors


def nothing_stored(contribution):
    return not ThreatReport.objects.filter(contribution=contribution).exists() and (
        not CriminalNetwork.objects.filter(contribution=contribution).exists()
    )


def test_the_importer_is_registered_for_json_files():
    assert IMPORTERS["stix"].extensions == (".json",)


def test_a_bundle_becomes_a_report_and_two_networks(world, contribution, tmp_path):
    summary = run_import(world, contribution, write(tmp_path, bundle()))

    assert (summary.created, summary.updated, summary.unchanged) == (3, 0, 0)
    assert summary.details["skipped indicator"] == 1
    assert summary.details["produced by Synthetic Analysis Unit (invented producer)"] == 3
    report = ThreatReport.objects.get(contribution=contribution, source_id=REPORT_ID)
    assert report.title == "River cocaine routes 2024 (synthetic)"
    assert report.crime_area.code == "cocaine_trafficking"  # from the network it refers to (object_refs)
    assert (report.period_start, report.period_end) == (date(2024, 1, 1), date(2024, 12, 31))
    assert {s.iso2 for s in report.affected_states.all()} == {"PY", "BR"}
    assert report.originator == world.arg_police
    clan = CriminalNetwork.objects.get(contribution=contribution, source_id=CLAN_ID)
    assert clan.alias == "Clan del Río Invented (synthetic)"
    assert clan.main_crime_area.code == "cocaine_trafficking"
    assert "Los Ribereños Ficticios" in clan.summary
    assert {s.iso2 for s in clan.countries.all()} == {"PY", "BR"}
    dredges = CriminalNetwork.objects.get(contribution=contribution, source_id=DREDGES_ID)
    assert dredges.main_crime_area.code == "illegal_mining"  # from its label
    assert not dredges.countries.exists()


def test_markings_handling_and_grading_come_from_the_bundle_else_from_the_defaults(
    world, contribution, tmp_path
):
    run_import(world, contribution, write(tmp_path, bundle()))

    report = ThreatReport.objects.get(source_id=REPORT_ID)
    clan = CriminalNetwork.objects.get(source_id=CLAN_ID)
    dredges = CriminalNetwork.objects.get(source_id=DREDGES_ID)
    assert report.tlp == "amber_strict"  # the official TLP 2.0 AMBER+STRICT id
    assert clan.tlp == "amber"  # TLP 2.0 AMBER, defined in the bundle
    assert dredges.tlp == "green"  # the TLP 1 GREEN id STIX predefines
    assert (clan.handling_code, clan.grading) == ("H1", "B2")  # x_ceiba_handling, x_ceiba_grading
    assert (report.handling_code, report.grading, report.scope) == ("H0", "C3", "secretariat")  # defaults


def test_objects_without_markings_take_the_default_marking(world, contribution, tmp_path):
    data = bundle()
    for item in data["objects"]:
        item.pop("object_marking_refs", None)
    run_import(
        world,
        contribution,
        write(tmp_path, data),
        defaults={
            "tlp": "red",
            "scope": "secretariat",
            "source_reliability": "F",
            "information_credibility": "6",
        },
    )
    assert set(ThreatReport.objects.values_list("tlp", flat=True)) == {"red"}
    assert set(CriminalNetwork.objects.values_list("tlp", flat=True)) == {"red"}


def test_reimporting_the_same_bundle_changes_nothing(world, contribution, tmp_path):
    path = write(tmp_path, bundle())
    run_import(world, contribution, path)
    first = {r.pk: r.updated_at for r in ThreatReport.objects.all()}

    summary = run_import(world, contribution, path)

    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 3)
    assert {r.pk: r.updated_at for r in ThreatReport.objects.all()} == first
    assert ThreatReport.objects.filter(contribution=contribution).count() == 1


def test_a_changed_object_updates_its_record(world, contribution, tmp_path):
    run_import(world, contribution, write(tmp_path, bundle()))
    data = bundle()
    obj(data, CLAN_ID)["description"] = "SYNTHETIC TEST DATA: revised."
    obj(data, CLAN_ID)["object_marking_refs"] = ["marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"]

    summary = run_import(world, contribution, write(tmp_path, data, "changed.json"))

    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 2)
    clan = CriminalNetwork.objects.get(source_id=CLAN_ID)
    assert clan.summary.startswith("SYNTHETIC TEST DATA: revised.")
    assert clan.tlp == "red"


def test_nothing_is_imported_into_a_submitted_contribution(world, contribution, tmp_path):
    run_import(world, contribution, write(tmp_path, bundle()))
    submit(world, contribution)
    data = bundle()
    obj(data, CLAN_ID)["description"] = "changed"

    errors = errors_of(world, contribution, tmp_path, data)

    assert errors[0].row is None and "submitted" in errors[0].message
    assert CriminalNetwork.objects.get(source_id=CLAN_ID).summary != "changed"


def test_someone_of_another_state_cannot_import_into_the_contribution(world, contribution, tmp_path):
    other = world.users["national_analyst@other_state"]
    request = ImportRequest(
        path=write(tmp_path, bundle()),
        contribution=contribution,
        originator=Membership.objects.filter(user=other).first().organisation,
        user=other,
        defaults={"source_reliability": "C", "information_credibility": "3"},
    )
    with pytest.raises(ImportAborted) as caught:
        StixImporter().run(request, lambda fraction: None)
    assert caught.value.errors[0].row is None
    assert nothing_stored(contribution)


# --- atomicity and bad input ----------------------------------------------------------------------------


def test_a_bundle_with_one_invalid_object_stores_nothing(world, contribution, tmp_path):
    data = bundle()
    del obj(data, DREDGES_ID)["name"]

    errors = errors_of(world, contribution, tmp_path, data)

    assert [(e.row, e.column) for e in errors] == [(4, "name")]
    assert DREDGES_ID in errors[0].message
    assert nothing_stored(contribution)


def test_a_record_the_model_refuses_rolls_back_the_records_stored_before_it(world, contribution, tmp_path):
    data = bundle()
    obj(data, DREDGES_ID)["x_ceiba_grading"] = "Z9"  # valid STIX, not a grade; stored after the report

    errors = errors_of(world, contribution, tmp_path, data)

    assert {(e.row, e.column) for e in errors} == {(4, "source_reliability"), (4, "information_credibility")}
    assert nothing_stored(contribution)


def test_a_report_outside_the_cycle_scope_is_an_error(world, contribution, tmp_path):
    data = bundle()
    obj(data, REPORT_ID)["x_ceiba_crime_area"] = "kidnapping"

    errors = errors_of(world, contribution, tmp_path, data)

    assert [(e.row, e.column) for e in errors] == [(12, "crime_area")]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"type": "bundle", "objects": [', "not valid JSON"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        ({"type": "report", "id": REPORT_ID}, "not a STIX 2.1 bundle"),
        ([1, 2, 3], "not a STIX 2.1 bundle"),
    ],
)
def test_files_that_are_not_bundles_are_refused_as_a_whole(world, contribution, tmp_path, content, message):
    errors = errors_of(world, contribution, tmp_path, content)
    assert len(errors) == 1 and errors[0].row is None and message in errors[0].message


def test_every_invalid_object_is_named_by_its_position_and_property(world, contribution, tmp_path):
    data = bundle()
    obj(data, CLAN_ID)["created"] = "last tuesday"
    data["objects"].append({"type": "location", "id": "location--not-a-uuid", "spec_version": "2.1"})
    data["objects"].append("not an object")

    errors = errors_of(world, contribution, tmp_path, data)

    assert [(e.row, e.column) for e in errors] == [(3, "created"), (14, "id"), (15, "")]


PURPLE = "marking-definition--0c0c0c0c-1d1d-4e4e-8f8f-a0a0a0a0a0a0"
PURPLE_TLP1 = {"definition_type": "tlp", "definition": {"tlp": "purple"}}
PURPLE_TLP2 = {
    "name": "TLP:PURPLE",
    "extensions": {
        "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d": {
            "extension_type": "property-extension",
            "tlp_2_0": "purple",
        }
    },
}


@pytest.mark.parametrize("definition", [PURPLE_TLP1, PURPLE_TLP2], ids=["tlp1", "tlp2"])
def test_an_unknown_tlp_level_is_an_error_of_the_marking(world, contribution, tmp_path, definition):
    data = bundle()
    data["objects"].append(
        {
            "type": "marking-definition",
            "spec_version": "2.1",
            "id": PURPLE,
            "created": "2025-01-01T00:00:00.000Z",
            **definition,
        }
    )
    obj(data, CLAN_ID)["object_marking_refs"] = [PURPLE]

    errors = errors_of(world, contribution, tmp_path, data)

    assert [e.row for e in errors] == [14]
    assert "purple" in errors[0].message.lower() or "TLP" in errors[0].message
    assert nothing_stored(contribution)


def test_a_reference_to_a_marking_nobody_defines_is_an_error(world, contribution, tmp_path):
    data = bundle()
    obj(data, CLAN_ID)["object_marking_refs"] = ["marking-definition--0c0c0c0c-1d1d-4e4e-8f8f-a0a0a0a0a0a0"]

    errors = errors_of(world, contribution, tmp_path, data)

    assert [(e.row, e.column) for e in errors] == [(3, "object_marking_refs")]


def test_a_network_without_crime_area_is_an_error_naming_it_unless_the_user_chose_one(
    world, contribution, tmp_path
):
    data = bundle()
    obj(data, DREDGES_ID)["labels"] = ["criminal"]

    errors = errors_of(world, contribution, tmp_path, data)

    assert [(e.row, e.column) for e in errors] == [(4, "x_ceiba_crime_area")]
    assert DREDGES_ID in errors[0].message and "Grupo Dragas Ficticias" in errors[0].message
    assert nothing_stored(contribution)

    summary = run_import(
        world, contribution, write(tmp_path, data, "again.json"), options={"crime_area": "illegal_mining"}
    )
    assert summary.created == 3
    assert CriminalNetwork.objects.get(source_id=DREDGES_ID).main_crime_area.code == "illegal_mining"


def test_an_unknown_crime_area_code_is_an_error(world, contribution, tmp_path):
    data = bundle()
    obj(data, CLAN_ID)["x_ceiba_crime_area"] = "piracy_on_the_moon"

    errors = errors_of(world, contribution, tmp_path, data)

    # The report, whose crime area came from that network, names none either.
    assert [(e.row, e.column) for e in errors] == [(3, "x_ceiba_crime_area"), (12, "x_ceiba_crime_area")]
    assert "piracy_on_the_moon" in errors[0].message


@pytest.mark.parametrize("code", ["ZZ", "ES"])
def test_a_country_that_is_not_a_state_of_the_americas_is_an_error(world, contribution, tmp_path, code):
    data = bundle()
    obj(data, "location--1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d")["country"] = code

    errors = errors_of(world, contribution, tmp_path, data)

    assert {(e.row, e.column) for e in errors} == {(5, "country")}
    assert code in errors[0].message


def test_a_period_in_the_future_is_an_error_of_the_report(world, contribution, tmp_path):
    data = bundle()
    obj(data, REPORT_ID)["x_ceiba_period_start"] = "2999-01-01"
    obj(data, REPORT_ID)["x_ceiba_period_end"] = "2999-12-31"

    errors = errors_of(world, contribution, tmp_path, data)

    assert [(e.row, e.column) for e in errors] == [(12, "period_start")]


def test_the_same_object_twice_is_an_error(world, contribution, tmp_path):
    data = bundle()
    data["objects"].append(copy.deepcopy(obj(data, CLAN_ID)))

    errors = errors_of(world, contribution, tmp_path, data)

    assert [(e.row, e.column) for e in errors] == [(14, "id")]


def test_script_in_a_narrative_is_not_rendered(world, contribution, tmp_path, persona_client):
    run_import(world, contribution, write(tmp_path, bundle()))
    report = ThreatReport.objects.get(source_id=REPORT_ID)

    page = persona_client("national_analyst").get(f"/documentation/reports/{report.pk}/")

    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.content.decode()


# --- entities ---------------------------------------------------------------------------------------------


def test_persons_described_in_the_bundle_become_ftm_entities_and_the_producer_does_not():
    entities = stix_entities(bundle())

    assert entities == [
        {
            "id": "stix-7f8a9b0c-1d2e-4f3a-8b4c-5d6e7f8a9b0c",
            "schema": "Person",
            "properties": {
                "name": ["Juan Inventado Pérez (synthetic person)"],
                "description": ["SYNTHETIC TEST DATA: an invented person, said to run the river logistics."],
                "notes": ["+595 000 000 000 (invented)"],
                "country": ["py"],
            },
        }
    ]


def test_the_entities_are_valid_followthemoney():
    ftm = pytest.importorskip("followthemoney")
    for entity in stix_entities(bundle()):
        proxy = ftm.model.get_proxy(entity)
        assert proxy.schema.name == entity["schema"]
        assert proxy.get("name") == entity["properties"]["name"]


def test_the_described_identities_become_entities_of_the_contribution(world, contribution, tmp_path):
    from ceiba.documentation.models import EntityRecord

    summary = run_import(world, contribution, write(tmp_path, bundle()))

    assert summary.details["entities created"] == 1
    record = EntityRecord.objects.get(contribution=contribution)
    assert record.entity.ftm_id == "stix-7f8a9b0c-1d2e-4f3a-8b4c-5d6e7f8a9b0c"
    again = run_import(world, contribution, write(tmp_path, bundle()))
    assert again.details["entities unchanged"] == 1


def test_an_impossible_period_is_an_error(world, contribution, tmp_path):
    data = bundle()
    obj(data, REPORT_ID)["x_ceiba_period_end"] = "2024-02-30"

    errors = errors_of(world, contribution, tmp_path, data)

    assert [(e.row, e.column) for e in errors] == [(12, "x_ceiba_period_end")]


def test_an_entity_the_store_refuses_aborts_the_whole_import(world, contribution, tmp_path, monkeypatch):
    from ceiba.documentation.models import EntityRecord

    data = bundle()
    refused = next(o for o in data["objects"] if o["id"].startswith("identity--") and o.get("name"))
    monkeypatch.setattr(
        "ceiba.documentation.interchange.stix.stix_entities",
        lambda bundle: [{"id": "stix-refused", "schema": "Spaceship", "properties": {"name": ["x"]}}],
    )

    errors = errors_of(world, contribution, tmp_path, data)

    assert any("Spaceship" in e.message for e in errors), refused
    assert nothing_stored(contribution)
    assert not EntityRecord.objects.filter(contribution=contribution).exists()


@pytest.mark.parametrize(
    "mangle",
    [
        lambda r: r.update(x_ceiba_routes="BO to BR"),
        lambda r: r.update(x_ceiba_routes=[{"origin": "XX", "transit": "PY"}, 3]),
        lambda r: r.update(x_ceiba_routes=[{"commodity": "cocaine"}]),
        lambda r: r.update(x_ceiba_states_concerned=[None, 7, "PY"]),
        lambda r: r.update(x_ceiba_grading=["B", "2"]),
        lambda r: r.update(x_ceiba_handling="H9"),
        lambda r: r.update(x_ceiba_trend="sideways"),
    ],
    ids=[
        "routes-string",
        "routes-odd",
        "route-without-ends",
        "states-odd",
        "grading-list",
        "handling",
        "trend",
    ],
)
def test_odd_ceiba_properties_are_row_errors_never_a_crash(world, contribution, tmp_path, mangle):
    data = bundle()
    mangle(obj(data, REPORT_ID))

    errors = errors_of(world, contribution, tmp_path, data)

    assert {error.row for error in errors} == {12}
    assert nothing_stored(contribution)


def test_an_empty_bundle_imports_nothing(world, contribution, tmp_path):
    summary = run_import(world, contribution, write(tmp_path, {"type": "bundle", "id": "bundle--1"}))
    assert (summary.rows, summary.created) == (0, 0)


def test_imported_records_are_indexed_for_search(world, contribution, tmp_path):
    from ceiba.documentation.search import Filters, search_documents

    run_import(world, contribution, write(tmp_path, bundle()))

    found, _terms = search_documents(world.users["national_analyst"], "Clan Invented", Filters())
    assert [doc.title for doc in found] == ["Clan del Río Invented (synthetic)"]
