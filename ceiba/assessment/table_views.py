"""Pages of indicator tables (public reference data: list, detail, CSV template, import by the
secretariat, a run of the composite methodology over a table) and of a composite run's results
(indices per country, the quadrant typology, a scatter chart beside its data table)."""

from __future__ import annotations

import math
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ceiba.common.access import Action, access_object, restrict
from ceiba.core.models import State
from ceiba.documentation.interchange.tabular import csv_lines

from . import runs, tables
from .choices import RunKind
from .labels import composite_indicator_label, composite_label
from .methodology import MethodologyError
from .models import AssessmentRun, IndicatorTable, MethodologyVersion


def _secretariat_or_403(request: HttpRequest, allowed: bool) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not allowed:
        raise PermissionDenied
    return None


def state_names() -> dict[str, str]:
    return {state.iso3: state.name for state in State.objects.all()}


# --- tables -----------------------------------------------------------------------------------------


def table_list(request: HttpRequest) -> HttpResponse:
    tables_seen = restrict(IndicatorTable, request.user, Action.VIEW).select_related(
        "methodology", "created_by"
    )
    return render(
        request,
        "assessment/table_list.html",
        {
            "tables": tables_seen,
            "composites": tables.composite_versions(),
            "can_import": tables.may_import(request.user),
        },
    )


def table_detail(request: HttpRequest, pk: int) -> HttpResponse:
    table = access_object(
        IndicatorTable.objects.select_related("methodology", "created_by"), request.user, Action.VIEW, pk=pk
    )
    indicators = list(table.content.get("indicators", []))
    names = state_names()
    rows = [
        {"iso3": iso3, "name": names.get(iso3, iso3), "values": values}
        for iso3, values in sorted(table.content.get("rows", {}).items())
    ]
    return render(
        request,
        "assessment/table_detail.html",
        {
            "table": table,
            "columns": [{"code": c, "label": composite_indicator_label(c)} for c in indicators],
            "rows": rows,
            "runs": restrict(AssessmentRun, request.user, Action.VIEW)
            .filter(indicator_table=table)
            .order_by("-created_at"),
            "can_run": runs.may_run(request.user),
        },
    )


