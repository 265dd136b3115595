"""The assessment report: what a run says, as a document (HTML on screen, PDF via WeasyPrint).

`report_context` builds everything the templates show from the run alone (its stored inputs and
results, its recommended priorities with their edited rationales, its methodology version) plus
reference data (names of states and crime areas). Nothing else is read: a public run's report can
only show what the public run was computed from, and a restricted run's report carries the run's
marking (the most restrictive marking of its inputs) on every page. Networks are counted, never
named: aliases belong to the explain pages, which check each network's own access.

The PDF is cached on disk per run, language and report version (docs/decisions/0042): a run is
immutable, and the few things that may change after it is written (rationales until the list is
frozen, the list's status, publication) are part of the cache key.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ceiba.core.choices import Subregion
from ceiba.documentation.models.statistics import StatisticKind, StatisticUnit
from ceiba.documentation.taxonomy import CRIME_AREA_NAMES
from ceiba.sharing.choices import TLP, TLP_DESCRIPTIONS

from . import report_charts, runs, scoring
from .choices import Audience
from .labels import actor_indicator_label, band_label, market_indicator_label
from .models import AssessmentRun, RecommendedPriority

LANGUAGES = ("es", "en", "pt", "fr")
#: The files whose content changes what a report looks like (part of the PDF cache key).
REPORT_FILES = (
    "report.py",
    "report_charts.py",
    "templates/assessment/report_print.html",
    "templates/assessment/_report_body.html",
    "templates/assessment/_report_legend.html",
)


@dataclass(frozen=True)
class StateInfo:
    """Reference data of a state as the report shows it."""

    iso3: str
    numeric: str
    name: str
    subregion: str


def states_from_database() -> dict[str, StateInfo]:
    from ceiba.core.models import State

    return {
        s.iso3: StateInfo(s.iso3, s.numeric, s.name, s.subregion)
        for s in State.objects.only("iso3", "iso2", "numeric", "subregion")
    }


#: The bars' colours per subregion (Okabe–Ito, as the screen's charts assign them in this order).
SUBREGION_COLOURS = dict(zip(Subregion.values, report_charts.OKABE_ITO, strict=False))


def report_language(requested: str | None) -> str:
    """The report's language: `?lang=` if it is one of the four, else the active language."""
    if requested and requested in LANGUAGES:
        return requested
    active = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return active if active in LANGUAGES else "es"


def _score(value: float | None) -> str:
    return "–" if value is None else number_format(value, 2)


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{round(value * 100)} %"


def _subregion_label(code: str) -> str:
    return str(dict(Subregion.choices).get(code, code))


def _area_name(code: str) -> str:
    return str(CRIME_AREA_NAMES.get(code, code))


def marking(run: AssessmentRun) -> dict[str, str]:
    """The report's marking: TLP:CLEAR for a public run, the run's own marking otherwise."""
    code = TLP.CLEAR if run.audience == Audience.PUBLIC else TLP(run.tlp)
    return {"code": str(code), "label": str(TLP(code).label), "handling": str(TLP_DESCRIPTIONS[code])}


