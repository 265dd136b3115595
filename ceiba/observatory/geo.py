"""The map of the Americas: cut the states (and neighbouring territories, drawn without data) out of
Natural Earth's 1:50m TopoJSON (npm `world-atlas`), and place a marker on each small island state so
it stays visible and clickable on a regional map. Pure: no database."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

#: Territories of the Americas that are not states of the observatory, drawn grey for context.
CONTEXT_TERRITORIES = {
    "630",  # Puerto Rico
    "238",  # Falkland Islands
    "533",  # Aruba
    "531",  # Curaçao
    "534",  # Sint Maarten
    "660",  # Anguilla
    "092",  # British Virgin Islands
    "850",  # US Virgin Islands
    "136",  # Cayman Islands
    "796",  # Turks and Caicos Islands
    "060",  # Bermuda
    "652",  # Saint-Barthélemy
    "663",  # Saint-Martin
    "500",  # Montserrat
}
#: States whose largest island is smaller than this (square degrees) get a marker.
SMALL_AREA = 1.5


def _arc_indices(arcs: Any) -> Iterable[int]:
    if isinstance(arcs, int):
        yield arcs
        return
    for item in arcs:
        yield from _arc_indices(item)


def _reindex(arcs: Any, mapping: dict[int, int]) -> Any:
    if isinstance(arcs, int):
        return mapping[arcs] if arcs >= 0 else ~mapping[~arcs]
    return [_reindex(item, mapping) for item in arcs]


def subset(
    topology: dict[str, Any], numeric_ids: Collection[str], object_name: str = "countries"
) -> dict[str, Any]:
    """A new topology holding only the geometries whose id is in `numeric_ids` and the arcs they use."""
    geometries = [g for g in topology["objects"][object_name]["geometries"] if g.get("id") in numeric_ids]
    used = sorted({i if i >= 0 else ~i for g in geometries for i in _arc_indices(g.get("arcs", []))})
    mapping = {old: new for new, old in enumerate(used)}
    kept = [{**g, "arcs": _reindex(g["arcs"], mapping)} for g in geometries]
    return {
        "type": "Topology",
        "transform": topology["transform"],
        "objects": {object_name: {"type": "GeometryCollection", "geometries": kept}},
        "arcs": [topology["arcs"][i] for i in used],
    }


def _decode_arc(arc: list[list[int]], transform: dict[str, Any]) -> list[tuple[float, float]]:
    (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
    x = y = 0
    points = []
    for dx, dy in arc:
        x += dx
        y += dy
        points.append((x * sx + tx, y * sy + ty))
    return points


def _ring(indices: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indices:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return points


def _area_centroid(ring: list[tuple[float, float]]) -> tuple[float, float, float]:
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=False):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    area /= 2
    if not area:
        xs, ys = zip(*ring, strict=False)
        return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
    return abs(area), cx / (6 * area), cy / (6 * area)


def markers(
    topology: dict[str, Any], numeric_ids: Collection[str], object_name: str = "countries"
) -> list[dict[str, Any]]:
    """A point at the centre of the largest island of each small state (see SMALL_AREA)."""
    arcs = [_decode_arc(arc, topology["transform"]) for arc in topology["arcs"]]
    points = []
    for geometry in topology["objects"][object_name]["geometries"]:
        if geometry.get("id") not in numeric_ids:
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        largest = max(
            (_area_centroid(_ring(polygon[0], arcs)) for polygon in polygons), key=lambda item: item[0]
        )
        area, lon, lat = largest
        if area < SMALL_AREA:
            points.append({"id": geometry["id"], "longitude": round(lon, 3), "latitude": round(lat, 3)})
    return sorted(points, key=lambda p: p["id"])
