"""The job facade: start work in the background and follow its progress.

`enqueue()` creates a `Job` row users can watch and hands it to django-tasks (database backend in
production, run by `ceiba worker`; in-process in tests). The job function receives a `JobContext`
to report progress and log lines; its return value (JSON) becomes the job's result.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task

from .models import Job, JobStatus


class JobContext:
    """Handed to a running job function so it can report how far it got."""

    def __init__(self, job: Job) -> None:
        self.job = job

    def progress(self, percent: float, message: str = "") -> None:
        self.job.progress = max(0, min(100, int(percent)))
        fields = ["progress", "updated_at"]
        if message:
            self._append(message)
            fields.append("log")
        self.job.save(update_fields=fields)

    def log(self, message: str) -> None:
        self._append(message)
        self.job.save(update_fields=["log", "updated_at"])

    def _append(self, message: str) -> None:
        stamp = timezone.now().strftime("%H:%M:%S")
        self.job.log = f"{self.job.log}{stamp} {message}\n"


def job_function_path(function: Callable[..., Any]) -> str:
    return f"{function.__module__}.{function.__qualname__}"


def enqueue(function: Callable[..., Any] | str, *, name: str, user: Any = None, **arguments: Any) -> Job:
    """Create a job and queue it once the surrounding transaction commits."""
    path = function if isinstance(function, str) else job_function_path(function)
    import_string(path)  # fail now, not in the worker, if the function does not exist
    job = Job.objects.create(
        name=name,
        function=path,
        arguments=arguments,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    transaction.on_commit(lambda: run_job.enqueue(str(job.pk)))
    return job


@task()
def run_job(job_id: str) -> None:
    """The django-tasks task that executes one Job and records its outcome."""
    job = Job.objects.get(pk=job_id)
    if job.status != JobStatus.QUEUED:
        return
    job.status = JobStatus.RUNNING
    job.started_at = timezone.now()
    job.save(update_fields=["status", "started_at", "updated_at"])
    context = JobContext(job)
    try:
        function = import_string(job.function)
        result = function(context, **job.arguments)
    except Exception as exc:
        job.status = JobStatus.FAILED
        job.error = f"{type(exc).__name__}: {exc}"
        context._append(traceback.format_exc(limit=5))
    else:
        job.status = JobStatus.SUCCEEDED
        job.progress = 100
        job.result = result
    job.finished_at = timezone.now()
    job.save()
