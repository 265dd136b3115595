"""Downloads of threat reports and criminal networks as STIX 2.1 bundles: what the user may export
(the list's filters applied), audited, never more."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from ceiba.common.access import Action

from . import selectors
from .filtersets import CriminalNetworkFilterSet, ThreatReportFilterSet
from .interchange.stix_export import stix_export
from .views import members_only

STIX_CONTENT_TYPE = "application/stix+json;version=2.1"


def bundle_response(bundle: dict[str, object], name: str) -> HttpResponse:
    response = HttpResponse(json.dumps(bundle, ensure_ascii=False, indent=1), content_type=STIX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _name(what: str) -> str:
    return f"ceiba-{what}-{timezone.now():%Y%m%d-%H%M}.stix.json"


@members_only
def report_export_stix(request: HttpRequest) -> HttpResponse:
    base = selectors.visible_threat_reports(request.user, Action.EXPORT)
    filterset = ThreatReportFilterSet(request.GET or None, queryset=base)
    reports = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    networks = selectors.visible_networks(request.user, Action.EXPORT).none()
    name = _name("threat-reports")
    return bundle_response(
        stix_export(actor=request.user, reports=reports, networks=networks, name=name), name
    )


@members_only
def network_export_stix(request: HttpRequest) -> HttpResponse:
    base = selectors.visible_networks(request.user, Action.EXPORT)
    filterset = CriminalNetworkFilterSet(request.GET or None, queryset=base)
    networks = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    reports = selectors.visible_threat_reports(request.user, Action.EXPORT).none()
    name = _name("criminal-networks")
    return bundle_response(
        stix_export(actor=request.user, reports=reports, networks=networks, name=name), name
    )
