"""Threat reports through the pages and the API: creation with grading, marking and routes;
dissemination changes by the originator only (audited); safe narratives; pinned query counts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ceiba.common.models import AuditEvent
from ceiba.documentation.models import ThreatReport
from ceiba.documentation.rendering import render_markdown
from ceiba.sharing.choices import TLP, Scope

from .factories import contribution_for, open_cycle, report_in, submit


def test_an_analyst_drafts_a_report_in_the_page(world, persona_client) -> None:
    contribution = contribution_for(world, open_cycle(world), "ARG")
    response = persona_client("national_analyst").post(
        reverse("documentation:report_create", args=[contribution.pk]),
        {
            "crime_area": contribution.cycle.crime_areas.get(code="cocaine_trafficking").pk,
            "title": "River route (synthetic)",
            "period_start": "2025-01-01",
            "period_end": "2025-12-31",
            "trend": "increasing",
            "harm_physical": "0",
            "harm_economic": "",
            "enablers": ["corruption", "logistics_hubs"],
            "subregions": ["southern_cone"],
            "grading_scheme": "admiralty",
            "source_reliability": "B",
            "information_credibility": "2",
            "tlp": "amber",
            "handling_code": "H1",
            "scope": "named",
            "shared_with_states": [world.bra.pk],
            "routes-TOTAL_FORMS": "1",
            "routes-INITIAL_FORMS": "0",
            "routes-0-commodity": "Cocaine",
            "routes-0-origin": world.bra.pk,
            "routes-0-destination": world.arg.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    report = ThreatReport.objects.get(title="River route (synthetic)")
    assert report.originator == world.arg_police and report.originator_state == world.arg
    assert report.harm_physical == 0 and report.harm_economic is None  # none ≠ unknown
    assert list(report.shared_with_states.all()) == [world.bra]
    assert [(r.origin, r.destination, r.commodity) for r in report.routes.all()] == [
        (world.bra, world.arg, "Cocaine")
    ]


def test_h3_needs_conditions_and_grading_follows_its_scheme(world) -> None:
    from django.core.exceptions import ValidationError

    contribution = contribution_for(world, open_cycle(world), "ARG")
    with pytest.raises(ValidationError) as error:
        report_in(
            world, contribution, handling_code="H3", grading_scheme="europol", information_credibility="6"
        )
    assert set(error.value.message_dict) == {"handling_conditions", "information_credibility"}


def test_red_is_never_for_all_members(world) -> None:
    from django.core.exceptions import ValidationError

    contribution = contribution_for(world, open_cycle(world), "ARG")
    with pytest.raises(ValidationError) as error:
        report_in(world, contribution, tlp=TLP.RED, scope=Scope.ALL_MEMBERS)
    assert "scope" in error.value.message_dict


def test_only_the_originator_changes_dissemination_and_it_is_audited(world, persona_client) -> None:
    contribution = contribution_for(world, open_cycle(world), "BRA")
    report = report_in(world, contribution, tlp=TLP.AMBER, scope=Scope.SECRETARIAT)
    submit(world, contribution)
    url = reverse("documentation-threat-report-detail", args=[report.pk])
    widen = {"scope": "all_members"}
    assert (
        persona_client("secretariat_admin").patch(url, widen, content_type="application/json").status_code
        == 403
    )
    assert (
        persona_client("national_analyst@other_state")
        .patch(url, widen, content_type="application/json")
        .status_code
        == 403
    )
    response = persona_client("national_focal_point@other_state").patch(
        url, widen, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["scope"] == "all_members"
    event = AuditEvent.objects.filter(
        object_type="documentation.threatreport", object_id=str(report.pk), changes__has_key="dissemination"
    ).get()
    assert event.actor == world.users["national_focal_point@other_state"]
    assert event.changes["dissemination"]["scope"] == {"old": "secretariat", "new": "all_members"}
    assert persona_client("committee_delegate@other_state").get(url).status_code == 200


def test_script_in_a_narrative_comes_out_inert(world, persona_client) -> None:
    contribution = contribution_for(world, open_cycle(world), "ARG")
    report = report_in(
        world,
        contribution,
        narrative=(
            'Hello <script>alert("x")</script> [click](javascript:alert(1)) '
            "<img src=x onerror=alert(2)> **bold**"
        ),
    )
    page = persona_client("national_analyst").get(reverse("documentation:report_detail", args=[report.pk]))
    body = page.content.decode().split('<div class="narrative">', 1)[1].split("</div>", 1)[0]
    assert "<strong>bold</strong>" in body
    for dangerous in ("<script>alert", "javascript:", "onerror", "<img"):
        assert dangerous not in body
    api = persona_client("national_analyst").get(
        reverse("documentation-threat-report-detail", args=[report.pk])
    )
    assert "<script" not in api.json()["narrative_html"]


def test_markdown_keeps_safe_formatting() -> None:
    html = render_markdown("## Routes\n\n- sea\n- [UNODC](https://www.unodc.org)\n")
    assert "<h2>Routes</h2>" in html and "<li>sea</li>" in html
    assert 'href="https://www.unodc.org"' in html and 'rel="noopener noreferrer nofollow"' in html


def _reports(world, count: int) -> None:
    cycle = open_cycle(world, name=f"Cycle for {count} (synthetic)")
    contribution = contribution_for(world, cycle, "BRA")
    for index in range(count):
        report_in(
            world,
            contribution,
            title=f"Report {index} (synthetic)",
            tlp=TLP.GREEN,
            scope=Scope.NAMED,
            states=[world.arg],
            organisations=[world.secretariat],
        )
    submit(world, contribution)


@pytest.mark.parametrize(
    "url_name", ["documentation:report_list", "documentation-threat-report-list", "documentation:cycle_list"]
)
def test_list_query_counts_do_not_grow_with_rows(
    world, persona_client, django_assert_max_num_queries, url_name
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = persona_client("national_analyst")
    _reports(world, 2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse(url_name)).status_code == 200
    _reports(world, 6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse(url_name)).status_code == 200
    assert len(few.captured_queries) <= 16


def test_a_refused_edit_keeps_the_typed_title_in_the_form_and_the_stored_one_in_the_heading(
    world, persona_client
) -> None:
    report = report_in(
        world, contribution_for(world, open_cycle(world), "ARG"), title="Stored title (synthetic)"
    )
    page = (
        persona_client("national_analyst")
        .post(reverse("documentation:report_edit", args=[report.pk]), {"title": "Typed title (synthetic)"})
        .content.decode()
    )
    assert "Edit: Stored title (synthetic)" in page
    assert page.count("Typed title (synthetic)") == 1  # the form's field only
    assert ThreatReport.objects.get(pk=report.pk).title == "Stored title (synthetic)"
