"""The API's download of an implementation report's evidence: who may (as on the page), audited, and
404 for a report without a file."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ceiba.common.models import AuditEvent
from ceiba.common.testing.permissions import permission_matrix

from .recommendation_fixtures import evidence_report

test_api_evidence = permission_matrix(
    "policy-implementation-report-evidence",
    url=lambda w: reverse("policy-implementation-report-evidence", args=[evidence_report(w).pk]),
    expect={
        "anonymous": 401,
        "secretariat_admin": 200,
        "secretariat_analyst": 200,
        "national_focal_point": 200,
        "national_analyst": 200,
    },
    default=404,
)


@pytest.mark.django_db
def test_the_download_is_audited_and_a_report_without_file_is_not_found(world, persona_client):
    report = evidence_report(world)
    client = persona_client("secretariat_analyst")
    response = client.get(reverse("policy-implementation-report-evidence", args=[report.pk]))
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert AuditEvent.objects.filter(
        object_type="policy.implementationreport", object_id=str(report.pk), action="export"
    ).exists()
    report.evidence_file = ""
    report.save(update_fields=["evidence_file"])
    assert client.get(reverse("policy-implementation-report-evidence", args=[report.pk])).status_code == 404
