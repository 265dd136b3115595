"""Follow-up reports of recommendations: one per state (every recommendation addressed to it, its
validated status, evidence, validation date, overdue ones highlighted) and a hemispheric summary
(counts by status and share implemented per recommendation, per state and per subregion), as a page
and as a PDF (WeasyPrint), in the four languages.

Only validated statuses count: an addressee's status changes only when the secretariat validates a
report. What a viewer sees goes through the access policy: restricted recommendations reach members
only, evidence only through reports the viewer may read. The PDF is cached on disk under the digest of
its print HTML (docs/decisions/0054-follow-up-reports.md), so the cache never mixes audiences or stale
data."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ceiba.assessment.report import css_string, pdf_bytes, report_language
from ceiba.core.choices import Subregion
from ceiba.core.models import State

from .choices import ImplementationStatus, ReviewStatus, Visibility
from .models import Addressee, ImplementationReport, Recommendation
from .recommendation_services import SETTLED_STATUSES, visible_recommendations, visible_reports

__all__ = ["report_language"]

STATUS_ORDER = [value for value, _label in ImplementationStatus.choices]


def _counts(addressees: Iterable[Addressee], today: dt.date) -> dict[str, Any]:
    """Counts by validated status, the share implemented (of those to which it applies) and the
    number overdue, with the widths of a stacked bar (per cent of all addressees)."""
    counts = dict.fromkeys(STATUS_ORDER, 0)
    overdue = 0
    total = 0
    for addressee in addressees:
        counts[addressee.status] = counts.get(addressee.status, 0) + 1
        total += 1
        if addressee.recommendation.deadline < today and addressee.status not in SETTLED_STATUSES:
            overdue += 1
    applicable = total - counts[ImplementationStatus.NOT_APPLICABLE]
    share = round(100 * counts[ImplementationStatus.IMPLEMENTED] / applicable) if applicable else None
    labels = dict(ImplementationStatus.choices)
    return {
        "total": total,
        "overdue": overdue,
        "share_implemented": share,
        "cells": [{"status": s, "label": str(labels[s]), "count": counts[s]} for s in STATUS_ORDER],
        "bar": _bar(counts, total, labels),
    }


def _bar(counts: dict[str, int], total: int, labels: dict[str, Any]) -> list[dict[str, Any]]:
    """Segments of a stacked bar (x and width in per cent of all addressees), drawn as SVG."""
    segments, x = [], 0.0
    for status in STATUS_ORDER:
        if total and counts[status]:
            width = 100 * counts[status] / total
            segments.append(
                {"status": status, "label": str(labels[status]), "x": round(x, 2), "width": round(width, 2)}
            )
            x += width
    return segments


def _addressees(recommendations: QuerySet[Recommendation]) -> QuerySet[Addressee]:
    return Addressee.objects.filter(recommendation__in=recommendations.values("pk")).select_related(
        "recommendation", "state", "organisation"
    )


def statuses() -> list[dict[str, str]]:
    return [{"status": value, "label": str(label)} for value, label in ImplementationStatus.choices]


def summary(user: Any, today: dt.date | None = None) -> dict[str, Any]:
    """The hemispheric summary of the recommendations `user` may read."""
    today = today or timezone.localdate()
    recommendations = visible_recommendations(user)
    addressees = list(_addressees(recommendations))
    by_recommendation: dict[int, list[Addressee]] = defaultdict(list)
    by_state: dict[int, list[Addressee]] = defaultdict(list)
    by_body: dict[int, list[Addressee]] = defaultdict(list)
    by_subregion: dict[str, list[Addressee]] = defaultdict(list)
    states: dict[int, State] = {}
    for addressee in addressees:
        by_recommendation[addressee.recommendation_id].append(addressee)
        state = addressee.state
        if state is not None:
            by_state[state.pk].append(addressee)
            states[state.pk] = state
            by_subregion[state.subregion].append(addressee)
        elif addressee.organisation_id is not None:
            by_body[addressee.organisation_id].append(addressee)
    recs = {a.recommendation_id: a.recommendation for a in addressees}
    rec_rows = [
        {"recommendation": recs[pk], **_counts(rows, today)}
        for pk, rows in sorted(
            by_recommendation.items(), key=lambda item: (recs[item[0]].deadline, recs[item[0]].code)
        )
    ]
    state_rows = sorted(
        ({"state": states[pk], **_counts(rows, today)} for pk, rows in by_state.items()),
        key=lambda row: str(row["state"].name),
    )
    body_rows = sorted(
        ({"organisation": rows[0].organisation, **_counts(rows, today)} for rows in by_body.values()),
        key=lambda row: str(row["organisation"].name),
    )
    subregions = dict(Subregion.choices)
    subregion_rows = [
        {"code": code, "name": str(subregions.get(code, code)), **_counts(by_subregion[code], today)}
        for code in subregions
        if code in by_subregion
    ]
    return {
        "today": today,
        "statuses": statuses(),
        "recommendations": rec_rows,
        "states": state_rows,
        "bodies": body_rows,
        "subregions": subregion_rows,
        "total": _counts(addressees, today),
        "has_restricted": any(r.visibility == Visibility.RESTRICTED for r in recs.values()),
    }


def state_report(state: State, user: Any, today: dt.date | None = None) -> dict[str, Any]:
    """The follow-up report of one state: every recommendation addressed to it that `user` may read,
    with the validated status, its date, the evidence of the last validated report and overdue
    flags."""
    today = today or timezone.localdate()
    addressees = list(
        _addressees(visible_recommendations(user))
        .filter(state=state)
        .order_by("recommendation__deadline", "recommendation__code")
    )
    evidence: dict[int, ImplementationReport] = {}
    reports = (
        visible_reports(user)
        .filter(addressee__in=[a.pk for a in addressees], review=ReviewStatus.VALIDATED)
        .order_by("addressee_id", "-reviewed_at", "-pk")
    )
    for report in reports:
        evidence.setdefault(report.addressee_id, report)
    rows = [
        {
            "addressee": addressee,
            "recommendation": addressee.recommendation,
            "overdue": addressee.recommendation.deadline < today and addressee.status not in SETTLED_STATUSES,
            "report": evidence.get(addressee.pk),
        }
        for addressee in addressees
    ]
    return {
        "today": today,
        "state": state,
        "rows": rows,
        "total": _counts(addressees, today),
        "statuses": statuses(),
    }


def summary_data(user: Any) -> dict[str, Any]:
    """The hemispheric summary as plain data (the API)."""
    data = summary(user)

    def counts(row: dict[str, Any]) -> dict[str, Any]:
        return {
            "total": row["total"],
            "overdue": row["overdue"],
            "share_implemented": row["share_implemented"],
            "by_status": {cell["status"]: cell["count"] for cell in row["cells"]},
        }

    return {
        "date": data["today"],
        "total": counts(data["total"]),
        "recommendations": [
            {"id": r["recommendation"].pk, "code": r["recommendation"].code, **counts(r)}
            for r in data["recommendations"]
        ],
        "states": [{"state": r["state"].iso3, **counts(r)} for r in data["states"]],
        "bodies": [{"organisation": r["organisation"].pk, **counts(r)} for r in data["bodies"]],
        "subregions": [{"subregion": r["code"], **counts(r)} for r in data["subregions"]],
    }


def state_data(state: State, user: Any) -> dict[str, Any]:
    """One state's follow-up report as plain data (the API)."""
    data = state_report(state, user)
    return {
        "date": data["today"],
        "state": state.iso3,
        "total": {
            "total": data["total"]["total"],
            "overdue": data["total"]["overdue"],
            "share_implemented": data["total"]["share_implemented"],
            "by_status": {cell["status"]: cell["count"] for cell in data["total"]["cells"]},
        },
        "recommendations": [
            {
                "id": row["recommendation"].pk,
                "code": row["recommendation"].code,
                "title": row["recommendation"].title,
                "deadline": row["recommendation"].deadline,
                "status": row["addressee"].status,
                "validated_on": row["addressee"].status_validated_on,
                "overdue": row["overdue"],
                "evidence_url": row["report"].evidence_url if row["report"] else "",
                "has_evidence_file": bool(row["report"] and row["report"].evidence_file),
                "report": row["report"].pk if row["report"] else None,
            }
            for row in data["rows"]
        ],
    }


