"""Import of STIX 2.1 bundles (docs/decisions/0032-stix-and-misp.md).

threat-actor and intrusion-set → criminal networks; report → threat reports; location (a country)
linked by a relationship or a report's object_refs → countries of activity / states concerned;
marking-definition → TLP; identity → the producer (created_by_ref) or, for persons and
organisations the bundle describes, FtM entities (`stix_entities`). Other object types are counted
as skipped. Every object is validated with `stix2.parse` (custom `x_` properties allowed)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import stix2
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ceiba.sharing.choices import most_restrictive

from ..models import CrimeArea, CriminalNetwork, ThreatReport
from .base import ImportAborted, Importer, ImportRequest, ImportSummary, Progress, RowError, register_importer
from .lookups import Lookups, read_json
from .markings import OFFICIAL_MARKINGS, tlp_of_marking_definition
from .storing import Candidate, RouteTuple, candidates_store

ACTOR_TYPES = ("threat-actor", "intrusion-set")
USED_TYPES = frozenset({*ACTOR_TYPES, "report", "location", "relationship", "identity", "marking-definition"})


def _text(value: Any) -> str:
    return str(value).strip() if value is not None else ""


def _date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    try:
        return parse_date(text[:10]) if text else None
    except ValueError:
        return None


def _stix_error_column(error: Exception) -> str:
    name = getattr(error, "prop_name", None)
    if name:
        return str(name)
    properties = getattr(error, "properties", None)
    if properties:
        return ", ".join(sorted(str(p) for p in properties))
    return ""


def _bundle_objects(bundle: Any) -> list[Any]:
    if (
        not isinstance(bundle, dict)
        or bundle.get("type") != "bundle"
        or not isinstance(bundle.get("objects", []), list)
    ):
        raise ImportAborted([RowError(None, "", _("This file is not a STIX 2.1 bundle."))])
    return list(bundle.get("objects", []))


def validate_objects(objects: list[Any]) -> list[RowError]:
    """Row errors for objects that are not valid STIX 2.1 (row: the object's position in the bundle,
    column: the property concerned). Custom `x_` properties and types are allowed."""
    errors = []
    for row, obj in enumerate(objects, start=1):
        if not isinstance(obj, dict):
            errors.append(RowError(row, "", _("This is not a STIX object.")))
            continue
        try:
            stix2.parse(obj, allow_custom=True, version="2.1")
        except Exception as error:  # stix2 raises STIXError, ParseError and ValueError subclasses
            errors.append(
                RowError(
                    row,
                    _stix_error_column(error),
                    _("%(id)s is not valid STIX 2.1: %(reason)s")
                    % {"id": obj.get("id") or obj.get("type") or "?", "reason": error},
                )
            )
    return errors


def producer_ids(objects: list[dict[str, Any]]) -> set[str]:
    return {obj["created_by_ref"] for obj in objects if isinstance(obj.get("created_by_ref"), str)}


#: STIX identity_class → FtM schema.
IDENTITY_SCHEMATA = {"individual": "Person", "organization": "Organization", "group": "Organization"}


def stix_entities(bundle: dict[str, Any]) -> list[dict[str, Any]]:
    """FtM entity dicts ({"id", "schema", "properties"}) for the persons and organisations a bundle
    describes: identities of class individual, organization or group that no object names as its
    producer (`created_by_ref`). Countries come from their located-at relationships. Pure: no
    database, no validation beyond what the mapping needs."""
    objects = [obj for obj in bundle.get("objects", []) if isinstance(obj, dict)]
    producers = producer_ids(objects)
    countries: dict[str, list[str]] = {}
    locations = {obj["id"]: obj for obj in objects if obj.get("type") == "location" and "id" in obj}
    for obj in objects:
        if obj.get("type") == "relationship" and obj.get("target_ref") in locations:
            country = _text(locations[obj["target_ref"]].get("country")).lower()
            if country:
                countries.setdefault(obj.get("source_ref", ""), []).append(country)
    entities = []
    for obj in objects:
        schema = IDENTITY_SCHEMATA.get(_text(obj.get("identity_class")))
        if obj.get("type") != "identity" or schema is None or obj.get("id") in producers:
            continue
        properties: dict[str, list[str]] = {"name": [_text(obj.get("name"))]}
        if description := _text(obj.get("description")):
            properties["description"] = [description]
        if contact := _text(obj.get("contact_information")):
            properties["notes"] = [contact]
        if obj["id"] in countries:
            properties["country"] = sorted(set(countries[obj["id"]]))
        entities.append(
            {"id": "stix-" + _text(obj["id"]).split("--")[-1], "schema": schema, "properties": properties}
        )
    return entities


def _first_list(first: list[Any] | None, otherwise: list[Any]) -> list[Any]:
    return first if first is not None else otherwise


class _Reader:
    """Reads one validated bundle into candidates and row errors."""

    def __init__(self, objects: list[dict[str, Any]], request: ImportRequest) -> None:
        self.objects = objects
        self.request = request
        self.lookups = Lookups()
        self.errors: list[RowError] = []
        self.rows = {obj.get("id"): row for row, obj in enumerate(objects, start=1)}
        self.by_id = {obj.get("id"): obj for obj in objects}
        self.option_area: CrimeArea | None = None
        option = _text(request.options.get("crime_area"))
        if option:
            self.option_area = self.lookups.crime_area(option)
            if self.option_area is None:
                self.errors.append(
                    RowError(None, "crime_area", _("Unknown crime area: %(code)s.") % {"code": option})
                )

    def of_type(self, *types: str) -> list[dict[str, Any]]:
        return [obj for obj in self.objects if obj.get("type") in types]

    def error(self, obj: dict[str, Any], column: str, message: str) -> None:
        self.errors.append(RowError(self.rows.get(obj.get("id")), column, message))

    # --- markings, handling, grading -----------------------------------------------------------------

    def markings(self) -> dict[str, Any]:
        """Marking-definition id → TLP (None for a marking that is not a TLP, e.g. a statement)."""
        known: dict[str, Any] = dict(OFFICIAL_MARKINGS)
        for obj in self.of_type("marking-definition"):
            try:
                known[obj["id"]] = tlp_of_marking_definition(obj)
            except KeyError:
                self.error(obj, "definition", _("%(id)s: unknown TLP level.") % {"id": obj["id"]})
                known[obj["id"]] = None
        return known

    def carried(self, obj: dict[str, Any], markings: dict[str, Any]) -> dict[str, Any]:
        carried: dict[str, Any] = {}
        levels = []
        for ref in obj.get("object_marking_refs", []):
            if ref not in markings:
                self.error(
                    obj,
                    "object_marking_refs",
                    _("%(id)s refers to an unknown marking %(ref)s.") % {"id": obj["id"], "ref": ref},
                )
            elif markings[ref] is not None:
                levels.append(markings[ref])
        if levels:
            carried["tlp"] = most_restrictive(levels).value
        if handling := _text(obj.get("x_ceiba_handling")):
            carried["handling_code"] = handling
            carried["handling_conditions"] = _text(obj.get("x_ceiba_handling_conditions"))
        grading = _text(obj.get("x_ceiba_grading"))
        if grading:
            if len(grading) != 2:
                self.error(obj, "x_ceiba_grading", _("A grading is two characters, like B2."))
            else:
                carried["source_reliability"], carried["information_credibility"] = grading[0], grading[1]
                if scheme := _text(obj.get("x_ceiba_grading_scheme")):
                    carried["grading_scheme"] = scheme
        return carried

    # --- crime areas and countries -------------------------------------------------------------------

    def own_crime_area(self, obj: dict[str, Any]) -> CrimeArea | None:
        code = _text(obj.get("x_ceiba_crime_area"))
        if code:
            area = self.lookups.crime_area(code)
            if area is None:
                self.error(obj, "x_ceiba_crime_area", _("Unknown crime area: %(code)s.") % {"code": code})
            return area
        labels = [
            *obj.get("labels", []),
            *obj.get("threat_actor_types", []),
            *obj.get("report_types", []),
        ]
        return self.lookups.crime_area_of_labels([str(label) for label in labels])

    def unresolved(self, obj: dict[str, Any]) -> None:
        self.error(
            obj,
            "x_ceiba_crime_area",
            _(
                "%(id)s (%(name)s) names no crime area: add x_ceiba_crime_area or a label, or choose "
                "a crime area for the import."
            )
            % {"id": obj["id"], "name": _text(obj.get("name"))},
        )

    def linked_locations(self) -> dict[str, list[dict[str, Any]]]:
        """Object id → the locations linked to it by a relationship (either way) or object_refs."""
        linked: dict[str, list[dict[str, Any]]] = {}
        for rel in self.of_type("relationship"):
            source, target = self.by_id.get(rel.get("source_ref")), self.by_id.get(rel.get("target_ref"))
            if source is None or target is None:
                continue
            if target.get("type") == "location":
                linked.setdefault(source["id"], []).append(target)
            elif source.get("type") == "location":
                linked.setdefault(target["id"], []).append(source)
        for report in self.of_type("report"):
            for ref in report.get("object_refs", []):
                target = self.by_id.get(ref)
                if target is not None and target.get("type") == "location":
                    linked.setdefault(report["id"], []).append(target)
        return linked

    def states(self, locations: list[dict[str, Any]]) -> list[Any]:
        states = {}
        for location in locations:
            code = _text(location.get("country"))
            if not code:
                continue
            state = self.lookups.state(code)
            if state is None:
                self.error(
                    location,
                    "country",
                    _("%(id)s: unknown country code %(code)s (not a state of the Americas).")
                    % {"id": location["id"], "code": code},
                )
            else:
                states[state.pk] = state
        return list(states.values())

    def reports_of(self) -> dict[str, list[dict[str, Any]]]:
        """Actor id → the reports that refer to it (object_refs or a relationship)."""
        reports: dict[str, list[dict[str, Any]]] = {}
        for report in self.of_type("report"):
            for ref in report.get("object_refs", []):
                reports.setdefault(ref, []).append(report)
        for rel in self.of_type("relationship"):
            source, target = self.by_id.get(rel.get("source_ref")), self.by_id.get(rel.get("target_ref"))
            if source and target and source.get("type") == "report":
                reports.setdefault(target["id"], []).append(source)
            elif source and target and target.get("type") == "report":
                reports.setdefault(source["id"], []).append(target)
        return reports

    def concerned(self, report: dict[str, Any]) -> list[dict[str, Any]] | None:
        """`x_ceiba_states_concerned` (our export's exact list, the locations in object_refs also
        holding the routes' states) as locations; None when absent."""
        codes = report.get("x_ceiba_states_concerned")
        if not isinstance(codes, list):
            return None
        return [{"id": report["id"], "country": str(code)} for code in codes]

    def routes(self, report: dict[str, Any]) -> list[RouteTuple] | None:
        """The routes of `x_ceiba_routes` (as the export writes them), None if there is none."""
        if "x_ceiba_routes" not in report:
            return None
        routes: list[RouteTuple] = []
        items = report["x_ceiba_routes"]
        for item in items if isinstance(items, list) else [items]:
            if not isinstance(item, dict):
                self.error(report, "x_ceiba_routes", _("A route is an object with commodity, origin…"))
                continue
            ends = []
            for code in [item.get("origin"), *(item.get("transit") or []), item.get("destination")]:
                state = self.lookups.state(str(code)) if code else None
                if code and state is None:
                    self.error(
                        report,
                        "x_ceiba_routes",
                        _("Unknown country code %(code)s (not a state of the Americas).") % {"code": code},
                    )
                ends.append(state)
            transit = tuple(state for state in ends[1:-1] if state is not None)
            routes.append((_text(item.get("commodity"))[:200], ends[0], transit, ends[-1]))
        return routes

    @staticmethod
    def optional(obj: dict[str, Any], **properties: str) -> dict[str, str]:
        """Model fields from the `x_ceiba_` properties an object carries (checked by the model)."""
        return {name: _text(obj[prop]) for name, prop in properties.items() if prop in obj}

    # --- records -------------------------------------------------------------------------------------

    def candidates(self) -> list[Candidate]:
        """Reports and networks. A crime area comes from the object itself (x_ceiba_crime_area, its
        labels or types), else from the objects a report links it to (a report's actors, an actor's
        reports), else from the import's option."""
        markings = self.markings()
        locations = self.linked_locations()
        reports, actors = self.of_type("report"), self.of_type(*ACTOR_TYPES)
        own = {obj["id"]: self.own_crime_area(obj) for obj in [*reports, *actors]}
        related: dict[str, list[str]] = {}
        for actor_id, linked_reports in self.reports_of().items():
            for report in linked_reports:
                related.setdefault(actor_id, []).append(report["id"])
                related.setdefault(report["id"], []).append(actor_id)

        def area_of(obj: dict[str, Any]) -> CrimeArea | None:
            area = own.get(obj["id"]) or next(
                (own[other] for other in related.get(obj["id"], []) if own.get(other) is not None), None
            )
            area = area or self.option_area
            if area is None and "x_ceiba_crime_area" not in obj:
                self.unresolved(obj)
            return area

        candidates: list[Candidate] = []
        for report in reports:
            area = area_of(report)
            if area is None:
                continue
            published = _date(report.get("published"))
            for name in ("x_ceiba_period_start", "x_ceiba_period_end"):
                if name in report and _date(report[name]) is None:
                    self.error(report, name, _("%(value)s is not a date.") % {"value": report[name]})
            candidates.append(
                Candidate(
                    model=ThreatReport,
                    row=self.rows[report["id"]],
                    source_id=report["id"],
                    fields={
                        "crime_area": area,
                        "title": _text(report.get("name"))[:200],
                        "narrative": _text(report.get("description")),
                        "period_start": _date(report.get("x_ceiba_period_start")) or published,
                        "period_end": _date(report.get("x_ceiba_period_end")) or published,
                        **self.optional(report, trend="x_ceiba_trend"),
                    },
                    carried=self.carried(report, markings),
                    states=self.states(_first_list(self.concerned(report), locations.get(report["id"], []))),
                    routes=self.routes(report),
                )
            )
        for actor in actors:
            area = area_of(actor)
            if area is None:
                continue
            summary = _text(actor.get("description"))
            aliases = [str(alias) for alias in actor.get("aliases", []) if str(alias) != actor.get("name")]
            if aliases:
                known_as = _("Also known as: %(aliases)s.") % {"aliases": ", ".join(aliases)}
                summary = f"{summary}\n\n{known_as}".strip()
            candidates.append(
                Candidate(
                    model=CriminalNetwork,
                    row=self.rows[actor["id"]],
                    source_id=actor["id"],
                    fields={
                        "alias": _text(actor.get("name"))[:200],
                        "main_crime_area": area,
                        "summary": summary,
                        **self.optional(actor, size_band="x_ceiba_size_band", structure="x_ceiba_structure"),
                    },
                    carried=self.carried(actor, markings),
                    states=self.states(locations.get(actor["id"], [])),
                )
            )
        return candidates


@register_importer
class StixImporter(Importer):
    """A STIX 2.1 bundle of threat reports and threat actors (intrusion sets)."""

    kind = "stix"
    label = gettext_lazy("STIX 2.1 bundle")
    extensions = (".json",)

    def run(self, request: ImportRequest, progress: Progress) -> ImportSummary:
        bundle = read_json(request.path)
        objects = _bundle_objects(bundle)
        errors = validate_objects(objects)
        if errors:
            raise ImportAborted(errors)
        summary = ImportSummary(rows=len(objects))
        for obj in objects:
            if obj.get("type") not in USED_TYPES:
                key = f"skipped {obj.get('type')}"
                summary.details[key] = summary.details.get(key, 0) + 1
        identities = {obj.get("id"): obj for obj in objects if obj.get("type") == "identity"}
        for obj in objects:
            producer = identities.get(obj.get("created_by_ref"))
            if producer is not None:
                key = f"produced by {_text(producer.get('name'))}"
                summary.details[key] = summary.details.get(key, 0) + 1
        reader = _Reader(objects, request)
        candidates = reader.candidates()
        progress(0.1)
        candidates_store(
            request=request,
            candidates=candidates,
            errors=reader.errors,
            summary=summary,
            progress=lambda fraction: progress(0.1 + 0.9 * fraction),
            entities=stix_entities(bundle),
        )
        return summary