def report_context(
    run: AssessmentRun,
    *,
    inline_geometry: bool,
    topology_url: str = "",
    priorities: Sequence[RecommendedPriority] | None = None,
    states: Mapping[str, StateInfo] | None = None,
    width: int | str = 460,
) -> dict[str, Any]:
    """Everything the report shows, in the active language. `inline_geometry` puts the map's TopoJSON
    into the specs (for vl-convert); otherwise the specs point at `topology_url`."""
    if run.kind != "cycle":
        raise ValueError("only the threat assessment of a cycle has a report")
    methodology = run.methodology.parsed()
    results = run.results
    states = states if states is not None else states_from_database()
    if priorities is None:
        priorities = list(run.priorities.select_related("crime_area").order_by("rank"))
    geometry = report_charts.topology_data(inline_geometry, topology_url)
    areas: list[str] = list(results.get("areas", []))
    levels = results.get("levels", {})
    state_level = levels.get("state", {"places": [], "score": [], "coverage": []})
    subregion_level = levels.get("subregion", {"places": [], "score": [], "coverage": []})
    region_level = levels.get("region", {"places": [], "score": [], "coverage": [], "values": []})
    probability = {}
    if results.get("sensitivity"):
        probability = dict(
            zip(results["sensitivity"]["areas"], results["sensitivity"]["probability"], strict=True)
        )
    rank_of = {p.crime_area.code: p.rank for p in priorities}
    score_title = _("Score (0–1)")

    # Networks: counted per band and crime area, never named.
    band_of = {n["key"]: (n["band"] if n["included"] else None) for n in results.get("networks", [])}
    band_counts: dict[str, Counter[str | None]] = defaultdict(Counter)
    for network in run.inputs.get("networks", []):
        for area in network["crime_areas"]:
            band_counts[area][band_of.get(network["key"])] += 1
    bands = [b.code for b in methodology.bands]

    statistics = runs.statistics_totals(run)
    indicators = results.get("indicators", [])
    weights = scoring.market_weights(methodology)

    chapters: list[dict[str, Any]] = []
    highest: dict[str, float] = {}
    for i, area in enumerate(areas):
        name = _area_name(area)
        region_score = region_level["score"][i][0] if region_level["score"] else None
        region_coverage = region_level["coverage"][i][0] if region_level["coverage"] else None
        subregions = [
            {
                "name": _subregion_label(place),
                "score": _score(subregion_level["score"][i][j]),
                "coverage": _percent(subregion_level["coverage"][i][j]),
            }
            for j, place in enumerate(subregion_level["places"])
            if subregion_level["score"][i][j] is not None
        ]
        state_rows = []
        for j, iso3 in enumerate(state_level["places"]):
            value = state_level["score"][i][j]
            if value is None:
                continue
            info = states.get(iso3) or StateInfo(iso3, "", iso3, "")
            state_rows.append(
                {
                    "iso3": iso3,
                    "numeric": info.numeric,
                    "name": info.name,
                    "subregion": _subregion_label(info.subregion),
                    "score": value,
                    "score_text": _score(value),
                    "coverage": _percent(state_level["coverage"][i][j]),
                    "bar": f"{max(0.0, min(value, 1.0)) * 100:.1f}%",
                    "colour": SUBREGION_COLOURS.get(info.subregion, "#555555"),
                }
            )
            highest[iso3] = max(highest.get(iso3, 0.0), value)
        state_rows.sort(key=lambda row: (-row["score"], row["name"]))
        drivers = []
        if region_level.get("values"):
            raw = np.array([np.nan if v is None else v for v in region_level["values"][i][0]], dtype=float)
            explanation = scoring.explain(
                indicators, raw, scoring.normalise_market(methodology, raw), weights
            )
            known = [d for d in explanation.inputs if d.normalised is not None and d.contribution > 0]
            known.sort(key=lambda d: -d.contribution)
            drivers = [
                {
                    "label": str(market_indicator_label(d.code)),
                    "raw": "–" if d.raw is None else number_format(d.raw, 2),
                    "normalised": _score(d.normalised),
                    "weight": number_format(d.weight, 1),
                    "contribution": _score(d.contribution),
                }
                for d in known[:3]
            ]
        totals: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
        reporting: dict[tuple[str, str], set[str]] = defaultdict(set)
        for (stat_area, state, kind, unit), total in statistics.items():
            if stat_area == area:
                totals[(kind, unit)] += total
                reporting[(kind, unit)].add(state)
        kinds = dict(StatisticKind.choices)
        units = dict(StatisticUnit.choices)
        counts = band_counts.get(area, Counter())
        chart_rows = [
            {k: row[k] for k in ("name", "subregion", "score", "score_text", "numeric")} for row in state_rows
        ]
        chapters.append(
            {
                "code": area,
                "anchor": f"area-{area}",
                "name": name,
                "rank": rank_of.get(area),
                "score": _score(region_score),
                "coverage": _percent(region_coverage),
                "probability": _percent(probability.get(area)),
                "subregions": subregions,
                "states": state_rows,
                "drivers": drivers,
                "statistics": [
                    {
                        "kind": str(kinds.get(kind, kind)),
                        "unit": str(units.get(unit, unit)),
                        "total": number_format(total.normalize(), use_l10n=True, force_grouping=True),
                        "states": len(reporting[(kind, unit)]),
                    }
                    for (kind, unit), total in sorted(totals.items())
                ],
                "networks": [{"band": str(band_label(b)), "count": counts.get(b, 0)} for b in bands],
                "networks_not_counted": counts.get(None, 0),
                "bar_spec": report_charts.score_bars(
                    chart_rows,
                    title=_("%(area)s: score by state") % {"area": name},
                    subtitle=_("Dashed line: regional score %(score)s.") % {"score": _score(region_score)},
                    score_title=score_title,
                    subregion_title=_("Subregion"),
                    region_score=region_score,
                    width=width,
                    colours={_subregion_label(code): colour for code, colour in SUBREGION_COLOURS.items()},
                )
                if chart_rows
                else None,
                "map_spec": report_charts.score_map(
                    chart_rows,
                    title=_("%(area)s: score by state") % {"area": name},
                    subtitle=_("Grey: no score. Circles mark small island states."),
                    score_title=score_title,
                    geometry=geometry,
                    width=width,
                )
                if chart_rows
                else None,
            }
        )

    overview_rows = [
        {
            "numeric": states[iso3].numeric if iso3 in states else "",
            "name": states[iso3].name if iso3 in states else iso3,
            "score": value,
            "score_text": _score(value),
        }
        for iso3, value in sorted(highest.items())
    ]
    landscape = []
    for chapter in chapters:
        counted: Counter[str | None] = band_counts.get(str(chapter["code"]), Counter())
        landscape.append(
            {
                "name": chapter["name"],
                "anchor": chapter["anchor"],
                "counts": [counted.get(b, 0) for b in bands],
                "not_counted": counted.get(None, 0),
                "total": sum(counted.values()),
            }
        )
    priority_rows = [
        {
            "rank": p.rank,
            "name": _area_name(p.crime_area.code),
            "anchor": f"area-{p.crime_area.code}",
            "score": _score(p.score),
            "coverage": _percent(p.coverage),
            "probability": _percent(p.probability),
            "mandatory": p.mandatory and not p.by_score,
            "rationale": p.rationale,
        }
        for p in priorities
    ]
    return {
        "run": run,
        "meta": _meta(run, methodology),
        "marking": marking(run),
        "public": run.audience == Audience.PUBLIC,
        "summary": _summary(run, chapters, priority_rows, states, len(highest)),
        "priorities": priority_rows,
        "overview_spec": report_charts.score_map(
            overview_rows,
            title=_("Highest crime-area score per state"),
            subtitle=_("Grey: no score. Circles mark small island states."),
            score_title=score_title,
            geometry=geometry,
            width=width,
        )
        if overview_rows
        else None,
        "overview_scores": {row["numeric"]: row["score"] for row in overview_rows},
        "subregion_legend": [
            {"name": _subregion_label(code), "colour": colour} for code, colour in SUBREGION_COLOURS.items()
        ],
        "chapters": chapters,
        "bands": [str(band_label(b)) for b in bands],
        "landscape": landscape,
        "methodology": _methodology(run, methodology),
    }