@require_POST
def table_run(request: HttpRequest, pk: int) -> HttpResponse:
    refused = _secretariat_or_403(request, runs.may_run(request.user))
    if refused:
        return refused
    table = access_object(
        IndicatorTable.objects.select_related("methodology"), request.user, Action.VIEW, pk=pk
    )
    try:
        run = runs.run_table(methodology_version=table.methodology, table=table, user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(reverse("assessment:table_detail", args=[table.pk]))
    messages.success(request, _("The composite index was computed."))
    return redirect(reverse("assessment:composite_detail", args=[run.pk]))


class TableImportForm(forms.Form):
    methodology = forms.ModelChoiceField(
        label=gettext_lazy("Composite methodology"), queryset=MethodologyVersion.objects.none()
    )
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    source = forms.CharField(
        label=gettext_lazy("Source"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Publisher, edition, licence and address of the original table."),
    )
    file = forms.FileField(
        label=gettext_lazy("File (CSV or XLSX)"),
        help_text=gettext_lazy(
            "One row per country: a column headed “country” with ISO 3166 alpha-3 codes (also accepted: "
            "“iso3”, “country code”), then one column per indicator of the methodology. Empty cells are "
            "unknown values."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        pks = [version.pk for version in tables.composite_versions()]
        self.fields["methodology"].queryset = MethodologyVersion.objects.filter(pk__in=pks)  # type: ignore[attr-defined]


def table_import(request: HttpRequest) -> HttpResponse:
    refused = _secretariat_or_403(request, tables.may_import(request.user))
    if refused:
        return refused
    issues: list[tables.Issue] = []
    if request.method == "POST":
        form = TableImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                table = tables.import_table(
                    upload,
                    methodology_version=form.cleaned_data["methodology"],
                    user=request.user,
                    name=form.cleaned_data["name"],
                    source=form.cleaned_data["source"],
                    file_name=upload.name or "",
                )
            except tables.TableImportError as error:
                issues = error.issues
                form.add_error(
                    "file",
                    _("The table has %(count)d problem(s), listed below; nothing was stored.")
                    % {"count": len(issues)},
                )
            else:
                messages.success(request, _("Indicator table imported."))
                return redirect(reverse("assessment:table_detail", args=[table.pk]))
    else:
        composite = tables.composite_versions()
        form = TableImportForm(initial={"methodology": composite[0].pk if composite else None})
    return render(request, "assessment/table_import.html", {"form": form, "issues": issues})


def table_template(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    version = access_object(MethodologyVersion, request.user, Action.VIEW, pk=pk)
    try:
        methodology = version.parsed()
    except MethodologyError:
        raise Http404 from None
    if methodology.composite is None:
        raise Http404(_("This methodology declares no composite index."))
    response = StreamingHttpResponse(csv_lines(tables.template_rows(methodology)), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{version.code}-v{version.version}-table.csv"'
    return response


# --- composite results ------------------------------------------------------------------------------


def _number(value: Any) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value)


def composite_rows(run: AssessmentRun) -> tuple[list[str], list[dict[str, Any]]]:
    """(formula names, one row per country: iso3, name, values by formula, quadrant code and label)."""
    results = run.results
    formulas = list(results.get("indices", {}))
    names = state_names()
    labels: dict[str, Any] = {}
    try:
        composite = run.methodology.parsed().composite
    except MethodologyError:
        composite = None
    if composite is not None:
        labels = {q.code: composite_label(q.code, q.label) for q in composite.quadrants}
    rows = []
    for index, iso3 in enumerate(results.get("countries", [])):
        quadrant = results.get("quadrant", [None] * (index + 1))[index]
        rows.append(
            {
                "iso3": iso3,
                "name": names.get(iso3, iso3),
                "values": [_number(results["indices"][f][index]) for f in formulas],
                "by_formula": {f: _number(results["indices"][f][index]) for f in formulas},
                "cells": [{"code": f, "value": _number(results["indices"][f][index])} for f in formulas],
                "quadrant": quadrant,
                "quadrant_label": labels.get(quadrant, quadrant) if quadrant else None,
            }
        )
    return formulas, rows


def scatter_spec(
    rows: list[dict[str, Any]],
    *,
    x: str,
    y: str,
    cutoff: float,
    scale: tuple[float, float],
    titles: tuple[str, str],
) -> dict[str, Any]:
    """A Vega-Lite scatter of the typology: one point per country, the cut-off as two rules."""
    points = [
        {"country": r["name"], "iso3": r["iso3"], "x": r["by_formula"][x], "y": r["by_formula"][y],
         "quadrant": str(r["quadrant_label"] or "")}
        for r in rows
        if r["by_formula"].get(x) is not None and r["by_formula"].get(y) is not None
    ]  # fmt: skip
    domain = [scale[0], scale[1]]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": "container",
        "height": 380,
        "layer": [
            {
                "data": {"values": points},
                "mark": {"type": "point", "filled": True, "size": 70, "tooltip": True},
                "encoding": {
                    "x": {
                        "field": "x",
                        "type": "quantitative",
                        "title": titles[0],
                        "scale": {"domain": domain},
                    },
                    "y": {
                        "field": "y",
                        "type": "quantitative",
                        "title": titles[1],
                        "scale": {"domain": domain},
                    },
                    "color": {
                        "field": "quadrant",
                        "type": "nominal",
                        "title": None,
                        "legend": {"orient": "bottom", "columns": 2, "labelLimit": 320},
                    },
                    "shape": {"field": "quadrant", "type": "nominal", "legend": None},
                    "tooltip": [
                        {"field": "country", "type": "nominal"},
                        {"field": "x", "type": "quantitative", "title": titles[0], "format": ".2f"},
                        {"field": "y", "type": "quantitative", "title": titles[1], "format": ".2f"},
                        {"field": "quadrant", "type": "nominal"},
                    ],
                },
            },
            {
                "data": {"values": points},
                "mark": {"type": "text", "dx": 14, "fontSize": 10},
                "encoding": {
                    "x": {"field": "x", "type": "quantitative"},
                    "y": {"field": "y", "type": "quantitative"},
                    "text": {"field": "iso3"},
                },
            },
            {
                "data": {"values": [{"cutoff": cutoff}]},
                "mark": {"type": "rule", "strokeDash": [4, 4]},
                "encoding": {"x": {"field": "cutoff", "type": "quantitative"}},
            },
            {
                "data": {"values": [{"cutoff": cutoff}]},
                "mark": {"type": "rule", "strokeDash": [4, 4]},
                "encoding": {"y": {"field": "cutoff", "type": "quantitative"}},
            },
        ],
    }


def chart_assets() -> dict[str, str]:
    """The vendored chart libraries, loaded by ceiba/js/charts.js when a chart comes into view."""
    return {
        "vega": static("ceiba/vendor/vega/vega.min.js"),
        "vega_lite": static("ceiba/vendor/vega-lite/vega-lite.min.js"),
        "vega_embed": static("ceiba/vendor/vega-embed/vega-embed.min.js"),
        "vega_interpreter": static("ceiba/vendor/vega-interpreter/vega-interpreter.js"),
    }


def composite_detail(request: HttpRequest, run_pk: int) -> HttpResponse:
    run = access_object(
        AssessmentRun.objects.select_related("methodology", "indicator_table", "created_by").filter(
            kind=RunKind.TABLE
        ),
        request.user,
        Action.VIEW,
        pk=run_pk,
    )
    formulas, rows = composite_rows(run)
    try:
        composite = run.methodology.parsed().composite
    except MethodologyError:
        composite = None
    sort = request.GET.get("sort")
    sort_by = (
        sort if sort in formulas else (composite.typology_y if composite and composite.typology_y else None)
    )
    if sort_by:
        rows.sort(
            key=lambda r: (r["by_formula"][sort_by] is None, -(r["by_formula"][sort_by] or 0), r["iso3"])
        )
    chart = None
    typology = None
    if (
        composite is not None
        and composite.typology_x
        and composite.typology_y
        and composite.cutoff is not None
    ):
        x_label, y_label = composite_label(composite.typology_x), composite_label(composite.typology_y)
        counts = {q.code: 0 for q in composite.quadrants}
        for row in rows:
            if row["quadrant"] in counts:
                counts[row["quadrant"]] += 1
        for row in rows:
            row["x"] = row["by_formula"].get(composite.typology_x)
            row["y"] = row["by_formula"].get(composite.typology_y)
        typology = {
            "x": x_label,
            "y": y_label,
            "cutoff": number_format(composite.cutoff),
            "quadrants": [
                {
                    "code": q.code,
                    "label": composite_label(q.code, q.label),
                    "x": q.x,
                    "y": q.y,
                    "count": counts[q.code],
                }
                for q in composite.quadrants
            ],
        }
        chart = {
            "id": f"composite-{run.pk}",
            "label": _("%(y)s against %(x)s, cut-off %(cutoff)s")
            % {"y": y_label, "x": x_label, "cutoff": number_format(composite.cutoff)},
            "spec": scatter_spec(
                rows,
                x=composite.typology_x,
                y=composite.typology_y,
                cutoff=composite.cutoff,
                scale=(composite.scale_min, composite.scale_max),
                titles=(str(x_label), str(y_label)),
            ),
        }
    return render(
        request,
        "assessment/composite_detail.html",
        {
            "run": run,
            "formulas": [{"code": f, "label": composite_label(f)} for f in formulas],
            "rows": rows,
            "sort_by": sort_by,
            "typology": typology,
            "chart": chart,
            "assets": chart_assets(),
            "can_publish": runs.may_run(request.user) and run.published_at is None and run.is_public,
            "unknown": sum(1 for r in rows if r["quadrant"] is None),
        },
    )


@require_POST
def composite_publish(request: HttpRequest, run_pk: int) -> HttpResponse:
    refused = _secretariat_or_403(request, runs.may_run(request.user))
    if refused:
        return refused
    run = access_object(
        AssessmentRun.objects.filter(kind=RunKind.TABLE), request.user, Action.VIEW, pk=run_pk
    )
    try:
        runs.publish(run, request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Published: everyone can read these results now."))
    return redirect(reverse("assessment:composite_detail", args=[run.pk]))


def composite_explain(request: HttpRequest, run_pk: int, iso3: str, formula: str) -> HttpResponse:
    """Why one country has its value of one formula: the formula with the values put in, the groups
    and indicators behind it with their coverage, and how far the value would move with each
    indicator unknown (recomputed from the run's stored inputs)."""
    run = access_object(
        AssessmentRun.objects.select_related("methodology", "indicator_table").filter(kind=RunKind.TABLE),
        request.user,
        Action.VIEW,
        pk=run_pk,
    )
    try:
        explanation = tables.explain_run(run, iso3.upper(), formula)
    except (KeyError, MethodologyError):
        raise Http404 from None
    for group in explanation["groups"]:
        group["label"] = composite_label(group["code"])
        for indicator in group["indicators"]:
            indicator["label"] = composite_indicator_label(indicator["code"])
    for item in explanation["formulas"]:
        item["label"] = composite_label(item["code"])
    for item in explanation["what_if_unknown"]:
        item["label"] = composite_indicator_label(item["indicator"])
    typology = explanation["typology"]
    quadrant_label = None
    if typology is not None:
        typology["x_label"] = composite_label(typology["x"])
        typology["y_label"] = composite_label(typology["y"])
        sides = {"high": _("high"), "low": _("low")}
        typology["x_side_label"] = sides.get(typology["x_side"] or "", "")
        typology["y_side_label"] = sides.get(typology["y_side"] or "", "")
        composite = run.methodology.parsed().composite
        labels = {q.code: composite_label(q.code, q.label) for q in composite.quadrants} if composite else {}
        quadrant_label = labels.get(explanation["quadrant"] or "", explanation["quadrant"])
    return render(
        request,
        "assessment/composite_explain.html",
        {
            "run": run,
            "e": explanation,
            "country_name": state_names().get(explanation["country"], explanation["country"]),
            "formula_label": composite_label(formula),
            "quadrant_label": quadrant_label,
        },
    )
