"""Writes to the observatory. Each service validates, runs in one transaction and leaves its trace in
the history and audit trail. An import stores everything or, on any error, nothing."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import pycountry
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ceiba.core.demo import STATES
from ceiba.core.models import State

from . import importers, rules
from .catalogue import INDICATORS
from .choices import AlertStatus, ReleaseStatus, SourceFormat
from .models import (
    Alert,
    AlertRule,
    ArmsRegisterReport,
    CacheStamp,
    ConfidenceMeasure,
    CountryAlias,
    Indicator,
    Observation,
    ObservationRevision,
    Release,
    WhitePaper,
)

CHUNK = 500  # rows per bulk statement (SQLite allows 999 variables per statement in old builds)
Progress = Callable[[float, str], None]


class ObservatoryError(Exception):
    """An error the user can act on; `messages` lists what to fix."""

    def __init__(self, messages: Sequence[str]) -> None:
        self.messages = [str(m) for m in messages]
        super().__init__("; ".join(self.messages))


class ImportFailed(ObservatoryError):
    """The file could not be imported; nothing was stored."""


# --- seed -------------------------------------------------------------------------------------------


@transaction.atomic
def states_ensure() -> int:
    """Create the 35 states of the Americas that are missing (the core demo creates them too)."""
    created = 0
    existing = set(State.objects.values_list("iso3", flat=True))
    for iso3, subregion in STATES.items():
        if iso3 in existing:
            continue
        country = pycountry.countries.get(alpha_3=iso3)
        assert country is not None, iso3
        state = State(
            iso3=iso3,
            iso2=country.alpha_2,
            numeric=country.numeric,
            english_name=getattr(country, "common_name", country.name),
            subregion=subregion,
        )
        state.full_clean()
        state.save()
        created += 1
    return created


@transaction.atomic
def indicators_seed() -> int:
    """Create the catalogue's indicators that do not exist yet; edited ones are left as they are."""
    created = 0
    existing = set(Indicator.objects.values_list("slug", flat=True))
    for entry in INDICATORS:
        if entry["slug"] in existing:
            continue
        fields = {k: v for k, v in entry.items() if k != "selector"}
        indicator = Indicator(**fields, source_selector=entry["selector"])
        indicator.full_clean()
        indicator.save()
        created += 1
    if created:
        cache_bump()
    return created


@transaction.atomic
def indicator_update(*, indicator: Indicator, **fields: Any) -> Indicator:
    for name, value in fields.items():
        setattr(indicator, name, value)
    indicator.full_clean()
    indicator.save()
    cache_bump()
    return indicator


def cache_bump() -> None:
    """Invalidate every cached public page and download (in every process)."""
    updated = CacheStamp.objects.filter(key="data").update(token=uuid.uuid4())
    if not updated:
        CacheStamp.objects.get_or_create(key="data")


# --- import -----------------------------------------------------------------------------------------


def _targets(source_format: str, indicator_slugs: Sequence[str]) -> tuple[list[Indicator], list[str]]:
    indicators = list(Indicator.objects.filter(source_format=source_format))
    errors: list[str] = []
    if indicator_slugs:
        by_slug = {i.slug: i for i in Indicator.objects.filter(slug__in=indicator_slugs)}
        for slug in indicator_slugs:
            indicator = by_slug.get(slug)
            if indicator is None:
                errors.append(_("There is no indicator with the code “%(slug)s”.") % {"slug": slug})
            elif indicator.source_format != source_format:
                errors.append(
                    _("The indicator “%(slug)s” reads files of the format “%(expected)s”, not “%(given)s”.")
                    % {
                        "slug": slug,
                        "expected": SourceFormat(indicator.source_format).label,
                        "given": SourceFormat(source_format).label,
                    }
                )
        indicators = [
            by_slug[s] for s in indicator_slugs if s in by_slug and by_slug[s].source_format == source_format
        ]
    elif not indicators:
        errors.append(_("No indicator reads files of this format. Run “ceiba observatory seed” first."))
    return indicators, errors


