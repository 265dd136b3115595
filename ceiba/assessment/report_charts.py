"""Vega-Lite specifications of the assessment report's charts. Pure: plain dicts, no database.

Unlike the observatory's charts, the report's specs carry their data inline (a run is immutable and
small) and are drawn by vega-embed on screen, where the map's geometry is fetched from the vendored
TopoJSON (static file, same origin). The PDF's maps are one base map converted to SVG by vl-convert
(the geometry passed inline, so the converter never opens a URL), simplified for print and
recoloured per chapter (`base_map_svg`, `print_map`); its bars are drawn in the states tables.

Scores are 0–1 and every chart uses the same fixed domain, so chapters can be compared. Colours are
colour-blind safe: Okabe–Ito for subregions, viridis (reversed: dark = high) for the map. Small
island states get a circle marker in their colour (markers vendored with the map, see the vendor
README), so Saint Kitts and Nevis is as visible as Brazil.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
#: Fonts installed on Debian (fonts-dejavu-core) first: vl-convert and WeasyPrint render with them.
FONT = "DejaVu Sans, Noto Sans, system-ui, sans-serif"
WORLD_ATLAS = Path(__file__).resolve().parent.parent / "static" / "ceiba" / "vendor" / "world-atlas"
TOPOLOGY_FILE = WORLD_ATLAS / "americas-50m.json"
MARKERS_FILE = WORLD_ATLAS / "americas-markers.json"
#: The object of the TopoJSON holding the countries (ids are ISO 3166 numeric codes as strings).
TOPOLOGY_OBJECT = "countries"


@cache
def topology() -> dict[str, Any]:
    """Natural Earth 1:50m, cut to the Americas (npm world-atlas, vendored)."""
    data: dict[str, Any] = json.loads(TOPOLOGY_FILE.read_text(encoding="utf-8"))
    return data


@cache
def markers() -> list[dict[str, Any]]:
    """[{"id": ISO numeric, "longitude", "latitude"}] for each small island state."""
    data: list[dict[str, Any]] = json.loads(MARKERS_FILE.read_text(encoding="utf-8"))
    return data


def _base(title: str, subtitle: str, description: str, width: int | str) -> dict[str, Any]:
    return {
        "$schema": SCHEMA,
        "description": description,
        "title": {"text": title, "subtitle": subtitle, "anchor": "start", "subtitleFontSize": 10},
        "width": width,
        "background": "white",
        "config": {
            "font": FONT,
            "range": {"category": OKABE_ITO},
            "axis": {"labelFontSize": 10, "titleFontSize": 11},
            "legend": {"labelFontSize": 10, "titleFontSize": 10, "orient": "bottom", "columns": 3},
            "view": {"stroke": None},
        },
    }


def _tooltip(score_title: str) -> list[dict[str, Any]]:
    return [
        {"field": "name", "type": "nominal", "title": " "},
        {"field": "score_text", "type": "nominal", "title": score_title},
    ]


def score_bars(
    rows: list[dict[str, Any]],
    *,
    title: str,
    subtitle: str,
    score_title: str,
    subregion_title: str,
    region_score: float | None = None,
    width: int | str = 460,
    colours: dict[str, str] | None = None,
) -> dict[str, Any]:
    """A crime area's score per state (rows: name, subregion, score, score_text), highest first,
    coloured by subregion, with the regional score as a rule."""
    spec = _base(title, subtitle, title, width)
    bars: dict[str, Any] = {
        "mark": {"type": "bar", "height": {"band": 0.8}},
        "encoding": {
            "y": {"field": "name", "type": "nominal", "title": None, "sort": "-x"},
            "x": {
                "field": "score",
                "type": "quantitative",
                "title": score_title,
                "scale": {"domain": [0, 1]},
            },
            "color": {
                "field": "subregion",
                "type": "nominal",
                "title": subregion_title,
                **({"scale": {"domain": list(colours), "range": list(colours.values())}} if colours else {}),
            },
            "tooltip": _tooltip(score_title),
        },
    }
    layers: list[dict[str, Any]] = [bars]
    if region_score is not None:
        layers.append(
            {
                "data": {"values": [{"score": region_score}]},
                "mark": {"type": "rule", "color": "#1b1f23", "strokeDash": [4, 3], "strokeWidth": 1.5},
                "encoding": {"x": {"field": "score", "type": "quantitative"}},
            }
        )
    spec.update(
        {
            "data": {"values": rows},
            "height": {"step": 14},
            "layer": layers,
        }
    )
    return spec


def topology_data(inline: bool, url: str = "") -> dict[str, Any]:
    """The map's geometry: inline (for vl-convert: never a URL) or the static file's URL (screen)."""
    fmt = {"type": "topojson", "feature": TOPOLOGY_OBJECT}
    if inline:
        return {"values": topology(), "format": fmt}
    return {"url": url, "format": fmt}


def score_map(
    rows: list[dict[str, Any]],
    *,
    title: str,
    subtitle: str,
    score_title: str,
    geometry: dict[str, Any],
    width: int | str = 420,
    height: int = 480,
) -> dict[str, Any]:
    """A choropleth of the Americas (rows: numeric, name, score, score_text); states without a
    score stay grey; small island states also get a circle in their colour."""
    spec = _base(title, subtitle, title, width)
    lookup = {
        "lookup": "id",
        "from": {"data": {"values": rows}, "key": "numeric", "fields": ["name", "score", "score_text"]},
    }
    color = {
        "field": "score",
        "type": "quantitative",
        "title": score_title,
        "scale": {"scheme": "viridis", "reverse": True, "domain": [0, 1]},
        "legend": {"orient": "bottom-left", "direction": "vertical", "gradientLength": 90},
    }
    spec.update(
        {
            "height": height,
            # Centred on the Americas: the Aleutians stay whole.
            "projection": {"type": "equalEarth", "rotate": [90, 0, 0]},
            "layer": [
                {
                    # Grey: countries without a score (drawn once: scored ones are the next layer).
                    "data": geometry,
                    "transform": [lookup, {"filter": "!isValid(datum.score)"}],
                    "mark": {"type": "geoshape", "fill": "#e4e7e6", "stroke": "#ffffff", "strokeWidth": 0.4},
                },
                {
                    "data": geometry,
                    "transform": [lookup, {"filter": "isValid(datum.score)"}],
                    "mark": {"type": "geoshape", "stroke": "#ffffff", "strokeWidth": 0.4},
                    "encoding": {"color": color, "tooltip": _tooltip(score_title)},
                },
                {
                    "data": {"values": markers()},
                    "transform": [lookup, {"filter": "isValid(datum.score)"}],
                    "mark": {
                        "type": "circle",
                        "size": 60,
                        "stroke": "#1b1f23",
                        "strokeWidth": 0.8,
                        "opacity": 1,
                    },
                    "encoding": {
                        "longitude": {"field": "longitude", "type": "quantitative"},
                        "latitude": {"field": "latitude", "type": "quantitative"},
                        "color": color,
                        "tooltip": _tooltip(score_title),
                    },
                },
            ],
        }
    )
    return spec


PATH_DATA = re.compile(r'(<path\b[^>]*?) d="([^"]*)"')
PATH_COMMAND = re.compile(r"([A-Za-z])([^A-Za-z]*)")


# --------------------------------------------------------------------------------------------------
# Print: one base map, recoloured per chapter

#: Viridis (matplotlib's, 10 stops), from dark (0) to yellow (1); scores use it reversed.
VIRIDIS = (
    "#440154",
    "#482878",
    "#3e4989",
    "#31688e",
    "#26828e",
    "#1f9e89",
    "#35b779",
    "#6ece58",
    "#b5de2b",
    "#fde725",
)
NO_SCORE = "#e4e7e6"
PRINT_MAP_WIDTH, PRINT_MAP_HEIGHT = 330, 390
#: Print maps are small: the outline drawn strays at most this many pixels from the source's.
PRINT_MAP_TOLERANCE = 0.4
#: Islands smaller than this many pixels both ways (0.15 mm on paper) are left out of the print map.
PRINT_MAP_SPECK = 0.5
LABELLED = re.compile(r'<path aria-label="(\d{3})"([^>]*?)/?>(?:</path>)?')


def score_colour(score: float) -> str:
    """The map's colour of a 0–1 score: viridis reversed (high = dark), as on screen."""
    t = min(max(1.0 - score, 0.0), 1.0) * (len(VIRIDIS) - 1)
    low = int(t)
    high = min(low + 1, len(VIRIDIS) - 1)
    share = t - low
    a, b = VIRIDIS[low], VIRIDIS[high]
    channels = [round(int(a[i : i + 2], 16) * (1 - share) + int(b[i : i + 2], 16) * share) for i in (1, 3, 5)]
    return "#" + "".join(f"{c:02x}" for c in channels)


