"""Importing MISP event JSON: mapping, markings, idempotence, atomicity and bad input. The events
are synthetic (tests/documentation/fixtures)."""

from __future__ import annotations

from datetime import date

import pytest

from ceiba.documentation.interchange.base import IMPORTERS, ImportAborted
from ceiba.documentation.interchange.misp import events_of, misp_entities
from ceiba.documentation.models import CriminalNetwork, ThreatReport

from .factories import contribution_for
from .stix_helpers import load, run_import, write

pytestmark = pytest.mark.django_db

EVENT_UUID = "5f0c2b1e-8a4d-4c6e-9b2f-1d3e5a7c9b0f"
SOURCE_ID = f"misp:{EVENT_UUID}"


@pytest.fixture
def contribution(world, cycle):
    return contribution_for(world, cycle, "ARG")


def wrapped():
    return load("misp_event_port.json")


def event():
    return wrapped()["Event"]


def errors_of(world, contribution, tmp_path, data, **kwargs):
    with pytest.raises(ImportAborted) as caught:
        run_import(world, contribution, write(tmp_path, data), kind="misp", **kwargs)
    return caught.value.errors


def nothing_stored(contribution):
    return not ThreatReport.objects.filter(contribution=contribution).exists() and (
        not CriminalNetwork.objects.filter(contribution=contribution).exists()
    )


def test_the_importer_is_registered():
    assert IMPORTERS["misp"].extensions == (".json",)


def test_an_event_becomes_a_report_and_its_threat_actor_a_network(world, contribution, tmp_path):
    summary = run_import(world, contribution, write(tmp_path, wrapped()), kind="misp")

    assert (summary.rows, summary.created, summary.updated, summary.unchanged) == (1, 2, 0, 0)
    report = ThreatReport.objects.get(contribution=contribution, source_id=SOURCE_ID)
    assert report.title == "Port container contamination 2025 (synthetic)"
    assert (report.period_start, report.period_end) == (date(2025, 6, 30), date(2025, 6, 30))
    assert report.crime_area.code == "cocaine_trafficking"
    assert report.tlp == "amber_strict"
    assert "port-crew.invalid" in report.narrative  # the domain attribute is listed
    assert "broker@port-crew.invalid" not in report.narrative  # the e-mail became an entity
    network = CriminalNetwork.objects.get(contribution=contribution)
    assert network.alias == "Invented Port Crew"
    assert network.source_id == f"{SOURCE_ID}:8d2e3f4a-5b6c-4d7e-8f9a-0b1c2d3e4f5a"
    assert "La Cuadrilla Ficticia" in network.summary
    assert {s.iso2 for s in network.countries.all()} == {"AR", "UY"}
    assert network.tlp == "amber_strict"


@pytest.mark.parametrize(
    "document",
    [
        lambda: wrapped(),
        lambda: event(),
        lambda: [wrapped()],
        lambda: {"response": [wrapped()]},
    ],
    ids=["wrapped", "bare", "list", "response"],
)
def test_every_shape_of_misp_json_is_read(world, contribution, tmp_path, document):
    summary = run_import(world, contribution, write(tmp_path, document()), kind="misp")
    assert summary.created == 2


def test_reimporting_the_same_event_changes_nothing(world, contribution, tmp_path):
    path = write(tmp_path, wrapped())
    run_import(world, contribution, path, kind="misp")

    summary = run_import(world, contribution, path, kind="misp")

    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 2)


def test_a_changed_event_updates_its_report(world, contribution, tmp_path):
    run_import(world, contribution, write(tmp_path, wrapped()), kind="misp")
    data = wrapped()
    data["Event"]["info"] = "Port container contamination 2025, revised (synthetic)"

    summary = run_import(world, contribution, write(tmp_path, data, "changed.json"), kind="misp")

    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 1)
    assert ThreatReport.objects.get(source_id=SOURCE_ID).title.endswith("revised (synthetic)")


def test_without_a_tlp_tag_the_default_marking_applies(world, contribution, tmp_path):
    data = wrapped()
    data["Event"]["Tag"] = [t for t in data["Event"]["Tag"] if not t["name"].startswith("tlp:")]
    run_import(world, contribution, write(tmp_path, data), kind="misp")
    assert ThreatReport.objects.get(source_id=SOURCE_ID).tlp == "amber"


def test_the_crime_area_can_come_from_the_import_options(world, contribution, tmp_path):
    data = wrapped()
    data["Event"]["Tag"] = [{"name": "tlp:green"}]
    run_import(
        world, contribution, write(tmp_path, data), kind="misp", options={"crime_area": "illegal_mining"}
    )
    report = ThreatReport.objects.get(source_id=SOURCE_ID)
    assert (report.crime_area.code, report.tlp) == ("illegal_mining", "green")


# --- bad input --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"<Event>xml</Event>", "not valid JSON"), ([], "no MISP event")],
)
def test_files_that_hold_no_event_are_refused(world, contribution, tmp_path, content, message):
    errors = errors_of(world, contribution, tmp_path, content)
    assert len(errors) == 1 and errors[0].row is None and message in errors[0].message


def test_something_that_is_not_an_event_is_a_row_error(world, contribution, tmp_path):
    errors = errors_of(world, contribution, tmp_path, [wrapped(), {"type": "bundle"}, "text"])
    assert [(e.row, e.column) for e in errors] == [(2, ""), (3, "")]
    assert nothing_stored(contribution)


