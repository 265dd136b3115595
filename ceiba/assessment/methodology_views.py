"""Pages of methodologies: every stored version, readable (weights, bands, market indicators, grading,
prioritisation, composite indices) and public — the weights are published, that is the point; the
raw definition downloadable; new versions written by the secretariat administrator."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ceiba.common.access import Action, access_object, restrict

from . import methodology_store
from .choices import RunKind
from .labels import (
    AGGREGATE_LABELS,
    UNKNOWN_HANDLING_LABELS,
    actor_indicator_label,
    band_label,
    composite_indicator_label,
    composite_label,
    market_indicator_label,
    scale_level_label,
)
from .methodology import Issue, Methodology, MethodologyError
from .models import AssessmentRun, MethodologyVersion

AGGREGATES = AGGREGATE_LABELS
UNKNOWN = UNKNOWN_HANDLING_LABELS


def _share(weight: float, total: float) -> float:
    return 100 * weight / total if total else 0.0


def describe(methodology: Methodology) -> dict[str, Any]:
    """Everything the detail page shows of a methodology, with translated labels."""
    actor_total = sum(i.weight for i in methodology.actor_indicators)
    market_total = sum(i.weight for i in methodology.market_indicators)
    bands = []
    for index, band in enumerate(methodology.bands):
        upper = methodology.bands[index + 1].threshold if index + 1 < len(methodology.bands) else 1.0
        bands.append(
            {
                "code": band.code,
                "label": band_label(band.code)
                if band.code in ("low", "medium", "high", "very_high")
                else band.label,
                "threshold": band.threshold,
                "upper": upper,
                "high_threat": band.code == methodology.high_threat_band,
            }
        )
    composite = methodology.composite
    composite_view = None
    if composite is not None:
        composite_view = {
            "scale_min": composite.scale_min,
            "scale_max": composite.scale_max,
            "groups": [
                {
                    "code": name,
                    "label": composite_label(name),
                    "indicators": [{"code": c, "label": composite_indicator_label(c)} for c in codes],
                }
                for name, codes in composite.groups.items()
            ],
            "formulas": [
                {"code": name, "label": composite_label(name), "text": text}
                for name, text in composite.formulas.items()
            ],
            "typology": (
                {
                    "x": composite.typology_x,
                    "x_label": composite_label(composite.typology_x),
                    "y": composite.typology_y,
                    "y_label": composite_label(composite.typology_y),
                    "cutoff": number_format(composite.cutoff) if composite.cutoff is not None else "",
                    "quadrants": [
                        {"code": q.code, "label": composite_label(q.code, q.label), "x": q.x, "y": q.y}
                        for q in composite.quadrants
                    ],
                }
                if composite.typology_x
                else None
            ),
        }
    return {
        "scale": [
            {"value": methodology.scale_min + i, "label": scale_level_label(label)}
            for i, label in enumerate(methodology.actor_indicators[0].labels)
        ],
        "actors": [
            {
                "code": i.code,
                "label": actor_indicator_label(i.code),
                "weight": i.weight,
                "share": _share(i.weight, actor_total),
                "unknown": UNKNOWN.get(i.unknown, i.unknown),
                "levels": [
                    {"value": methodology.scale_min + n, "label": scale_level_label(label)}
                    for n, label in enumerate(i.labels)
                ],
            }
            for i in methodology.actor_indicators
        ],
        "min_coverage": methodology.min_coverage,
        "bands": bands,
        "markets": [
            {
                "code": i.code,
                "label": market_indicator_label(i.code),
                "low": i.low,
                "high": i.high,
                "weight": i.weight,
                "share": _share(i.weight, market_total),
                "aggregate": AGGREGATES.get(i.aggregate, i.aggregate),
            }
            for i in methodology.market_indicators
        ],
        "weigh_by_confidence": methodology.weigh_by_confidence,
        "grading": [
            {
                "scheme": scheme,
                "reliability": sorted(reliability.items()),
                "credibility": sorted(credibility.items()),
            }
            for scheme, (reliability, credibility) in sorted(methodology.grading.items())
        ],
        "prioritisation": methodology.prioritisation,
        "composite": composite_view,
    }


@dataclass
class WeightChange:
    section: str | Promise
    code: str
    label: str | Promise
    before: float | None
    after: float | None


@dataclass
class VersionRow:
    version: MethodologyVersion
    changes: list[WeightChange] = field(default_factory=list)
    comparable: bool = True


def weight_changes(before: Methodology, after: Methodology) -> list[WeightChange]:
    """Indicators whose weight changed, appeared or disappeared between two versions."""
    changes: list[WeightChange] = []
    sections: list[tuple[str | Promise, Any, Any, Any]] = [
        (
            _("Actor indicators"),
            {i.code: i.weight for i in before.actor_indicators},
            {i.code: i.weight for i in after.actor_indicators},
            actor_indicator_label,
        ),
        (
            _("Market indicators"),
            {i.code: i.weight for i in before.market_indicators},
            {i.code: i.weight for i in after.market_indicators},
            market_indicator_label,
        ),
    ]
    for section, old, new, label in sections:
        for code in [*old, *(c for c in new if c not in old)]:
            if old.get(code) != new.get(code):
                changes.append(WeightChange(section, code, label(code), old.get(code), new.get(code)))
    return changes


def version_rows(version: MethodologyVersion) -> list[VersionRow]:
    """Every version of the same code (newest first), each with its weight changes from the previous."""
    versions = list(
        MethodologyVersion.objects.filter(code=version.code)
        .select_related("created_by")
        .annotate(run_count=Count("runs"))
        .order_by("version")
    )
    rows: list[VersionRow] = []
    previous: Methodology | None = None
    for item in versions:
        try:
            parsed: Methodology | None = item.parsed()
        except MethodologyError:
            parsed = None
        row = VersionRow(item)
        if previous is not None and parsed is not None:
            row.changes = weight_changes(previous, parsed)
        else:
            row.comparable = previous is not None and parsed is not None
        rows.append(row)
        previous = parsed
    return list(reversed(rows))


def methodology_list(request: HttpRequest) -> HttpResponse:
    versions = (
        restrict(MethodologyVersion, request.user, Action.VIEW)
        .select_related("created_by")
        .annotate(run_count=Count("runs"))
        .order_by("code", "-version")
    )
    return render(
        request,
        "assessment/methodology_list.html",
        {"versions": versions, "can_edit": methodology_store.may_edit(request.user)},
    )


def methodology_detail(request: HttpRequest, pk: int) -> HttpResponse:
    version = access_object(
        MethodologyVersion.objects.select_related("created_by"), request.user, Action.VIEW, pk=pk
    )
    try:
        description: dict[str, Any] | None = describe(version.parsed())
    except MethodologyError:
        description = None
    runs = (
        restrict(AssessmentRun, request.user, Action.VIEW).filter(methodology=version).order_by("-created_at")
    )
    hidden = AssessmentRun.objects.filter(methodology=version).count() - runs.count()
    return render(
        request,
        "assessment/methodology_detail.html",
        {
            "version": version,
            "m": description,
            "runs": runs,
            "hidden_runs": hidden,
            "table_kind": RunKind.TABLE,
            "versions": version_rows(version),
            "can_edit": methodology_store.may_edit(request.user),
        },
    )


def methodology_download(request: HttpRequest, pk: int) -> HttpResponse:
    version = access_object(MethodologyVersion, request.user, Action.VIEW, pk=pk)
    response = HttpResponse(version.definition, content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{version.code}-v{version.version}.yaml"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


class MethodologyForm(forms.Form):
    definition = forms.CharField(
        label=gettext_lazy("Definition (YAML or JSON)"),
        widget=forms.Textarea(
            attrs={"rows": 40, "cols": 100, "spellcheck": "false", "class": "code", "wrap": "off"}
        ),
        max_length=200_000,
        strip=False,
    )
    change_note = forms.CharField(
        label=gettext_lazy("What changed"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text=gettext_lazy("Say what changed from the version you started from, and why."),
    )


def next_version_text(version: MethodologyVersion) -> str:
    """The definition of `version` with its `version:` line set to the next free number of its code."""
    latest = MethodologyVersion.objects.filter(code=version.code).order_by("-version").first()
    number = (latest.version if latest else version.version) + 1
    lines = version.definition.splitlines(keepends=True)
    for index, line in enumerate(lines):
        if line.startswith("version:"):
            ending = "\n" if line.endswith("\n") else ""
            lines[index] = f"version: {number}{ending}"
            return "".join(lines)
    # JSON (or an unusual layout): the text as it is; the form says which version is next.
    return version.definition


def methodology_create(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not methodology_store.may_edit(request.user):
        raise PermissionDenied
    source: MethodologyVersion | None = None
    chosen = request.GET.get("from") or request.POST.get("from")
    if chosen and str(chosen).isdigit():
        source = MethodologyVersion.objects.filter(pk=int(chosen)).first()
    if source is None:
        source = MethodologyVersion.objects.order_by("code", "-version").first()
    issues: list[Issue] = []
    if request.method == "POST":
        form = MethodologyForm(request.POST)
        if form.is_valid():
            try:
                stored = methodology_store.save_version(
                    form.cleaned_data["definition"],
                    user=request.user,
                    change_note=form.cleaned_data["change_note"],
                )
            except MethodologyError as error:
                issues = error.issues
                form.add_error(
                    "definition",
                    _("The definition has %(count)d problem(s), listed next to it; nothing was stored.")
                    % {"count": len(issues)},
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error("definition", message)
            else:
                messages.success(
                    request,
                    _("Version %(version)d of %(code)s saved.")
                    % {"version": stored.version, "code": stored.code},
                )
                return redirect(reverse("assessment:methodology_detail", args=[stored.pk]))
    else:
        form = MethodologyForm(initial={"definition": next_version_text(source) if source else ""})
    return render(
        request,
        "assessment/methodology_form.html",
        {"form": form, "issues": issues, "source": source},
    )
