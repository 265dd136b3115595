"""Writes of the committee part of the policy cycle (issue 5, items 1 and 2): member states and pro
tempore presidencies (the secretariat administrator), meetings with their agenda, documents,
participants and minutes, and decisions with their versioned texts, the states' positions, their
closing under the declared rules (`voting`) and their publication (the secretariat).

Every service checks who acts (never trusting the caller), validates with `full_clean`, runs in one
transaction and writes an audit row."""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ceiba.common import audit
from ceiba.common.access import principal_for, require_secretariat
from ceiba.common.locking import save_versioned
from ceiba.common.models import AuditAction
from ceiba.core.choices import SECRETARIAT_ROLES, Role
from ceiba.core.models import State
from ceiba.documentation.attachment_services import attachment_errors, safe_file_name

from . import voting
from .choices import DecisionStatus, MeetingStatus, ParticipantRole, Visibility
from .models import (
    AgendaItem,
    Committee,
    CommitteeMember,
    Decision,
    DecisionText,
    Meeting,
    MeetingDocument,
    MeetingParticipant,
    PresidencyTerm,
    StatePosition,
)

#: Why a meeting or decision is not someone else's to write (the secretariat's).
SECRETARIAT_ONLY = gettext_lazy("Only the secretariat schedules meetings and records decisions.")

MEETING_FIELDS = (
    "title",
    "level",
    "format",
    "starts_at",
    "ends_at",
    "location",
    "online_url",
    "description",
    "visibility",
)


# --- who may act ------------------------------------------------------------------------------------


def may_manage_committee(user: Any) -> bool:
    """Members and presidencies: the secretariat administrator."""
    principal = principal_for(user)
    return principal.authenticated and (principal.superuser or principal.has_role(Role.SECRETARIAT_ADMIN))


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _saved(obj: Any, *, actor: Any, action: str = AuditAction.CREATE, **changes: Any) -> Any:
    obj.full_clean()
    obj.save()
    audit.record(action, obj=obj, actor=actor, changes=changes or None)
    return obj


# --- the committee ----------------------------------------------------------------------------------


@transaction.atomic
def committee_member_add(
    *, actor: Any, committee: Committee, state: State, joined_on: dt.date, left_on: dt.date | None = None
) -> CommitteeMember:
    """Make a state a member of the committee from a date (the secretariat administrator)."""
    _require(may_manage_committee(actor), _("Only the secretariat administrator manages the members."))
    if committee.members.filter(state=state).exists():
        raise ValidationError(
            {"state": _("%(state)s is already a member of the committee.") % {"state": state}}
        )
    member = CommitteeMember(committee=committee, state=state, joined_on=joined_on, left_on=left_on)
    return _saved(member, actor=actor, state=state.iso3, joined_on=str(joined_on))


@transaction.atomic
def committee_member_update(
    *, actor: Any, member: CommitteeMember, joined_on: dt.date, left_on: dt.date | None
) -> CommitteeMember:
    """Change when a member state joined or record the day it left."""
    _require(may_manage_committee(actor), _("Only the secretariat administrator manages the members."))
    member.joined_on, member.left_on = joined_on, left_on
    return _saved(
        member, actor=actor, action=AuditAction.UPDATE, joined_on=str(joined_on), left_on=str(left_on)
    )


@transaction.atomic
def presidency_add(
    *, actor: Any, committee: Committee, state: State, starts_on: dt.date, ends_on: dt.date
) -> PresidencyTerm:
    """Record a pro tempore presidency; the model refuses overlaps and states that are not members."""
    _require(may_manage_committee(actor), _("Only the secretariat administrator manages the presidencies."))
    term = PresidencyTerm(committee=committee, state=state, starts_on=starts_on, ends_on=ends_on)
    return _saved(term, actor=actor, state=state.iso3, starts_on=str(starts_on), ends_on=str(ends_on))


@transaction.atomic
def presidency_remove(*, actor: Any, term: PresidencyTerm) -> None:
    """Remove a presidency recorded by mistake."""
    _require(may_manage_committee(actor), _("Only the secretariat administrator manages the presidencies."))
    audit.record(AuditAction.DELETE, obj=term, actor=actor)
    term.delete()