# --------------------------------------------------------------------------------------------------
# Print and PDF


def render_print_html(kind: str, context: dict[str, Any], language: str, title: str) -> str:
    """The print version of a follow-up report (`kind`: "summary" or "state") in `language`."""
    context = {
        **context,
        "kind": kind,
        "language": language,
        "title": title,
        "css": {"title": css_string(title), "page": css_string(_("Page"))},
        "print": True,
    }
    return render_to_string("policy/recommendations/followup_print.html", context)


def cache_dir() -> Path:
    configured = getattr(settings, "CEIBA_REPORT_CACHE_DIR", None)
    return (Path(configured) if configured else Path(settings.VAR_DIR) / "reports") / "follow-up"


def pdf_for(html: str) -> bytes:
    """The PDF of `html`, from the disk cache when the same HTML was rendered before."""
    digest = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32]
    path = cache_dir() / f"follow-up-{digest}.pdf"
    if path.is_file():
        return path.read_bytes()
    pdf = pdf_bytes(html)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
    with os.fdopen(handle, "wb") as out:
        out.write(pdf)
    os.replace(temporary, path)
    return pdf


def summary_title() -> str:
    return _("Follow-up of recommendations: hemispheric summary")


def state_title(state: State) -> str:
    return _("Follow-up of recommendations: %(state)s") % {"state": state.name}


def with_language(language: str, build: Any) -> Any:
    with translation.override(language):
        return build()
