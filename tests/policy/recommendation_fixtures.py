"""Recommendations for the tests of the recommendations part, built on the small synthetic cycle
(`factories.small_cycle`, not changed): a restricted recommendation from a conference, overdue,
addressed to Argentina and AMERIPOL (the action participant's body), with a pending Argentine report
that carries an evidence file, and a public one nobody reported on. Everything invented."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from ceiba.core.models import Organisation
from ceiba.policy.choices import ImplementationStatus, RecommendationSource, Visibility
from ceiba.policy.models import Addressee, ImplementationReport, Recommendation

from .factories import small_cycle

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
BASE_CODE = "TC-R1 (synthetic)"


def base(world: Any) -> Recommendation:
    """The small cycle's public recommendation (to Argentina: a pending report; Brazil: validated)."""
    found = Recommendation.objects.filter(code=BASE_CODE).first()
    return found if found is not None else small_cycle(world).recommendation


def arg_addressee(world: Any) -> Addressee:
    return base(world).addressees.get(state=world.arg)


def pending_report(world: Any) -> ImplementationReport:
    return arg_addressee(world).reports.get()


def restricted(world: Any) -> Recommendation:
    """A restricted, overdue recommendation to Argentina and AMERIPOL."""
    base(world)
    found = Recommendation.objects.filter(code="TC-R2 (synthetic)").first()
    if found is not None:
        return found
    recommendation = Recommendation(
        code="TC-R2 (synthetic)",
        title="Share firearms tracing results with the region (synthetic)",
        text="Addressees share their tracing results (synthetic).",
        source=RecommendationSource.CONFERENCE,
        source_reference="Regional firearms conference, Lima, 2026 (synthetic)",
        deadline=timezone.localdate() - dt.timedelta(days=10),
        visibility=Visibility.RESTRICTED,
    )
    recommendation.full_clean()
    recommendation.save()
    arg = Addressee.objects.create(recommendation=recommendation, state=world.arg)
    Addressee.objects.create(
        recommendation=recommendation, organisation=Organisation.objects.get(acronym="AMERIPOL")
    )
    report = ImplementationReport(
        addressee=arg,
        status=ImplementationStatus.PARTIAL,
        narrative="Half of the results shared (synthetic).",
    )
    report.evidence_file.save("evidence.pdf", ContentFile(PDF_BYTES), save=False)
    report.full_clean()
    report.save()
    return recommendation


def body_addressee(world: Any) -> Addressee:
    return restricted(world).addressees.get(organisation__acronym="AMERIPOL")


def evidence_report(world: Any) -> ImplementationReport:
    return restricted(world).addressees.get(state=world.arg).reports.get()


def unreported(world: Any) -> Recommendation:
    """A public recommendation to Brazil nobody reported on (may be removed)."""
    base(world)
    recommendation = Recommendation(
        code="TC-R3 (synthetic)",
        title="Publish national statistics on seizures (synthetic)",
        text="Publish them yearly (synthetic).",
        source=RecommendationSource.EVALUATION,
        source_reference="Mid-term evaluation 2026 (synthetic)",
        deadline=timezone.localdate() + dt.timedelta(days=30),
    )
    recommendation.full_clean()
    recommendation.save()
    Addressee.objects.create(recommendation=recommendation, state=world.bra)
    return recommendation