# --- meetings ---------------------------------------------------------------------------------------


@transaction.atomic
def meeting_create(*, actor: Any, committee: Committee, **fields: Any) -> Meeting:
    """Schedule a meeting of the committee."""
    require_secretariat(actor, SECRETARIAT_ONLY)
    meeting = Meeting(committee=committee, created_by=actor, **_only(fields, MEETING_FIELDS))
    meeting.full_clean()
    save_versioned(meeting, expected_version=None)
    audit.record(AuditAction.CREATE, obj=meeting, actor=actor, changes={"starts_at": str(meeting.starts_at)})
    return meeting


def _only(fields: dict[str, Any], allowed: Sequence[str]) -> dict[str, Any]:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")
    return fields


@transaction.atomic
def meeting_update(*, actor: Any, meeting: Meeting, expected_version: int | None, **fields: Any) -> Meeting:
    """Change a meeting; refused (`StaleEdit`) when somebody saved it since `expected_version`."""
    require_secretariat(actor, SECRETARIAT_ONLY)
    allowed = (*MEETING_FIELDS, "status", "minutes", "minutes_approved_on")
    changed = {}
    for name, value in _only(fields, allowed).items():
        if getattr(meeting, name) != value:
            changed[name] = str(value)
        setattr(meeting, name, value)
    meeting.full_clean()
    save_versioned(meeting, expected_version=expected_version)
    audit.record(AuditAction.UPDATE, obj=meeting, actor=actor, changes=changed)
    return meeting


@transaction.atomic
def meeting_delete(*, actor: Any, meeting: Meeting) -> None:
    """Delete a meeting scheduled by mistake; one with decisions is cancelled instead."""
    require_secretariat(actor, SECRETARIAT_ONLY)
    if meeting.decisions.exists():
        raise ValidationError(_("This meeting has decisions: cancel it instead of deleting it."))
    audit.record(AuditAction.DELETE, obj=meeting, actor=actor)
    meeting.delete()


def meeting_cancel(*, actor: Any, meeting: Meeting, expected_version: int | None) -> Meeting:
    """Cancel a meeting that has not been held."""
    if meeting.status == MeetingStatus.HELD:
        raise ValidationError({"status": _("A meeting that was held cannot be cancelled.")})
    return meeting_update(
        actor=actor, meeting=meeting, expected_version=expected_version, status=MeetingStatus.CANCELLED
    )


def meeting_minutes(
    *, actor: Any, meeting: Meeting, expected_version: int | None, minutes: str, approved_on: dt.date | None
) -> Meeting:
    """Write (or correct) a meeting's minutes, in Markdown, and record when they were approved."""
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError({"minutes": _("A cancelled meeting has no minutes.")})
    return meeting_update(
        actor=actor,
        meeting=meeting,
        expected_version=expected_version,
        minutes=minutes,
        minutes_approved_on=approved_on,
    )


# --- agenda -----------------------------------------------------------------------------------------


@transaction.atomic
def agenda_item_add(*, actor: Any, meeting: Meeting, title: str, description: str = "") -> AgendaItem:
    """Add an item at the end of the agenda."""
    require_secretariat(actor, SECRETARIAT_ONLY)
    last = meeting.agenda_items.order_by("-number").values_list("number", flat=True).first() or 0
    item = AgendaItem(meeting=meeting, number=last + 1, title=title, description=description)
    return _saved(item, actor=actor, meeting=meeting.pk, title=title)


@transaction.atomic
def agenda_item_update(*, actor: Any, item: AgendaItem, title: str, description: str = "") -> AgendaItem:
    """Change an agenda item's title or description."""
    require_secretariat(actor, SECRETARIAT_ONLY)
    item.title, item.description = title, description
    return _saved(item, actor=actor, action=AuditAction.UPDATE, title=title)


