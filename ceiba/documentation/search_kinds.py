"""Threat reports and criminal networks as searchable kinds (registered at start-up). The words of
a record are its own texts plus, as keywords, the names of its crime areas and states in the four
languages, so a search for "cocaína" finds a report filed under "Cocaine trafficking" and "Brésil"
one concerning Brazil. Attachments are not indexed."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from ceiba.core.models import State

from .models import CrimeArea, CriminalNetwork, EntityRecord, ThreatReport
from .rendering import markdown_to_text
from .search import DocumentData, search_register


def _names_in_every_language(thing: CrimeArea | State | None) -> list[str]:
    """The name of a crime area or state in each of the platform's languages (without repeats)."""
    if thing is None:
        return []
    names: list[str] = []
    for code, _label in settings.LANGUAGES:
        with translation.override(code):
            name = str(thing.name)
        if name not in names:
            names.append(name)
    return names


def _join(*parts: Any) -> str:
    return "\n".join(str(part).strip() for part in parts if part and str(part).strip())


def threat_report_document(report: ThreatReport) -> DocumentData:
    states = list(report.affected_states.all())
    routes = list(report.routes.all())
    return DocumentData(
        title=report.title,
        text=_join(
            markdown_to_text(report.narrative),
            report.modus_operandi,
            report.scale_notes,
            report.border_areas,
            *(route.commodity for route in routes),
        ),
        keywords=_join(
            *(name for state in states for name in _names_in_every_language(state)),
            *_names_in_every_language(report.crime_area),
        ),
        crime_area_id=report.crime_area_id,
        originator_state_id=report.originator_state_id,
        state_ids=[state.pk for state in states],
        period_start=report.period_start,
        period_end=report.period_end,
        tlp=report.tlp,
    )


def network_document(network: CriminalNetwork) -> DocumentData:
    countries = list(network.countries.all())
    secondary = list(network.secondary_crime_areas.all())
    return DocumentData(
        title=network.alias,
        text=_join(network.summary, *(row.rationale for row in network.indicator_scores.all())),
        keywords=_join(
            *(name for state in countries for name in _names_in_every_language(state)),
            *_names_in_every_language(network.main_crime_area),
            *(name for area in secondary for name in _names_in_every_language(area)),
        ),
        crime_area_id=network.main_crime_area_id,
        originator_state_id=network.originator_state_id,
        state_ids=[state.pk for state in countries],
        tlp=network.tlp,
    )


def entity_record_document(record: EntityRecord) -> DocumentData:
    network = record.network
    return DocumentData(
        title=record.caption or record.entity.ftm_id,
        text=_join(
            *(statement.value for statement in record.statements.all()),
            network.alias if network is not None else "",
            *_names_in_every_language(network.main_crime_area if network is not None else None),
        ),
        crime_area_id=network.main_crime_area_id if network is not None else None,
        originator_state_id=record.originator_state_id,
        tlp=record.tlp,
    )


def _entity_records() -> QuerySet[EntityRecord]:
    return EntityRecord.objects.select_related("entity", "network__main_crime_area").prefetch_related(
        "statements"
    )


def _reports() -> QuerySet[ThreatReport]:
    return ThreatReport.objects.select_related("crime_area").prefetch_related("affected_states", "routes")


def _networks() -> QuerySet[CriminalNetwork]:
    return CriminalNetwork.objects.select_related("main_crime_area").prefetch_related(
        "countries", "secondary_crime_areas", "indicator_scores"
    )


def register_documentation_kinds() -> None:
    search_register(
        "report",
        ThreatReport,
        threat_report_document,
        label=_("Threat report"),
        url_name="documentation:report_detail",
        queryset=_reports,
    )
    search_register(
        "network",
        CriminalNetwork,
        network_document,
        label=_("Criminal network"),
        url_name="documentation:network_detail",
        queryset=_networks,
    )
    search_register(
        "entity",
        EntityRecord,
        entity_record_document,
        label=_("Entity"),
        url_name="documentation:entity_record_detail",
        queryset=_entity_records,
    )
