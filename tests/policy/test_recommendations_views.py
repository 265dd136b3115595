"""Pages of recommendations: the list (filters, pinned query count), the detail with addressees and
reports, recording and editing (a stale edit answers 409 and keeps what the editor typed), an
addressee's report with an evidence file, validation, and the follow-up reports (HTML and PDF, four
languages, restricted recommendations for members only, overdue highlighted)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ceiba.policy.choices import ImplementationStatus, ReviewStatus
from ceiba.policy.models import Addressee, Recommendation

from .recommendation_fixtures import (
    PDF_BYTES,
    arg_addressee,
    base,
    body_addressee,
    pending_report,
    restricted,
)

pytestmark = pytest.mark.django_db
ENGLISH = {"accept-language": "en"}


@pytest.fixture(autouse=True)
def _pdf_cache(settings: Any, tmp_path: Path) -> None:
    settings.CEIBA_REPORT_CACHE_DIR = str(tmp_path / "reports")


def _client(persona_client: Any, persona: str) -> Any:
    client = persona_client(persona)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _more(world: Any, count: int) -> None:
    for number in range(count):
        recommendation = Recommendation.objects.create(
            code=f"TC-X{number} (synthetic)",
            title=f"Extra recommendation {number} (synthetic)",
            text="Synthetic.",
            source="evaluation",
            source_reference="Evaluation (synthetic)",
            deadline=timezone.localdate() + dt.timedelta(days=number),
        )
        Addressee.objects.create(recommendation=recommendation, state=world.arg)
        Addressee.objects.create(recommendation=recommendation, state=world.bra)


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("persona", ["anonymous", "national_focal_point"])
def test_the_list_query_count_is_pinned(world: Any, persona_client: Any, persona: str) -> None:
    restricted(world)
    client = _client(persona_client, persona)
    url = reverse("policy:recommendation_list")
    first = _queries(client, url)
    _more(world, 5)
    assert _queries(client, url) == first
    assert first == {"anonymous": 4, "national_focal_point": 9}[persona]


def test_the_list_filters_and_hides_restricted_ones(world: Any, persona_client: Any) -> None:
    restricted(world)
    anonymous = _client(persona_client, "anonymous")
    page = anonymous.get(reverse("policy:recommendation_list")).content.decode()
    assert "TC-R1 (synthetic)" in page and "TC-R2 (synthetic)" not in page
    member = _client(persona_client, "national_analyst@other_state")
    page = member.get(reverse("policy:recommendation_list"), {"overdue": "1"}).content.decode()
    assert "TC-R2 (synthetic)" in page and "TC-R1 (synthetic)" not in page
    page = member.get(
        reverse("policy:recommendation_list"), {"state": "BRA", "status": "implemented"}
    ).content.decode()
    assert "TC-R1 (synthetic)" in page and "TC-R2 (synthetic)" not in page


def test_the_detail_shows_addressees_reports_and_actions(world: Any, persona_client: Any) -> None:
    recommendation = base(world)
    page = _client(persona_client, "national_focal_point").get(
        reverse("policy:recommendation_detail", args=[recommendation.pk])
    )
    text = page.content.decode()
    assert "A decree is being drafted (synthetic)." in text
    assert reverse("policy:recommendation_report", args=[arg_addressee(world).pk]) in text
    assert "TC/1/2026 (synthetic)" in text
    assert reverse("policy:recommendation_report_validate", args=[pending_report(world).pk]) not in text
    page = _client(persona_client, "secretariat_analyst").get(
        reverse("policy:recommendation_detail", args=[recommendation.pk])
    )
    assert (
        reverse("policy:recommendation_report_validate", args=[pending_report(world).pk])
        in page.content.decode()
    )
    # Another state sees the validated report, not Argentina's pending one.
    page = _client(persona_client, "national_analyst@other_state").get(
        reverse("policy:recommendation_detail", args=[recommendation.pk])
    )
    text = page.content.decode()
    assert "Contact point designated (synthetic)." in text
    assert "A decree is being drafted (synthetic)." not in text


def _form(world: Any, **overrides: Any) -> dict[str, Any]:
    data = {
        "code": "TC-R8 (synthetic)",
        "title": "Adopt a national firearms plan (synthetic)",
        "text": "Synthetic.",
        "source": "meeting",
        "meeting": base(world).decision.meeting_id,
        "deadline": "2030-06-30",
        "visibility": "restricted",
        "states": [world.arg.pk],
    }
    return {**data, **overrides}


def test_the_secretariat_records_and_edits_with_locking(world: Any, persona_client: Any) -> None:
    client = _client(persona_client, "secretariat_admin")
    response = client.post(reverse("policy:recommendation_create"), _form(world))
    assert response.status_code == 302, response.content.decode()[:2000]
    recommendation = Recommendation.objects.get(code="TC-R8 (synthetic)")
    assert [a.state for a in recommendation.addressees.all()] == [world.arg]
    url = reverse("policy:recommendation_edit", args=[recommendation.pk])
    assert client.get(url).status_code == 200
    edit = _form(world, title="Edited once (synthetic)", lock_version=recommendation.lock_version)
    assert client.post(url, edit).status_code == 302
    stale = _form(
        world, title="Edited from a stale page (synthetic)", lock_version=recommendation.lock_version
    )
    response = client.post(url, stale)
    assert response.status_code == 409
    assert "Somebody else saved this record" in response.content.decode()
    assert "Edited from a stale page (synthetic)" in response.content.decode()
    assert Recommendation.objects.get(pk=recommendation.pk).title == "Edited once (synthetic)"


def test_the_form_names_the_missing_field(world: Any, persona_client: Any) -> None:
    client = _client(persona_client, "secretariat_admin")
    response = client.post(reverse("policy:recommendation_create"), _form(world, meeting="", states=[]))
    assert response.status_code == 400
    text = response.content.decode()
    assert "Name the meeting the recommendation comes from." in text
    assert "Address the recommendation to at least one state or body." in text
    assert not Recommendation.objects.filter(code="TC-R8 (synthetic)").exists()


def test_an_addressee_reports_with_a_file_and_the_secretariat_validates(
    world: Any, persona_client: Any
) -> None:
    addressee = body_addressee(world)
    client = _client(persona_client, "action_participant")
    url = reverse("policy:recommendation_report", args=[addressee.pk])
    response = client.post(url, {"status": "implemented", "narrative": "Done (synthetic)."})
    assert response.status_code == 400
    assert "Implementation is reported with evidence" in response.content.decode()
    upload = SimpleUploadedFile("results.pdf", PDF_BYTES, content_type="application/pdf")
    response = client.post(
        url, {"status": "implemented", "narrative": "Done (synthetic).", "evidence_file": upload}
    )
    assert response.status_code == 302
    report = addressee.reports.get()
    download = client.get(reverse("policy:recommendation_evidence", args=[report.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert download["X-Content-Type-Options"] == "nosniff"
    secretariat = _client(persona_client, "secretariat_analyst")
    response = secretariat.post(reverse("policy:recommendation_report_validate", args=[report.pk]))
    assert response.status_code == 302
    assert Addressee.objects.get(pk=addressee.pk).status == ImplementationStatus.IMPLEMENTED
    response = secretariat.post(
        reverse("policy:recommendation_report_validate", args=[report.pk]), follow=True
    )
    assert "already validated" in response.content.decode()


def test_a_non_addressee_gets_a_clear_refusal(world: Any, persona_client: Any) -> None:
    response = _client(persona_client, "national_focal_point@other_state").post(
        reverse("policy:recommendation_report", args=[arg_addressee(world).pk]),
        {"status": "in_progress", "narrative": "x"},
    )
    assert response.status_code == 403
    assert "You do not report for Argentina" in response.content.decode()
    assert pending_report(world).review == ReviewStatus.PENDING
    assert arg_addressee(world).reports.count() == 1


def test_the_state_follow_up_report(world: Any, persona_client: Any) -> None:
    restricted(world)
    url = reverse("policy:recommendation_followup_state", args=["ARG"])
    text = _client(persona_client, "national_analyst@other_state").get(url).content.decode()
    assert "TC-R1 (synthetic)" in text and "TC-R2 (synthetic)" in text
    assert 'class="is-overdue"' in text
    text = _client(persona_client, "anonymous").get(url).content.decode()
    assert "TC-R1 (synthetic)" in text and "TC-R2 (synthetic)" not in text
    bra = _client(persona_client, "anonymous").get(
        reverse("policy:recommendation_followup_state", args=["BRA"])
    )
    assert "https://example.org/decree-synthetic" in bra.content.decode()


def test_the_summary_counts_validated_statuses(world: Any, persona_client: Any) -> None:
    restricted(world)
    response = _client(persona_client, "secretariat_admin").get(reverse("policy:recommendation_followup"))
    text = response.content.decode()
    assert "TC-R2 (synthetic)" in text
    assert "AMERIPOL" in text or "Comunidad de Policías de América" in text
    summary = _client(persona_client, "anonymous").get(reverse("policy-follow-up-summary")).json()
    row = next(r for r in summary["recommendations"] if r["code"] == "TC-R1 (synthetic)")
    # Argentina's pending report does not count; Brazil's validated status does.
    assert row["by_status"] == {
        "not_started": 1,
        "in_progress": 0,
        "partially_implemented": 0,
        "implemented": 1,
        "not_applicable": 0,
    }
    assert row["share_implemented"] == 50
    assert all(r["code"] != "TC-R2 (synthetic)" for r in summary["recommendations"])


@pytest.mark.parametrize("language", ["es", "en", "pt", "fr"])
def test_the_reports_in_four_languages_and_as_pdf(world: Any, persona_client: Any, language: str) -> None:
    restricted(world)
    client = _client(persona_client, "secretariat_admin")
    page = client.get(reverse("policy:recommendation_followup"), {"lang": language})
    assert page["Content-Language"] == language
    assert f'lang="{language}"' in page.content.decode() or page.status_code == 200
    pdf = client.get(reverse("policy:recommendation_followup_state_pdf", args=["ARG"]), {"lang": language})
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    again = client.get(reverse("policy:recommendation_followup_state_pdf", args=["ARG"]), {"lang": language})
    assert again.content == pdf.content


@pytest.mark.parametrize(
    ("name", "args", "queries"),
    [("policy:recommendation_followup", [], 6), ("policy:recommendation_followup_state", ["ARG"], 8)],
)
def test_the_follow_up_query_counts_are_pinned(
    world: Any, persona_client: Any, name: str, args: list[str], queries: int
) -> None:
    restricted(world)
    client = _client(persona_client, "national_focal_point")
    url = reverse(name, args=args)
    first = _queries(client, url)
    _more(world, 5)
    assert _queries(client, url) == first == queries
