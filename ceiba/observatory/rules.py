"""Alert rule expressions and their evaluation on indicator series. Pure: no database.

Two kinds of condition, written the way the secretariat says them:

    yoy > 20%          the value rose by more than 20 % on the year before
    percentile > 90    the value is above the 90th percentile of the region's values that year
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

_YOY = re.compile(r"^\s*yoy\s*(>=|>)\s*(-?\d+(?:\.\d+)?)\s*%?\s*$", re.IGNORECASE)
_PERCENTILE = re.compile(r"^\s*percentile\s*(>=|>)\s*(-?\d+(?:\.\d+)?)\s*$", re.IGNORECASE)


class RuleError(ValueError):
    """The expression cannot be a threshold rule; the message says why and how to write one."""


@dataclass(frozen=True)
class Rule:
    kind: str  # "yoy" or "percentile"
    threshold: float
    inclusive: bool = False

    def exceeds(self, value: float, threshold: float) -> bool:
        return value >= threshold if self.inclusive else value > threshold


@dataclass(frozen=True)
class Trip:
    """A value that meets a rule: where, when, how much, compared with what."""

    country: str
    year: int
    value: float
    reference: float | None
    change: float | None = None  # relative change (0.25 = +25 %) for year-on-year rules


def parse_rule(expression: str) -> Rule:
    text = (expression or "").strip()
    if not text:
        raise RuleError(_("Write a condition, e.g. “yoy > 20%” or “percentile > 90”."))
    match = _YOY.match(text)
    if match:
        threshold = float(match.group(2))
        if threshold <= -100:
            raise RuleError(
                _("A value cannot fall by %(n)s %% or more: a year-on-year threshold must be above -100 %%.")
                % {"n": f"{-threshold:g}"}
            )
        if threshold > 100000:
            raise RuleError(_("A rise of more than 100,000 %% cannot be a useful threshold.") % {})
        return Rule("yoy", threshold, match.group(1) == ">=")
    match = _PERCENTILE.match(text)
    if match:
        threshold = float(match.group(2))
        if not 0 <= threshold < 100:
            raise RuleError(
                _("A percentile is between 0 and 100, and nothing lies above the 100th: %(n)s is impossible.")
                % {"n": f"{threshold:g}"}
            )
        return Rule("percentile", threshold, match.group(1) == ">=")
    raise RuleError(
        _("“%(text)s” is not a condition Ceiba understands. Write “yoy > 20%%” or “percentile > 90”.")
        % {"text": text[:60]}
    )


def percentile(values: Iterable[float], q: float) -> float:
    """The q-th percentile (0–100) by linear interpolation between closest ranks."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    if len(ordered) == 1:
        return ordered[0]
    position = (len(ordered) - 1) * q / 100
    lower = math.floor(position)
    upper = math.ceil(position)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


def evaluate(
    rule: Rule,
    series: Mapping[str, Mapping[int, float]],
    *,
    years: Iterable[int] | None = None,
    countries: Iterable[str] | None = None,
) -> list[Trip]:
    """The values of `series` ({country: {year: value}}) that meet `rule`, limited to `years` and
    `countries` when given (the cells a release just changed)."""
    wanted_years = set(years) if years is not None else None
    wanted_countries = set(countries) if countries is not None else None
    trips: list[Trip] = []
    if rule.kind == "yoy":
        for country, by_year in series.items():
            if wanted_countries is not None and country not in wanted_countries:
                continue
            for year, value in by_year.items():
                if wanted_years is not None and year not in wanted_years:
                    continue
                previous = by_year.get(year - 1)
                if previous is None or previous <= 0 or value is None:
                    continue
                change = (value - previous) / previous
                if rule.exceeds(change * 100, rule.threshold):
                    trips.append(Trip(country, year, value, previous, change))
        return trips
    by_country_in_year: dict[int, dict[str, float]] = {}
    for country, values in series.items():
        for year, value in values.items():
            if value is not None:
                by_country_in_year.setdefault(year, {})[country] = value
    for year, in_year in by_country_in_year.items():
        if wanted_years is not None and year not in wanted_years:
            continue
        if len(in_year) < 3:
            continue  # a percentile of one or two states says nothing about the region
        cut = percentile(in_year.values(), rule.threshold)
        for country, value in in_year.items():
            if wanted_countries is not None and country not in wanted_countries:
                continue
            if rule.exceeds(value, cut) and value != cut:
                trips.append(Trip(country, year, value, cut))
    return trips
