"""Permission matrices for every page and endpoint of the committee part. A restricted meeting is read
by the members (every role but the forum's); a draft decision by the secretariat and committee
delegates; the secretariat writes; the secretariat administrator manages members and presidencies.
Pages ask anonymous visitors to sign in, the API answers 401."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ceiba.common.testing.permissions import PERSONAS, permission_matrix
from ceiba.policy import committee_services as services

from .factories import small_cycle

EVERYONE = {p: 200 for p in PERSONAS}
MEMBERS = {p: 200 for p in PERSONAS if p not in ("anonymous", "forum_participant")}
SECRETARIAT = {"secretariat_admin": 200, "secretariat_analyst": 200}
DELEGATE = "committee_delegate@other_state"
JSON = "application/json"


def cycle(world: Any) -> SimpleNamespace:
    """The small cycle, built once per test (url and data callables share it)."""
    if not hasattr(world, "policy_cycle"):
        world.policy_cycle = small_cycle(world)
    return world.policy_cycle


def meeting_pk(world: Any) -> int:
    return cycle(world).meeting.pk


def item_pk(world: Any) -> int:
    return cycle(world).meeting.agenda_items.first().pk


def document(world: Any) -> Any:
    if not hasattr(world, "policy_document"):
        upload = SimpleUploadedFile("agenda.pdf", b"%PDF-1.4\n% synthetic\n%%EOF\n", "application/pdf")
        world.policy_document = services.meeting_document_add(
            actor=world.users["secretariat_admin"],
            meeting=cycle(world).meeting,
            upload=upload,
            title="Annotated agenda (synthetic)",
            language="es",
        )
    return world.policy_document


def write_page(done: int = 200) -> dict[str, int]:
    """A secretariat page on a restricted record: sign in, 404 for the forum, 403 for members."""
    return {
        **{p: 403 for p in MEMBERS},
        "anonymous": 302,
        "forum_participant": 404,
        "secretariat_admin": done,
        "secretariat_analyst": done,
    }


def draft_action(done: int = 302) -> dict[str, int]:
    """An action on the draft decision: only the secretariat and delegates see it."""
    return {"anonymous": 302, "secretariat_admin": done, "secretariat_analyst": done, DELEGATE: 403}


def api_write(done: int = 200) -> dict[str, int]:
    return {
        **{p: 403 for p in MEMBERS},
        "anonymous": 401,
        "forum_participant": 404,
        "secretariat_admin": done,
        "secretariat_analyst": done,
    }


# --- pages: the committee ---------------------------------------------------------------------------

test_committee_list = permission_matrix(
    "policy:committee_list",
    url=lambda w: (cycle(w), reverse("policy:committee_list"))[1],
    expect={p: 302 for p in PERSONAS},
)
test_committee_detail = permission_matrix(
    "policy:committee_detail",
    url=lambda w: reverse("policy:committee_detail", args=[cycle(w).committee.pk]),
    expect=EVERYONE,
)
ADMIN_ONLY = {"anonymous": 302, "secretariat_admin": 200}
test_committee_member_add = permission_matrix(
    "policy:committee_member_add",
    url=lambda w: reverse("policy:committee_member_add", args=[cycle(w).committee.pk]),
    expect=ADMIN_ONLY,
    default=403,
)
test_committee_member_edit = permission_matrix(
    "policy:committee_member_edit",
    url=lambda w: reverse(
        "policy:committee_member_edit", args=[cycle(w).committee.pk, cycle(w).committee.members.first().pk]
    ),
    expect=ADMIN_ONLY,
    default=403,
)
test_presidency_add = permission_matrix(
    "policy:presidency_add",
    url=lambda w: reverse("policy:presidency_add", args=[cycle(w).committee.pk]),
    expect=ADMIN_ONLY,
    default=403,
)

# --- pages: meetings --------------------------------------------------------------------------------

test_meeting_list = permission_matrix(
    "policy:meeting_list", url=lambda w: (cycle(w), reverse("policy:meeting_list"))[1], expect=EVERYONE
)
test_meeting_detail_restricted = permission_matrix(
    "policy:meeting_detail",
    url=lambda w: reverse("policy:meeting_detail", args=[meeting_pk(w)]),
    expect=MEMBERS,
    default=404,
)
test_meeting_detail_public = permission_matrix(
    "policy:meeting_detail",
    url=lambda w: reverse("policy:meeting_detail", args=[cycle(w).public_meeting.pk]),
    expect=EVERYONE,
)
test_meeting_ics = permission_matrix(
    "policy:meeting_ics",
    url=lambda w: reverse("policy:meeting_ics", args=[meeting_pk(w)]),
    expect=MEMBERS,
    default=404,
)
test_calendar = permission_matrix(
    "policy:calendar", url=lambda w: (cycle(w), reverse("policy:calendar"))[1], expect=EVERYONE
)
test_meeting_create = permission_matrix(
    "policy:meeting_create",
    url=lambda w: reverse("policy:meeting_create"),
    expect={"anonymous": 302, **SECRETARIAT},
    default=403,
)
test_meeting_edit = permission_matrix(
    "policy:meeting_edit",
    url=lambda w: reverse("policy:meeting_edit", args=[meeting_pk(w)]),
    expect=write_page(),
)
test_meeting_minutes = permission_matrix(
    "policy:meeting_minutes",
    url=lambda w: reverse("policy:meeting_minutes", args=[meeting_pk(w)]),
    expect=write_page(),
)
test_meeting_cancel = permission_matrix(
    "policy:meeting_cancel",
    url=lambda w: reverse("policy:meeting_cancel", args=[cycle(w).public_meeting.pk]),
    method="post",
    data={"lock_version": 0},
    expect={**write_page(302), "forum_participant": 403},
)
test_agenda_item_add = permission_matrix(
    "policy:agenda_item_add",
    url=lambda w: reverse("policy:agenda_item_add", args=[meeting_pk(w)]),
    expect=write_page(),
)
test_agenda_item_edit = permission_matrix(
    "policy:agenda_item_edit",
    url=lambda w: reverse("policy:agenda_item_edit", args=[meeting_pk(w), item_pk(w)]),
    expect=write_page(),
)
test_agenda_item_move = permission_matrix(
    "policy:agenda_item_move",
    url=lambda w: reverse("policy:agenda_item_move", args=[meeting_pk(w), item_pk(w)]),
    method="post",
    data={"direction": "down"},
    expect=write_page(302),
)
test_decision_create = permission_matrix(
    "policy:decision_create",
    url=lambda w: reverse("policy:decision_create", args=[meeting_pk(w), item_pk(w)]),
    expect=write_page(),
)
test_meeting_document_add = permission_matrix(
    "policy:meeting_document_add",
    url=lambda w: reverse("policy:meeting_document_add", args=[meeting_pk(w)]),
    expect=write_page(),
)
test_meeting_document_download = permission_matrix(
    "policy:meeting_document_download",
    url=lambda w: reverse("policy:meeting_document_download", args=[meeting_pk(w), document(w).pk]),
    expect=MEMBERS,
    default=404,
)
test_participant_add = permission_matrix(
    "policy:participant_add",
    url=lambda w: reverse("policy:participant_add", args=[meeting_pk(w)]),
    expect=write_page(),
)
test_attendance = permission_matrix(
    "policy:attendance",
    url=lambda w: reverse("policy:attendance", args=[meeting_pk(w)]),
    expect=write_page(),
)

# --- pages: decisions -------------------------------------------------------------------------------

test_decision_detail_published = permission_matrix(
    "policy:decision_detail",
    url=lambda w: reverse("policy:decision_detail", args=[cycle(w).decision.pk]),
    expect=EVERYONE,
)
test_decision_detail_draft = permission_matrix(
    "policy:decision_detail",
    url=lambda w: reverse("policy:decision_detail", args=[cycle(w).draft_decision.pk]),
    expect={**SECRETARIAT, DELEGATE: 200},
    default=404,
)
test_decision_text = permission_matrix(
    "policy:decision_text",
    url=lambda w: reverse("policy:decision_text", args=[cycle(w).draft_decision.pk]),
    method="post",
    data={"lock_version": 0, "text": "A second draft text (synthetic).", "note": "Reworded"},
    expect=draft_action(),
    default=404,
)
test_decision_position = permission_matrix(
    "policy:decision_position",
    url=lambda w: reverse("policy:decision_position", args=[cycle(w).draft_decision.pk]),
    method="post",
    data=lambda w: {"state": w.arg.pk, "position": "in_favour"},
    expect=draft_action(),
    default=404,
)
test_decision_close = permission_matrix(
    "policy:decision_close",
    url=lambda w: reverse("policy:decision_close", args=[cycle(w).draft_decision.pk]),
    method="post",
    data={"lock_version": 0},
    expect=draft_action(),
    default=404,
)
test_decision_publish = permission_matrix(
    "policy:decision_publish",
    url=lambda w: reverse("policy:decision_publish", args=[cycle(w).decision.pk]),
    method="post",
    data={"lock_version": 0, "public": "on"},
    expect={
        **{p: 403 for p in PERSONAS},
        "anonymous": 302,
        "secretariat_admin": 302,
        "secretariat_analyst": 302,
    },
)

# --- API --------------------------------------------------------------------------------------------

test_api_committees = permission_matrix(
    "policy-committee-list", url=lambda w: (cycle(w), reverse("policy-committee-list"))[1], expect=EVERYONE
)
test_api_committee = permission_matrix(
    "policy-committee-detail",
    url=lambda w: reverse("policy-committee-detail", args=[cycle(w).committee.pk]),
    expect=EVERYONE,
)
test_api_meetings = permission_matrix(
    "policy-meeting-list", url=lambda w: (cycle(w), reverse("policy-meeting-list"))[1], expect=EVERYONE
)


def meeting_payload(world: Any) -> dict[str, Any]:
    return {
        "committee": cycle(world).committee.pk,
        "title": "Extraordinary meeting (synthetic)",
        "level": "technical",
        "format": "virtual",
        "starts_at": "2031-03-02T14:00:00Z",
        "ends_at": "2031-03-02T16:00:00Z",
        "online_url": "https://meet.example.org/extra",
        "visibility": "restricted",
    }


test_api_meeting_create = permission_matrix(
    "policy-meeting-list",
    url=lambda w: reverse("policy-meeting-list"),
    method="post",
    data=meeting_payload,
    content_type=JSON,
    expect={"anonymous": 401, "secretariat_admin": 201, "secretariat_analyst": 201},
    default=403,
)
test_api_meeting_detail = permission_matrix(
    "policy-meeting-detail",
    url=lambda w: reverse("policy-meeting-detail", args=[meeting_pk(w)]),
    expect=MEMBERS,
    default=404,
)
test_api_meeting_update = permission_matrix(
    "policy-meeting-detail",
    url=lambda w: reverse("policy-meeting-detail", args=[meeting_pk(w)]),
    method="patch",
    data={"title": "Renamed (synthetic)", "lock_version": 0},
    content_type=JSON,
    expect=api_write(),
)
test_api_meeting_cancel = permission_matrix(
    "policy-meeting-cancel",
    url=lambda w: reverse("policy-meeting-cancel", args=[cycle(w).public_meeting.pk]),
    method="post",
    data={"lock_version": 0},
    content_type=JSON,
    expect={**api_write(), "forum_participant": 403},
)
test_api_meeting_agenda_order = permission_matrix(
    "policy-meeting-agenda-order",
    url=lambda w: reverse("policy-meeting-agenda-order", args=[meeting_pk(w)]),
    method="post",
    data=lambda w: {"order": [item_pk(w)]},
    content_type=JSON,
    expect=api_write(),
)
test_api_meeting_documents = permission_matrix(
    "policy-meeting-documents",
    url=lambda w: reverse("policy-meeting-documents", args=[meeting_pk(w)]),
    expect=MEMBERS,
    default=404,
)
test_api_agenda_items = permission_matrix(
    "policy-agenda-item-list",
    url=lambda w: (cycle(w), reverse("policy-agenda-item-list"))[1],
    expect=EVERYONE,
)
test_api_agenda_item_create = permission_matrix(
    "policy-agenda-item-list",
    url=lambda w: reverse("policy-agenda-item-list"),
    method="post",
    data=lambda w: {"meeting": meeting_pk(w), "title": "Any other business (synthetic)"},
    content_type=JSON,
    expect={**api_write(201), "forum_participant": 400},
)
test_api_agenda_item_detail = permission_matrix(
    "policy-agenda-item-detail",
    url=lambda w: reverse("policy-agenda-item-detail", args=[item_pk(w)]),
    expect=MEMBERS,
    default=404,
)
test_api_participants = permission_matrix(
    "policy-participant-list",
    url=lambda w: (cycle(w), reverse("policy-participant-list"))[1],
    expect=EVERYONE,
)
test_api_participant_detail = permission_matrix(
    "policy-participant-detail",
    url=lambda w: reverse("policy-participant-detail", args=[cycle(w).meeting.participants.first().pk]),
    expect=MEMBERS,
    default=404,
)
test_api_participant_attendance = permission_matrix(
    "policy-participant-attendance",
    url=lambda w: reverse("policy-participant-attendance", args=[cycle(w).meeting.participants.first().pk]),
    method="post",
    data={"attended": False},
    content_type=JSON,
    expect=api_write(),
)
test_api_decisions = permission_matrix(
    "policy-decision-list", url=lambda w: (cycle(w), reverse("policy-decision-list"))[1], expect=EVERYONE
)
test_api_decision_create = permission_matrix(
    "policy-decision-list",
    url=lambda w: reverse("policy-decision-list"),
    method="post",
    data=lambda w: {
        "agenda_item": item_pk(w),
        "reference": "TC/9/2026 (synthetic)",
        "title": "A new decision (synthetic)",
        "method": "vote",
        "text": "The committee decides (synthetic).",
    },
    content_type=JSON,
    expect={**api_write(201), "forum_participant": 400},
)
test_api_decision_detail = permission_matrix(
    "policy-decision-detail",
    url=lambda w: reverse("policy-decision-detail", args=[cycle(w).draft_decision.pk]),
    expect={**SECRETARIAT, DELEGATE: 200},
    default=404,
)


def api_draft_action(done: int = 200) -> dict[str, int]:
    return {"anonymous": 401, "secretariat_admin": done, "secretariat_analyst": done, DELEGATE: 403}


test_api_decision_texts = permission_matrix(
    "policy-decision-texts",
    url=lambda w: reverse("policy-decision-texts", args=[cycle(w).draft_decision.pk]),
    method="post",
    data={"lock_version": 0, "text": "Second version (synthetic)."},
    content_type=JSON,
    expect=api_draft_action(201),
    default=404,
)
test_api_decision_positions = permission_matrix(
    "policy-decision-positions",
    url=lambda w: reverse("policy-decision-positions", args=[cycle(w).draft_decision.pk]),
    method="post",
    data={"state": "ARG", "position": "against"},
    content_type=JSON,
    expect=api_draft_action(),
    default=404,
)
test_api_decision_close = permission_matrix(
    "policy-decision-close",
    url=lambda w: reverse("policy-decision-close", args=[cycle(w).draft_decision.pk]),
    method="post",
    data={"lock_version": 0},
    content_type=JSON,
    expect=api_draft_action(400),  # nobody has a position yet: no quorum
    default=404,
)
test_api_decision_publish = permission_matrix(
    "policy-decision-publish",
    url=lambda w: reverse("policy-decision-publish", args=[cycle(w).decision.pk]),
    method="post",
    data={"lock_version": 0, "public": False},
    content_type=JSON,
    expect={
        **{p: 403 for p in PERSONAS},
        "anonymous": 401,
        "secretariat_admin": 200,
        "secretariat_analyst": 200,
    },
)
test_api_positions = permission_matrix(
    "policy-position-list", url=lambda w: (cycle(w), reverse("policy-position-list"))[1], expect=EVERYONE
)
test_api_position_detail = permission_matrix(
    "policy-position-detail",
    url=lambda w: reverse("policy-position-detail", args=[cycle(w).decision.positions.first().pk]),
    expect=EVERYONE,
)
