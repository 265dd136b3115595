"""The secretariat imports files from the page (a background job with progress), reviews flagged
releases and matches unmatched country names."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ceiba.common.models import Job
from ceiba.observatory import services
from ceiba.observatory.choices import ReleaseStatus
from ceiba.observatory.models import CountryAlias, Observation, Release

from .conftest import csv_bytes, owid_file

pytestmark = pytest.mark.django_db


def test_an_upload_runs_as_a_job_and_shows_its_progress(
    indicators, persona_client, django_capture_on_commit_callbacks
) -> None:
    client = persona_client("secretariat_analyst")
    upload = SimpleUploadedFile(
        "homicide.csv", owid_file([["Argentina", "ARG", 2022, 4.3, ""]]), content_type="text/csv"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("observatory:import_list"), {"source_format": "owid", "file": upload})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("core:job_detail", args=[job.pk])
    job.refresh_from_db()
    assert (job.status, job.progress) == ("succeeded", 100)
    page = client.get(response["Location"]).content.decode()
    assert "100%" in page
    release = Release.objects.get()
    assert release.imported_by.email == "secretariat.analyst@demo.ceiba.example"
    assert client.get(reverse("observatory:import_list")).content.decode().count(release.label) == 1


def test_a_refused_upload_stores_nothing_and_lists_the_errors(
    indicators, persona_client, django_capture_on_commit_callbacks
) -> None:
    client = persona_client("secretariat_admin")
    upload = SimpleUploadedFile(
        "homicide.csv", owid_file([["Argentina", "ARG", 2022, "lots", ""]]), content_type="text/csv"
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("observatory:import_list"), {"source_format": "owid", "file": upload})
    job = Job.objects.get()
    assert job.status == "failed"
    assert "Row 2, column Homicide rate per 100,000 population: “lots” is not a number" in job.log
    assert Observation.objects.count() == 0


def test_the_import_form_requires_a_file(indicators, persona_client) -> None:
    response = persona_client("secretariat_admin").post(
        reverse("observatory:import_list"), {"source_format": "owid"}
    )
    assert response.status_code == 400


def test_a_flagged_release_is_reviewed_from_its_page(published, persona_client) -> None:
    smaller = services.release_import(
        source_format="owid", content=owid_file([["Argentina", "ARG", 2022, 4.3, ""]]), file_name="h.csv"
    )
    assert smaller.status == ReleaseStatus.NEEDS_REVIEW
    client = persona_client("secretariat_admin")
    page = client.get(reverse("observatory:release_detail", args=[smaller.pk])).content.decode()
    assert "Values missing from this release" in page or "valores" in page.lower()
    response = client.post(
        reverse("observatory:release_detail", args=[smaller.pk]),
        {"form": "review", "note": "Kept: UNODC revises later."},
    )
    assert response.status_code == 302
    smaller.refresh_from_db()
    assert smaller.status == ReleaseStatus.REVIEWED and smaller.review_note == "Kept: UNODC revises later."
    assert Observation.objects.filter(state__iso3="BRA", value__isnull=False).exists()


def test_unmatched_names_are_matched_from_the_release_page(indicators, persona_client) -> None:
    content = csv_bytes(
        [
            ["Entity", "Year", "military_expenditure"],
            ["Argentine Republic (demo)", 2020, 1],
            ["Brazil", 2020, 2],
        ]
    )
    release = services.release_import(source_format="names-table", content=content, file_name="milex.csv")
    client = persona_client("secretariat_admin")
    assert (
        "Argentine Republic (demo)"
        in client.get(reverse("observatory:release_detail", args=[release.pk])).content.decode()
    )
    response = client.post(
        reverse("observatory:release_detail", args=[release.pk]),
        {"form": "alias", "name": "Argentine Republic (demo)", "state": "ARG"},
    )
    assert response.status_code == 302
    assert CountryAlias.objects.get().state.iso3 == "ARG"