@transaction.atomic
def agenda_reorder(*, actor: Any, meeting: Meeting, order: Sequence[int]) -> list[AgendaItem]:
    """Renumber the agenda in the order of `order` (every item's id, once)."""
    require_secretariat(actor, SECRETARIAT_ONLY)
    items = {item.pk: item for item in meeting.agenda_items.select_for_update()}
    if sorted(order) != sorted(items) or len(set(order)) != len(order):
        raise ValidationError({"order": _("Give every item of this meeting's agenda once.")})
    # Two passes so that the unique (meeting, number) constraint never sees a duplicate.
    offset = len(items) + 1000
    for pk, item in items.items():
        AgendaItem.objects.filter(pk=pk).update(number=item.number + offset)
    result = []
    for number, pk in enumerate(order, start=1):
        AgendaItem.objects.filter(pk=pk).update(number=number)
        items[pk].number = number
        result.append(items[pk])
    audit.record(AuditAction.UPDATE, obj=meeting, actor=actor, changes={"agenda": list(order)})
    return result


# --- documents --------------------------------------------------------------------------------------


@transaction.atomic
def meeting_document_add(
    *,
    actor: Any,
    meeting: Meeting,
    upload: UploadedFile,
    title: str,
    language: str,
    agenda_item: AgendaItem | None = None,
) -> MeetingDocument:
    """Attach a document to a meeting after checking its size and type from its bytes (as threat
    reports' attachments are checked)."""
    require_secretariat(actor, SECRETARIAT_ONLY)
    file_type, errors = attachment_errors(upload)
    if errors or file_type is None:
        raise ValidationError({"file": errors})
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError({"agenda_item": _("Choose an item of this meeting's agenda.")})
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    name = safe_file_name(upload.name or "", file_type)
    document = MeetingDocument(
        meeting=meeting, agenda_item=agenda_item, title=title, language=language, uploaded_by=actor
    )
    document.file.save(name, upload, save=False)
    return _saved(document, actor=actor, meeting=meeting.pk, name=name, sha256=digest.hexdigest())


@transaction.atomic
def meeting_document_remove(*, actor: Any, document: MeetingDocument) -> None:
    """Remove a document and its stored file."""
    require_secretariat(actor, SECRETARIAT_ONLY)
    audit.record(AuditAction.DELETE, obj=document, actor=actor, changes={"meeting": document.meeting_id})
    stored = document.file.name
    storage = document.file.storage
    document.delete()
    transaction.on_commit(lambda: storage.delete(stored) if stored else None)


def meeting_document_downloaded(*, document: MeetingDocument, actor: Any) -> None:
    """Downloads are audited (the view fetched the document through the access policy)."""
    audit.record(AuditAction.EXPORT, obj=document, actor=actor, changes={"meeting": document.meeting_id})


# --- participants -----------------------------------------------------------------------------------


@transaction.atomic
def participant_add(*, actor: Any, meeting: Meeting, **fields: Any) -> MeetingParticipant:
    """Invite a delegation (member states only), an observer, the secretariat or an expert."""
    require_secretariat(actor, SECRETARIAT_ONLY)
    allowed = ("role", "state", "organisation", "name", "position", "head_of_delegation")
    participant = MeetingParticipant(meeting=meeting, **_only(fields, allowed))
    return _saved(participant, actor=actor, meeting=meeting.pk, role=participant.role)


@transaction.atomic
def attendance_record(*, actor: Any, meeting: Meeting, attended: dict[int, bool | None]) -> int:
    """Record who attended (participant id -> yes / no / unknown); returns how many changed."""
    require_secretariat(actor, SECRETARIAT_ONLY)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("A cancelled meeting has no attendance."))
    participants = {p.pk: p for p in meeting.participants.all()}
    unknown = set(attended) - set(participants)
    if unknown:
        raise ValidationError(
            _("These participants are not invited to this meeting: %(ids)s") % {"ids": sorted(unknown)}
        )
    changed = 0
    for pk, value in attended.items():
        if participants[pk].attended != value:
            MeetingParticipant.objects.filter(pk=pk).update(attended=value)
            changed += 1
    audit.record(
        AuditAction.UPDATE,
        obj=meeting,
        actor=actor,
        changes={"attendance": {str(k): v for k, v in attended.items()}},
    )
    return changed


