"""Import of MISP event JSON (docs/decisions/0032-stix-and-misp.md).

A file holds one event (bare or as {"Event": …}) or several (a list, or {"response": [...]}). Each
event → a threat report (info → title, date → period, `tlp:*` tag → TLP, uuid → "misp:<uuid>");
its threat-actor galaxy clusters → criminal networks; attributes about people and money → FtM
entities (`misp_entities`), the others listed in the narrative. Events are read with PyMISP."""

from __future__ import annotations

import copy
import hashlib
from typing import Any

from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pymisp import MISPEvent

from ceiba.sharing.choices import most_restrictive

from ..models import CrimeArea, CriminalNetwork, ThreatReport
from .base import ImportAborted, Importer, ImportRequest, ImportSummary, Progress, RowError, register_importer
from .lookups import Lookups, read_json
from .markings import tlp_of_misp_tag
from .storing import Candidate, candidates_store

#: The tag naming a crime area, e.g. ceiba:crime-area="cocaine_trafficking".
CRIME_AREA_TAG = "ceiba:crime-area="
#: How many attributes the narrative lists before it only counts them.
NARRATIVE_ATTRIBUTES = 100


def events_of(document: Any) -> list[Any]:
    """The events of a MISP JSON document, unwrapped from {"Event": …}; [] if it holds none."""
    if isinstance(document, dict) and isinstance(document.get("response"), list):
        document = document["response"]
    items = document if isinstance(document, list) else [document]
    events = []
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("Event"), dict):
            events.append(item["Event"])
        else:
            events.append(item)
    return events


def _tag_names(holder: dict[str, Any]) -> list[str]:
    tags = holder.get("Tag") or []
    return [str(tag.get("name", "")) for tag in tags if isinstance(tag, dict)]


