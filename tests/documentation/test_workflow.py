"""The contribution workflow through HTTP: analysts draft, the focal point submits, the secretariat
validates or returns with comments; each step is audited and each state sees only its own drafts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ceiba.common.models import AuditAction, AuditEvent
from ceiba.documentation.choices import ContributionStatus
from ceiba.documentation.models import Contribution, ThreatReport

from .factories import contribution_for, open_cycle, report_in, submit


def status_events(contribution: Contribution) -> list[tuple[str, str]]:
    events = AuditEvent.objects.filter(
        object_type="documentation.contribution", object_id=str(contribution.pk), action=AuditAction.UPDATE
    ).order_by("seq")
    return [(e.actor_label, e.changes["status"]["new"]) for e in events]


def test_draft_submit_return_resubmit_validate(world, persona_client) -> None:
    cycle = open_cycle(world)
    analyst, focal = persona_client("national_analyst"), persona_client("national_focal_point")
    secretariat = persona_client("secretariat_analyst")

    started = analyst.post(reverse("documentation:cycle_contribution", args=[cycle.pk]))
    contribution = Contribution.objects.get(cycle=cycle, state=world.arg)
    assert started.status_code == 302 and started.url == reverse(
        "documentation:contribution_detail", args=[contribution.pk]
    )
    report_in(world, contribution)

    assert (
        analyst.post(reverse("documentation:contribution_submit", args=[contribution.pk])).status_code == 403
    )
    assert (
        secretariat.get(reverse("documentation:contribution_detail", args=[contribution.pk])).status_code
        == 404
    )

    focal.post(reverse("documentation:contribution_submit", args=[contribution.pk]))
    contribution.refresh_from_db()
    assert contribution.status == ContributionStatus.SUBMITTED
    assert (
        secretariat.get(reverse("documentation:contribution_detail", args=[contribution.pk])).status_code
        == 200
    )

    returned = secretariat.post(
        reverse("documentation:contribution_return", args=[contribution.pk]),
        {"comments": "Add 2025 figures."},
    )
    assert returned.status_code == 302
    contribution.refresh_from_db()
    assert contribution.status == ContributionStatus.RETURNED
    page = analyst.get(reverse("documentation:contribution_detail", args=[contribution.pk]))
    assert "Add 2025 figures." in page.content.decode()

    focal.post(reverse("documentation:contribution_submit", args=[contribution.pk]))
    secretariat.post(reverse("documentation:contribution_validate", args=[contribution.pk]))
    contribution.refresh_from_db()
    assert contribution.status == ContributionStatus.VALIDATED
    assert status_events(contribution) == [
        ("focal.arg@demo.ceiba.example", "submitted"),
        ("secretariat.analyst@demo.ceiba.example", "returned"),
        ("focal.arg@demo.ceiba.example", "submitted"),
        ("secretariat.analyst@demo.ceiba.example", "validated"),
    ]


def test_returning_needs_comments(world, persona_client) -> None:
    contribution = contribution_for(world, open_cycle(world), "BRA")
    report_in(world, contribution)
    submit(world, contribution)
    response = persona_client("secretariat_admin").post(
        reverse("documentation:contribution_return", args=[contribution.pk]), {"comments": ""}
    )
    assert response.status_code == 400
    contribution.refresh_from_db()
    assert contribution.status == ContributionStatus.SUBMITTED


def test_an_empty_contribution_cannot_be_submitted(world, persona_client) -> None:
    contribution = contribution_for(world, open_cycle(world), "ARG")
    persona_client("national_focal_point").post(
        reverse("documentation:contribution_submit", args=[contribution.pk])
    )
    contribution.refresh_from_db()
    assert contribution.status == ContributionStatus.DRAFT


def test_the_dashboard_shows_what_is_missing_and_the_deadline(world, persona_client) -> None:
    contribution = contribution_for(world, open_cycle(world), "ARG")
    report_in(world, contribution, title="Cocaine on the waterway (synthetic)")
    page = persona_client("national_focal_point").get(
        reverse("documentation:contribution_detail", args=[contribution.pk])
    )
    rows = {row.area.code: [r.title for r in row.reports] for row in page.context["dashboard"].rows}
    assert rows == {"cocaine_trafficking": ["Cocaine on the waterway (synthetic)"], "illegal_mining": []}
    assert [a.code for a in page.context["dashboard"].missing] == ["illegal_mining"]
    assert "2030" in page.content.decode()


def test_a_state_sees_only_its_own_drafts(world, persona_client) -> None:
    cycle = open_cycle(world)
    argentina, brazil = contribution_for(world, cycle, "ARG"), contribution_for(world, cycle, "BRA")
    listed = persona_client("national_analyst").get(reverse("documentation-contribution-list")).json()
    assert [c["id"] for c in listed["results"]] == [argentina.pk]
    assert brazil.pk not in [c["id"] for c in listed["results"]]


def test_a_submitted_contribution_is_frozen_until_returned(world, persona_client) -> None:
    contribution = contribution_for(world, open_cycle(world), "ARG")
    report = report_in(world, contribution)
    submit(world, contribution)
    response = persona_client("national_focal_point").patch(
        reverse("documentation-threat-report-detail", args=[report.pk]),
        {"title": "Changed after submission"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert ThreatReport.objects.get(pk=report.pk).title != "Changed after submission"


@pytest.mark.parametrize("persona", ["national_analyst@other_state", "secretariat_admin"])
def test_others_cannot_add_reports_to_a_state_contribution_through_the_api(
    world, persona_client, persona
) -> None:
    contribution = contribution_for(world, open_cycle(world), "ARG")
    response = persona_client(persona).post(
        reverse("documentation-threat-report-list"),
        {
            "contribution": contribution.pk,
            "crime_area": "cocaine_trafficking",
            "title": "Injected (synthetic)",
            "period_start": "2025-01-01",
            "period_end": "2025-06-30",
            "source_reliability": "B",
            "information_credibility": "2",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "contribution" in {e["field"] for e in response.json()["errors"]}
    assert not ThreatReport.objects.filter(title="Injected (synthetic)").exists()