def _meta(run: AssessmentRun, methodology: Any) -> dict[str, Any]:
    return {
        "title": run.title,
        "cycle": str(run.cycle) if run.cycle_id or getattr(run, "cycle", None) else "",
        "methodology": f"{methodology.name} (v{methodology.version})",
        "input_hash": run.input_hash,
        "code_version": run.code_version,
        "run_at": date_format(timezone.localtime(run.created_at), "DATE_FORMAT") if run.created_at else "",
        "generated": date_format(timezone.localtime(timezone.now()), "DATE_FORMAT"),
        "audience": str(Audience(run.audience).label),
        "published": bool(run.published_at),
        "status": run.get_priorities_status_display(),
    }


def _states_with_inputs(run: AssessmentRun) -> set[str]:
    found: set[str] = set()
    for network in run.inputs.get("networks", []):
        found.update(network["states"])
    for market in run.inputs.get("markets", []):
        found.add(market["state"])
    return found


def _summary(
    run: AssessmentRun,
    chapters: list[dict[str, Any]],
    priorities: list[dict[str, Any]],
    states: Mapping[str, StateInfo],
    scored_states: int,
) -> list[str]:
    """The executive summary, written from the numbers."""
    counts = run.counts or {}
    networks = int(counts.get("networks", 0))
    reports = int(counts.get("reports", 0))
    contributions = int(counts.get("contributions", 0))
    with_inputs = len(_states_with_inputs(run))
    paragraphs = [
        ngettext(
            "This assessment draws on %(contributions)d validated national contribution",
            "This assessment draws on %(contributions)d validated national contributions",
            contributions,
        )
        % {"contributions": contributions}
        + ": "
        + ngettext("%(networks)d criminal network", "%(networks)d criminal networks", networks)
        % {"networks": networks}
        + _(" and ")
        + ngettext("%(reports)d threat report", "%(reports)d threat reports", reports) % {"reports": reports}
        + ", "
        + ngettext(
            "concerning %(states)d state.",
            "concerning %(states)d states.",
            with_inputs,
        )
        % {"states": with_inputs}
    ]
    scored_areas = sum(1 for c in chapters if c["score"] != "–")
    paragraphs.append(
        _(
            "Coverage: %(scored)d of %(areas)d crime areas have a regional score; %(states)d of "
            "%(all)d states have at least one crime-area score."
        )
        % {"scored": scored_areas, "areas": len(chapters), "states": scored_states, "all": len(states)}
    )
    if priorities:
        listed = "; ".join(f"{p['rank']}. {p['name']} ({p['score']})" for p in priorities)
        paragraphs.append(
            ngettext(
                "The methodology recommends %(count)d priority: %(list)s.",
                "The methodology recommends %(count)d priorities: %(list)s.",
                len(priorities),
            )
            % {"count": len(priorities), "list": listed}
        )
        top = priorities[0]
        paragraphs.append(
            _(
                "The highest regional score is that of %(area)s (%(score)s); it stays recommended in "
                "%(probability)s of the sensitivity samples."
            )
            % {"area": top["name"], "score": top["score"], "probability": top["probability"]}
        )
    else:
        paragraphs.append(_("No crime area reaches the methodology's threshold for a recommended priority."))
    if run.audience == Audience.PUBLIC:
        paragraphs.append(
            _(
                "This is the public version: it is computed only from records marked TLP:CLEAR and "
                "shared with all members."
            )
        )
    return paragraphs