def base_map_spec() -> dict[str, Any]:
    """Every country of the map and a circle per small island state, labelled with its ISO numeric
    code (Vega writes it as the element's aria-label) so that each chapter only recolours them."""
    labelled = {"description": {"field": "id", "type": "nominal"}}
    return {
        "$schema": SCHEMA,
        "width": PRINT_MAP_WIDTH,
        "height": PRINT_MAP_HEIGHT,
        "background": "white",
        "config": {"view": {"stroke": None}},
        "projection": {"type": "equalEarth", "rotate": [90, 0, 0]},
        "layer": [
            {
                "data": topology_data(True),
                "mark": {"type": "geoshape", "fill": NO_SCORE, "stroke": "#ffffff", "strokeWidth": 0.4},
                "encoding": labelled,
            },
            {
                "data": {"values": markers()},
                "mark": {
                    "type": "circle",
                    "size": 50,
                    "fill": NO_SCORE,
                    "stroke": "#1b1f23",
                    "strokeWidth": 0.8,
                    "opacity": 1,
                },
                "encoding": {
                    "longitude": {"field": "longitude", "type": "quantitative"},
                    "latitude": {"field": "latitude", "type": "quantitative"},
                    **labelled,
                },
            },
        ],
    }


@cache
def base_map_svg() -> str:
    """The print map, converted once per process by vl-convert (the TopoJSON passed inline) and
    simplified for print (`simplify_path`): every chapter's map is this SVG recoloured, so a
    twenty-chapter report converts one map instead of twenty-one."""
    import vl_convert

    svg: str = vl_convert.vegalite_to_svg(base_map_spec(), vl_version="6.4")
    svg = svg[svg.index("<svg") :]
    return PATH_DATA.sub(lambda m: f'{m.group(1)} d="{simplify_path(m.group(2), PRINT_MAP_TOLERANCE)}"', svg)