# --- decisions --------------------------------------------------------------------------------------


def _require_draft(decision: Decision) -> None:
    if decision.status != DecisionStatus.DRAFT:
        raise ValidationError(_("This decision is closed: its text and the positions no longer change."))


@transaction.atomic
def decision_create(
    *,
    actor: Any,
    agenda_item: AgendaItem,
    reference: str,
    title: str,
    method: str,
    text: str,
    quorum: str = "",
    majority: str = "",
    visibility: str = Visibility.RESTRICTED,
) -> Decision:
    """Open a draft decision on an agenda item with its first text; quorum and majority default to
    the committee's rules."""
    require_secretariat(actor, SECRETARIAT_ONLY)
    meeting = agenda_item.meeting
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError({"agenda_item": _("A cancelled meeting takes no decision.")})
    committee = meeting.committee
    decision = Decision(
        meeting=meeting,
        agenda_item=agenda_item,
        reference=reference,
        title=title,
        method=method,
        quorum=quorum or committee.default_quorum,
        majority=majority or committee.default_majority,
        visibility=visibility,
    )
    if not text.strip():
        raise ValidationError({"text": _("Write the decision's text.")})
    decision.full_clean()
    save_versioned(decision, expected_version=None)
    DecisionText.objects.create(decision=decision, number=1, text=text, created_by=actor)
    audit.record(AuditAction.CREATE, obj=decision, actor=actor, changes={"agenda_item": agenda_item.pk})
    return decision


@transaction.atomic
def decision_update(
    *, actor: Any, decision: Decision, expected_version: int | None, **fields: Any
) -> Decision:
    """Change a draft decision's reference, title, method or rules."""
    require_secretariat(actor, SECRETARIAT_ONLY)
    _require_draft(decision)
    for name, value in _only(
        fields, ("reference", "title", "method", "quorum", "majority", "visibility")
    ).items():
        setattr(decision, name, value)
    decision.full_clean()
    save_versioned(decision, expected_version=expected_version)
    audit.record(
        AuditAction.UPDATE, obj=decision, actor=actor, changes={k: str(v) for k, v in fields.items()}
    )
    return decision


@transaction.atomic
def decision_text_add(
    *, actor: Any, decision: Decision, expected_version: int | None, text: str, note: str = ""
) -> DecisionText:
    """Save a new version of a draft decision's text; earlier versions stay."""
    require_secretariat(actor, SECRETARIAT_ONLY)
    _require_draft(decision)
    if not text.strip():
        raise ValidationError({"text": _("Write the decision's text.")})
    current = decision.current_text
    if current is not None and current.text == text:
        raise ValidationError({"text": _("The text is unchanged.")})
    save_versioned(decision, expected_version=expected_version, update_fields=["updated_at"])
    version = DecisionText(
        decision=decision,
        number=(current.number if current else 0) + 1,
        text=text,
        note=note,
        created_by=actor,
    )
    version.full_clean()
    version.save()
    audit.record(AuditAction.UPDATE, obj=decision, actor=actor, changes={"text_version": version.number})
    return version


def text_changes(old: str, new: str) -> list[tuple[str, str]]:
    """What changed between two versions, line by line: ("+" | "-" | " ", line)."""
    rows = []
    for line in difflib.ndiff(old.splitlines(), new.splitlines()):
        if line[:1] in "+- ":
            rows.append((line[:1], line[2:]))
    return rows


@transaction.atomic
def position_record(
    *, actor: Any, decision: Decision, state: State, position: str, statement: str = ""
) -> StatePosition:
    """Record a member state's vote or position on a draft decision; a state takes one position (a
    second call corrects it). A state that is not a member is refused."""
    require_secretariat(actor, SECRETARIAT_ONLY)
    _require_draft(decision)
    row = decision.positions.filter(state=state).first() or StatePosition(decision=decision, state=state)
    created = row.pk is None
    row.position, row.statement, row.recorded_by = position, statement, actor
    return _saved(
        row,
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        decision=decision.pk,
        state=state.iso3,
        position=position,
    )


