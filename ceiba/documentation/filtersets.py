"""Filters shared by the threat documentation pages and the API (one FilterSet for both)."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from ceiba.sharing.choices import TLP, Scope

from .choices import ContributionStatus, CycleStatus, NetworkSize, NetworkStructure, Trend
from .models import AssessmentCycle, Contribution, CrimeArea, CriminalNetwork, ThreatReport


class CrimeAreaFilterSet(django_filters.FilterSet):
    goci_market = django_filters.CharFilter(label=_("GOCI market"))

    class Meta:
        model = CrimeArea
        fields = ["goci_market"]


class CycleFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=CycleStatus.choices, empty_label=_("All"))

    class Meta:
        model = AssessmentCycle
        fields = ["status"]


class ContributionFilterSet(django_filters.FilterSet):
    cycle = django_filters.NumberFilter(label=_("Cycle"), field_name="cycle_id")
    state = django_filters.CharFilter(
        label=_("State (ISO code)"), field_name="state__iso3", lookup_expr="iexact"
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ContributionStatus.choices, empty_label=_("All")
    )

    class Meta:
        model = Contribution
        fields = ["cycle", "state", "status"]


class ThreatReportFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    crime_area = django_filters.CharFilter(label=_("Crime area (code)"), field_name="crime_area__code")
    state = django_filters.CharFilter(
        label=_("Originator state (ISO code)"), field_name="originator_state__iso3", lookup_expr="iexact"
    )
    cycle = django_filters.NumberFilter(label=_("Cycle"), field_name="contribution__cycle_id")
    tlp = django_filters.ChoiceFilter(label=_("Marking"), choices=TLP.choices, empty_label=_("All"))
    scope = django_filters.ChoiceFilter(label=_("Dissemination"), choices=Scope.choices, empty_label=_("All"))
    trend = django_filters.ChoiceFilter(label=_("Trend"), choices=Trend.choices, empty_label=_("All"))

    class Meta:
        model = ThreatReport
        fields = ["q", "crime_area", "state", "cycle", "tlp", "scope", "trend"]

    def filter_q(self, queryset: QuerySet[ThreatReport], name: str, value: str) -> QuerySet[ThreatReport]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value) | Q(narrative__icontains=value) | Q(modus_operandi__icontains=value)
        )


class CriminalNetworkFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    crime_area = django_filters.CharFilter(
        label=_("Crime area (code, main or secondary)"), method="filter_crime_area"
    )
    state = django_filters.CharFilter(label=_("Country of activity (ISO code)"), method="filter_state")
    originator_state = django_filters.CharFilter(
        label=_("Originator state (ISO code)"), field_name="originator_state__iso3", lookup_expr="iexact"
    )
    cycle = django_filters.NumberFilter(label=_("Cycle"), field_name="contribution__cycle_id")
    size_band = django_filters.ChoiceFilter(
        label=_("Size"), choices=NetworkSize.choices, empty_label=_("All")
    )
    structure = django_filters.ChoiceFilter(
        label=_("Structure"), choices=NetworkStructure.choices, empty_label=_("All")
    )
    tlp = django_filters.ChoiceFilter(label=_("Marking"), choices=TLP.choices, empty_label=_("All"))

    class Meta:
        model = CriminalNetwork
        fields = ["q", "crime_area", "state", "originator_state", "cycle", "size_band", "structure", "tlp"]

    def filter_q(
        self, queryset: QuerySet[CriminalNetwork], name: str, value: str
    ) -> QuerySet[CriminalNetwork]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(alias__icontains=value) | Q(summary__icontains=value))

    def filter_crime_area(
        self, queryset: QuerySet[CriminalNetwork], name: str, value: str
    ) -> QuerySet[CriminalNetwork]:
        value = value.strip()
        if not value:
            return queryset
        secondary = CriminalNetwork.secondary_crime_areas.through.objects.filter(
            crimearea__code=value
        ).values("criminalnetwork_id")
        return queryset.filter(Q(main_crime_area__code=value) | Q(pk__in=secondary))

    def filter_state(
        self, queryset: QuerySet[CriminalNetwork], name: str, value: str
    ) -> QuerySet[CriminalNetwork]:
        value = value.strip()
        if not value:
            return queryset
        active = CriminalNetwork.countries.through.objects.filter(state__iso3__iexact=value).values(
            "criminalnetwork_id"
        )
        return queryset.filter(pk__in=active)
