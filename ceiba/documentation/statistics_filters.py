"""The filters of the statistics list, its exports and its API (one FilterSet for all three)."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from ceiba.sharing.choices import TLP

from .models import StatisticKind, StatisticRow, StatisticsDataset


class StatisticRowFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=StatisticKind.choices, empty_label=_("All"))
    state = django_filters.CharFilter(
        label=_("State (ISO code)"), field_name="state__iso3", lookup_expr="iexact"
    )
    crime_area = django_filters.CharFilter(label=_("Crime area (code)"), field_name="crime_area__code")
    commodity = django_filters.CharFilter(label=_("Commodity"), lookup_expr="icontains")
    period_from = django_filters.DateFilter(
        label=_("From"),
        field_name="period_end",
        lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    period_until = django_filters.DateFilter(
        label=_("Until"),
        field_name="period_start",
        lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    dataset = django_filters.NumberFilter(label=_("Dataset"), field_name="dataset_id")
    tlp = django_filters.ChoiceFilter(
        label=_("Marking"), field_name="dataset__tlp", choices=TLP.choices, empty_label=_("All")
    )

    class Meta:
        model = StatisticRow
        fields = ["kind", "state", "crime_area", "commodity", "period_from", "period_until", "dataset", "tlp"]


class StatisticsDatasetFilterSet(django_filters.FilterSet):
    state = django_filters.CharFilter(
        label=_("Originator state (ISO code)"), field_name="originator_state__iso3", lookup_expr="iexact"
    )
    cycle = django_filters.NumberFilter(label=_("Cycle"), field_name="contribution__cycle_id")
    contribution = django_filters.NumberFilter(label=_("Contribution"), field_name="contribution_id")
    tlp = django_filters.ChoiceFilter(label=_("Marking"), choices=TLP.choices, empty_label=_("All"))

    class Meta:
        model = StatisticsDataset
        fields = ["state", "cycle", "contribution", "tlp"]
