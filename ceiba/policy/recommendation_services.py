"""Recommendations and their follow-up: the secretariat records a recommendation and its addressees,
each addressee reports its implementation with evidence, the secretariat validates a report (the
addressee's status becomes the report's) or returns it with a note. Every write checks who may do it,
runs `full_clean` inside a transaction and writes an audit row; reads go through the access policy.

Who reports for an addressee: for a state, its national focal point or its committee delegate; for a
body, its members (every active role but the forum's)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ceiba.common import audit
from ceiba.common.access import Action, require_secretariat, restrict
from ceiba.common.locking import save_versioned
from ceiba.common.models import AuditAction
from ceiba.core.choices import Role
from ceiba.core.models import Membership, Organisation, State
from ceiba.documentation.attachment_services import attachment_errors, safe_file_name

from .choices import ImplementationStatus, ReviewStatus
from .models import Addressee, ImplementationReport, Recommendation

#: Statuses in which an addressee has nothing left to do (never overdue).
SETTLED_STATUSES = frozenset({ImplementationStatus.IMPLEMENTED, ImplementationStatus.NOT_APPLICABLE})
#: Days before a deadline on which the addressees are reminded.
REMINDER_DAYS = (30, 7)
#: Roles through which people report for a state addressee.
STATE_REPORTER_ROLES = (Role.NATIONAL_FOCAL_POINT, Role.COMMITTEE_DELEGATE)
#: Roles through which people report for a body addressee (all but the forum's).
BODY_REPORTER_ROLES = tuple(role for role in Role if role != Role.FORUM_PARTICIPANT)

RECOMMENDATION_FIELDS = (
    "code",
    "title",
    "text",
    "source",
    "meeting",
    "decision",
    "source_reference",
    "cycle",
    "deadline",
    "visibility",
)


#: Why recommendations are not someone else's to record, edit or validate (the secretariat's).
SECRETARIAT_ONLY = gettext_lazy("Only the secretariat records recommendations and validates reports.")


# --------------------------------------------------------------------------------------------------
# Reads


def is_overdue(addressee: Addressee, today: dt.date | None = None) -> bool:
    """The deadline has passed and the addressee has neither implemented it nor found it not
    applicable (as validated by the secretariat)."""
    today = today or timezone.localdate()
    return addressee.recommendation.deadline < today and addressee.status not in SETTLED_STATUSES


def overdue_q(today: dt.date, prefix: str = "") -> Q:
    """Addressees (with `prefix`, e.g. "addressees__", records related to them) that are overdue."""
    return Q(**{f"{prefix}recommendation__deadline__lt": today}) & ~Q(
        **{f"{prefix}status__in": list(SETTLED_STATUSES)}
    )


def visible_recommendations(user: Any) -> QuerySet[Recommendation]:
    """Recommendations the user may read, with their addressees (one query each)."""
    addressees = Addressee.objects.select_related("state", "organisation").order_by(
        "state__english_name", "organisation__name"
    )
    return restrict(
        Recommendation.objects.select_related("meeting", "decision", "cycle").prefetch_related(
            Prefetch("addressees", queryset=addressees)
        ),
        user,
        Action.VIEW,
    )


def filter_recommendations(
    queryset: QuerySet[Recommendation], filters: Mapping[str, Any], today: dt.date | None = None
) -> QuerySet[Recommendation]:
    """Filter by `source`, `cycle` (a policy cycle's id), `state` (ISO alpha-3 of an addressed state),
    `status` (an addressee's validated status; the named state's when `state` is given) and `overdue`
    ("1"/"true")."""
    today = today or timezone.localdate()
    cycle = str(filters.get("cycle") or "")
    if cycle.isdigit():
        queryset = queryset.filter(cycle_id=int(cycle))
    source = filters.get("source") or ""
    if source:
        queryset = queryset.filter(source=source)
    addressee = Q()
    state = (filters.get("state") or "").upper()
    if state:
        addressee &= Q(state__iso3=state)
    status = filters.get("status") or ""
    if status:
        addressee &= Q(status=status)
    if str(filters.get("overdue") or "").lower() in ("1", "true", "yes", "on"):
        addressee &= overdue_q(today)
    if addressee != Q():
        queryset = queryset.filter(pk__in=Addressee.objects.filter(addressee).values("recommendation_id"))
    return queryset


def reporter_memberships(addressee: Addressee) -> QuerySet[Membership, Any]:
    """Active memberships through which someone reports for `addressee`."""
    memberships = Membership.objects.active()
    if addressee.state_id is not None:
        return memberships.filter(organisation__state_id=addressee.state_id, role__in=STATE_REPORTER_ROLES)
    return memberships.filter(organisation_id=addressee.organisation_id or 0, role__in=BODY_REPORTER_ROLES)


def may_report(user: Any, addressee: Addressee) -> bool:
    """Whether `user` reports for `addressee` (its focal point, delegate or body member)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return reporter_memberships(addressee).filter(user_id=user.pk).exists()


def reportable_addressee_ids(user: Any) -> set[int]:
    """Addressees `user` reports for (one query), among all recommendations."""
    if not getattr(user, "is_authenticated", False):
        return set()
    mine = Membership.objects.active().filter(user_id=user.pk)
    states = mine.filter(role__in=STATE_REPORTER_ROLES).values("organisation__state_id")
    bodies = mine.filter(role__in=BODY_REPORTER_ROLES).values("organisation_id")
    rows = Addressee.objects.filter(Q(state_id__in=states) | Q(organisation_id__in=bodies))
    return set(rows.values_list("pk", flat=True))


def visible_reports(user: Any) -> QuerySet[ImplementationReport]:
    return restrict(
        ImplementationReport.objects.select_related(
            "addressee__state",
            "addressee__organisation",
            "addressee__recommendation",
            "submitted_by",
            "reviewed_by",
        ),
        user,
        Action.VIEW,
    )


def addressee_choices() -> tuple[QuerySet[State], QuerySet[Organisation]]:
    """States and bodies a recommendation may be addressed to: every state, and every organisation
    that belongs to no state except the secretariat."""
    from ceiba.core.choices import OrganisationType

    states = State.objects.order_by("english_name")
    bodies = Organisation.objects.filter(state__isnull=True).exclude(kind=OrganisationType.SECRETARIAT)
    return states, bodies.order_by("name")


# --------------------------------------------------------------------------------------------------
# Recommendations


def _set_addressees(
    recommendation: Recommendation, states: Iterable[State], organisations: Iterable[Organisation]
) -> dict[str, list[str]]:
    """Make the addressees exactly `states` + `organisations`; refuse to drop one that reported."""
    wanted_states = {state.pk: state for state in states}
    wanted_bodies = {organisation.pk: organisation for organisation in organisations}
    if not wanted_states and not wanted_bodies:
        raise ValidationError({"addressees": _("Address the recommendation to at least one state or body.")})
    current = list(recommendation.addressees.select_related("state", "organisation"))
    dropped = [
        a
        for a in current
        if (a.state_id is not None and a.state_id not in wanted_states)
        or (a.organisation_id is not None and a.organisation_id not in wanted_bodies)
    ]
    reported = [a for a in dropped if a.reports.exists()]
    if reported:
        raise ValidationError(
            {
                "addressees": _("%(names)s already reported on this recommendation and stay addressed.")
                % {"names": ", ".join(str(a) for a in reported)}
            }
        )
    for addressee in dropped:
        addressee.delete()
    have_states = {a.state_id for a in current if a.state_id}
    have_bodies = {a.organisation_id for a in current if a.organisation_id}
    added: list[str] = []
    for pk, state in wanted_states.items():
        if pk not in have_states:
            row = Addressee(recommendation=recommendation, state=state)
            row.full_clean()
            row.save()
            added.append(str(state.iso3))
    for pk, organisation in wanted_bodies.items():
        if pk not in have_bodies:
            row = Addressee(recommendation=recommendation, organisation=organisation)
            row.full_clean()
            row.save()
            added.append(str(organisation.acronym or organisation.name))
    return {"added": added, "removed": [str(a) for a in dropped]}


def recommendation_create(
    *,
    actor: Any,
    data: Mapping[str, Any],
    states: Iterable[State] = (),
    organisations: Iterable[Organisation] = (),
) -> Recommendation:
    """Record a recommendation and its addressees (the secretariat)."""
    require_secretariat(actor, SECRETARIAT_ONLY)
    recommendation = Recommendation(
        created_by=actor, **{k: data[k] for k in RECOMMENDATION_FIELDS if k in data}
    )
    with transaction.atomic():
        recommendation.full_clean()
        save_versioned(recommendation, expected_version=None)
        changes = _set_addressees(recommendation, states, organisations)
        audit.record(
            AuditAction.CREATE,
            obj=recommendation,
            actor=actor,
            changes={"deadline": recommendation.deadline, "addressees": changes["added"]},
        )
    return recommendation


def recommendation_update(
    *,
    actor: Any,
    recommendation: Recommendation,
    expected_version: int | None,
    data: Mapping[str, Any],
    states: Iterable[State] | None = None,
    organisations: Iterable[Organisation] | None = None,
) -> Recommendation:
    """Edit a recommendation (the secretariat), refused with `StaleEdit` when somebody saved it since
    `expected_version`. Addressees are replaced when `states`/`organisations` are given."""
    require_secretariat(actor, SECRETARIAT_ONLY)
    changed = {
        name: data[name]
        for name in RECOMMENDATION_FIELDS
        if name in data and getattr(recommendation, name) != data[name]
    }
    for name, value in changed.items():
        setattr(recommendation, name, value)
    with transaction.atomic():
        recommendation.full_clean()
        save_versioned(recommendation, expected_version=expected_version)
        addressees: dict[str, list[str]] = {}
        if states is not None or organisations is not None:
            if states is None:
                states = [a.state for a in recommendation.addressees.all() if a.state is not None]
            if organisations is None:
                organisations = [
                    a.organisation for a in recommendation.addressees.all() if a.organisation is not None
                ]
            addressees = _set_addressees(recommendation, states, organisations)
        audit.record(
            AuditAction.UPDATE,
            obj=recommendation,
            actor=actor,
            changes={"fields": sorted(changed), **addressees},
        )
    return recommendation


def recommendation_delete(*, actor: Any, recommendation: Recommendation) -> None:
    """Remove a recommendation recorded by mistake: only while no addressee has reported."""
    require_secretariat(actor, SECRETARIAT_ONLY)
    if ImplementationReport.objects.filter(addressee__recommendation=recommendation).exists():
        raise ValidationError(
            _("Addressees have reported on this recommendation: it can no longer be removed.")
        )
    with transaction.atomic():
        audit.record(AuditAction.DELETE, obj=recommendation, actor=actor)
        recommendation.delete()


# --------------------------------------------------------------------------------------------------
# Implementation reports


def _store_evidence(report: ImplementationReport, upload: UploadedFile | None) -> None:
    if upload is None:
        return
    file_type, errors = attachment_errors(upload)
    if errors:
        raise ValidationError({"evidence_file": errors})
    upload.name = safe_file_name(upload.name or "", file_type)
    report.evidence_file = upload


def implementation_report_submit(
    *,
    actor: Any,
    addressee: Addressee,
    status: str,
    narrative: str,
    evidence_url: str = "",
    evidence_file: UploadedFile | None = None,
) -> ImplementationReport:
    """File an addressee's implementation report (its focal point, delegate or body member). Partial
    or full implementation needs evidence; one report at a time awaits validation."""
    if not may_report(actor, addressee):
        raise PermissionDenied(
            _(
                "You do not report for %(addressee)s: its national focal point or committee delegate "
                "(for a state) or its members (for a body) do."
            )
            % {"addressee": addressee}
        )
    report = ImplementationReport(
        addressee=addressee,
        status=status,
        narrative=narrative,
        evidence_url=evidence_url or "",
        submitted_by=actor,
    )
    _store_evidence(report, evidence_file)
    with transaction.atomic():
        Addressee.objects.select_for_update(of=("self",)).filter(pk=addressee.pk).order_by("pk").first()
        if addressee.reports.filter(review=ReviewStatus.PENDING).exists():
            raise ValidationError(
                _(
                    "A report of %(addressee)s is awaiting validation: the secretariat validates or "
                    "returns it before the next one."
                )
                % {"addressee": addressee}
            )
        report.full_clean()
        report.save()
        audit.record(
            AuditAction.CREATE,
            obj=report,
            actor=actor,
            changes={"status": status, "evidence": bool(report.evidence_url or report.evidence_file)},
        )
    return report


def _pending(report: ImplementationReport) -> ImplementationReport:
    """The report, locked, if it still awaits validation."""
    locked = ImplementationReport.objects.select_for_update().select_related("addressee").get(pk=report.pk)
    if locked.review == ReviewStatus.VALIDATED:
        raise ValidationError(_("This report was already validated."))
    if locked.review != ReviewStatus.PENDING:
        raise ValidationError(_("This report was already returned to its addressee."))
    return locked


def implementation_report_validate(*, actor: Any, report: ImplementationReport) -> ImplementationReport:
    """Validate a report: the addressee's status becomes the report's, validated today."""
    require_secretariat(actor, SECRETARIAT_ONLY)
    with transaction.atomic():
        locked = _pending(report)
        locked.review = ReviewStatus.VALIDATED
        locked.reviewed_by = actor
        locked.reviewed_at = timezone.now()
        locked.full_clean()
        locked.save(update_fields=["review", "reviewed_by", "reviewed_at", "updated_at"])
        addressee = locked.addressee
        previous = addressee.status
        addressee.status = locked.status
        addressee.status_validated_on = timezone.localdate()
        addressee.full_clean()
        addressee.save(update_fields=["status", "status_validated_on"])
        audit.record(
            AuditAction.UPDATE,
            obj=locked,
            actor=actor,
            changes={"review": ReviewStatus.VALIDATED, "status": [previous, addressee.status]},
        )
    return locked


def implementation_report_return(
    *, actor: Any, report: ImplementationReport, note: str
) -> ImplementationReport:
    """Return a report to its addressee with a note saying what is missing."""
    require_secretariat(actor, SECRETARIAT_ONLY)
    if not (note or "").strip():
        raise ValidationError({"review_note": _("Say what is missing: the note goes back to the addressee.")})
    with transaction.atomic():
        locked = _pending(report)
        locked.review = ReviewStatus.RETURNED
        locked.reviewed_by = actor
        locked.reviewed_at = timezone.now()
        locked.review_note = note.strip()
        locked.full_clean()
        locked.save(update_fields=["review", "reviewed_by", "reviewed_at", "review_note", "updated_at"])
        audit.record(AuditAction.UPDATE, obj=locked, actor=actor, changes={"review": ReviewStatus.RETURNED})
    return locked


def evidence_downloaded(*, report: ImplementationReport, actor: Any) -> None:
    audit.record(AuditAction.EXPORT, obj=report, actor=actor, changes={"evidence": report.evidence_file.name})


# --------------------------------------------------------------------------------------------------
# Deadlines (wired to the notification registry at merge)


def recommendation_deadlines(today: dt.date) -> list[dict[str, Any]]:
    """Reminders 30 and 7 days before a recommendation's deadline, and a notice once overdue, for
    the people who report for each addressee that has not settled it. Each item: `recipients` (user
    ids), `kind`, `subject`, `body`, `url`, `dedupe_key`."""
    reminder_dates = {today + dt.timedelta(days=days): days for days in REMINDER_DAYS}
    open_addressees = (
        Addressee.objects.exclude(status__in=list(SETTLED_STATUSES))
        .filter(Q(recommendation__deadline__in=list(reminder_dates)) | Q(recommendation__deadline__lt=today))
        .select_related("recommendation", "state", "organisation")
        .order_by("recommendation__deadline", "pk")
    )
    items: list[dict[str, Any]] = []
    for addressee in open_addressees:
        recommendation = addressee.recommendation
        recipients = sorted(set(reporter_memberships(addressee).values_list("user_id", flat=True)))
        if not recipients:
            continue
        url = reverse("policy:recommendation_detail", args=[recommendation.pk])
        values: dict[str, Any] = {
            "code": recommendation.code,
            "title": recommendation.title,
            "deadline": recommendation.deadline.isoformat(),
            "addressee": str(addressee),
        }
        if recommendation.deadline < today:
            items.append(
                {
                    "recipients": recipients,
                    "kind": "recommendation_overdue",
                    "subject": _("Recommendation %(code)s is overdue") % values,
                    "body": _(
                        "The deadline of recommendation %(code)s (%(title)s) was %(deadline)s and "
                        "%(addressee)s has not reported it implemented. Report its implementation "
                        "with evidence."
                    )
                    % values,
                    "url": url,
                    "dedupe_key": f"recommendation-overdue:{addressee.pk}",
                }
            )
            continue
        days = reminder_dates[recommendation.deadline]
        values["days"] = days
        items.append(
            {
                "recipients": recipients,
                "kind": "recommendation_deadline",
                "subject": _("Recommendation %(code)s is due in %(days)s days") % values,
                "body": _(
                    "Recommendation %(code)s (%(title)s) is due on %(deadline)s. Report how %(addressee)s "
                    "implements it, with evidence."
                )
                % values,
                "url": url,
                "dedupe_key": (
                    f"recommendation-due-{days}:{addressee.pk}:{recommendation.deadline.isoformat()}"
                ),
            }
        )
    return items
