"""A progress file's rows are checked whole: every problem of every row is listed (row, column,
message), not only the first one of a row, and nothing is saved."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ceiba.policy import progress_services as services
from ceiba.policy.models import ProgressReport

from ..conftest import sign_in
from .progress_factories import HEADER, csv_file, period, progress_cycle

pytestmark = pytest.mark.django_db


def test_a_row_with_an_unknown_code_and_status_lists_both(world):
    progress_cycle(world)
    start, end = period()
    upload = csv_file(
        f"NOPE-1,{start},{end},finished,500,x,,,,,",  # 2: unknown action, status and progress
        f"TC-P1-OA1,{start},bad,ongoing,50,,,,,,",  # 3: not led, bad date, no narrative
        f"TC-P1-OA2,{start},{end},ongoing,50,x,K1,many,kg,,",  # 4: wrong unit and not a number
        f"TC-P2-OA2,{start},{end},finished,50,x,K9,1,,,",  # 5: unknown status and unknown KPI
    )
    count = ProgressReport.objects.count()
    with pytest.raises(services.ProgressImportError) as error:
        services.progress_import(actor=world.users["action_participant"], upload=upload)
    found = {(issue.row, issue.column) for issue in error.value.issues}
    assert {
        (2, "action_code"),
        (2, "status"),
        (2, "progress"),
        (3, "action_code"),
        (3, "period_end"),
        (3, "narrative"),
        (4, "kpi_unit"),
        (4, "kpi_value"),
        (5, "status"),
        (5, "kpi_code"),
    } <= found
    assert all(issue.message for issue in error.value.issues)
    assert ProgressReport.objects.count() == count


def test_the_api_lists_every_problem_of_the_row(client, world):
    progress_cycle(world)
    client = sign_in(client, world.users["action_participant"])
    start, end = period()
    content = HEADER + f"NOPE-1,{start},{end},finished,5,x,,,,,\n"
    count = ProgressReport.objects.count()
    response = client.post(
        reverse("policy-progress-import"), {"file": SimpleUploadedFile("p.csv", content.encode())}
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    errors = response.json()["errors"]
    assert [(e["row"], e["field"]) for e in errors] == [(2, "action_code"), (2, "status")]
    assert "NOPE-1" in errors[0]["message"] and "completed" in errors[1]["message"]
    assert ProgressReport.objects.count() == count
