"""Filters of the observatory's API (and any list page that needs them)."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ceiba.core.choices import Subregion

from .choices import AlertStatus, SourceFormat, Theme
from .models import Alert, Indicator, Observation, Release


class IndicatorFilterSet(django_filters.FilterSet):
    theme = django_filters.ChoiceFilter(label=_("Theme"), choices=Theme.choices)

    class Meta:
        model = Indicator
        fields = ["theme"]


class ObservationFilterSet(django_filters.FilterSet):
    indicator = django_filters.CharFilter(label=_("Indicator (code)"), field_name="indicator__slug")
    state = django_filters.CharFilter(
        label=_("State (ISO code)"), field_name="state__iso3", lookup_expr="iexact"
    )
    subregion = django_filters.ChoiceFilter(
        label=_("Subregion"), field_name="state__subregion", choices=Subregion.choices
    )
    year_min = django_filters.NumberFilter(label=_("From year"), field_name="year", lookup_expr="gte")
    year_max = django_filters.NumberFilter(label=_("To year"), field_name="year", lookup_expr="lte")
    headline = django_filters.BooleanFilter(label=_("Headline values only"), method="filter_headline")

    class Meta:
        model = Observation
        fields = ["indicator", "state", "subregion", "year_min", "year_max", "headline"]

    def filter_headline(
        self, queryset: QuerySet[Observation], name: str, value: bool | None
    ) -> QuerySet[Observation]:
        if value is None:
            return queryset
        headline = {"dimension": "", "category": "", "sex": "", "age": ""}
        return queryset.filter(**headline) if value else queryset.exclude(**headline)


class ReleaseFilterSet(django_filters.FilterSet):
    source_format = django_filters.ChoiceFilter(label=_("File format"), choices=SourceFormat.choices)
    indicator = django_filters.CharFilter(label=_("Indicator (code)"), field_name="indicators__slug")

    class Meta:
        model = Release
        fields = ["source_format", "indicator", "status"]


class AlertFilterSet(django_filters.FilterSet):
    state = django_filters.CharFilter(
        label=_("State (ISO code)"), field_name="state__iso3", lookup_expr="iexact"
    )
    indicator = django_filters.CharFilter(label=_("Indicator (code)"), field_name="indicator__slug")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=AlertStatus.choices)

    class Meta:
        model = Alert
        fields = ["state", "indicator", "status"]
