"""The job facade: a queued job runs, reports progress and log, and records success or failure."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from ceiba.common import jobs
from ceiba.common.models import Job, JobStatus

from .conftest import sign_in


def count_to(context: jobs.JobContext, *, n: int) -> dict[str, int]:
    for i in range(1, n + 1):
        context.progress(100 * i / n, f"counted {i}")
    return {"counted": n}


def explode(context: jobs.JobContext) -> None:
    context.log("about to fail")
    raise ValueError("row 3, field 'Year': not a number")


def test_a_job_runs_reports_progress_and_stores_its_result(world, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.enqueue(count_to, name="Count", user=world.users["national_analyst"], n=4)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert (job.progress, job.result) == (100, {"counted": 4})
    assert "counted 4" in job.log
    assert job.started_at and job.finished_at


def test_a_failing_job_keeps_the_error_for_the_user(world, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.enqueue(explode, name="Broken import", user=world.users["national_analyst"])
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == "ValueError: row 3, field 'Year': not a number"
    client = sign_in(Client(headers={"accept-language": "en"}), world.users["national_analyst"])
    html = client.get(reverse("core:job_detail", args=[job.pk])).content.decode()
    assert "row 3, field &#x27;Year&#x27;: not a number" in html


def test_a_job_is_not_queued_if_the_transaction_rolls_back(world, django_capture_on_commit_callbacks) -> None:
    from django.db import transaction

    before = Job.objects.count()
    try:
        with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
            jobs.enqueue(count_to, name="Count", n=1)
            raise RuntimeError("abort")
    except RuntimeError:
        pass
    assert Job.objects.count() == before
    assert callbacks == []


def test_unknown_job_functions_are_refused_at_once(world) -> None:
    import pytest

    with pytest.raises(ImportError):
        jobs.enqueue("tests.test_jobs.no_such_function", name="x")


def test_the_job_page_polls_with_htmx_until_finished(world) -> None:
    job = Job.objects.create(
        name="Import", function="tests.test_jobs.count_to", created_by=world.users["national_analyst"]
    )
    client = sign_in(Client(), world.users["national_analyst"])
    fragment = client.get(
        reverse("core:job_detail", args=[job.pk]), headers={"HX-Request": "true"}
    ).content.decode()
    assert 'hx-trigger="every 2s"' in fragment and "<html" not in fragment
