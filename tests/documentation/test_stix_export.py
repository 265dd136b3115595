"""Exporting threat reports and criminal networks as STIX 2.1: a valid bundle carrying the markings,
only what the user may export, audited; it reads back through the importer. Synthetic records."""

from __future__ import annotations

import json
from datetime import date

import pytest
import stix2
from django.urls import reverse

from ceiba.common.models import AuditEvent
from ceiba.core.models import State
from ceiba.documentation import services
from ceiba.documentation.interchange.markings import MARKING_ID_FOR, TLP2_EXTENSION_ID
from ceiba.documentation.models import ThreatReport
from ceiba.sharing.choices import TLP, Scope

from .factories import contribution_for, network_in, open_cycle, report_in, submit
from .stix_helpers import run_import, write

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(world):
    cycle = open_cycle(world)
    argentine = contribution_for(world, cycle, "ARG")
    draft = report_in(world, argentine, title="Argentine draft (synthetic)", tlp=TLP.AMBER)
    brazilian = contribution_for(world, cycle, "BRA")
    shared = report_in(
        world,
        brazilian,
        title="Brazilian shared report (synthetic)",
        tlp=TLP.GREEN,
        scope=Scope.ALL_MEMBERS,
        handling_code="H3",
        handling_conditions="Invented condition: ask before judicial use.",
        affected_states=[State.objects.get(iso3="PRY")],
        routes=[
            services.RouteData(
                commodity="cocaine",
                origin=State.objects.get(iso3="BOL"),
                destination=State.objects.get(iso3="BRA"),
                transit=[State.objects.get(iso3="PRY")],
            )
        ],
    )
    network = network_in(
        world,
        brazilian,
        alias="Invented Border Crew (synthetic)",
        tlp=TLP.AMBER_STRICT,
        scope=Scope.ALL_MEMBERS,
    )
    network.countries.set([State.objects.get(iso3="PRY"), State.objects.get(iso3="BRA")])
    hidden_network = network_in(world, argentine, alias="Argentine draft network (synthetic)")
    submit(world, brazilian)
    return {"draft": draft, "shared": shared, "network": network, "hidden_network": hidden_network}


