"""Pages of assessment runs: the runs a person may see, starting a run of a cycle, a run's results
(priorities with their stability, crime-area scores per level, the network landscape) and the
secretariat's priority workflow (rationales, freeze, hand-over) and publication.

Reads go through the access policy (`restrict`, `access_object`: a run one may not see is "not
found"); writes through `runs`, whose services check the role again."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ceiba.common.access import Action, access_object
from ceiba.core.choices import SECRETARIAT_ROLES
from ceiba.core.views import role_required
from ceiba.sharing.choices import TLP_DESCRIPTIONS

from . import feedback, run_selectors, runs
from .choices import PriorityListStatus, RunKind
from .models import AssessmentRun
from .run_forms import RationaleForm, RunForm

PAGE_SIZE = 50
secretariat_only = role_required(*SECRETARIAT_ROLES)


def _apply_validation_error(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def run_list(request: HttpRequest) -> HttpResponse:
    """Runs the viewer may see; without signing in, the published public runs."""
    page = Paginator(run_selectors.visible_runs(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "assessment/run_list.html",
        {"page": page, "can_run": runs.may_run(request.user)},
    )


@secretariat_only
def run_create(request: HttpRequest) -> HttpResponse:
    form = RunForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            run = runs.run_cycle(
                methodology_version=data["methodology"],
                cycle=data["cycle"],
                user=request.user,
                audience=data["audience"],
                title=data["title"],
                samples=data["samples"],
                spread=data["spread"],
                seed=data["seed"],
            )
        except ValidationError as error:
            _apply_validation_error(form, error)
        else:
            messages.success(
                request, _("The run is stored: its inputs, hashes and results no longer change.")
            )
            return redirect("assessment:run_detail", pk=run.pk)
    context = {"form": form, "feedback": feedback.latest_feedback(request.user)}
    return render(request, "assessment/run_form.html", context, status=400 if form.errors else 200)


def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = access_object(run_selectors.visible_runs(request.user), request.user, Action.VIEW, pk=pk)
    secretariat = runs.may_run(request.user)
    editable = secretariat and run.priorities_editable and run.kind == RunKind.CYCLE
    results = run_selectors.run_results(run, request.user)
    if editable:
        for item in results.priorities:
            item.form = RationaleForm(
                initial={"rationale": item.priority.rationale}, prefix=f"p{item.priority.pk}"
            )
    index_names, index_rows = run_selectors.index_table(run) if run.kind == RunKind.TABLE else ([], [])
    return render(
        request,
        "assessment/run_detail.html",
        {
            "run": run,
            "results": results,
            "tlp_description": TLP_DESCRIPTIONS.get(run.tlp, ""),
            "secretariat": secretariat,
            "can_edit": editable,
            "index_names": index_names,
            "index_rows": index_rows,
            "can_freeze": editable,
            "can_hand_over": secretariat and run.priorities_status == PriorityListStatus.FROZEN,
            "can_publish": secretariat and run.is_public and run.published_at is None,
            "report_languages": [
                (code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES
            ],
        },
    )


def _secretariat_action(request: HttpRequest, pk: int) -> AssessmentRun | HttpResponse:
    """The run for a secretariat action: sign-in first, then "not found" for a run one may not see,
    then "forbidden" for anyone but the secretariat."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    run = access_object(AssessmentRun, request.user, Action.VIEW, pk=pk)
    if not runs.may_run(request.user):
        raise PermissionDenied
    return run


def _workflow(
    request: HttpRequest, pk: int, service: Callable[[AssessmentRun, Any], Any], done: str
) -> HttpResponse:
    run = _secretariat_action(request, pk)
    if isinstance(run, HttpResponse):
        return run
    try:
        service(run, request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("assessment:run_detail", pk=run.pk)


@require_POST
def priority_rationale(request: HttpRequest, pk: int, priority_pk: int) -> HttpResponse:
    run = _secretariat_action(request, pk)
    if isinstance(run, HttpResponse):
        return run
    priority = get_object_or_404(run.priorities.select_related("crime_area"), pk=priority_pk)
    form = RationaleForm(request.POST, prefix=f"p{priority.pk}")
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, f"{priority.crime_area.name}: {message}")
        return redirect("assessment:run_detail", pk=run.pk)
    try:
        runs.edit_rationale(priority, form.cleaned_data["rationale"], request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("The rationale of “%(area)s” is saved.") % {"area": priority.crime_area.name}
        )
    return redirect(f"{run_selectors.run_url(run)}#priority-{priority.rank}")


@require_POST
def priorities_freeze(request: HttpRequest, pk: int) -> HttpResponse:
    return _workflow(
        request,
        pk,
        runs.freeze_priorities,
        _("The priority list is frozen: its rationales no longer change."),
    )


@require_POST
def priorities_hand_over(request: HttpRequest, pk: int) -> HttpResponse:
    return _workflow(
        request, pk, runs.hand_over_priorities, _("The priority list is handed over to the committee.")
    )


@require_POST
def run_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _workflow(request, pk, runs.publish, _("The run is published: everyone may read it."))
