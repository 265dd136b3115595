"""STIX 2.1 exports through the API: the threat reports or criminal networks the caller may export
(the list filters apply), as one bundle, audited."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiTypes, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ceiba.common.access import Action
from ceiba.documentation import selectors
from ceiba.documentation.filtersets import CriminalNetworkFilterSet, ThreatReportFilterSet
from ceiba.documentation.interchange.stix_export import stix_export


class ThreatReportStixView(APIView):
    """The threat reports the caller may export, as a STIX 2.1 bundle."""

    @extend_schema(responses=OpenApiTypes.OBJECT, filters=False)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        base = selectors.visible_threat_reports(request.user, Action.EXPORT)
        filterset = ThreatReportFilterSet(request.query_params or None, queryset=base)
        reports = filterset.qs if filterset.is_bound and filterset.is_valid() else base
        networks = selectors.visible_networks(request.user, Action.EXPORT).none()
        name = f"ceiba-threat-reports-{timezone.now():%Y%m%d-%H%M}.stix.json"
        return Response(stix_export(actor=request.user, reports=reports, networks=networks, name=name))


class CriminalNetworkStixView(APIView):
    """The criminal networks the caller may export, as a STIX 2.1 bundle."""

    @extend_schema(responses=OpenApiTypes.OBJECT, filters=False)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        base = selectors.visible_networks(request.user, Action.EXPORT)
        filterset = CriminalNetworkFilterSet(request.query_params or None, queryset=base)
        networks = filterset.qs if filterset.is_bound and filterset.is_valid() else base
        reports = selectors.visible_threat_reports(request.user, Action.EXPORT).none()
        name = f"ceiba-criminal-networks-{timezone.now():%Y%m%d-%H%M}.stix.json"
        return Response(stix_export(actor=request.user, reports=reports, networks=networks, name=name))
