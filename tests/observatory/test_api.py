"""The public API under /api/v1/observatory/: read-only for everyone, throttled; imports for the
secretariat only, through a background job."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from ceiba.common.models import Job
from ceiba.observatory.api.views import ObservatoryThrottle
from ceiba.observatory.models import Release

from .conftest import owid_file

pytestmark = pytest.mark.django_db


def test_indicators_are_public_with_their_metadata(published) -> None:
    body = Client().get("/api/v1/observatory/indicators/homicide-rate/").json()
    assert body["licence"] == "CC BY 4.0"
    assert body["unit"] == "victims per 100,000 population"


def test_observations_filter_by_indicator_state_and_years(published) -> None:
    body = (
        Client()
        .get(
            "/api/v1/observatory/observations/?indicator=homicide-rate&state=bra&year_min=2022&headline=true"
        )
        .json()
    )
    assert [(r["state"], r["year"], r["value"]) for r in body["results"]] == [("BRA", 2022, 20.7)]


def test_releases_are_public(published) -> None:
    body = Client().get("/api/v1/observatory/releases/").json()
    assert body["results"][0]["indicators"] == ["homicide-rate"]
    assert "imported_by" not in body["results"][0]


def test_the_api_is_read_only(published, persona_client) -> None:
    client = persona_client("secretariat_admin")
    assert client.post("/api/v1/observatory/indicators/", {}).status_code == 405
    assert Client().delete("/api/v1/observatory/indicators/homicide-rate/").status_code == 405


def test_reads_are_throttled_under_their_own_scope(settings) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"observatory": "2/minute"},
    }
    from django.core.cache import cache

    cache.clear()
    throttle = ObservatoryThrottle()
    throttle.scope = "observatory"
    assert throttle.get_rate() == "2/minute"


def test_throttled_clients_are_told_to_wait(published, settings) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1000/minute", "user": "1000/minute", "observatory": "2/minute"},
    }
    client = Client()
    statuses = [client.get("/api/v1/observatory/indicators/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def upload(rows=None) -> dict:
    content = owid_file(rows or [["Argentina", "ARG", 2023, 4.5, ""]])
    return {
        "source_format": "owid",
        "file": SimpleUploadedFile("homicide.csv", content, content_type="text/csv"),
    }


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 401),
        ("national_analyst", 403),
        ("national_focal_point", 403),
        ("secretariat_analyst", 202),
        ("secretariat_admin", 202),
    ],
)
def test_imports_through_the_api_are_for_the_secretariat(
    indicators, persona_client, django_capture_on_commit_callbacks, persona: str, status: int
) -> None:
    client = persona_client(persona)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/observatory/imports/", upload())
    assert response.status_code == status
    assert Release.objects.count() == (1 if status == 202 else 0)


def test_an_api_import_reports_its_job(
    indicators, persona_client, django_capture_on_commit_callbacks
) -> None:
    client = persona_client("secretariat_admin")
    with django_capture_on_commit_callbacks(execute=True):
        body = client.post("/api/v1/observatory/imports/", upload()).json()
    assert body["status_url"] == f"/jobs/{body['job']}/"
    job = Job.objects.get(pk=body["job"])
    assert job.status == "succeeded"
    assert job.result["values_created"] == 1
    assert client.get(body["status_url"]).status_code == 200


def test_a_refused_api_import_fails_its_job_with_the_reasons(
    indicators, persona_client, django_capture_on_commit_callbacks
) -> None:
    client = persona_client("secretariat_admin")
    with django_capture_on_commit_callbacks(execute=True):
        body = client.post("/api/v1/observatory/imports/", upload([["Nowhere", "XYZ", 2023, 1, ""]])).json()
    assert Job.objects.get(pk=body["job"]).status == "failed"
    assert "“XYZ” is not an ISO 3166 country code" in Job.objects.get(pk=body["job"]).log
    assert Release.objects.count() == 0


def test_an_api_import_with_a_wrong_format_name_is_refused(indicators, persona_client) -> None:
    data = upload()
    data["source_format"] = "pdf"
    response = persona_client("secretariat_admin").post("/api/v1/observatory/imports/", data)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "source_format"
