"""Reads of the observatory. Public pages read one in-memory "frame" of every published headline
value, rebuilt when the data change (the cache stamp token changes on every import and edit), so
a page needs no query beyond the token once the frame is warm."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from ceiba.common.access import Action, restrict
from ceiba.core.choices import Subregion
from ceiba.core.models import State

from . import stats
from .choices import AlertStatus
from .models import (
    Alert,
    ArmsRegisterReport,
    CacheStamp,
    ConfidenceMeasure,
    Indicator,
    Observation,
    Release,
    WhitePaper,
)

HEADLINE = {"dimension": "", "category": "", "sex": "", "age": ""}


def cache_token() -> str:
    """Changes whenever published data change (see services.cache_bump)."""
    token = CacheStamp.objects.filter(key="data").values_list("token", flat=True).first()
    return token.hex if token else "0"


@dataclass
class Frame:
    """Every published headline value, by indicator, country and year, with what pages show beside it."""

    token: str
    indicators: list[Indicator]
    states: list[State]
    series: dict[int, dict[str, dict[int, float]]] = field(default_factory=dict)
    texts: dict[tuple[int, str, int], str] = field(default_factory=dict)  # censored values as published
    releases: dict[tuple[int, str, int], int] = field(default_factory=dict)
    release_labels: dict[int, str] = field(default_factory=dict)
    last_import: dict[int, Any] = field(default_factory=dict)
    latest_release: dict[int, str] = field(default_factory=dict)  # label of the latest release, by indicator

    def __post_init__(self) -> None:
        self.by_slug = {i.slug: i for i in self.indicators}
        self.by_iso3 = {s.iso3: s for s in self.states}
        self._labels: dict[tuple[str, str], tuple[str, str]] = {}

    def labels(self, iso3: str) -> tuple[str, str]:
        """A state's name and subregion in the active language (CLDR look-ups are slow: memoised)."""
        language = translation.get_language() or ""
        key = (language, iso3)
        cached = self._labels.get(key)
        if cached is None:
            state = self.by_iso3[iso3]
            cached = self._labels[key] = (state.name, str(state.get_subregion_display()))
        return cached

    @property
    def last_year(self) -> int | None:
        """The latest year of any published value."""
        if not hasattr(self, "_last_year"):
            years = [
                max(by_year) for series in self.series.values() for by_year in series.values() if by_year
            ]
            self._last_year = max(years) if years else None
        return self._last_year

    def indicator(self, slug: str) -> Indicator | None:
        return self.by_slug.get(slug)

    def state(self, iso3: str) -> State | None:
        return self.by_iso3.get(iso3.upper())

    def of(self, indicator: Indicator) -> dict[str, dict[int, float]]:
        return self.series.get(indicator.pk, {})

    def subregion_members(self, subregion: str) -> list[str]:
        return [s.iso3 for s in self.states if s.subregion == subregion]

    def coverage(self, indicator: Indicator) -> tuple[int | None, int | None, int]:
        series = self.of(indicator)
        years = [y for by_year in series.values() for y in by_year]
        return (min(years) if years else None, max(years) if years else None, len(series))

    def text(self, indicator: Indicator, iso3: str, year: int, value: float | None) -> str:
        published = self.texts.get((indicator.pk, iso3, year))
        if published:
            return published
        if value is None:
            return ""
        return f"{value:,.{indicator.decimals}f}"


_memo: dict[str, Frame] = {}
_lock = threading.Lock()


def frame() -> Frame:
    token = cache_token()
    current = _memo.get("frame")
    if current is not None and current.token == token:
        return current
    with _lock:
        built = _build_frame(token)
        _memo["frame"] = built
        return built