def _attributes(event: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(object name or "", attribute) for the event's own attributes and its objects' attributes."""
    rows = [("", a) for a in event.get("Attribute") or [] if isinstance(a, dict)]
    for obj in event.get("Object") or []:
        if isinstance(obj, dict):
            rows.extend(
                (str(obj.get("name", "")), a) for a in obj.get("Attribute") or [] if isinstance(a, dict)
            )
    return rows


def _entity_id(*parts: str) -> str:
    return "misp-" + hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]  # noqa: S324


#: MISP attribute type → (FtM schema, property) for attributes that stand alone.
ATTRIBUTE_ENTITIES = {
    "email": ("LegalEntity", "email"),
    "email-src": ("LegalEntity", "email"),
    "email-dst": ("LegalEntity", "email"),
    "phone-number": ("LegalEntity", "phone"),
    "iban": ("BankAccount", "iban"),
    "bank-account-nr": ("BankAccount", "accountNumber"),
    "full-name": ("Person", "name"),
}
#: Attributes of a MISP "person" object → Person properties.
PERSON_PROPERTIES = {
    "first-name": "firstName",
    "last-name": "lastName",
    "full-name": "name",
    "email": "email",
    "email-src": "email",
    "phone-number": "phone",
    "nationality": "nationality",
}
ENTITY_TYPES = frozenset({*ATTRIBUTE_ENTITIES, *PERSON_PROPERTIES})


def misp_entities(event: dict[str, Any]) -> list[dict[str, Any]]:
    """FtM entity dicts ({"id", "schema", "properties"}) for the people, contacts and bank accounts
    of one MISP event (bare, not wrapped in {"Event": …}). A "person" object becomes one Person;
    loose first-name/last-name attributes one Person; e-mail addresses and phone numbers an unnamed
    LegalEntity holding them (FtM has no e-mail-address or phone schema); IBANs and account numbers a
    BankAccount. Ids are stable (derived from the event uuid and the values). Pure."""
    event_uuid = str(event.get("uuid", ""))
    entities: dict[str, dict[str, Any]] = {}
    for obj in event.get("Object") or []:
        if not isinstance(obj, dict) or obj.get("name") != "person":
            continue
        properties: dict[str, list[str]] = {}
        for attribute in obj.get("Attribute") or []:
            if not isinstance(attribute, dict):
                continue
            name = PERSON_PROPERTIES.get(str(attribute.get("type") or attribute.get("object_relation")))
            if name and str(attribute.get("value", "")).strip():
                properties.setdefault(name, []).append(str(attribute["value"]).strip())
        if "name" not in properties and ("firstName" in properties or "lastName" in properties):
            properties["name"] = [
                " ".join([*properties.get("firstName", []), *properties.get("lastName", [])])
            ]
        if properties.get("name"):
            entity_id = _entity_id(event_uuid, "person", str(obj.get("uuid") or properties["name"][0]))
            entities[entity_id] = {"id": entity_id, "schema": "Person", "properties": properties}
    loose_names: dict[str, list[str]] = {}
    for attribute in event.get("Attribute") or []:
        if not isinstance(attribute, dict):
            continue
        kind, value = str(attribute.get("type", "")), str(attribute.get("value", "")).strip()
        if not value:
            continue
        if kind in ("first-name", "last-name"):
            loose_names.setdefault(PERSON_PROPERTIES[kind], []).append(value)
            continue
        if kind not in ATTRIBUTE_ENTITIES:
            continue
        schema, prop = ATTRIBUTE_ENTITIES[kind]
        properties = {prop: [value]}
        if schema == "LegalEntity":
            properties["name"] = [value]
        entity_id = _entity_id(event_uuid, schema, prop, value)
        entities[entity_id] = {"id": entity_id, "schema": schema, "properties": properties}
    if loose_names:
        full = " ".join([*loose_names.get("firstName", []), *loose_names.get("lastName", [])])
        entity_id = _entity_id(event_uuid, "Person", full)
        entities[entity_id] = {
            "id": entity_id,
            "schema": "Person",
            "properties": {**loose_names, "name": [full]},
        }
    return list(entities.values())


def _narrative(event: dict[str, Any]) -> str:
    lines = [_("Imported from MISP event %(uuid)s.") % {"uuid": event.get("uuid", "")}]
    listed = [
        (kind, str(attribute.get("value", "")))
        for _object, attribute in _attributes(event)
        if (kind := str(attribute.get("type", ""))) not in ENTITY_TYPES
    ]
    if listed:
        lines.append("")
        lines.append(_("Attributes:"))
        for kind, value in listed[:NARRATIVE_ATTRIBUTES]:
            shown = value.replace("`", "'")
            lines.append(f"- {kind}: `{shown}`")
        if len(listed) > NARRATIVE_ATTRIBUTES:
            lines.append(
                _("- … and %(count)s more attributes.") % {"count": len(listed) - NARRATIVE_ATTRIBUTES}
            )
    return "\n".join(lines)


class _Reader:
    def __init__(self, request: ImportRequest) -> None:
        self.request = request
        self.lookups = Lookups()
        self.errors: list[RowError] = []
        self.option_area: CrimeArea | None = None
        option = str(request.options.get("crime_area") or "").strip()
        if option:
            self.option_area = self.lookups.crime_area(option)
            if self.option_area is None:
                self.errors.append(
                    RowError(None, "crime_area", _("Unknown crime area: %(code)s.") % {"code": option})
                )

    def read(self, row: int, event: Any) -> list[Candidate]:
        if not isinstance(event, dict) or not ({"info", "uuid", "Attribute", "date"} & set(event)):
            self.errors.append(RowError(row, "", _("This is not a MISP event.")))
            return []
        errors_before = len(self.errors)
        for name in ("info", "date", "uuid"):
            if not str(event.get(name) or "").strip():
                self.errors.append(RowError(row, name, _("The event has no %(field)s.") % {"field": name}))
        try:
            when = parse_date(str(event.get("date") or "")[:10]) if event.get("date") else None
        except ValueError:
            when = None
        if event.get("date") and when is None:
            self.errors.append(
                RowError(row, "date", _("%(value)s is not a date.") % {"value": event["date"]})
            )
        levels, area = [], None
        for tag in _tag_names(event):
            try:
                level = tlp_of_misp_tag(tag)
            except KeyError:
                self.errors.append(RowError(row, "Tag", _("Unknown TLP tag: %(tag)s.") % {"tag": tag}))
                continue
            if level is not None:
                levels.append(level)
            elif tag.lower().startswith(CRIME_AREA_TAG):
                code = tag[len(CRIME_AREA_TAG) :].strip('"')
                area = self.lookups.crime_area(code)
                if area is None:
                    self.errors.append(
                        RowError(row, "Tag", _("Unknown crime area: %(code)s.") % {"code": code})
                    )
        area = area or self.option_area
        if area is None:
            self.errors.append(
                RowError(
                    row,
                    "Tag",
                    _(
                        'Event %(uuid)s names no crime area: tag it %(tag)s"code" or choose a crime area '
                        "for the import."
                    )
                    % {"uuid": event.get("uuid", ""), "tag": CRIME_AREA_TAG},
                )
            )
        if len(self.errors) > errors_before or area is None or when is None:
            return []
        try:
            parsed = MISPEvent()
            parsed.load({"Event": copy.deepcopy(event)})  # PyMISP pops what it reads
        except Exception as error:  # PyMISP raises its own errors and ValueError/KeyError
            self.errors.append(
                RowError(row, "", _("This is not a MISP event: %(reason)s") % {"reason": error})
            )
            return []
        carried = {"tlp": most_restrictive(levels).value} if levels else {}
        source_id = f"misp:{parsed.uuid}"
        candidates = [
            Candidate(
                model=ThreatReport,
                row=row,
                source_id=source_id,
                fields={
                    "crime_area": area,
                    "title": str(parsed.info)[:200],
                    "narrative": _narrative(event),
                    "period_start": when,
                    "period_end": when,
                },
                carried=carried,
            )
        ]
        candidates.extend(self.networks(row, event, source_id, area, carried))
        return candidates

    def networks(
        self, row: int, event: dict[str, Any], source_id: str, area: CrimeArea, carried: dict[str, Any]
    ) -> list[Candidate]:
        networks = []
        for galaxy in event.get("Galaxy") or []:
            if not isinstance(galaxy, dict) or galaxy.get("type") != "threat-actor":
                continue
            for cluster in galaxy.get("GalaxyCluster") or []:
                if not isinstance(cluster, dict):
                    continue
                value = str(cluster.get("value", "")).strip()
                meta: dict[str, Any] = cluster["meta"] if isinstance(cluster.get("meta"), dict) else {}
                summary = str(cluster.get("description") or "").strip()
                names = meta.get("synonyms") or []
                synonyms = [str(s) for s in ([names] if isinstance(names, str) else names) if str(s) != value]
                if synonyms:
                    known_as = _("Also known as: %(aliases)s.") % {"aliases": ", ".join(synonyms)}
                    summary = f"{summary}\n\n{known_as}".strip()
                states = {}
                countries = meta.get("country") or []
                # MISP writes meta values as lists in events and as strings in galaxy files.
                for code in [countries] if isinstance(countries, str) else countries:
                    state = self.lookups.state(str(code))
                    if state is None:
                        self.errors.append(
                            RowError(
                                row,
                                "Galaxy",
                                _("%(name)s: unknown country code %(code)s (not a state of the Americas).")
                                % {"name": value, "code": code},
                            )
                        )
                    else:
                        states[state.pk] = state
                cluster_id = str(cluster.get("uuid") or value)
                networks.append(
                    Candidate(
                        model=CriminalNetwork,
                        row=row,
                        source_id=f"{source_id}:{cluster_id}",
                        fields={"alias": value[:200], "main_crime_area": area, "summary": summary},
                        carried=dict(carried),
                        states=list(states.values()),
                    )
                )
        return networks


@register_importer
class MispImporter(Importer):
    """MISP event JSON (one event, a list of events or a search response)."""

    kind = "misp"
    label = gettext_lazy("MISP event JSON")
    extensions = (".json",)

    def run(self, request: ImportRequest, progress: Progress) -> ImportSummary:
        events = events_of(read_json(request.path))
        if not events:
            raise ImportAborted([RowError(None, "", _("The file holds no MISP event."))])
        reader = _Reader(request)
        candidates: list[Candidate] = []
        entities: list[dict[str, Any]] = []
        for row, event in enumerate(events, start=1):
            candidates.extend(reader.read(row, event))
            if isinstance(event, dict):
                entities.extend(misp_entities(event))
        summary = ImportSummary(rows=len(events))
        progress(0.1)
        candidates_store(
            request=request,
            candidates=candidates,
            errors=reader.errors,
            summary=summary,
            progress=lambda fraction: progress(0.1 + 0.9 * fraction),
            entities=entities,
        )
        return summary