def _methodology(run: AssessmentRun, methodology: Any) -> dict[str, Any]:
    return {
        "name": methodology.name,
        "version": methodology.version,
        "scale": f"{methodology.scale_min}–{methodology.scale_max}",
        "actor_indicators": [
            {
                "label": str(actor_indicator_label(i.code)),
                "weight": number_format(i.weight, 1),
                "unknown": _("excluded") if i.unknown == "exclude" else i.unknown,
            }
            for i in methodology.actor_indicators
        ],
        "market_indicators": [
            {
                "label": str(market_indicator_label(i.code)),
                "weight": number_format(i.weight, 1),
                "range": f"{number_format(i.low)}–{number_format(i.high)}",
                "aggregate": _("maximum") if i.aggregate == "max" else _("mean"),
            }
            for i in methodology.market_indicators
        ],
        "bands": [
            {"label": str(band_label(b.code)), "threshold": number_format(b.threshold, 2)}
            for b in methodology.bands
        ],
        "min_coverage": _percent(methodology.min_coverage),
        "high_threat_band": str(band_label(methodology.high_threat_band)),
        "weigh_by_confidence": methodology.weigh_by_confidence,
        "top_n": methodology.prioritisation.top_n,
        "min_score": number_format(methodology.prioritisation.min_score, 2),
        "mandatory": [_area_name(code) for code in methodology.prioritisation.mandatory],
        "samples": run.samples,
        "spread": _percent(run.spread),
        "seed": run.seed,
    }


# --------------------------------------------------------------------------------------------------
# Rendering


