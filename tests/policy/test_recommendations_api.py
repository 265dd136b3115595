"""The recommendations API: bad input answers a problem naming the field (stale edit 409, report by a
non-addressee 403 saying why, implemented without evidence, validating twice, removing a
recommendation someone reported on), evidence uploaded as multipart, and a pinned query count."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ceiba.policy.choices import ImplementationStatus
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
JSON = "application/json"


def _fields(response: Any) -> set[str]:
    return {error["field"] for error in response.json().get("errors", [])}


def test_a_stale_update_answers_409(world: Any, persona_client: Any) -> None:
    recommendation = base(world)
    client = persona_client("secretariat_admin")
    url = reverse("policy-recommendation-detail", args=[recommendation.pk])
    version = recommendation.lock_version
    first = client.patch(url, {"title": "First (synthetic)", "lock_version": version}, content_type=JSON)
    assert first.status_code == 200, first.content
    assert first.json()["lock_version"] == version + 1
    second = client.patch(url, {"title": "Second (synthetic)", "lock_version": version}, content_type=JSON)
    assert second.status_code == 409
    assert "Somebody else saved this record" in second.json()["detail"]
    missing = client.patch(url, {"title": "Third (synthetic)"}, content_type=JSON)
    assert missing.status_code == 400 and "lock_version" in _fields(missing)
    assert Recommendation.objects.get(pk=recommendation.pk).title == "First (synthetic)"


def test_create_names_the_bad_fields(world: Any, persona_client: Any) -> None:
    base(world)
    client = persona_client("secretariat_analyst")
    response = client.post(
        reverse("policy-recommendation-list"),
        {
            "code": "TC-R1 (synthetic)",
            "title": "Duplicate (synthetic)",
            "text": "x",
            "source": "decision",
            "deadline": "2030-01-01",
            "states": ["ARG"],
        },
        content_type=JSON,
    )
    assert response.status_code == 400
    assert {"code", "decision"} <= _fields(response)
    response = client.post(
        reverse("policy-recommendation-list"),
        {
            "code": "TC-R6 (synthetic)",
            "title": "t",
            "text": "x",
            "source": "conference",
            "source_reference": "Conference (synthetic)",
            "deadline": "2030-01-01",
            "states": ["XXX"],
        },
        content_type=JSON,
    )
    assert response.status_code == 400 and "states" in _fields(response)
    response = client.post(
        reverse("policy-recommendation-list"),
        {
            "code": "TC-R6 (synthetic)",
            "title": "t",
            "text": "x",
            "source": "conference",
            "source_reference": "Conference (synthetic)",
            "deadline": "2030-01-01",
        },
        content_type=JSON,
    )
    assert response.status_code == 400 and "addressees" in _fields(response)
    assert not Recommendation.objects.filter(code="TC-R6 (synthetic)").exists()


def test_a_report_by_a_non_addressee_says_why(world: Any, persona_client: Any) -> None:
    response = persona_client("national_analyst").post(
        reverse("policy-implementation-report-list"),
        {"addressee": arg_addressee(world).pk, "status": "in_progress", "narrative": "x"},
        content_type=JSON,
    )
    assert response.status_code == 403
    assert "You do not report for" in response.json()["detail"]


def test_implemented_without_evidence_then_with_a_file(world: Any, persona_client: Any) -> None:
    addressee = body_addressee(world)
    client = persona_client("action_participant")
    url = reverse("policy-implementation-report-list")
    response = client.post(
        url,
        {"addressee": addressee.pk, "status": "implemented", "narrative": "Done (synthetic)."},
        content_type=JSON,
    )
    assert response.status_code == 400 and "evidence_url" in _fields(response)
    response = client.post(
        url,
        {
            "addressee": addressee.pk,
            "status": "implemented",
            "narrative": "Done (synthetic).",
            "evidence_file": SimpleUploadedFile("results.pdf", PDF_BYTES),
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["evidence_download"].endswith(
        reverse("policy:recommendation_evidence", args=[response.json()["id"]])
    )
    response = client.post(
        url,
        {
            "addressee": addressee.pk,
            "status": "in_progress",
            "narrative": "x",
            "evidence_file": SimpleUploadedFile("script.sh", b"#!/bin/sh\x00\x01\x02"),
        },
    )
    assert response.status_code == 400


def test_validating_twice_and_returning(world: Any, persona_client: Any) -> None:
    report = pending_report(world)
    client = persona_client("secretariat_analyst")
    url = reverse("policy-implementation-report-validate", args=[report.pk])
    assert client.post(url).status_code == 200
    assert Addressee.objects.get(pk=report.addressee_id).status == ImplementationStatus.IN_PROGRESS
    again = client.post(url)
    assert again.status_code == 400
    assert "already validated" in again.json()["detail"]
    returned = client.post(
        reverse("policy-implementation-report-return", args=[report.pk]), {"note": "x"}, content_type=JSON
    )
    assert returned.status_code == 400


def test_a_recommendation_someone_reported_on_stays(world: Any, persona_client: Any) -> None:
    response = persona_client("secretariat_admin").delete(
        reverse("policy-recommendation-detail", args=[base(world).pk])
    )
    assert response.status_code == 400
    assert Recommendation.objects.filter(pk=base(world).pk).exists()


def test_the_state_follow_up_json(world: Any, persona_client: Any) -> None:
    restricted(world)
    data = persona_client("national_focal_point").get(reverse("policy-follow-up-state", args=["arg"])).json()
    codes = {row["code"]: row for row in data["recommendations"]}
    assert codes["TC-R2 (synthetic)"]["overdue"] is True
    assert codes["TC-R1 (synthetic)"]["status"] == "not_started"
    assert data["total"]["overdue"] == 1


def test_the_list_query_count_is_pinned(world: Any, persona_client: Any) -> None:
    restricted(world)
    client = persona_client("national_focal_point")
    url = reverse("policy-recommendation-list")

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    first = count()
    for number in range(4):
        recommendation = Recommendation.objects.create(
            code=f"TC-Y{number} (synthetic)",
            title="t",
            text="x",
            source="evaluation",
            source_reference="e",
            deadline=timezone.localdate() + dt.timedelta(days=number),
        )
        Addressee.objects.create(recommendation=recommendation, state=world.arg)
    assert count() == first == 7