def parse_file(
    *,
    source_format: str,
    content: bytes,
    targets: Sequence[importers.Target],
    countries: Iterable[str],
    progress: Callable[[float], None] | None = None,
) -> importers.ParseResult:
    """Run the importer of `source_format` (no database writes)."""
    country_set = frozenset(countries)
    if source_format == SourceFormat.UNODC_PORTAL:
        return importers.parse_unodc_portal(content, targets, country_set, progress)
    if source_format == SourceFormat.UNODC_DRUG_SEIZURES:
        return importers.parse_unodc_drug_seizures(content, targets, country_set, progress)
    if source_format == SourceFormat.OWID_GRAPHER:
        return importers.parse_owid(content, targets, country_set, progress)
    if source_format == SourceFormat.NAMES_TABLE:
        aliases = dict(CountryAlias.objects.values_list("name", "state__iso3"))
        return importers.parse_names_table(content, targets, country_set, aliases, progress)
    raise ImportFailed([_("Unknown file format “%(format)s”.") % {"format": source_format}])


def release_import(
    *,
    source_format: str,
    content: bytes,
    file_name: str,
    indicator_slugs: Sequence[str] = (),
    user: Any = None,
    progress: Progress | None = None,
) -> Release:
    """Import one publisher file for the indicators that read it (or only `indicator_slugs`).

    New values are added; changed values are revised, the earlier value kept as a revision of the
    release that published it; values the file no longer holds are kept and the release is flagged
    for review. Alert rules are checked on what changed. Raises ImportFailed and stores nothing if
    any row is wrong."""

    def report(fraction: float, message: str = "") -> None:
        if progress is not None:
            progress(fraction * 100, message)

    if source_format not in SourceFormat.values:
        raise ImportFailed([_("Unknown file format “%(format)s”.") % {"format": source_format}])
    indicators, errors = _targets(source_format, indicator_slugs)
    if errors:
        raise ImportFailed(errors)
    states = dict(State.objects.values_list("iso3", "id"))
    if not states:
        raise ImportFailed([_("No state is recorded yet. Run “ceiba observatory seed” first.")])
    targets = [importers.Target(i.slug, i.source_selector) for i in indicators]
    report(0, _("Reading %(file)s") % {"file": file_name})
    result = parse_file(
        source_format=source_format,
        content=content,
        targets=targets,
        countries=states,
        progress=lambda f: report(f * 0.7),
    )
    errors = result.messages()
    if result.ok and indicator_slugs:
        labels = {i.slug: i.label for i in indicators}
        errors = [
            _("The file holds no value for the indicator “%(name)s”.") % {"name": labels[slug]}
            for slug in result.unused_targets
        ]
    if result.ok and not errors and not result.records:
        errors = [
            _(
                "The file holds no value for the states of the Americas that an indicator of the "
                "observatory reads."
            )
        ]
    if errors:
        raise ImportFailed(errors)
    report(0.7, _("Storing %(n)s values") % {"n": len(result.records)})
    release = _store(
        result=result,
        indicators=indicators,
        states=states,
        source_format=source_format,
        file_name=file_name,
        sha256=hashlib.sha256(content).hexdigest(),
        user=user,
    )
    report(
        1,
        _("Imported: %(created)s added, %(updated)s revised, %(unchanged)s confirmed.")
        % {
            "created": release.values_created,
            "updated": release.values_updated,
            "unchanged": release.values_unchanged,
        },
    )
    return release