def render_print_html(run: AssessmentRun, language: str, **kwargs: Any) -> str:
    """The print version (maps as SVG data URIs: one self-contained file), in `language`."""
    with translation.override(language):
        context = report_context(run, inline_geometry=True, **kwargs)
        # Maps: the base map (vl-convert, once per process) recoloured per chapter, each an <img> of
        # an SVG data URI (WeasyPrint draws an image as one replaced element; an inline <svg> would
        # go through the HTML parser and get a CSS style per path). Bars: drawn in the states table
        # with CSS (same figures as the screen's chart; SVG text is slow to lay out in WeasyPrint,
        # and twenty 35-bar charts would cost more than the rest of the report).
        for chapter in context["chapters"]:
            chapter["map_src"] = report_charts.data_uri(
                report_charts.print_map(
                    {row["numeric"]: row["score"] for row in chapter["states"]},
                    _("Map: %(area)s, score by state") % {"area": chapter["name"]},
                )
            )
        context["overview_src"] = report_charts.data_uri(
            report_charts.print_map(context["overview_scores"], _("Highest crime-area score per state"))
        )
        context["language"] = language
        context["css"] = {
            "marking": css_string(context["marking"]["label"]),
            "handling": css_string(context["marking"]["handling"]),
            "title": css_string(context["meta"]["title"]),
            "page": css_string(_("Page")),
        }
        return render_to_string("assessment/report_print.html", context)


def css_string(text: str) -> str:
    """`text` for a CSS string in double quotes inside <style> (escapes quotes, backslashes, angle
    brackets and line breaks as CSS hex escapes)."""
    return "".join(f"\\{ord(c):x} " if c in '"\\<>&\n\r' else c for c in str(text))


def pdf_bytes(html: str) -> bytes:
    from weasyprint import HTML

    pdf: bytes = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    return pdf


@cache
def report_version() -> str:
    """A digest of the report's code and templates (a change makes new cached PDFs)."""
    digest = hashlib.sha256(runs.code_version().encode())
    here = Path(__file__).resolve().parent
    for name in REPORT_FILES:
        digest.update((here / name).read_bytes())
    return digest.hexdigest()[:16]


def cache_key(run: AssessmentRun, language: str, priorities: Iterable[RecommendedPriority]) -> str:
    mutable = {
        "run": run.pk,
        "language": language,
        "version": report_version(),
        "status": run.priorities_status,
        "published": run.published_at.isoformat() if run.published_at else None,
        "rationales": [(p.rank, p.rationale) for p in priorities],
    }
    return hashlib.sha256(json.dumps(mutable, sort_keys=True).encode()).hexdigest()[:24]


def cache_dir() -> Path:
    configured = getattr(settings, "CEIBA_REPORT_CACHE_DIR", None)
    return Path(configured) if configured else Path(settings.VAR_DIR) / "reports"


def cache_path(run: AssessmentRun, language: str, priorities: Iterable[RecommendedPriority]) -> Path:
    return cache_dir() / f"run-{run.pk}-{language}-{cache_key(run, language, priorities)}.pdf"


def report_pdf(run: AssessmentRun, language: str) -> bytes:
    """The run's PDF report in `language`, from the disk cache when it is there."""
    priorities = list(run.priorities.select_related("crime_area").order_by("rank"))
    path = cache_path(run, language, priorities)
    folder = path.parent
    if path.is_file():
        return path.read_bytes()
    pdf = pdf_bytes(render_print_html(run, language, priorities=priorities))
    folder.mkdir(parents=True, exist_ok=True)
    # Written under a temporary name and renamed: a reader never sees half a file.
    handle, temporary = tempfile.mkstemp(dir=folder, suffix=".part")
    with os.fdopen(handle, "wb") as out:
        out.write(pdf)
    os.replace(temporary, path)
    return pdf


def cached_pdf_path(run: AssessmentRun, language: str) -> Path:
    """Where the PDF of `run` in `language` is (or would be) cached."""
    return cache_path(run, language, run.priorities.select_related("crime_area").order_by("rank"))


def pdf_filename(run: AssessmentRun, language: str) -> str:
    return f"ceiba-assessment-run-{run.pk}-{language}.pdf"