def _douglas_peucker(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """The points of a polyline that Douglas–Peucker keeps: none of the dropped points lies farther
    than `tolerance` from the simplified line."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        x1, y1 = points[first]
        dx, dy = points[last][0] - x1, points[last][1] - y1
        length = (dx * dx + dy * dy) ** 0.5
        farthest, index = -1.0, -1
        for i in range(first + 1, last):
            x, y = points[i]
            if length:
                distance = abs(dy * (x - x1) - dx * (y - y1)) / length
            else:  # a closed ring: distance from its first point
                distance = ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
            if distance > farthest:
                farthest, index = distance, i
        if farthest > tolerance:
            keep[index] = True
            stack.extend(((first, index), (index, last)))
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def simplify_path(data: str, tolerance: float = PRINT_MAP_TOLERANCE, speck: float = PRINT_MAP_SPECK) -> str:
    """A polyline path (M, L, Z with absolute x,y) simplified ring by ring (Douglas–Peucker: no
    dropped point lies farther than `tolerance` pixels from the outline drawn), without the rings
    smaller than `speck` pixels both ways (covered by the white border anyway), rounded to a tenth of
    a pixel. WeasyPrint draws SVG paths point by point in Python: at 0.4 px (0.12 mm on paper) the
    1:50m map keeps an eighth of its points, closer to the source than the point-distance thinning
    at 1 px used before, which kept a quarter. Done after projection, in the plane, ring by ring, so
    no ring can turn inside out. Paths with other commands are returned unchanged."""
    rings: list[list[tuple[float, float]]] = []
    closed: list[bool] = []
    for command, arguments in PATH_COMMAND.findall(data):
        if command in "Zz":
            if not rings:
                return data
            closed[-1] = True
            continue
        parts = arguments.split(",")
        if command not in "ML" or len(parts) != 2:
            return data
        point = (float(parts[0]), float(parts[1]))
        if command == "M" or not rings:
            rings.append([point])
            closed.append(False)
        elif closed[-1]:  # a line after Z starts a new subpath at the closed ring's first point
            rings.append([rings[-1][0], point])
            closed.append(False)
        else:
            rings[-1].append(point)
    extents = [
        max(max(x for x, _ in r) - min(x for x, _ in r), max(y for _, y in r) - min(y for _, y in r))
        for r in rings
    ]
    largest = max(range(len(rings)), key=extents.__getitem__, default=-1)
    out: list[str] = []
    for i, (ring, is_closed) in enumerate(zip(rings, closed, strict=True)):
        if extents[i] < speck and i != largest:
            continue  # a speck of an island (its country's largest ring is always kept)
        kept = _douglas_peucker(ring, tolerance)
        out.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in kept) + ("Z" if is_closed else ""))
    return "".join(out)


def print_map(scores: dict[str, float], label: str) -> str:
    """The base map with each state's fill set from its score (`scores`: ISO numeric → 0–1); states
    without a score stay grey and their circle (if any) is left out."""

    def recolour(match: re.Match[str]) -> str:
        numeric, attributes = match.group(1), match.group(2)
        is_circle = 'aria-roledescription="circle"' in attributes
        score = scores.get(numeric)
        if score is None:
            return "" if is_circle else match.group(0)
        attributes = re.sub(r' fill="[^"]*"', "", attributes)
        return f'<path aria-label="{numeric}" fill="{score_colour(score)}"{attributes}/>'

    svg = LABELLED.sub(recolour, base_map_svg())
    return svg.replace("<svg ", f'<svg role="img" aria-label="{_xml_attribute(label)}" ', 1)


def data_uri(svg: str) -> str:
    """`svg` as a `data:` URI for an `<img>`: WeasyPrint draws an image as one replaced element
    (parsed by ElementTree), where an inline `<svg>` first goes through the HTML parser and gets a
    CSS style per element, like the rest of the page. Percent-encoded (not base64: a third smaller),
    safe inside an HTML attribute (no quote, angle bracket or ampersand left) and whole in a browser
    (no `#`, which would end the URI: the downloadable HTML shows the same images)."""
    return "data:image/svg+xml," + quote(svg, safe="/:=,.-()")


def _xml_attribute(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
