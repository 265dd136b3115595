"""Reads of statistics and import runs, through the access policy: rows of datasets a user may not
see are absent from lists, totals and exports alike."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, QuerySet, Sum

from ceiba.common.access import Action, restrict
from ceiba.sharing.choices import TLP_ORDER

from .models import ImportRun, StatisticKind, StatisticRow, StatisticsDataset, StatisticTotal, StatisticUnit


def visible_datasets(user: Any, action: Action = Action.VIEW) -> QuerySet[StatisticsDataset]:
    queryset = StatisticsDataset.objects.select_related(
        "originator", "originator_state", "contribution", "contribution__cycle"
    )
    return restrict(queryset, user, action)


def visible_rows(user: Any, action: Action = Action.VIEW) -> QuerySet[StatisticRow]:
    queryset = StatisticRow.objects.select_related(
        "state", "crime_area", "dataset", "dataset__originator_state"
    )
    return restrict(queryset, user, action)


def totals_by_unit(rows: QuerySet[StatisticRow]) -> list[dict[str, Any]]:
    """Sum and count of the (already restricted and filtered) rows per kind and unit (with the
    kind's and unit's labels in the active language)."""
    kinds, units = dict(StatisticKind.choices), dict(StatisticUnit.choices)
    totals: list[dict[str, Any]] = list(
        rows.order_by()  # type: ignore[arg-type]
        .values("kind", "unit")
        .annotate(total=Sum("quantity"), count=Count("pk"))
        .order_by("kind", "unit")
    )
    for total in totals:
        total["kind_label"] = kinds.get(total["kind"], total["kind"])
        total["unit_label"] = units.get(total["unit"], total["unit"])
    return totals


#: Row filters the per-dataset totals can answer, and the field of `StatisticTotal` each maps to.
TOTALS_FILTERS = {
    "kind": "kind",
    "state": "state__iso3__iexact",
    "crime_area": "crime_area__code",
    "dataset": "dataset_id",
    "tlp": "dataset__tlp",
}


def totals_from_table(user: Any, filters: dict[str, Any] | None) -> tuple[list[dict[str, Any]], int] | None:
    """The totals per kind and unit and the number of rows, read from the per-dataset totals the
    importers keep (a few rows, whatever the number of statistics) — or None when a filter (period,
    commodity) needs the rows themselves. `filters` are a FilterSet's cleaned data (None: no filter)."""
    conditions: dict[str, Any] = {}
    for name, value in (filters or {}).items():
        if value in (None, ""):
            continue
        if name not in TOTALS_FILTERS:
            return None
        conditions[TOTALS_FILTERS[name]] = value
    kinds, units = dict(StatisticKind.choices), dict(StatisticUnit.choices)
    totals: list[dict[str, Any]] = list(
        restrict(StatisticTotal, user, Action.VIEW)  # type: ignore[arg-type]
        .filter(**conditions)
        .values("kind", "unit")
        .annotate(total=Sum("total"), count=Sum("rows"))
        .order_by("kind", "unit")
    )
    for total in totals:
        total["kind_label"] = kinds.get(total["kind"], total["kind"])
        total["unit_label"] = units.get(total["unit"], total["unit"])
    return totals, sum(int(t["count"]) for t in totals)


class CountedPaginator(Paginator):
    """A paginator told its count (from the per-dataset totals) instead of counting a million rows."""

    def __init__(self, object_list: Any, per_page: int, *, count: int, **kwargs: Any) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self._known_count = count

    @property
    def count(self) -> int:
        return self._known_count


def dataset_totals(user: Any, dataset_id: int) -> list[dict[str, Any]]:
    found = totals_from_table(user, {"dataset": dataset_id})
    return found[0] if found is not None else []


def most_restrictive_tlp(rows: QuerySet[StatisticRow]) -> str:
    """The highest TLP among the datasets of these rows (CLEAR when there are none)."""
    present = set(rows.order_by().values_list("dataset__tlp", flat=True).distinct())
    ranked = [tlp for tlp in TLP_ORDER if tlp in present]
    return ranked[-1] if ranked else TLP_ORDER[0]


def visible_runs(user: Any) -> QuerySet[ImportRun]:
    return restrict(ImportRun.objects.select_related("contribution", "contribution__state", "user"), user)
