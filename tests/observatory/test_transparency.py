"""Transparency and confidence-building measures: published by a state's focal point (or the
secretariat), shown on the state's profile, audited, and in the open data."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ceiba.common.models import AuditEvent
from ceiba.observatory import services
from ceiba.observatory.models import ArmsRegisterReport, ConfidenceMeasure, WhitePaper

from .factories import ArmsRegisterReportFactory, WhitePaperFactory, state

pytestmark = pytest.mark.django_db


def test_a_focal_point_publishes_a_white_paper_of_their_state(indicators, persona_client) -> None:
    client = persona_client("national_focal_point")
    response = client.post(
        reverse("observatory:transparency_add", args=["ARG", "white-paper"]),
        {
            "title": "Libro Blanco (synthetic)",
            "year": 2023,
            "language": "es",
            "url": "https://example.org/lb.pdf",
        },
    )
    assert response.status_code == 302
    paper = WhitePaper.objects.get()
    assert paper.state.iso3 == "ARG"
    assert (
        "Libro Blanco (synthetic)"
        in client.get(reverse("observatory:country_profile", args=["ARG"])).content.decode()
    )
    assert AuditEvent.objects.filter(object_type="observatory.whitepaper", action="create").exists()


def test_a_focal_point_cannot_publish_for_another_state(indicators, persona_client) -> None:
    response = persona_client("national_focal_point").post(
        reverse("observatory:transparency_add", args=["BRA", "white-paper"]),
        {"title": "x", "year": 2023, "language": "pt", "url": "https://example.org/x.pdf"},
    )
    assert response.status_code == 403
    assert not WhitePaper.objects.exists()


def test_a_focal_point_cannot_edit_another_states_record(indicators, persona_client) -> None:
    paper = WhitePaperFactory(state=state("BRA"))
    response = persona_client("national_focal_point").get(
        reverse("observatory:transparency_edit", args=["BRA", "white-paper", paper.pk])
    )
    assert response.status_code == 403


def test_a_white_paper_needs_a_document_or_an_address(indicators, persona_client) -> None:
    response = persona_client("national_focal_point").post(
        reverse("observatory:transparency_add", args=["ARG", "white-paper"]),
        {"title": "x", "year": 2023, "language": "es"},
    )
    assert response.status_code == 400
    assert "Attach the document or give the address" in response.content.decode()


def test_register_submissions_allow_nil_reports_but_not_both(indicators) -> None:
    nil = services.arms_register_report_save(state=state("URY"), year=2022, nil_report=True)
    assert nil.categories == []
    with pytest.raises(ValidationError, match="A nil report lists no category"):
        services.arms_register_report_save(
            state=state("URY"), year=2021, nil_report=True, categories=["warships"]
        )
    with pytest.raises(ValidationError, match="Tick the categories reported"):
        services.arms_register_report_save(state=state("URY"), year=2020)
    with pytest.raises(ValidationError, match="Unknown category"):
        services.arms_register_report_save(state=state("URY"), year=2019, categories=["laser swords"])


def test_register_submission_form_with_categories(indicators, persona_client) -> None:
    response = persona_client("secretariat_admin").post(
        reverse("observatory:transparency_add", args=["CHL", "arms-register"]),
        {"year": 2022, "categories": ["combat_aircraft", "salw"]},
    )
    assert response.status_code == 302
    report = ArmsRegisterReport.objects.get()
    assert (
        report.category_labels == ["Combat aircraft", "Small arms and light weapons"]
        or len(report.category_labels) == 2
    )


def test_one_register_submission_per_state_and_year(indicators, persona_client) -> None:
    ArmsRegisterReportFactory(state=state("CHL"), year=2022)
    response = persona_client("secretariat_admin").post(
        reverse("observatory:transparency_add", args=["CHL", "arms-register"]),
        {"year": 2022, "nil_report": "on"},
    )
    assert response.status_code == 400
    assert ArmsRegisterReport.objects.count() == 1


def test_a_measure_with_partners(indicators, persona_client) -> None:
    response = persona_client("national_focal_point").post(
        reverse("observatory:transparency_add", args=["ARG", "measure"]),
        {
            "kind": "border_cooperation",
            "date": "2024-03-01",
            "partners": [state("CHL").pk, state("BOL").pk],
            "other_partners": "AMERIPOL",
        },
    )
    assert response.status_code == 302
    measure = ConfidenceMeasure.objects.get()
    assert sorted(p.iso3 for p in measure.partners.all()) == ["BOL", "CHL"]


def test_the_secretariat_removes_a_record(indicators, persona_client) -> None:
    paper = WhitePaperFactory()
    response = persona_client("secretariat_admin").post(
        reverse("observatory:transparency_delete", args=["ARG", "white-paper", paper.pk])
    )
    assert response.status_code == 302
    assert not WhitePaper.objects.exists()


def test_transparency_is_public_in_the_api(indicators) -> None:
    from django.test import Client

    WhitePaperFactory(title="Defence white paper (synthetic)")
    body = Client().get("/api/v1/observatory/white-papers/").json()
    assert body["results"][0]["state"] == "ARG"