@pytest.mark.parametrize("field", ["info", "date", "uuid"])
def test_an_event_without_info_date_or_uuid_is_a_row_error(world, contribution, tmp_path, field):
    data = wrapped()
    del data["Event"][field]

    errors = errors_of(world, contribution, tmp_path, data)

    assert [(e.row, e.column) for e in errors] == [(1, field)]


def test_an_impossible_date_is_a_row_error(world, contribution, tmp_path):
    data = wrapped()
    data["Event"]["date"] = "2025-02-30"
    errors = errors_of(world, contribution, tmp_path, data)
    assert [(e.row, e.column) for e in errors] == [(1, "date")]


def test_a_date_in_the_future_is_a_row_error(world, contribution, tmp_path):
    data = wrapped()
    data["Event"]["date"] = "2999-01-01"
    errors = errors_of(world, contribution, tmp_path, data)
    assert [(e.row, e.column) for e in errors] == [(1, "period_start")]


def test_an_unknown_tlp_tag_is_a_row_error(world, contribution, tmp_path):
    data = wrapped()
    data["Event"]["Tag"].append({"name": "tlp:ex:chr"})

    errors = errors_of(world, contribution, tmp_path, data)

    assert [(e.row, e.column) for e in errors] == [(1, "Tag")]
    assert "tlp:ex:chr" in errors[0].message


def test_an_event_without_crime_area_is_a_row_error(world, contribution, tmp_path):
    data = wrapped()
    data["Event"]["Tag"] = [{"name": "tlp:green"}]
    errors = errors_of(world, contribution, tmp_path, data)
    assert [(e.row, e.column) for e in errors] == [(1, "Tag")]
    assert EVENT_UUID in errors[0].message


def test_an_unknown_country_of_a_threat_actor_is_a_row_error(world, contribution, tmp_path):
    data = wrapped()
    data["Event"]["Galaxy"][0]["GalaxyCluster"][0]["meta"]["country"] = ["AR", "XX"]
    errors = errors_of(world, contribution, tmp_path, data)
    assert [(e.row, e.column) for e in errors] == [(1, "Galaxy")]
    assert "XX" in errors[0].message


def test_one_bad_event_among_good_ones_stores_nothing(world, contribution, tmp_path):
    bad = event()
    bad["uuid"] = "9f0c2b1e-8a4d-4c6e-9b2f-1d3e5a7c9b0f"
    bad["Tag"] = [{"name": "tlp:amber"}, {"name": 'ceiba:crime-area="kidnapping"'}]  # out of the cycle

    errors = errors_of(world, contribution, tmp_path, [wrapped(), {"Event": bad}])

    assert [(e.row, e.column) for e in errors] == [(2, "crime_area")]
    assert nothing_stored(contribution)


# --- entities ---------------------------------------------------------------------------------------------


def test_people_contacts_and_accounts_become_ftm_entities():
    entities = misp_entities(event())

    by_schema = {}
    for entity in entities:
        by_schema.setdefault(entity["schema"], []).append(entity["properties"])
    assert by_schema["Person"] == [
        {
            "firstName": ["Inventada"],
            "lastName": ["Sintética Gómez"],
            "nationality": ["ar"],
            "name": ["Inventada Sintética Gómez"],
        }
    ]
    assert by_schema["BankAccount"] == [{"iban": ["BR3500000000000000000000123C1"]}]
    assert sorted(p.get("email", p.get("phone"))[0] for p in by_schema["LegalEntity"]) == [
        "+54 11 5555 0100",
        "broker@port-crew.invalid",
    ]
    assert entities == misp_entities(event())  # stable ids


def test_the_entities_are_valid_followthemoney():
    ftm = pytest.importorskip("followthemoney")
    for entity in misp_entities(event()):
        assert ftm.model.get_proxy(entity).schema.name == entity["schema"]


def test_events_are_unwrapped():
    assert events_of({"response": [{"Event": {"info": "x"}}]}) == [{"info": "x"}]


def test_a_country_written_as_a_string_as_galaxy_files_do_is_read(world, contribution, tmp_path):
    data = wrapped()
    data["Event"]["Galaxy"][0]["GalaxyCluster"][0]["meta"] = {"country": "PY", "synonyms": "Los Otros"}
    run_import(world, contribution, write(tmp_path, data), kind="misp")
    network = CriminalNetwork.objects.get(contribution=contribution)
    assert [s.iso2 for s in network.countries.all()] == ["PY"]
    assert "Los Otros" in network.summary


@pytest.mark.parametrize(
    "mangle",
    [
        lambda e: e.update(Tag="tlp:red"),
        lambda e: e.update(Attribute="nope"),
        lambda e: e.update(Object=[1, {"name": "person", "Attribute": [1, None]}]),
        lambda e: e.update(Galaxy=[{"type": "threat-actor", "GalaxyCluster": [1, {"value": "", "meta": 3}]}]),
        lambda e: e.update(date=20250630),
    ],
    ids=["tag-string", "attribute-string", "odd-objects", "odd-clusters", "date-number"],
)
def test_odd_structures_are_row_errors_or_ignored_never_a_crash(world, contribution, tmp_path, mangle):
    data = wrapped()
    mangle(data["Event"])
    try:
        run_import(
            world,
            contribution,
            write(tmp_path, data),
            kind="misp",
            options={"crime_area": "cocaine_trafficking"},
        )
    except ImportAborted as aborted:
        assert all(error.row == 1 for error in aborted.errors)
        assert nothing_stored(contribution)
