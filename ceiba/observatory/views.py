"""Pages of the observatory. Public pages render their body once per data version and language
(Django's cache; the key holds the cache stamp token, which every import changes) and load chart
data lazily from the JSON endpoints. Secretariat and focal-point pages go through the access policy."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from ceiba.common.access import Action, access_object, is_secretariat, principal_for, restrict
from ceiba.common.jobs import enqueue
from ceiba.core.choices import SECRETARIAT_ROLES, Role, Subregion
from ceiba.core.models import State
from ceiba.core.views import role_required

from . import charts, exports, selectors, services, tasks
from .choices import AlertStatus, ReleaseStatus
from .forms import (
    AlertReviewForm,
    AlertRuleForm,
    AliasForm,
    ArmsRegisterReportForm,
    CompareForm,
    ConfidenceMeasureForm,
    ImportForm,
    ReleaseReviewForm,
    WhitePaperForm,
)
from .models import (
    Alert,
    AlertRule,
    ArmsRegisterReport,
    ConfidenceMeasure,
    CountryAlias,
    Indicator,
    Release,
    WhitePaper,
)

CACHE_SECONDS = 60 * 60 * 24
DEFAULT_YEARS = 20
secretariat_only = role_required(*SECRETARIAT_ROLES)


# --- caching ----------------------------------------------------------------------------------------


def cache_key(kind: str, *parts: Any) -> str:
    digest = hashlib.sha1(repr(parts).encode(), usedforsecurity=False).hexdigest()
    return f"observatory:{kind}:{selectors.cache_token()}:{translation.get_language()}:{digest}"


def cached(kind: str, parts: tuple[Any, ...], build: Callable[[], Any]) -> Any:
    key = cache_key(kind, *parts)
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, CACHE_SECONDS)
    return value


def page(
    request: HttpRequest,
    template: str,
    body_template: str,
    parts: tuple[Any, ...],
    build: Callable[[], dict[str, Any]],
    **shell: Any,
) -> HttpResponse:
    """Render a public page whose body is the same for everyone (cached); `shell` holds what
    depends on the visitor (secretariat links), rendered fresh."""

    def render_body() -> str:
        return render_to_string(body_template, build(), request=None)

    body = cached("page", (body_template, *parts), render_body)
    response = render(request, template, {"body": mark_safe(body), **shell})
    if not request.user.is_authenticated:
        response.headers["Cache-Control"] = "public, max-age=300"
    return response


def download(table: exports.Table, fmt: str, filename: str) -> HttpResponse:
    if fmt not in exports.FORMATS:
        raise Http404
    response = HttpResponse(exports.render(table, fmt), content_type=exports.FORMATS[fmt])
    if fmt != "json":
        response.headers["Content-Disposition"] = (
            f'attachment; filename="{exports.safe_name(filename)}.{fmt}"'
        )
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def downloads(url: str, query: dict[str, Any] | None = None) -> dict[str, str]:
    """Links to a table as CSV, XLSX and JSON (`url` ends in `.json`)."""
    suffix = f"?{urlencode(query, doseq=True)}" if query else ""
    stem = url.rsplit(".", 1)[0]
    return {fmt: f"{stem}.{fmt}{suffix}" for fmt in ("csv", "xlsx", "json")}


def source_of(indicator: Indicator) -> dict[str, str]:
    return {
        "title": indicator.source_text,
        "path": indicator.source_url,
        "licence": indicator.licence_text,
        "licence_path": indicator.licence_url,
        "attribution": indicator.attribution_text,
    }


def chart_subtitle(indicator: Indicator) -> list[str]:
    """What every chart says under its title: source, licence and the release it shows."""
    lines = [
        _("Source: %(attribution)s") % {"attribution": indicator.attribution_text},
        _("Licence: %(licence)s") % {"licence": indicator.licence_text},
    ]
    release = selectors.frame().latest_release.get(indicator.pk)
    if release:
        lines.append(_("Release: %(release)s") % {"release": release})
    return lines


def vendor_assets() -> dict[str, str]:
    return {
        "vega": static("ceiba/vendor/vega/vega.min.js"),
        "vega_lite": static("ceiba/vendor/vega-lite/vega-lite.min.js"),
        "vega_embed": static("ceiba/vendor/vega-embed/vega-embed.min.js"),
        "vega_interpreter": static("ceiba/vendor/vega-interpreter/vega-interpreter.js"),
    }


def map_urls() -> dict[str, Any]:
    return {
        "topology_url": static("ceiba/vendor/world-atlas/americas-50m.json"),
        "markers_url": static("ceiba/vendor/world-atlas/americas-markers.json"),
    }


# --- public pages -----------------------------------------------------------------------------------


def home(request: HttpRequest) -> HttpResponse:
    def build() -> dict[str, Any]:
        data = selectors.frame()
        themes: dict[str, list[dict[str, Any]]] = {}
        for indicator in data.indicators:
            first, last, count = data.coverage(indicator)
            themes.setdefault(indicator.get_theme_display(), []).append(
                {"indicator": indicator, "first": first, "last": last, "states": count}
            )
        return {"themes": themes, "alerts": list(selectors.published_alerts()[:5])}

    return page(
        request,
        "observatory/page.html",
        "observatory/home.html",
        (),
        build,
        title=_("Observatory"),
        is_secretariat=is_secretariat(request.user),
    )


def indicator_detail(request: HttpRequest, slug: str) -> HttpResponse:
    indicator = access_object(
        Indicator.objects.filter(is_published=True), request.user, Action.VIEW, slug=slug
    )

    def build() -> dict[str, Any]:
        data = selectors.frame()
        ranking = selectors.indicator_ranking(data, indicator)
        first, last, count = data.coverage(indicator)
        series_url = reverse("observatory:series", args=[indicator.slug, "json"])
        year = ranking["year"]
        charts_context = []
        if year is not None:
            subtitle = chart_subtitle(indicator)
            title = _("%(indicator)s, %(year)s") % {"indicator": indicator.label, "year": year}
            year_url = f"{series_url}?year={year}"
            charts_context = [
                {
                    "id": f"map-{indicator.slug}",
                    "spec": charts.map_chart(
                        url=year_url,
                        title=title,
                        subtitle=subtitle,
                        unit=indicator.unit_text,
                        decimals=indicator.decimals,
                        **map_urls(),
                    ),
                    "downloads": downloads(series_url, {"year": year}),
                    "label": _("Map of the Americas: %(title)s") % {"title": title},
                },
                {
                    "id": f"bars-{indicator.slug}",
                    "spec": charts.bar_chart(
                        url=year_url,
                        title=title,
                        subtitle=subtitle,
                        unit=indicator.unit_text,
                        decimals=indicator.decimals,
                    ),
                    "downloads": downloads(series_url, {"year": year}),
                    "label": _("Bar chart: %(title)s") % {"title": title},
                },
            ]
        return {
            "indicator": indicator,
            "ranking": ranking,
            "first": first,
            "last": last,
            "state_count": count,
            "last_import": data.last_import.get(indicator.pk),
            "releases": list(selectors.indicator_releases(indicator)[:10]),
            "charts": charts_context,
            "full_downloads": downloads(series_url),
            "breakdown_downloads": downloads(
                reverse("observatory:breakdowns", args=[indicator.slug, "json"])
            ),
            "assets": vendor_assets(),
        }

    return page(
        request,
        "observatory/page.html",
        "observatory/indicator_detail.html",
        (slug,),
        build,
        title=indicator.label,
        charts=True,
    )


def country_list(request: HttpRequest) -> HttpResponse:
    def build() -> dict[str, Any]:
        data = selectors.frame()
        from ceiba.core.selectors import sort_by_name

        groups = []
        for value, label in Subregion.choices:
            members = sort_by_name([s for s in data.states if s.subregion == value])
            groups.append(
                {
                    "label": label,
                    "states": [
                        {"state": s, "indicators": sum(1 for i in data.indicators if s.iso3 in data.of(i))}
                        for s in members
                    ],
                }
            )
        return {"groups": groups}

    return page(
        request,
        "observatory/page.html",
        "observatory/country_list.html",
        (),
        build,
        title=_("Country profiles"),
    )


def country_profile(request: HttpRequest, iso3: str) -> HttpResponse:
    state = access_object(State, request.user, Action.VIEW, iso3=iso3.upper())

    def build() -> dict[str, Any]:
        data = selectors.frame()
        profile = selectors.state_profile(data, state)
        subregion = state.get_subregion_display()
        for item in profile:
            indicator = item["indicator"]
            url = reverse("observatory:profile_series", args=[state.iso3, indicator.slug, "json"])
            item["chart"] = {
                "id": f"profile-{indicator.slug}",
                "spec": charts.line_chart(
                    url=url,
                    title=indicator.label,
                    subtitle=chart_subtitle(indicator),
                    unit=indicator.unit_text,
                    decimals=indicator.decimals,
                    height=200,
                ),
                "downloads": downloads(url),
                "label": _("%(indicator)s in %(state)s and the %(subregion)s average, by year")
                % {"indicator": indicator.label, "state": state.name, "subregion": subregion},
            }
        return {
            "state": state,
            "profile": profile,
            "subregion": subregion,
            "transparency": selectors.transparency_for(state),
            "downloads": downloads(reverse("observatory:profile_data", args=[state.iso3, "json"])),
            "assets": vendor_assets(),
        }

    can_publish = request.user.is_authenticated and (
        is_secretariat(request.user) or _is_focal_point_of(request, state)
    )
    return page(
        request,
        "observatory/page.html",
        "observatory/country_profile.html",
        (state.iso3,),
        build,
        title=state.name,
        charts=True,
        state=state,
        can_publish=can_publish,
    )


def _is_focal_point_of(request: HttpRequest, state: State) -> bool:
    from ceiba.core.models import Membership

    return (
        Membership.objects.active()
        .filter(user_id=request.user.pk or 0, role=Role.NATIONAL_FOCAL_POINT, organisation__state=state)
        .exists()
    )


def compare(request: HttpRequest) -> HttpResponse:
    data = selectors.frame()
    form = CompareForm(
        request.GET or None,
        indicators=data.indicators,
        states=[(s.iso3, data.labels(s.iso3)[0]) for s in data.states],
    )
    if form.is_bound and not form.is_valid():
        return render(
            request,
            "observatory/compare.html",
            {"form": form, "blocks": [], "assets": vendor_assets()},
            status=400,
        )
    values = form.cleaned_data if form.is_bound else {}
    slugs = values.get("indicator") or ["homicide-rate"]
    states = values.get("state") or []
    subregions = values.get("subregion") or []
    chart_type = values.get("chart") or "line"
    year_from, year_to, year = values.get("year_from"), values.get("year_to"), values.get("year")
    if chart_type == "line" and year_from is None:
        # Without a chosen start, lines show the last DEFAULT_YEARS years (the page stays light).
        last = data.last_year
        year_from = (min(year_to or last, last) - DEFAULT_YEARS + 1) if last else None
    parts = (tuple(slugs), tuple(states), tuple(subregions), chart_type, year_from, year_to, year)

    def build() -> dict[str, Any]:
        blocks = []
        for slug in slugs:
            indicator = data.indicator(slug)
            if indicator is None:
                continue
            chosen_year = year
            if chart_type in ("bar", "map") and chosen_year is None:
                chosen_year = selectors.stats.reference_year(data.of(indicator))
            query: dict[str, Any] = {"state": states, "subregion": subregions}
            if chart_type == "line":
                query.update({k: v for k, v in (("from", year_from), ("to", year_to)) if v})
            else:
                query["year"] = chosen_year
            query = {k: v for k, v in query.items() if v not in (None, [], "")}
            url = reverse("observatory:series", args=[indicator.slug, "json"])
            data_url = f"{url}?{urlencode(query, doseq=True)}" if query else url
            rows = selectors.series_rows(
                data,
                indicator,
                states=states,
                subregions=subregions,
                year_from=year_from if chart_type == "line" else None,
                year_to=year_to if chart_type == "line" else None,
                year=chosen_year if chart_type != "line" else None,
            )
            title = (
                indicator.label
                if chart_type == "line"
                else _("%(indicator)s, %(year)s") % {"indicator": indicator.label, "year": chosen_year}
            )
            common: dict[str, Any] = {
                "url": data_url,
                "title": title,
                "subtitle": chart_subtitle(indicator),
                "unit": indicator.unit_text,
                "decimals": indicator.decimals,
            }
            if chart_type == "map":
                spec = charts.map_chart(**common, **map_urls())
            elif chart_type == "bar":
                spec = charts.bar_chart(**common)
            else:
                spec = charts.line_chart(**common)
            years, table = selectors.pivot(rows)
            blocks.append(
                {
                    "indicator": indicator,
                    "chart": {
                        "id": f"compare-{indicator.slug}",
                        "spec": spec,
                        "downloads": downloads(url, query),
                        "label": title,
                    },
                    "years": years,
                    "table": table,
                    "table_body": table_body(table),
                }
            )
        return {"blocks": blocks, "assets": vendor_assets()}

    body = cached("compare", parts, lambda: render_to_string("observatory/compare_body.html", build()))
    return render(
        request, "observatory/compare.html", {"form": form, "body": mark_safe(body), "charts": True}
    )


def table_body(table: list[tuple[str, list[str]]]) -> str:
    """The rows of a state × year table as HTML (large tables render much faster here than in a
    template loop); every text is escaped."""
    return format_html_join(
        "",
        '<tr><th scope="row">{}</th>{}</tr>',
        (
            (name, format_html_join("", '<td class="num">{}</td>', ((c,) for c in cells)))
            for name, cells in table
        ),
    )


def military_expenditure(request: HttpRequest) -> HttpResponse:
    """Military expenditure compared with one method: SIPRI's definition, constant 2019 US dollars,
    share of GDP and per person, for the latest year all three are published."""

    def build() -> dict[str, Any]:
        data = selectors.frame()
        indicators = [
            data.indicator(slug) for slug in ("milex-constant-usd", "milex-share-gdp", "milex-per-capita")
        ]
        present = [i for i in indicators if i is not None]
        year = None
        if len(present) == 3:
            common = set.intersection(
                *({y for by_year in data.of(i).values() for y in by_year} for i in present)
            )
            year = max(common) if common else None
        rows = []
        if year is not None:
            for state in sorted(data.states, key=lambda s: s.name):
                cells = [data.of(i).get(state.iso3, {}).get(year) for i in present]
                if any(c is not None for c in cells):
                    rows.append(
                        {
                            "state": state,
                            "cells": [
                                data.text(i, state.iso3, year, c) if c is not None else ""
                                for i, c in zip(present, cells, strict=True)
                            ],
                        }
                    )
        chart = None
        share = data.indicator("milex-share-gdp")
        if share is not None and year is not None:
            url = reverse("observatory:series", args=[share.slug, "json"])
            title = _("%(indicator)s, %(year)s") % {"indicator": share.label, "year": year}
            chart = {
                "id": "milex-share",
                "spec": charts.bar_chart(
                    url=f"{url}?year={year}",
                    title=title,
                    subtitle=chart_subtitle(share),
                    unit=share.unit_text,
                    decimals=share.decimals,
                ),
                "downloads": downloads(url, {"year": year}),
                "label": title,
            }
        return {"indicators": present, "year": year, "rows": rows, "chart": chart, "assets": vendor_assets()}

    return page(
        request,
        "observatory/page.html",
        "observatory/military_expenditure.html",
        (),
        build,
        title=_("Military expenditure compared"),
        charts=True,
    )


def transparency(request: HttpRequest) -> HttpResponse:
    def build() -> dict[str, Any]:
        return {
            "overview": selectors.transparency_overview(),
            "papers": list(WhitePaper.objects.select_related("state").order_by("-year")[:20]),
            "reports": list(ArmsRegisterReport.objects.select_related("state").order_by("-year")[:20]),
            "measures": list(
                ConfidenceMeasure.objects.select_related("state")
                .prefetch_related("partners")
                .order_by("-date")[:20]
            ),
        }

    return page(
        request,
        "observatory/page.html",
        "observatory/transparency.html",
        (),
        build,
        title=_("Transparency and confidence-building measures"),
    )


def open_data(request: HttpRequest) -> HttpResponse:
    def build() -> dict[str, Any]:
        data = selectors.frame()
        return {
            "indicators": [
                {
                    "indicator": i,
                    "downloads": downloads(reverse("observatory:series", args=[i.slug, "json"])),
                    "breakdowns": downloads(reverse("observatory:breakdowns", args=[i.slug, "json"])),
                }
                for i in data.indicators
            ]
        }

    return page(
        request, "observatory/page.html", "observatory/open_data.html", (), build, title=_("Open data")
    )


def alert_list(request: HttpRequest) -> HttpResponse:
    alerts = selectors.visible_alerts(request.user).order_by("-created_at")[:200]
    return render(
        request,
        "observatory/alert_list.html",
        {"alerts": alerts, "is_secretariat": is_secretariat(request.user), "review_form": AlertReviewForm()},
    )


# --- data endpoints and downloads -------------------------------------------------------------------


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


SERIES_COLUMNS = [
    ("indicator", _lazy("indicator")),
    ("iso3", _lazy("ISO 3166 alpha-3")),
    ("numeric", _lazy("ISO 3166 numeric")),
    ("name", _lazy("state")),
    ("subregion", _lazy("subregion")),
    ("year", _lazy("year")),
    ("value", _lazy("value")),
    ("value_text", _lazy("value as published")),
    ("release", _lazy("release")),
]


def series(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """One indicator's headline values; ?state=ARG&state=BRA&subregion=andean&from=2000&to=2020&year=2020."""
    indicator = access_object(
        Indicator.objects.filter(is_published=True), request.user, Action.VIEW, slug=slug
    )
    states = [s for value in request.GET.getlist("state") for s in value.upper().split(",") if s]
    subregions = [s for value in request.GET.getlist("subregion") for s in value.split(",") if s]
    year_from, year_to, year = (
        _int(request.GET.get("from")),
        _int(request.GET.get("to")),
        _int(request.GET.get("year")),
    )

    def build() -> bytes:
        data = selectors.frame()
        rows = selectors.series_rows(
            data,
            indicator,
            states=states,
            subregions=subregions,
            year_from=year_from,
            year_to=year_to,
            year=year,
        )
        table = exports.Table(
            name=indicator.slug,
            title=indicator.label,
            description=f"{indicator.definition_text} ({indicator.unit_text})",
            columns=SERIES_COLUMNS,
            rows=rows,
            sources=[source_of(indicator)],
        )
        return exports.render(table, fmt)

    if fmt not in exports.FORMATS:
        raise Http404
    content = cached("series", (slug, fmt, tuple(states), tuple(subregions), year_from, year_to, year), build)
    response = HttpResponse(content, content_type=exports.FORMATS[fmt])
    if fmt != "json":
        response.headers["Content-Disposition"] = f'attachment; filename="{indicator.slug}.{fmt}"'
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