@transaction.atomic
def _store(
    *,
    result: importers.ParseResult,
    indicators: Sequence[Indicator],
    states: dict[str, int],
    source_format: str,
    file_name: str,
    sha256: str,
    user: Any,
) -> Release:
    by_slug = {i.slug: i for i in indicators}
    touched = {key[0] for key in result.records}
    touched_ids = [by_slug[slug].pk for slug in touched]
    release = Release.objects.create(
        source_format=source_format,
        file_name=file_name[:255],
        sha256=sha256,
        publisher_date=result.publisher_date,
        imported_by=user if getattr(user, "is_authenticated", False) else None,
        rows_read=result.rows_read,
    )
    existing: dict[tuple[Any, ...], tuple[int, float | None, str, str, int]] = {}
    for row in Observation.objects.filter(indicator_id__in=touched_ids).values_list(
        "indicator_id",
        "state_id",
        "year",
        "dimension",
        "category",
        "sex",
        "age",
        "id",
        "value",
        "censor",
        "value_text",
        "release_id",
    ):
        existing[row[:7]] = row[7:]
    new: list[Observation] = []
    changed: list[Observation] = []
    revisions: list[ObservationRevision] = []
    unchanged_ids: list[int] = []
    seen: set[tuple[Any, ...]] = set()
    now = timezone.now()
    for record in result.records.values():
        indicator_id = by_slug[record.indicator].pk
        key = (
            indicator_id,
            states[record.country],
            record.year,
            record.dimension,
            record.category,
            record.sex,
            record.age,
        )
        seen.add(key)
        previous = existing.get(key)
        if previous is None:
            new.append(
                Observation(
                    indicator_id=indicator_id,
                    state_id=key[1],
                    year=record.year,
                    dimension=record.dimension,
                    category=record.category,
                    sex=record.sex,
                    age=record.age,
                    value=record.value,
                    censor=record.censor,
                    value_text=record.value_text,
                    source_note=record.source_note,
                    release=release,
                )
            )
            continue
        observation_id, old_value, old_censor, old_text, old_release = previous
        if old_value == record.value and old_censor == record.censor and old_text == record.value_text:
            unchanged_ids.append(observation_id)
            continue
        revisions.append(
            ObservationRevision(
                observation_id=observation_id,
                value=old_value,
                censor=old_censor,
                value_text=old_text,
                release_id=old_release,
                replaced_by=release,
                replaced_at=now,
            )
        )
        changed.append(
            Observation(
                id=observation_id,
                value=record.value,
                censor=record.censor,
                value_text=record.value_text,
                source_note=record.source_note,
                release=release,
            )
        )
    Observation.objects.bulk_create(new, batch_size=CHUNK)
    ObservationRevision.objects.bulk_create(revisions, batch_size=CHUNK)
    Observation.objects.bulk_update(
        changed, ["value", "censor", "value_text", "source_note", "release"], batch_size=CHUNK
    )
    for start in range(0, len(unchanged_ids), CHUNK):
        Observation.objects.filter(pk__in=unchanged_ids[start : start + CHUNK]).update(release=release)
    missing = [key for key, previous in existing.items() if key not in seen and previous[1] is not None]
    slug_of = {i.pk: i.slug for i in indicators}
    iso_of = {v: k for k, v in states.items()}
    release.values_created = len(new)
    release.values_updated = len(changed)
    release.values_unchanged = len(unchanged_ids)
    release.values_missing = len(missing)
    release.status = (
        ReleaseStatus.NEEDS_REVIEW if missing or result.conflict_count else ReleaseStatus.IMPORTED
    )
    release.report = {
        "skipped": dict(result.skipped),
        "unmatched_names": dict(sorted(result.unmatched_names.items())),
        "conflicts": result.conflicts,
        "conflict_count": result.conflict_count,
        "values_by_indicator": dict(result.counts_by_indicator()),
        "missing": [
            {
                "indicator": slug_of[key[0]],
                "country": iso_of.get(key[1], ""),
                "year": key[2],
                "breakdown": " · ".join(p for p in key[3:] if p),
            }
            for key in missing[:1000]
        ],
    }
    release.save()
    release.indicators.set(touched_ids)
    changed_cells = {
        (by_slug[r.indicator].pk, r.country, r.year)
        for r in result.records.values()
        if not r.dimension and not r.sex and not r.age
    }
    alerts_evaluate(indicator_ids=touched_ids, cells=changed_cells, release=release)
    cache_bump()
    return release


@transaction.atomic
def release_review(*, release: Release, user: Any, withdraw_missing: bool = False, note: str = "") -> Release:
    """The secretariat reviews a flagged release: the values it lacks are kept (the default) or
    withdrawn (their last value stays in the revisions)."""
    if withdraw_missing:
        missing = Observation.objects.filter(
            indicator__in=release.indicators.all(), value__isnull=False
        ).exclude(release=release)
        now = timezone.now()
        revisions = [
            ObservationRevision(
                observation_id=o.pk,
                value=o.value,
                censor=o.censor,
                value_text=o.value_text,
                release_id=o.release_id,
                replaced_by=release,
                replaced_at=now,
            )
            for o in missing
        ]
        ObservationRevision.objects.bulk_create(revisions, batch_size=CHUNK)
        missing.update(value=None, censor="", value_text="", release=release)
    release.status = ReleaseStatus.REVIEWED
    release.review_note = note
    release.reviewed_by = user
    release.reviewed_at = timezone.now()
    release.save(update_fields=["status", "review_note", "reviewed_by", "reviewed_at"])
    cache_bump()
    return release


@transaction.atomic
def country_alias_create(*, name: str, state: State) -> CountryAlias:
    alias = CountryAlias(name=name.strip(), state=state)
    alias.full_clean()
    alias.save()
    return alias


# --- alerts -----------------------------------------------------------------------------------------


def headline_series(indicator_id: int) -> dict[str, dict[int, float]]:
    series: dict[str, dict[int, float]] = {}
    for iso3, year, value in Observation.objects.filter(
        indicator_id=indicator_id, dimension="", category="", sex="", age="", value__isnull=False
    ).values_list("state__iso3", "year", "value"):
        if value is not None:
            series.setdefault(iso3, {})[year] = value
    return series