def _build_frame(token: str) -> Frame:
    indicators = list(Indicator.objects.filter(is_published=True).order_by("position", "slug"))
    states = list(State.objects.order_by("english_name"))
    result = Frame(token=token, indicators=indicators, states=states)
    iso_of = {s.pk: s.iso3 for s in states}
    published = {i.pk for i in indicators}
    rows = Observation.objects.filter(
        **HEADLINE, value__isnull=False, indicator_id__in=published
    ).values_list("indicator_id", "state_id", "year", "value", "value_text", "release_id")
    for indicator_id, state_id, year, value, text, release_id in rows.iterator(chunk_size=5000):
        if value is None:
            continue
        iso3 = iso_of[state_id]
        result.series.setdefault(indicator_id, {}).setdefault(iso3, {})[year] = value
        result.releases[(indicator_id, iso3, year)] = release_id
        if text:
            result.texts[(indicator_id, iso3, year)] = text
    result.release_labels = {
        r.pk: r.label for r in Release.objects.filter(pk__in=set(result.releases.values()))
    }
    result.last_import = dict(
        Release.indicators.through.objects.filter(indicator_id__in=published)
        .values("indicator_id")
        .annotate(last=Max("release__imported_at"))  # type: ignore[misc]
        .values_list("indicator_id", "last")
    )
    latest: dict[int, int] = {}
    for indicator_id, release_id in (
        Release.indicators.through.objects.filter(indicator_id__in=published)
        .order_by("release__imported_at", "release_id")
        .values_list("indicator_id", "release_id")
    ):
        latest[indicator_id] = release_id
    labels = {r.pk: r.label for r in Release.objects.filter(pk__in=set(latest.values()))}
    result.latest_release = {indicator_id: labels[release_id] for indicator_id, release_id in latest.items()}
    return result


# --- pages ------------------------------------------------------------------------------------------


def number(indicator: Indicator, value: float | None) -> str:
    """A computed value (an average, a median) shown with the indicator's decimals."""
    return "" if value is None else f"{value:,.{indicator.decimals}f}"


def indicator_ranking(data: Frame, indicator: Indicator) -> dict[str, Any]:
    """The states ranked in the reference year, and each state's latest value."""
    series = data.of(indicator)
    year = stats.reference_year(series)
    rows: list[dict[str, Any]] = []
    if year is not None:
        values = stats.values_in(series, year)
        for iso3, value in values.items():
            position = stats.rank(values, iso3, highest_first=True)
            rows.append(
                {
                    "state": data.by_iso3[iso3],
                    "value": value,
                    "text": data.text(indicator, iso3, year, value),
                    "rank": position[0] if position else None,
                }
            )
        rows.sort(key=lambda r: (-r["value"], r["state"].english_name))
    latest = []
    for state in data.states:
        by_year = series.get(state.iso3)
        if by_year:
            last = max(by_year)
            latest.append(
                {
                    "state": state,
                    "year": last,
                    "value": by_year[last],
                    "text": data.text(indicator, state.iso3, last, by_year[last]),
                }
            )
    return {"year": year, "rows": rows, "latest": latest, "out_of": len(rows)}


def state_profile(data: Frame, state: State) -> list[dict[str, Any]]:
    """For each indicator with values for the state: its latest value, rank in the region that
    year, its subregion's average that year, and the series over time beside the subregion's."""
    members = data.subregion_members(state.subregion)
    profile = []
    for indicator in data.indicators:
        series = data.of(indicator)
        own = series.get(state.iso3)
        if not own:
            continue
        year = max(own)
        values = stats.values_in(series, year)
        sub_values = stats.values_in(series, year, members)
        averages = stats.group_average_by_year(series, members)
        sub_average = stats.average(sub_values.values())
        region_median = stats.middle(values.values())
        profile.append(
            {
                "indicator": indicator,
                "year": year,
                "value": own[year],
                "text": data.text(indicator, state.iso3, year, own[year]),
                "rank": stats.rank(values, state.iso3, highest_first=True),
                "subregion_average": sub_average,
                "subregion_text": number(indicator, sub_average),
                "subregion_count": len(sub_values),
                "region_median": region_median,
                "median_text": number(indicator, region_median),
                "rows": [
                    {
                        "year": y,
                        "value": own[y],
                        "text": data.text(indicator, state.iso3, y, own[y]),
                        "average": averages.get(y),
                        "average_text": number(indicator, averages.get(y)),
                    }
                    for y in sorted(own)
                ],
            }
        )
    return profile