def download(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    return response, json.loads(response.content)


def of_type(bundle, kind):
    return [o for o in bundle["objects"] if o["type"] == kind]


def test_the_report_export_is_a_valid_stix_bundle_carrying_the_markings(world, records, persona_client):
    response, bundle = download(
        persona_client("national_analyst@other_state"), "documentation:report_export_stix"
    )

    assert response["Content-Type"].startswith("application/stix+json")
    assert "attachment" in response["Content-Disposition"]
    stix2.parse(bundle, allow_custom=True, version="2.1")  # raises if invalid
    (report,) = of_type(bundle, "report")
    assert report["name"] == "Brazilian shared report (synthetic)"
    assert report["object_marking_refs"] == [MARKING_ID_FOR["green"]]
    assert report["x_ceiba_handling"] == "H3"
    assert report["x_ceiba_handling_conditions"].startswith("Invented condition")
    assert report["x_ceiba_grading"] == "B2"
    assert report["x_ceiba_crime_area"] == "cocaine_trafficking"
    (marking,) = of_type(bundle, "marking-definition")
    assert marking["extensions"][TLP2_EXTENSION_ID]["tlp_2_0"] == "green"
    (identity,) = of_type(bundle, "identity")
    assert report["created_by_ref"] == identity["id"]
    assert identity["name"] == str(records["shared"].originator)
    countries = {o["id"]: o["country"] for o in of_type(bundle, "location")}
    assert {countries[ref] for ref in report["object_refs"]} == {"PY", "BO", "BR"}
    assert report["x_ceiba_routes"] == [
        {"commodity": "cocaine", "origin": "BO", "transit": ["PY"], "destination": "BR"}
    ]


def test_the_network_export_links_countries_as_marked_relationships(world, records, persona_client):
    _response, bundle = download(
        persona_client("national_analyst@other_state"), "documentation:network_export_stix"
    )

    stix2.parse(bundle, allow_custom=True, version="2.1")
    (actor,) = of_type(bundle, "threat-actor")
    assert actor["name"] == "Invented Border Crew (synthetic)"
    assert actor["object_marking_refs"] == [MARKING_ID_FOR["amber_strict"]]
    locations = {o["id"]: o["country"] for o in of_type(bundle, "location")}
    relationships = of_type(bundle, "relationship")
    assert {locations[r["target_ref"]] for r in relationships} == {"PY", "BR"}
    assert all(r["object_marking_refs"] == actor["object_marking_refs"] for r in relationships)


@pytest.mark.parametrize(
    ("persona", "reports", "networks"),
    [
        (
            "national_analyst",
            {"Argentine draft (synthetic)", "Brazilian shared report (synthetic)"},
            {"Argentine draft network (synthetic)", "Invented Border Crew (synthetic)"},
        ),
        (
            "national_analyst@other_state",
            {"Brazilian shared report (synthetic)"},
            {"Invented Border Crew (synthetic)"},
        ),
        (
            "secretariat_analyst",
            {"Brazilian shared report (synthetic)"},
            {"Invented Border Crew (synthetic)"},
        ),
        ("action_participant", set(), set()),
    ],
)
def test_the_export_holds_only_what_the_user_may_see(
    world, records, persona_client, persona, reports, networks
):
    client = persona_client(persona)
    _r, report_bundle = download(client, "documentation:report_export_stix")
    _r, network_bundle = download(client, "documentation:network_export_stix")

    assert {o["name"] for o in of_type(report_bundle, "report")} == reports
    assert {o["name"] for o in of_type(network_bundle, "threat-actor")} == networks
    text = json.dumps(report_bundle) + json.dumps(network_bundle)
    for hidden in {"Argentine draft (synthetic)", "Argentine draft network (synthetic)"} - reports - networks:
        assert hidden not in text


def test_the_list_filters_apply_to_the_export(world, records, persona_client):
    client = persona_client("national_analyst")
    response = client.get(reverse("documentation:report_export_stix"), {"tlp": "green"})
    bundle = json.loads(response.content)
    assert {o["name"] for o in of_type(bundle, "report")} == {"Brazilian shared report (synthetic)"}


def test_every_export_is_audited_with_the_records_it_held(world, records, persona_client):
    user = world.users["national_analyst@other_state"]
    download(persona_client("national_analyst@other_state"), "documentation:report_export_stix")

    event = AuditEvent.objects.filter(action="export", actor=user).latest("seq")
    assert event.changes["format"] == "stix-2.1"
    assert event.changes["threat_reports"] == [records["shared"].pk]
    assert event.object_repr.endswith(".stix.json")


def test_the_api_exports_the_same_bundles(world, records, persona_client):
    client = persona_client("national_analyst@other_state")
    reports = client.get(reverse("documentation-threat-report-stix")).json()
    networks = client.get(reverse("documentation-network-stix")).json()

    stix2.parse(reports, allow_custom=True, version="2.1")
    stix2.parse(networks, allow_custom=True, version="2.1")
    assert [o["name"] for o in of_type(reports, "report")] == ["Brazilian shared report (synthetic)"]
    assert [o["name"] for o in of_type(networks, "threat-actor")] == ["Invented Border Crew (synthetic)"]
    assert (
        AuditEvent.objects.filter(action="export", actor=world.users["national_analyst@other_state"]).count()
        == 2
    )


def test_list_pages_link_to_the_downloads(world, records, persona_client):
    client = persona_client("national_analyst")
    assert (
        reverse("documentation:report_export_stix")
        in client.get(reverse("documentation:report_list")).content.decode()
    )
    assert (
        reverse("documentation:network_export_stix")
        in client.get(reverse("documentation:network_list")).content.decode()
    )


def test_an_export_reads_back_with_its_markings(world, records, persona_client, tmp_path):
    _response, bundle = download(
        persona_client("national_analyst@other_state"), "documentation:report_export_stix"
    )
    later = contribution_for(world, open_cycle(world, name="Second cycle (synthetic)"), "BRA")

    summary = run_import(world, later, write(tmp_path, bundle), persona="national_analyst@other_state")

    assert summary.created == 1
    copy = ThreatReport.objects.get(contribution=later)
    original = records["shared"]
    assert (copy.tlp, copy.handling_code, copy.handling_conditions, copy.grading) == (
        original.tlp,
        original.handling_code,
        original.handling_conditions,
        original.grading,
    )
    assert (copy.crime_area, copy.period_start, copy.period_end) == (
        original.crime_area,
        date(2025, 1, 1),
        date(2025, 12, 31),
    )
    assert {s.iso2 for s in copy.affected_states.all()} == {"PY"}
    (route,) = copy.routes.all()
    assert (route.commodity, route.origin.iso2, route.destination.iso2) == ("cocaine", "BO", "BR")
    assert [s.iso2 for s in route.transit.all()] == ["PY"]
    again = run_import(
        world, later, write(tmp_path, bundle, "again.json"), persona="national_analyst@other_state"
    )
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


def test_an_export_imported_into_its_own_contribution_finds_its_records(
    world, records, persona_client, tmp_path
):
    _response, bundle = download(
        persona_client("national_analyst@other_state"), "documentation:report_export_stix"
    )
    contribution = records["shared"].contribution
    contribution.status = "returned"
    contribution.save()

    summary = run_import(world, contribution, write(tmp_path, bundle), persona="national_analyst@other_state")

    assert (summary.created, summary.updated) == (0, 0)
    assert ThreatReport.objects.filter(contribution=contribution).count() == 1


def test_the_export_reads_a_constant_number_of_queries(world, records, persona_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = persona_client("national_analyst")

    def queries(name):
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse(name))
        return len(captured)

    before = {
        name: queries(name)
        for name in ("documentation:report_export_stix", "documentation:network_export_stix")
    }
    contribution = records["draft"].contribution
    for number in range(3):
        report_in(
            world,
            contribution,
            title=f"More (synthetic) {number}",
            affected_states=[State.objects.get(iso3="CHL")],
            routes=[services.RouteData(commodity="cocaine", origin=State.objects.get(iso3="PER"))],
        )
        network_in(world, contribution, alias=f"More network (synthetic) {number}").countries.set(
            [State.objects.get(iso3="CHL")]
        )

    assert {name: queries(name) for name in before} == before
