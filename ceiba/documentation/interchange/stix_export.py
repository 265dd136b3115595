"""Export of threat reports and criminal networks as a STIX 2.1 bundle, carrying their markings.

Each record carries its TLP as the official TLP 2.0 marking-definition, its handling code as the
`x_ceiba_handling` property (H3 conditions in `x_ceiba_handling_conditions`), its grading as
`x_ceiba_grading` ("B2") and `x_ceiba_grading_scheme`, its crime area as `x_ceiba_crime_area`; its
originator is an identity (created_by_ref); states are locations (a report's in object_refs, a
network's linked by located-at relationships carrying the network's marking); routes are listed in
`x_ceiba_routes` (ISO alpha-2 codes). Ids are stable: a record imported from STIX keeps its id,
others get a UUIDv5 of their primary key. The importer reads all of this back."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from django.db.models import Prefetch, QuerySet

from ceiba.common import audit
from ceiba.common.models import AuditAction
from ceiba.core.models import Organisation, State
from ceiba.sharing.models import SharedRecord

from ..models import CriminalNetwork, ThreatReport, ThreatRoute
from .markings import MARKING_ID_FOR, tlp2_marking_definition

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://ceiba.invalid/stix")


def _id(kind: str, key: str) -> str:
    return f"{kind}--{uuid.uuid5(NAMESPACE, key)}"


def _timestamp(value: datetime | date) -> str:
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    return f"{value.isoformat()}T00:00:00.000Z"


def record_stix_id(record: ThreatReport | CriminalNetwork) -> str:
    kind = "report" if isinstance(record, ThreatReport) else "threat-actor"
    source = record.source_id
    if source.startswith(f"{kind}--") or (kind == "threat-actor" and source.startswith("intrusion-set--")):
        return source
    return _id(kind, f"{record._meta.label_lower}:{record.pk}")


def organisation_identity(organisation: Organisation) -> dict[str, Any]:
    return {
        "type": "identity",
        "spec_version": "2.1",
        "id": _id("identity", f"organisation:{organisation.pk}"),
        "created": _timestamp(organisation.created_at),
        "modified": _timestamp(organisation.created_at),
        "name": str(organisation),
        "identity_class": "organization",
    }


def state_location(state: State) -> dict[str, Any]:
    return {
        "type": "location",
        "spec_version": "2.1",
        "id": _id("location", f"state:{state.iso2}"),
        "created": "2020-01-01T00:00:00.000Z",
        "modified": "2020-01-01T00:00:00.000Z",
        "name": state.english_name,
        "country": state.iso2,
    }


def _shared(record: SharedRecord, identity_id: str) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "spec_version": "2.1",
        "created": _timestamp(record.created_at),  # type: ignore[attr-defined]
        "modified": _timestamp(max(record.updated_at, record.created_at)),  # type: ignore[attr-defined]
        "created_by_ref": identity_id,
        "object_marking_refs": [MARKING_ID_FOR[record.tlp]],
        "x_ceiba_handling": record.handling_code,
        "x_ceiba_grading": record.grading,
        "x_ceiba_grading_scheme": record.grading_scheme,
    }
    if record.handling_conditions:
        properties["x_ceiba_handling_conditions"] = record.handling_conditions
    return properties


def _route(route: ThreatRoute) -> dict[str, Any]:
    return {
        "commodity": route.commodity,
        "origin": route.origin.iso2 if route.origin else None,
        "transit": [state.iso2 for state in route.transit.all()],
        "destination": route.destination.iso2 if route.destination else None,
    }


class _Bundle:
    def __init__(self) -> None:
        self.objects: dict[str, dict[str, Any]] = {}

    def add(self, obj: dict[str, Any]) -> str:
        self.objects.setdefault(obj["id"], {k: v for k, v in obj.items() if v is not None})
        return str(obj["id"])

    def identity(self, organisation: Organisation) -> str:
        return self.add(organisation_identity(organisation))

    def location(self, state: State) -> str:
        return self.add(state_location(state))

    def marking(self, tlp: str) -> None:
        self.add(tlp2_marking_definition(tlp))


def stix_bundle(reports: Iterable[ThreatReport], networks: Iterable[CriminalNetwork]) -> dict[str, Any]:
    """A STIX 2.1 bundle (as a dict ready for JSON) of the given records. The caller decides which
    records (only those the user may export): nothing else is read."""
    bundle = _Bundle()
    for report in reports:
        identity = bundle.identity(report.originator)
        bundle.marking(report.tlp)
        concerned = list(report.affected_states.all())
        states = {state.pk: state for state in concerned}
        routes = list(report.routes.all())
        for route in routes:
            for state in (route.origin, route.destination, *route.transit.all()):
                if state is not None:
                    states[state.pk] = state
        refs = [bundle.location(state) for state in states.values()] or [identity]
        obj = {
            "type": "report",
            "id": record_stix_id(report),
            **_shared(report, identity),
            "name": report.title,
            "description": report.narrative or None,
            "published": _timestamp(report.period_end),
            "report_types": ["threat-report"],
            "object_refs": refs,
            "x_ceiba_crime_area": report.crime_area.code,
            "x_ceiba_period_start": report.period_start.isoformat(),
            "x_ceiba_period_end": report.period_end.isoformat(),
            "x_ceiba_trend": report.trend,
            "x_ceiba_states_concerned": [state.iso2 for state in concerned],
            "x_ceiba_routes": [_route(route) for route in routes] or None,
        }
        bundle.add(obj)
    for network in networks:
        identity = bundle.identity(network.originator)
        bundle.marking(network.tlp)
        network_id = record_stix_id(network)
        bundle.add(
            {
                "type": "threat-actor",
                "id": network_id,
                **_shared(network, identity),
                "name": network.alias,
                "description": network.summary or None,
                "threat_actor_types": ["crime-syndicate"],
                "x_ceiba_crime_area": network.main_crime_area.code,
                "x_ceiba_secondary_crime_areas": [a.code for a in network.secondary_crime_areas.all()]
                or None,
                "x_ceiba_size_band": network.size_band,
                "x_ceiba_structure": network.structure,
            }
        )
        for state in network.countries.all():
            location = bundle.location(state)
            bundle.add(
                {
                    "type": "relationship",
                    "id": _id("relationship", f"{network_id}:located-at:{location}"),
                    **_shared(network, identity),
                    "relationship_type": "located-at",
                    "source_ref": network_id,
                    "target_ref": location,
                }
            )
    return {
        "type": "bundle",
        "id": f"bundle--{uuid.uuid4()}",
        "objects": list(bundle.objects.values()),
    }


def export_querysets(
    reports: QuerySet[ThreatReport], networks: QuerySet[CriminalNetwork]
) -> tuple[QuerySet[ThreatReport], QuerySet[CriminalNetwork]]:
    """The querysets with what the export reads prefetched (queries constant in the record count)."""
    routes = ThreatRoute.objects.select_related("origin", "destination").prefetch_related("transit")
    return (
        reports.select_related("originator", "crime_area").prefetch_related(
            "affected_states", Prefetch("routes", queryset=routes)
        ),
        networks.select_related("originator", "main_crime_area").prefetch_related(
            "countries", "secondary_crime_areas"
        ),
    )


def stix_export(
    *, actor: Any, reports: QuerySet[ThreatReport], networks: QuerySet[CriminalNetwork], name: str
) -> dict[str, Any]:
    """The bundle of the given (already restricted) records, with the export in the audit trail
    (which records, by their ids)."""
    reports, networks = export_querysets(reports, networks)
    report_list, network_list = list(reports), list(networks)
    bundle = stix_bundle(report_list, network_list)
    audit.record(
        AuditAction.EXPORT,
        object_type="documentation.stix",
        object_repr=name,
        actor=actor,
        changes={
            "format": "stix-2.1",
            "threat_reports": [r.pk for r in report_list],
            "networks": [n.pk for n in network_list],
        },
    )
    return bundle
