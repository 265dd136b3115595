"""Ranks, averages and reference years over indicator values. Pure: no database.

Values come as {country: {year: value}} (one indicator's headline series)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from statistics import fmean, median

Series = Mapping[str, Mapping[int, float]]


def values_in(series: Series, year: int, countries: Iterable[str] | None = None) -> dict[str, float]:
    wanted = None if countries is None else set(countries)
    return {
        c: by_year[year]
        for c, by_year in series.items()
        if year in by_year and (wanted is None or c in wanted)
    }


def rank(values: Mapping[str, float], country: str, *, highest_first: bool = True) -> tuple[int, int] | None:
    """(rank, out of) of `country` among `values`; ties share the better rank."""
    if country not in values:
        return None
    mine = values[country]
    better = sum(1 for v in values.values() if (v > mine if highest_first else v < mine))
    return better + 1, len(values)


def average(values: Iterable[float]) -> float | None:
    items = list(values)
    return fmean(items) if items else None


def middle(values: Iterable[float]) -> float | None:
    items = list(values)
    return median(items) if items else None


def reference_year(series: Series, *, minimum_share: float = 0.5) -> int | None:
    """The latest year for which at least `minimum_share` of the best-covered year's countries
    report: a fair year to rank states in (the very last year often has few reports)."""
    counts: dict[int, int] = {}
    for by_year in series.values():
        for year in by_year:
            counts[year] = counts.get(year, 0) + 1
    if not counts:
        return None
    needed = max(counts.values()) * minimum_share
    return max(year for year, count in counts.items() if count >= needed)


def group_average_by_year(series: Series, countries: Iterable[str]) -> dict[int, float]:
    """For each year, the average of the given countries that report that year."""
    group = set(countries)
    sums: dict[int, list[float]] = {}
    for country, by_year in series.items():
        if country not in group:
            continue
        for year, value in by_year.items():
            sums.setdefault(year, []).append(value)
    return {year: fmean(values) for year, values in sorted(sums.items())}
