"""Pages that explain a run's numbers and compare two runs ("explain every number"). The run goes
through the access policy (a run one may not see is "not found"); so does every input named on
the page: networks and reports the viewer may not see are counted, never named."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from ceiba.common.access import Action, access_object, restrict
from ceiba.core.choices import Subregion
from ceiba.core.models import State

from . import explanations, scoring
from .choices import RunKind
from .labels import LEVEL_LABELS
from .models import AssessmentRun


def _run(request: HttpRequest, pk: int) -> AssessmentRun:
    return access_object(
        AssessmentRun.objects.select_related("methodology", "cycle"), request.user, Action.VIEW, pk=pk
    )


def explain_network(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    run = _run(request, pk)
    data = explanations.network_explanation(run, key, request.user)
    return render(request, "assessment/explain_network.html", {"run": run, "x": data})


def explain_area(request: HttpRequest, pk: int, code: str, level: str, place: str) -> HttpResponse:
    run = _run(request, pk)
    data = explanations.area_explanation(run, code, level, place, request.user)
    return render(
        request,
        "assessment/explain_area.html",
        {"run": run, "x": data, "level_label": LEVEL_LABELS.get(level, level)},
    )


def _comparable_runs(user: Any) -> QuerySet[AssessmentRun]:
    return (
        restrict(AssessmentRun, user, Action.VIEW)
        .filter(kind=RunKind.CYCLE)
        .select_related("methodology")
        .order_by("-created_at", "-pk")
    )


def _place_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    return [
        (str(LEVEL_LABELS["region"]), [(scoring.REGION, _("The region"))]),
        (str(LEVEL_LABELS["subregion"]), [(str(code), str(label)) for code, label in Subregion.choices]),
        (str(LEVEL_LABELS["state"]), [(s.iso3, s.name) for s in State.objects.order_by("iso3")]),
    ]


def _pk(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def compare(request: HttpRequest) -> HttpResponse:
    """Two runs side by side: pick them (only runs the viewer may see are offered), then see which
    crime-area scores and ranks moved and why."""
    params = request.GET
    level = params.get("level") or scoring.REGION
    place = params.get("place") or scoring.REGION
    context: dict[str, Any] = {
        "runs": _comparable_runs(request.user),
        "levels": [(code, str(label)) for code, label in LEVEL_LABELS.items()],
        "places": _place_choices(),
        "level": level,
        "place": place,
        "before_pk": params.get("before", ""),
        "after_pk": params.get("after", ""),
        "errors": [],
    }
    if not params.get("before") or not params.get("after"):
        # Nothing to compare yet (or one run chosen from a run's page): the form, pre-filled.
        return render(request, "assessment/compare.html", context)
    before_pk, after_pk = _pk(params.get("before")), _pk(params.get("after"))
    if before_pk is None:
        context["errors"].append(_("Before: choose a run."))
    if after_pk is None:
        context["errors"].append(_("After: choose a run."))
    if context["errors"]:
        return render(request, "assessment/compare.html", context, status=400)
    before, after = _run(request, before_pk), _run(request, after_pk)  # type: ignore[arg-type]
    context.update(before=before, after=after)
    try:
        context["x"] = explanations.comparison(before, after, request.user, level=level, place=place)
    except explanations.ComparisonRefused as refused:
        context["errors"].append(str(refused))
        return render(request, "assessment/compare.html", context, status=400)
    context["level_label"] = LEVEL_LABELS.get(level, level)
    return render(request, "assessment/compare.html", context)