@transaction.atomic
def decision_close(
    *, actor: Any, decision: Decision, expected_version: int | None, decided_on: dt.date | None = None
) -> Decision:
    """Count the positions under the decision's rules (`voting.decide`) and store the outcome:
    adopted or not. Without quorum nothing is saved."""
    require_secretariat(actor, SECRETARIAT_ONLY)
    _require_draft(decision)
    meeting = decision.meeting
    members = meeting.committee.member_state_ids(meeting.starts_at.date())
    positions = list(decision.positions.select_related("state"))
    try:
        outcome = voting.decide(
            method=decision.method,
            quorum_rule=decision.quorum,
            majority_rule=decision.majority,
            members=len(members),
            positions=[(p.state.iso3, p.position) for p in positions if p.state_id in members],
        )
    except voting.NoQuorum as error:
        raise ValidationError(
            _(
                "No quorum: %(present)s of %(members)s member states are present and the rule requires "
                "%(required)s. Record the positions of the states present, or mark the absent ones."
            )
            % {"present": error.present, "members": error.members, "required": error.required}
        ) from error
    except ValueError as error:
        raise ValidationError(str(error)) from error
    decision.outcome = outcome.as_dict()
    decision.status = DecisionStatus.ADOPTED if outcome.adopted else DecisionStatus.REJECTED
    decision.decided_on = decided_on or meeting.starts_at.date()
    decision.full_clean()
    save_versioned(decision, expected_version=expected_version)
    audit.record(AuditAction.UPDATE, obj=decision, actor=actor, changes={"closed": decision.outcome})
    return decision


@transaction.atomic
def decision_publish(
    *, actor: Any, decision: Decision, expected_version: int | None, public: bool = True
) -> Decision:
    """Publish a closed decision (public, with its date) or keep it restricted to the members."""
    require_secretariat(actor, SECRETARIAT_ONLY)
    if decision.status == DecisionStatus.DRAFT and public:
        raise ValidationError(_("Close the decision before publishing it."))
    decision.visibility = Visibility.PUBLIC if public else Visibility.RESTRICTED
    decision.published_at = timezone.now() if public else None
    save_versioned(decision, expected_version=expected_version)
    audit.record(AuditAction.UPDATE, obj=decision, actor=actor, changes={"visibility": decision.visibility})
    return decision


# --- deadlines (wired to the notification registry at merge) ----------------------------------------


def committee_deadlines(today: dt.date) -> list[dict[str, Any]]:
    """Reminders of the committee's meetings one week ahead, to their delegations' people and the
    secretariat: recipient user ids, kind, subject, body, url, dedupe key."""
    from django.urls import reverse

    from ceiba.core.models import Membership

    soon = today + dt.timedelta(days=7)
    meetings = Meeting.objects.filter(status=MeetingStatus.SCHEDULED, starts_at__date=soon).select_related(
        "committee"
    )
    result = []
    for meeting in meetings:
        states = list(
            meeting.participants.filter(role=ParticipantRole.DELEGATION).values_list("state_id", flat=True)
        )
        users = Membership.objects.active().filter(
            organisation__state_id__in=states, role__in=[Role.COMMITTEE_DELEGATE, Role.NATIONAL_FOCAL_POINT]
        ) | Membership.objects.active().filter(
            organisation_id=meeting.committee.secretariat_id, role__in=list(SECRETARIAT_ROLES)
        )
        result.append(
            {
                "recipients": sorted(set(users.values_list("user_id", flat=True))),
                "kind": "policy.meeting_soon",
                "subject": _("Meeting in a week: %(title)s") % {"title": meeting.title},
                "body": _("%(title)s starts on %(date)s.")
                % {
                    "title": meeting.title,
                    "date": formats.date_format(timezone.localtime(meeting.starts_at), "DATETIME_FORMAT"),
                },
                "url": reverse("policy:meeting_detail", args=[meeting.pk]),
                "dedupe_key": f"policy.meeting_soon:{meeting.pk}:{meeting.starts_at.date()}",
            }
        )
    return result