def series_rows(
    data: Frame,
    indicator: Indicator,
    *,
    states: Sequence[str] = (),
    subregions: Sequence[str] = (),
    year_from: int | None = None,
    year_to: int | None = None,
    year: int | None = None,
) -> list[dict[str, Any]]:
    """Rows of one indicator's headline values for charts and downloads: the chosen states (all if
    none), and one average row per year for each chosen subregion."""
    series = data.of(indicator)
    chosen = [s.upper() for s in states] or ([] if subregions else [s.iso3 for s in data.states])

    def in_range(y: int) -> bool:
        if year is not None:
            return y == year
        return (year_from is None or y >= year_from) and (year_to is None or y <= year_to)

    rows: list[dict[str, Any]] = []
    for iso3 in chosen:
        state = data.by_iso3.get(iso3)
        if state is None:
            continue
        name, subregion_label = data.labels(iso3)
        for y, value in sorted(series.get(iso3, {}).items()):
            if in_range(y):
                rows.append(
                    {
                        "indicator": indicator.slug,
                        "iso3": iso3,
                        "numeric": state.numeric,
                        "name": name,
                        "subregion": subregion_label,
                        "year": y,
                        "value": value,
                        "value_text": data.text(indicator, iso3, y, value),
                        "release": data.release_labels.get(data.releases.get((indicator.pk, iso3, y), 0), ""),
                    }
                )
    labels = dict(Subregion.choices)
    for subregion in subregions:
        if subregion not in labels:
            continue
        for y, value in stats.group_average_by_year(series, data.subregion_members(subregion)).items():
            if in_range(y):
                rows.append(
                    {
                        "indicator": indicator.slug,
                        "iso3": "",
                        "numeric": "",
                        "name": _("%(subregion)s (average)") % {"subregion": labels[subregion]},
                        "subregion": str(labels[subregion]),
                        "year": y,
                        "value": round(value, 6),
                        "value_text": f"{value:,.{indicator.decimals}f}",
                        "release": "",
                    }
                )
    return rows


def pivot(rows: Iterable[dict[str, Any]]) -> tuple[list[int], list[tuple[str, list[str]]]]:
    """Rows → (years, [(name, [text per year])]) for a table with one line per state."""
    rows = list(rows)
    years = sorted({r["year"] for r in rows})
    by_name: dict[str, dict[int, str]] = {}
    for r in rows:
        by_name.setdefault(r["name"], {})[r["year"]] = r["value_text"]
    return years, [(name, [cells.get(y, "") for y in years]) for name, cells in by_name.items()]


def breakdowns(
    indicator: Indicator, state: State | None = None, year: int | None = None
) -> QuerySet[Observation]:
    """The disaggregated values (by type, sex, drug…) of an indicator."""
    queryset = Observation.objects.filter(indicator=indicator, value__isnull=False).exclude(**HEADLINE)
    if state is not None:
        queryset = queryset.filter(state=state)
    if year is not None:
        queryset = queryset.filter(year=year)
    return queryset.select_related("state").order_by(
        "state__english_name", "-year", "dimension", "category", "sex", "age"
    )


def breakdown_years(indicator: Indicator, state: State) -> list[int]:
    return list(
        Observation.objects.filter(indicator=indicator, state=state, value__isnull=False)
        .exclude(**HEADLINE)
        .values_list("year", flat=True)
        .distinct()
        .order_by("-year")
    )


def indicator_releases(indicator: Indicator) -> QuerySet[Release]:
    return indicator.releases.order_by("-imported_at").annotate(revisions_count=Count("revisions"))


# --- transparency and alerts ---------------------------------------------------------------------------


def transparency_for(state: State) -> dict[str, Any]:
    return {
        "white_papers": list(WhitePaper.objects.filter(state=state).order_by("-year")),
        "arms_register": list(ArmsRegisterReport.objects.filter(state=state).order_by("-year")),
        "measures": list(
            ConfidenceMeasure.objects.filter(state=state).prefetch_related("partners").order_by("-date")
        ),
    }


def transparency_overview() -> list[dict[str, Any]]:
    """Per state: how many white papers, Register submissions (latest year) and measures."""
    papers = dict(WhitePaper.objects.values("state_id").annotate(n=Count("id")).values_list("state_id", "n"))
    register = dict(
        ArmsRegisterReport.objects.values("state_id")
        .annotate(last=Max("year"))
        .values_list("state_id", "last")
    )
    measures = dict(
        ConfidenceMeasure.objects.values("state_id").annotate(n=Count("id")).values_list("state_id", "n")
    )
    from ceiba.core.selectors import sort_by_name

    return [
        {
            "state": s,
            "white_papers": papers.get(s.pk, 0),
            "register_last": register.get(s.pk),
            "measures": measures.get(s.pk, 0),
        }
        for s in sort_by_name(list(State.objects.all()))
    ]


def visible_alerts(user: Any) -> QuerySet[Alert]:
    return restrict(Alert.objects.select_related("indicator", "state", "rule"), user, Action.VIEW)


def published_alerts() -> QuerySet[Alert]:
    return Alert.objects.filter(status=AlertStatus.PUBLISHED).select_related("indicator", "state")
