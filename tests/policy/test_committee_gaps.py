"""Removing a presidency and a meeting document (pages), and the committee's API for members,
presidencies, meeting documents (upload, list, download, removal) and minutes: permission matrices
and bad input (a stale lock_version, a second membership, an overlapping presidency, a bad file)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ceiba.common.models import AuditEvent
from ceiba.common.testing.permissions import PERSONAS, permission_matrix
from ceiba.core.models import State
from ceiba.policy.models import MeetingDocument, PresidencyTerm

from .test_committee_permissions import EVERYONE, JSON, MEMBERS, api_write, cycle, document, meeting_pk

ADMIN_PAGE = {"anonymous": 302, "secretariat_admin": 200}
SIGNED_IN_403 = {p: 403 for p in PERSONAS if p != "anonymous"}


def term(w: Any) -> PresidencyTerm:
    return cycle(w).committee.presidencies.first()


def outsider(w: Any) -> State:
    committee = cycle(w).committee
    return State.objects.exclude(pk__in=committee.members.values("state")).order_by("iso3").first()


def pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("minutes.pdf", b"%PDF-1.4\n% synthetic\n%%EOF\n", "application/pdf")


# --- pages -------------------------------------------------------------------------------------------

test_presidency_remove_page = permission_matrix(
    "policy:presidency_remove",
    url=lambda w: reverse("policy:presidency_remove", args=[cycle(w).committee.pk, term(w).pk]),
    expect=ADMIN_PAGE,
    default=403,
)
test_presidency_remove_post = permission_matrix(
    "policy:presidency_remove",
    url=lambda w: reverse("policy:presidency_remove", args=[cycle(w).committee.pk, term(w).pk]),
    method="post",
    expect={"anonymous": 302, "secretariat_admin": 302},
    default=403,
)
WRITE_PAGE = {**{p: 403 for p in MEMBERS}, "anonymous": 302, "forum_participant": 404}
test_meeting_document_remove_page = permission_matrix(
    "policy:meeting_document_remove",
    url=lambda w: reverse("policy:meeting_document_remove", args=[meeting_pk(w), document(w).pk]),
    expect={**WRITE_PAGE, "secretariat_admin": 200, "secretariat_analyst": 200},
)
test_meeting_document_remove_post = permission_matrix(
    "policy:meeting_document_remove",
    url=lambda w: reverse("policy:meeting_document_remove", args=[meeting_pk(w), document(w).pk]),
    method="post",
    expect={**WRITE_PAGE, "secretariat_admin": 302, "secretariat_analyst": 302},
)

# --- API: members and presidencies ------------------------------------------------------------------------

test_api_members = permission_matrix(
    "policy-committee-member-list",
    url=lambda w: (cycle(w), reverse("policy-committee-member-list"))[1],
    expect=EVERYONE,
)
test_api_member_add = permission_matrix(
    "policy-committee-member-list",
    url=lambda w: reverse("policy-committee-member-list"),
    method="post",
    data=lambda w: {"committee": cycle(w).committee.pk, "state": outsider(w).iso3, "joined_on": "2030-01-01"},
    content_type=JSON,
    expect={**SIGNED_IN_403, "anonymous": 401, "secretariat_admin": 201},
)
test_api_member_detail = permission_matrix(
    "policy-committee-member-detail",
    url=lambda w: reverse("policy-committee-member-detail", args=[cycle(w).committee.members.first().pk]),
    expect=EVERYONE,
)
test_api_member_update = permission_matrix(
    "policy-committee-member-detail",
    url=lambda w: reverse("policy-committee-member-detail", args=[cycle(w).committee.members.first().pk]),
    method="patch",
    data={"joined_on": "2001-01-01", "left_on": None},
    content_type=JSON,
    expect={**SIGNED_IN_403, "anonymous": 401, "secretariat_admin": 200},
)
test_api_presidencies = permission_matrix(
    "policy-presidency-list",
    url=lambda w: (cycle(w), reverse("policy-presidency-list"))[1],
    expect=EVERYONE,
)
test_api_presidency_add = permission_matrix(
    "policy-presidency-list",
    url=lambda w: reverse("policy-presidency-list"),
    method="post",
    data=lambda w: {
        "committee": cycle(w).committee.pk,
        "state": "ARG",
        "starts_on": "2090-01-01",
        "ends_on": "2090-06-30",
    },
    content_type=JSON,
    expect={**SIGNED_IN_403, "anonymous": 401, "secretariat_admin": 201},
)
test_api_presidency_detail = permission_matrix(
    "policy-presidency-detail",
    url=lambda w: reverse("policy-presidency-detail", args=[term(w).pk]),
    expect=EVERYONE,
)
test_api_presidency_remove = permission_matrix(
    "policy-presidency-detail",
    url=lambda w: reverse("policy-presidency-detail", args=[term(w).pk]),
    method="delete",
    expect={**SIGNED_IN_403, "anonymous": 401, "secretariat_admin": 204},
)

# --- API: documents and minutes ----------------------------------------------------------------------------

test_api_documents = permission_matrix(
    "policy-meeting-document-list",
    url=lambda w: (document(w), reverse("policy-meeting-document-list"))[1],
    expect=EVERYONE,
)
test_api_document_upload = permission_matrix(
    "policy-meeting-document-list",
    url=lambda w: reverse("policy-meeting-document-list"),
    method="post",
    data=lambda w: {
        "meeting": meeting_pk(w),
        "title": "Minutes (synthetic)",
        "language": "es",
        "file": pdf(),
    },
    # The forum's participant does not see the restricted meeting: the field is refused (400).
    expect={**api_write(201), "forum_participant": 400},
)
test_api_document_detail = permission_matrix(
    "policy-meeting-document-detail",
    url=lambda w: reverse("policy-meeting-document-detail", args=[document(w).pk]),
    expect=MEMBERS,
    default=404,
)
test_api_document_download = permission_matrix(
    "policy-meeting-document-download",
    url=lambda w: reverse("policy-meeting-document-download", args=[document(w).pk]),
    expect=MEMBERS,
    default=404,
)
test_api_document_remove = permission_matrix(
    "policy-meeting-document-detail",
    url=lambda w: reverse("policy-meeting-document-detail", args=[document(w).pk]),
    method="delete",
    expect=api_write(204),
)
test_api_minutes = permission_matrix(
    "policy-meeting-minutes",
    url=lambda w: reverse("policy-meeting-minutes", args=[meeting_pk(w)]),
    method="post",
    data=lambda w: {"lock_version": cycle(w).meeting.lock_version, "minutes": "Corrected (synthetic)."},
    content_type=JSON,
    expect=api_write(200),
)


# --- behaviour and bad input --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_removing_a_presidency_is_audited(world, persona_client):
    presidency = term(world)
    client = persona_client("secretariat_admin")
    url = reverse("policy:presidency_remove", args=[presidency.committee_id, presidency.pk])
    assert presidency.state.english_name in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert not PresidencyTerm.objects.filter(pk=presidency.pk).exists()
    assert AuditEvent.objects.filter(object_type="policy.presidencyterm", action="delete").exists()


@pytest.mark.django_db
def test_a_document_of_another_meeting_is_not_found(world, persona_client):
    doc = document(world)
    url = reverse("policy:meeting_document_remove", args=[cycle(world).public_meeting.pk, doc.pk])
    assert persona_client("secretariat_admin").post(url).status_code == 404
    assert MeetingDocument.objects.filter(pk=doc.pk).exists()


@pytest.mark.django_db
def test_api_bad_input_names_the_field(world, persona_client):
    policy = cycle(world)
    admin = persona_client("secretariat_admin")
    member = policy.committee.members.first()
    again = admin.post(
        reverse("policy-committee-member-list"),
        {"committee": policy.committee.pk, "state": member.state.iso3, "joined_on": "2030-01-01"},
        content_type=JSON,
    )
    assert again.status_code == 400 and "state" in again.content.decode()
    overlap = admin.post(
        reverse("policy-presidency-list"),
        {
            "committee": policy.committee.pk,
            "state": "ARG",
            "starts_on": str(dt.date.today()),
            "ends_on": str(dt.date.today() + dt.timedelta(days=30)),
        },
        content_type=JSON,
    )
    assert overlap.status_code == 400
    assert PresidencyTerm.objects.filter(committee=policy.committee).count() == 1
    bad_file = admin.post(
        reverse("policy-meeting-document-list"),
        {
            "meeting": policy.meeting.pk,
            "title": "Not a PDF (synthetic)",
            "language": "xx",
            "file": SimpleUploadedFile("x.exe", b"MZ\x90\x00binary", "application/octet-stream"),
        },
    )
    assert bad_file.status_code == 400 and "language" in bad_file.content.decode()
    bad_type = admin.post(
        reverse("policy-meeting-document-list"),
        {
            "meeting": policy.meeting.pk,
            "title": "Not a PDF (synthetic)",
            "language": "es",
            "file": SimpleUploadedFile("x.exe", b"MZ\x90\x00binary", "application/octet-stream"),
        },
    )
    assert bad_type.status_code == 400 and "file" in bad_type.content.decode()
    assert not MeetingDocument.objects.filter(title="Not a PDF (synthetic)").exists()


@pytest.mark.django_db
def test_api_minutes_refuse_a_stale_version_and_a_cancelled_meeting(world, persona_client):
    policy = cycle(world)
    admin = persona_client("secretariat_admin")
    url = reverse("policy-meeting-minutes", args=[policy.meeting.pk])
    version = policy.meeting.lock_version
    assert admin.post(url, {"lock_version": version, "minutes": "One."}, content_type=JSON).status_code == 200
    stale = admin.post(url, {"lock_version": version, "minutes": "Two."}, content_type=JSON)
    assert stale.status_code == 409
    policy.meeting.refresh_from_db()
    assert policy.meeting.minutes == "One."
    public = policy.public_meeting
    cancel = admin.post(
        reverse("policy-meeting-cancel", args=[public.pk]),
        {"lock_version": public.lock_version},
        content_type=JSON,
    )
    assert cancel.status_code == 200
    refused = admin.post(
        reverse("policy-meeting-minutes", args=[public.pk]),
        {"lock_version": cancel.json()["lock_version"], "minutes": "No."},
        content_type=JSON,
    )
    assert refused.status_code == 400 and "minutes" in refused.content.decode()


@pytest.mark.django_db
def test_api_download_serves_the_file(world, persona_client):
    doc = document(world)
    response = persona_client("national_analyst").get(
        reverse("policy-meeting-document-download", args=[doc.pk])
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    listed = persona_client("national_analyst").get(reverse("policy-meeting-document-list"))
    assert reverse("policy-meeting-document-download", args=[doc.pk]) in listed.content.decode()
