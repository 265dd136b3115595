"""Vega-Lite specifications of the observatory's charts. Pure: plain dicts, no database.

Specs never embed data: they point to the platform's JSON endpoints (`{"rows": [...]}`), which the
browser fetches only when the chart scrolls into view. Colours are colour-blind safe (Okabe–Ito for
categories, viridis for the map) and every chart carries its source and licence in its subtitle.
"""

from __future__ import annotations

from typing import Any

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
#: Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision deficiency.
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
FONT = "system-ui, -apple-system, Segoe UI, Roboto, Noto Sans, sans-serif"


def _base(title: str, subtitle: str | list[str], description: str) -> dict[str, Any]:
    return {
        "$schema": SCHEMA,
        "description": description,
        "title": {"text": title, "subtitle": subtitle, "anchor": "start", "subtitleFontSize": 11},
        "width": "container",
        "config": {
            "font": FONT,
            "range": {"category": OKABE_ITO},
            "axis": {"labelFontSize": 11, "titleFontSize": 12},
            "legend": {"labelFontSize": 11, "orient": "bottom", "columns": 4},
            "view": {"stroke": None},
        },
    }


def _rows(url: str) -> dict[str, Any]:
    return {"url": url, "format": {"type": "json", "property": "rows"}}


def _tooltip(unit: str, decimals: int) -> list[dict[str, Any]]:
    return [
        {"field": "name", "type": "nominal", "title": " "},
        {"field": "year", "type": "ordinal"},
        {"field": "value_text", "type": "nominal", "title": unit},
    ]


def line_chart(
    *,
    url: str,
    title: str,
    subtitle: str | list[str],
    unit: str,
    decimals: int = 1,
    description: str = "",
    height: int = 260,
) -> dict[str, Any]:
    """Values over time, one line per state (or subregion average)."""
    spec = _base(title, subtitle, description or title)
    spec.update(
        {
            "height": height,
            "data": _rows(url),
            "mark": {"type": "line", "point": {"size": 28}, "strokeWidth": 2},
            "encoding": {
                "x": {
                    "field": "year",
                    "type": "quantitative",
                    "title": None,
                    "axis": {"format": "d", "tickMinStep": 1},
                },
                "y": {"field": "value", "type": "quantitative", "title": unit},
                "color": {"field": "name", "type": "nominal", "title": None},
                "strokeDash": {"field": "name", "type": "nominal", "title": None},
                "tooltip": _tooltip(unit, decimals),
            },
        }
    )
    return spec


def bar_chart(
    *, url: str, title: str, subtitle: str | list[str], unit: str, decimals: int = 1, description: str = ""
) -> dict[str, Any]:
    """One year's values, one bar per state, largest first."""
    spec = _base(title, subtitle, description or title)
    spec.update(
        {
            "data": _rows(url),
            "mark": {"type": "bar", "color": OKABE_ITO[0]},
            "encoding": {
                "y": {"field": "name", "type": "nominal", "title": None, "sort": "-x"},
                "x": {"field": "value", "type": "quantitative", "title": unit},
                "tooltip": _tooltip(unit, decimals),
            },
        }
    )
    return spec


def map_chart(
    *,
    url: str,
    topology_url: str,
    markers_url: str,
    title: str,
    subtitle: str | list[str],
    unit: str,
    decimals: int = 1,
    description: str = "",
) -> dict[str, Any]:
    """A choropleth of the Americas (Natural Earth 1:50m); small island states also get a marker in
    their colour so they can be seen and pointed at."""
    spec = _base(title, subtitle, description or title)
    lookup = {
        "lookup": "id",
        "from": {"data": _rows(url), "key": "numeric", "fields": ["name", "value", "value_text", "year"]},
    }
    color = {
        "field": "value",
        "type": "quantitative",
        "title": unit,
        "scale": {"scheme": "viridis", "reverse": True},
    }
    spec.update(
        {
            "height": 560,
            "projection": {
                "type": "equalEarth",
                "rotate": [90, 0, 0],
            },  # centred on the Americas: the Aleutians stay whole
            "layer": [
                {
                    "data": {"url": topology_url, "format": {"type": "topojson", "feature": "countries"}},
                    "mark": {"type": "geoshape", "fill": "#e4e7e6", "stroke": "#ffffff", "strokeWidth": 0.5},
                },
                {
                    "data": {"url": topology_url, "format": {"type": "topojson", "feature": "countries"}},
                    "transform": [lookup, {"filter": "isValid(datum.value)"}],
                    "mark": {"type": "geoshape", "stroke": "#ffffff", "strokeWidth": 0.5},
                    "encoding": {"color": color, "tooltip": _tooltip(unit, decimals)},
                },
                {
                    "data": {"url": markers_url},
                    "transform": [lookup, {"filter": "isValid(datum.value)"}],
                    "mark": {
                        "type": "circle",
                        "size": 90,
                        "stroke": "#1b1f23",
                        "strokeWidth": 1,
                        "opacity": 1,
                    },
                    "encoding": {
                        "longitude": {"field": "longitude", "type": "quantitative"},
                        "latitude": {"field": "latitude", "type": "quantitative"},
                        "color": color,
                        "tooltip": _tooltip(unit, decimals),
                    },
                },
            ],
        }
    )
    return spec