BREAKDOWN_COLUMNS = [
    ("indicator", _lazy("indicator")),
    ("iso3", _lazy("ISO 3166 alpha-3")),
    ("year", _lazy("year")),
    ("dimension", _lazy("dimension")),
    ("category", _lazy("category")),
    ("sex", _lazy("sex")),
    ("age", _lazy("age")),
    ("value", _lazy("value")),
    ("value_text", _lazy("value as published")),
    ("source_note", _lazy("source code")),
]


def breakdown_table(indicator: Indicator) -> exports.Table:
    rows = [
        {
            "indicator": indicator.slug,
            "iso3": o.state.iso3,
            "year": o.year,
            "dimension": o.dimension,
            "category": o.category,
            "sex": o.sex,
            "age": o.age,
            "value": o.value,
            "value_text": o.display_value,
            "source_note": o.source_note,
        }
        for o in selectors.breakdowns(indicator)
    ]
    return exports.Table(
        name=f"{indicator.slug}-breakdowns",
        title=_("%(indicator)s: breakdowns") % {"indicator": indicator.label},
        description=indicator.definition_text,
        columns=BREAKDOWN_COLUMNS,
        rows=rows,
        sources=[source_of(indicator)],
    )


def breakdowns(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    indicator = access_object(
        Indicator.objects.filter(is_published=True), request.user, Action.VIEW, slug=slug
    )
    if fmt not in exports.FORMATS:
        raise Http404
    content = cached("breakdowns", (slug, fmt), lambda: exports.render(breakdown_table(indicator), fmt))
    response = HttpResponse(content, content_type=exports.FORMATS[fmt])
    if fmt != "json":
        response.headers["Content-Disposition"] = f'attachment; filename="{indicator.slug}-breakdowns.{fmt}"'
    return response


def profile_series(request: HttpRequest, iso3: str, slug: str, fmt: str) -> HttpResponse:
    """A state's values of one indicator and its subregion's average, by year (profile charts)."""
    state = access_object(State, request.user, Action.VIEW, iso3=iso3.upper())
    indicator = access_object(
        Indicator.objects.filter(is_published=True), request.user, Action.VIEW, slug=slug
    )

    def build() -> bytes:
        data = selectors.frame()
        rows = selectors.series_rows(data, indicator, states=[state.iso3], subregions=[state.subregion])
        table = exports.Table(
            name=f"{state.iso3}-{indicator.slug}",
            title=f"{indicator.label}: {state.name}",
            description=indicator.definition_text,
            columns=SERIES_COLUMNS,
            rows=rows,
            sources=[source_of(indicator)],
        )
        return exports.render(table, fmt)

    if fmt not in exports.FORMATS:
        raise Http404
    content = cached("profile-series", (state.iso3, slug, fmt), build)
    response = HttpResponse(content, content_type=exports.FORMATS[fmt])
    if fmt != "json":
        response.headers["Content-Disposition"] = (
            f'attachment; filename="{state.iso3.lower()}-{indicator.slug}.{fmt}"'
        )
    return response


def profile_data(request: HttpRequest, iso3: str, fmt: str) -> HttpResponse:
    """Every indicator of one state: the profile's table (latest value, rank, subregion average)."""
    state = access_object(State, request.user, Action.VIEW, iso3=iso3.upper())

    def build() -> exports.Table:
        data = selectors.frame()
        rows = []
        for item in selectors.state_profile(data, state):
            indicator = item["indicator"]
            for row in item["rows"]:
                rows.append(
                    {
                        "indicator": indicator.slug,
                        "indicator_name": indicator.label,
                        "unit": indicator.unit_text,
                        "year": row["year"],
                        "value": row["value"],
                        "value_text": row["text"],
                        "subregion_average": row["average"],
                    }
                )
        sources = list(
            {
                s["attribution"]: s
                for s in (source_of(i["indicator"]) for i in selectors.state_profile(data, state))
            }.values()
        )
        return exports.Table(
            name=f"{state.iso3}-profile",
            title=_("Country profile: %(state)s") % {"state": state.name},
            columns=[
                ("indicator", "indicator"),
                ("indicator_name", "name"),
                ("unit", "unit"),
                ("year", "year"),
                ("value", "value"),
                ("value_text", "value as published"),
                ("subregion_average", "subregion average"),
            ],
            rows=rows,
            sources=sources,
        )

    if fmt not in exports.FORMATS:
        raise Http404
    content = cached("profile-data", (state.iso3, fmt), lambda: exports.render(build(), fmt))
    response = HttpResponse(content, content_type=exports.FORMATS[fmt])
    if fmt != "json":
        response.headers["Content-Disposition"] = f'attachment; filename="{state.iso3.lower()}-profile.{fmt}"'
    return response


def datapackage(request: HttpRequest) -> HttpResponse:
    """The whole observatory as one ZIP with a Frictionless datapackage.json."""
    content = cached(
        "datapackage",
        (),
        lambda: tasks.build_datapackage(request.build_absolute_uri(reverse("observatory:home"))),
    )
    response = HttpResponse(content, content_type="application/zip")
    response.headers["Content-Disposition"] = 'attachment; filename="ceiba-observatory.zip"'
    return response


# --- secretariat: imports, releases, alerts --------------------------------------------------------


@secretariat_only
def import_list(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        path = default_storage.save(f"observatory/imports/{upload.name}", ContentFile(upload.read()))
        job = enqueue(
            tasks.import_file,
            name=_("Import %(file)s") % {"file": upload.name},
            user=request.user,
            path=path,
            source_format=form.cleaned_data["source_format"],
            file_name=upload.name,
            indicator_slugs=[i.slug for i in form.cleaned_data["indicators"]],
            user_id=request.user.pk,
            language=translation.get_language(),
        )
        messages.success(request, _("The import has started. This page shows its progress."))
        return redirect("core:job_detail", pk=job.pk)
    releases = restrict(Release.objects.prefetch_related("indicators"), request.user).order_by(
        "-imported_at"
    )[:100]
    return render(
        request,
        "observatory/import_list.html",
        {"form": form, "releases": releases},
        status=400 if form.errors else 200,
    )


@secretariat_only
def release_detail(request: HttpRequest, pk: int) -> HttpResponse:
    release = access_object(Release.objects.prefetch_related("indicators"), request.user, Action.VIEW, pk=pk)
    review_form = ReleaseReviewForm(request.POST or None if request.POST.get("form") == "review" else None)
    alias_form = AliasForm(request.POST or None if request.POST.get("form") == "alias" else None)
    if request.method == "POST" and request.POST.get("form") == "review" and review_form.is_valid():
        access_object(Release, request.user, Action.CHANGE, pk=pk)
        services.release_review(
            release=release,
            user=request.user,
            withdraw_missing=review_form.cleaned_data["withdraw_missing"],
            note=review_form.cleaned_data["note"],
        )
        messages.success(request, _("Release reviewed."))
        return redirect("observatory:release_detail", pk=pk)
    if request.method == "POST" and request.POST.get("form") == "alias" and alias_form.is_valid():
        try:
            services.country_alias_create(
                name=alias_form.cleaned_data["name"], state=alias_form.cleaned_data["state"]
            )
        except ValidationError as error:
            alias_form.add_error("name", error)
        else:
            messages.success(request, _("Name matched. Import the file again to read its rows."))
            return redirect("observatory:release_detail", pk=pk)
    return render(
        request,
        "observatory/release_detail.html",
        {
            "release": release,
            "review_form": review_form,
            "alias_form": alias_form,
            "aliases": CountryAlias.objects.select_related("state"),
            "needs_review": release.status == ReleaseStatus.NEEDS_REVIEW,
        },
        status=400 if (review_form.errors or alias_form.errors) else 200,
    )


@secretariat_only
def alert_rules(request: HttpRequest) -> HttpResponse:
    form = AlertRuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        rule = services.alert_rule_create(
            indicator=form.cleaned_data["indicator"],
            name=form.cleaned_data["name"],
            expression=form.cleaned_data["expression"],
            user=request.user,
        )
        messages.success(
            request,
            _("Rule “%(name)s” saved; %(n)s alerts raised on the data already published.")
            % {"name": rule.name, "n": rule.alerts.count()},
        )
        return redirect("observatory:alert_rules")
    rules = restrict(AlertRule.objects.select_related("indicator"), request.user).order_by(
        "indicator__position", "name"
    )
    return render(
        request,
        "observatory/alert_rules.html",
        {"form": form, "rules": rules},
        status=400 if form.errors else 200,
    )


@secretariat_only
@require_POST
def alert_review(request: HttpRequest, pk: int) -> HttpResponse:
    alert = access_object(Alert, request.user, Action.CHANGE, pk=pk)
    form = AlertReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to publish or dismiss the alert."))
    else:
        services.alert_review(
            alert=alert,
            user=request.user,
            publish=form.cleaned_data["decision"] == "publish",
            note=form.cleaned_data["note"],
        )
        messages.success(
            request, _("Alert published.") if alert.status == AlertStatus.PUBLISHED else _("Alert dismissed.")
        )
    return redirect("observatory:alert_list")


# --- transparency: focal points and the secretariat publish -------------------------------------------

TRANSPARENCY_KINDS: dict[str, tuple[type[Any], type[Any], Callable[..., Any], str]] = {
    "white-paper": (WhitePaper, WhitePaperForm, services.white_paper_save, "white_paper"),
    "arms-register": (
        ArmsRegisterReport,
        ArmsRegisterReportForm,
        services.arms_register_report_save,
        "report",
    ),
    "measure": (ConfidenceMeasure, ConfidenceMeasureForm, services.confidence_measure_save, "measure"),
}
TRANSPARENCY_TITLES = {
    "white-paper": _("Defence white paper"),
    "arms-register": _("UN Register of Conventional Arms submission"),
    "measure": _("Confidence-building measure"),
}


def _transparency_editor(request: HttpRequest, state: State) -> None:
    """Only the secretariat and the state's own focal point publish its measures (403 otherwise)."""
    if not request.user.is_authenticated:
        raise PermissionDenied
    principal = principal_for(request.user)
    if is_secretariat(principal):
        return
    if principal.has_role(Role.NATIONAL_FOCAL_POINT) and _is_focal_point_of(request, state):
        return
    raise PermissionDenied


def transparency_edit(request: HttpRequest, iso3: str, kind: str, pk: int | None = None) -> HttpResponse:
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    if kind not in TRANSPARENCY_KINDS:
        raise Http404
    state = access_object(State, request.user, Action.VIEW, iso3=iso3.upper())
    _transparency_editor(request, state)
    model, form_class, save, argument = TRANSPARENCY_KINDS[kind]
    instance = (
        access_object(model.objects.filter(state=state), request.user, Action.CHANGE, pk=pk) if pk else None
    )
    form = form_class(request.POST or None, request.FILES or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        try:
            save(**{argument: instance}, state=state, **fields)
        except ValidationError as error:
            items = (
                error.error_dict.items() if hasattr(error, "error_dict") else [("__all__", error.messages)]
            )
            for field, errors in items:
                form.add_error(
                    None if field in ("__all__", "state") or field not in form.fields else field, errors
                )
        else:
            messages.success(request, _("Published."))
            return redirect("observatory:country_profile", iso3=state.iso3)
    title = _("%(kind)s: %(state)s") % {"kind": TRANSPARENCY_TITLES[kind], "state": state.name}
    return render(
        request,
        "observatory/form.html",
        {"form": form, "title": title, "cancel": reverse("observatory:country_profile", args=[state.iso3])},
        status=400 if form.errors else 200,
    )


@require_POST
def transparency_delete(request: HttpRequest, iso3: str, kind: str, pk: int) -> HttpResponse:
    if kind not in TRANSPARENCY_KINDS:
        raise Http404
    state = access_object(State, request.user, Action.VIEW, iso3=iso3.upper())
    _transparency_editor(request, state)
    model = TRANSPARENCY_KINDS[kind][0]
    obj = access_object(model.objects.filter(state=state), request.user, Action.DELETE, pk=pk)
    services.transparency_delete(obj=obj)
    messages.success(request, _("Removed."))
    return redirect("observatory:country_profile", iso3=state.iso3)