def alerts_evaluate(
    *,
    indicator_ids: Iterable[int],
    cells: set[tuple[int, str, int]] | None = None,
    release: Release | None = None,
) -> list[Alert]:
    """Raise an alert for each value that trips an active rule (only the cells given, if any)."""
    raised: list[Alert] = []
    states = dict(State.objects.values_list("iso3", "id"))
    for rule_row in AlertRule.objects.filter(
        indicator_id__in=list(indicator_ids), is_active=True
    ).select_related("indicator"):
        try:
            rule = rules.parse_rule(rule_row.expression)
        except rules.RuleError:
            continue
        series = headline_series(rule_row.indicator_id)
        years = countries = None
        if cells is not None:
            mine = [
                (iso, year) for (indicator_id, iso, year) in cells if indicator_id == rule_row.indicator_id
            ]
            countries = {iso for iso, _year in mine}
            years = {year for _iso, year in mine}
        for trip in rules.evaluate(rule, series, years=years, countries=countries):
            if cells is not None and (rule_row.indicator_id, trip.country, trip.year) not in cells:
                continue
            alert, created = Alert.objects.get_or_create(
                rule=rule_row,
                state_id=states[trip.country],
                year=trip.year,
                defaults={
                    "indicator_id": rule_row.indicator_id,
                    "value": trip.value,
                    "reference": trip.reference,
                    "message": _alert_message(rule_row, rule, trip),
                    "release": release,
                },
            )
            if created:
                raised.append(alert)
    return raised


def _alert_message(rule_row: AlertRule, rule: rules.Rule, trip: rules.Trip) -> str:
    if rule.kind == "yoy":
        return _(
            "%(indicator)s: %(value)g in %(year)s, up %(change).1f %% on %(previous)g the year before "
            "(rule “%(rule)s”)."
        ) % {
            "indicator": rule_row.indicator.label,
            "value": trip.value,
            "year": trip.year,
            "change": (trip.change or 0) * 100,
            "previous": trip.reference,
            "rule": rule_row.expression,
        }
    return _(
        "%(indicator)s: %(value)g in %(year)s, above the regional percentile (%(cut)g) (rule “%(rule)s”)."
    ) % {
        "indicator": rule_row.indicator.label,
        "value": trip.value,
        "year": trip.year,
        "cut": trip.reference or 0,
        "rule": rule_row.expression,
    }


@transaction.atomic
def alert_rule_create(
    *, indicator: Indicator, name: str, expression: str, user: Any = None, evaluate_now: bool = True
) -> AlertRule:
    rule = AlertRule(indicator=indicator, name=name.strip(), expression=expression.strip(), created_by=user)
    rule.full_clean()
    rule.save()
    if evaluate_now:
        alerts_evaluate(indicator_ids=[indicator.pk])
    return rule


@transaction.atomic
def alert_review(*, alert: Alert, user: Any, publish: bool, note: str = "") -> Alert:
    """The secretariat publishes an alert (then it is public) or dismisses it."""
    alert.status = AlertStatus.PUBLISHED if publish else AlertStatus.DISMISSED
    alert.review_note = note
    alert.reviewed_by = user
    alert.reviewed_at = timezone.now()
    alert.full_clean()
    alert.save()
    cache_bump()
    return alert


# --- transparency measures --------------------------------------------------------------------------


def _save(obj: Any, **fields: Any) -> Any:
    partners = fields.pop("partners", None)
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    if partners is not None:
        obj.partners.set(partners)
    cache_bump()
    return obj


@transaction.atomic
def white_paper_save(*, white_paper: WhitePaper | None = None, **fields: Any) -> WhitePaper:
    return _save(white_paper or WhitePaper(), **fields)


@transaction.atomic
def arms_register_report_save(
    *, report: ArmsRegisterReport | None = None, **fields: Any
) -> ArmsRegisterReport:
    return _save(report or ArmsRegisterReport(), **fields)


@transaction.atomic
def confidence_measure_save(*, measure: ConfidenceMeasure | None = None, **fields: Any) -> ConfidenceMeasure:
    return _save(measure or ConfidenceMeasure(), **fields)


@transaction.atomic
def transparency_delete(*, obj: WhitePaper | ArmsRegisterReport | ConfidenceMeasure) -> None:
    obj.delete()
    cache_bump()
