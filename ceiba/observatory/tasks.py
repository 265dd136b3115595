"""Background work of the observatory, run through ceiba.common.jobs: imports started from the
page or the API, and the open-data package. Tasks only call services and selectors."""

from __future__ import annotations

from typing import Any

from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from ceiba.common.jobs import JobContext
from ceiba.core.models import State, User

from . import exports, selectors, services
from .models import ArmsRegisterReport, ConfidenceMeasure, WhitePaper


def import_file(
    context: JobContext,
    *,
    path: str,
    source_format: str,
    file_name: str,
    indicator_slugs: list[str],
    user_id: int | None = None,
    language: str = "en",
) -> dict[str, Any]:
    """Import an uploaded file; the job's log lists every error if the file is refused."""
    translation.activate(language)
    user = User.objects.filter(pk=user_id).first() if user_id else None
    try:
        with default_storage.open(path, "rb") as handle:
            content = handle.read()
        try:
            release = services.release_import(
                source_format=source_format,
                content=content,
                file_name=file_name,
                indicator_slugs=indicator_slugs,
                user=user,
                progress=context.progress,
            )
        except services.ImportFailed as failure:
            for message in failure.messages:
                context.log(message)
            raise
    finally:
        default_storage.delete(path)
    context.log(
        _("Release #%(pk)s: %(created)s values added, %(updated)s revised.")
        % {"pk": release.pk, "created": release.values_created, "updated": release.values_updated}
    )
    return {
        "release": release.pk,
        "url": reverse("observatory:release_detail", args=[release.pk]),
        "status": release.status,
        "values_created": release.values_created,
        "values_updated": release.values_updated,
        "values_unchanged": release.values_unchanged,
        "values_missing": release.values_missing,
    }


def build_datapackage(homepage: str) -> bytes:
    """Every indicator (headline values and breakdowns), its metadata, the states and the
    transparency measures, as a Frictionless Data Package in one ZIP."""
    from .views import SERIES_COLUMNS, breakdown_table, source_of

    data = selectors.frame()
    tables: list[exports.Table] = []
    all_sources = []
    indicator_rows = []
    for indicator in data.indicators:
        first, last, count = data.coverage(indicator)
        source = source_of(indicator)
        all_sources.append(source)
        indicator_rows.append(
            {
                "code": indicator.slug,
                "name": indicator.label,
                "theme": str(indicator.get_theme_display()),
                "definition": indicator.definition_text,
                "unit": indicator.unit_text,
                "publisher": indicator.publisher_text,
                "source": source["title"],
                "source_url": indicator.source_url,
                "licence": source["licence"],
                "attribution": source["attribution"],
                "periodicity": str(indicator.get_periodicity_display()),
                "first_year": first,
                "last_year": last,
                "states": count,
                "method_notes": indicator.method_text,
            }
        )
        tables.append(
            exports.Table(
                name=indicator.slug,
                title=indicator.label,
                description=f"{indicator.definition_text} ({indicator.unit_text})",
                columns=SERIES_COLUMNS,
                rows=selectors.series_rows(data, indicator),
                sources=[source],
            )
        )
        breakdown = breakdown_table(indicator)
        if breakdown.rows:
            tables.append(breakdown)
    tables.insert(
        0,
        exports.Table(
            name="indicators",
            title=_("Indicators and their metadata"),
            columns=[(k, k) for k in (indicator_rows[0].keys() if indicator_rows else ["code"])],
            rows=indicator_rows,
            sources=all_sources,
        ),
    )
    tables.insert(
        1,
        exports.Table(
            name="states",
            title=_("States of the Americas"),
            columns=[
                ("iso3", "ISO 3166 alpha-3"),
                ("iso2", "ISO 3166 alpha-2"),
                ("numeric", "ISO 3166 numeric"),
                ("name", "name"),
                ("subregion", "subregion"),
            ],
            rows=[
                {
                    "iso3": s.iso3,
                    "iso2": s.iso2,
                    "numeric": s.numeric,
                    "name": s.english_name,
                    "subregion": s.subregion,
                }
                for s in State.objects.order_by("iso3")
            ],
            sources=[
                {
                    "title": "ISO 3166-1",
                    "attribution": "ISO 3166-1 via pycountry",
                    "licence": "LGPL-2.1 (pycountry)",
                }
            ],
        ),
    )
    ceiba = {
        "title": _("Published by the states through Ceiba"),
        "attribution": _("States of the Americas, via Ceiba"),
        "licence": "CC BY 4.0",
        "licence_path": "https://creativecommons.org/licenses/by/4.0/",
    }
    tables.append(
        exports.Table(
            name="white-papers",
            title=_("Defence white papers"),
            columns=[
                ("state", "state"),
                ("title", "title"),
                ("year", "year"),
                ("language", "language"),
                ("url", "address"),
            ],
            rows=[
                {
                    "state": w.state.iso3,
                    "title": w.title,
                    "year": w.year,
                    "language": w.language,
                    "url": w.url or (w.document.url if w.document else ""),
                }
                for w in WhitePaper.objects.select_related("state")
            ],
            sources=[ceiba],
        )
    )
    tables.append(
        exports.Table(
            name="arms-register",
            title=_("UN Register of Conventional Arms submissions"),
            columns=[
                ("state", "state"),
                ("year", "year"),
                ("nil_report", "nil report"),
                ("categories", "categories reported"),
            ],
            rows=[
                {
                    "state": r.state.iso3,
                    "year": r.year,
                    "nil_report": r.nil_report,
                    "categories": ";".join(r.categories),
                }
                for r in ArmsRegisterReport.objects.select_related("state")
            ],
            sources=[ceiba],
        )
    )
    tables.append(
        exports.Table(
            name="confidence-measures",
            title=_("Confidence-building measures"),
            columns=[
                ("state", "state"),
                ("kind", "type"),
                ("date", "date"),
                ("partners", "partner states"),
                ("other_partners", "other partners"),
            ],
            rows=[
                {
                    "state": m.state.iso3,
                    "kind": m.kind,
                    "date": m.date.isoformat(),
                    "partners": ";".join(p.iso3 for p in m.partners.all()),
                    "other_partners": m.other_partners,
                }
                for m in ConfidenceMeasure.objects.select_related("state").prefetch_related("partners")
            ],
            sources=[ceiba],
        )
    )
    return exports.datapackage(
        tables,
        name="ceiba-observatory",
        title=_("Ceiba observatory: security indicators of the Americas"),
        description=_(
            "Indicators, their sources and licences, and the transparency measures published by the states."
        ),
        homepage=homepage,
    )
