"""The committee part as its users meet it: members and presidencies, scheduling and editing meetings
(optimistic locking), the agenda, documents, participants and minutes, decisions from the first text
to their publication, the API's errors, the iCalendar exports and the query counts of list pages."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from ceiba.common.locking import StaleEdit
from ceiba.core.choices import Role
from ceiba.core.models import State
from ceiba.policy import committee_calendar
from ceiba.policy import committee_services as services
from ceiba.policy.choices import DecisionStatus, MeetingStatus, ParticipantRole, Visibility
from ceiba.policy.models import Decision, Meeting, PresidencyTerm, StatePosition

from ..factories import MembershipFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% synthetic\n%%EOF\n"


@pytest.fixture
def admin(world: Any) -> Any:
    return world.users["secretariat_admin"]


@pytest.fixture
def analyst(world: Any) -> Any:
    return world.users["secretariat_analyst"]


def signed_in(persona_client: Any, persona: str = "secretariat_admin") -> Client:
    return persona_client(persona)


def non_member() -> State:
    state = State.objects.filter(committee_member_since__isnull=True).order_by("iso3").first()
    assert state is not None
    return state


def members(policy: SimpleNamespace) -> list[State]:
    ids = policy.committee.member_state_ids(policy.meeting.starts_at.date())
    return list(State.objects.filter(pk__in=ids).order_by("iso3"))


def open_decision(policy: SimpleNamespace, actor: Any, **kwargs: Any) -> Decision:
    item = policy.meeting.agenda_items.first()
    arguments = {
        "reference": "TC/7/2026 (synthetic)",
        "title": "Joint operation (synthetic)",
        "method": "vote",
    }
    return services.decision_create(
        actor=actor,
        agenda_item=item,
        text="The committee launches a joint operation.",
        **{**arguments, **kwargs},
    )


# --- the committee ----------------------------------------------------------------------------------


def test_the_committee_page_shows_members_presidencies_and_secretariat(policy, client):
    response = client.get(reverse("policy:committee_detail", args=[policy.committee.pk]))
    html = response.content.decode()
    assert policy.committee.secretariat.name in html
    assert str(policy.world.arg) in html
    assert "Add a member state" not in html


def test_an_overlapping_presidency_is_refused_with_a_clear_error(policy, persona_client):
    year = timezone.localdate().year
    response = signed_in(persona_client).post(
        reverse("policy:presidency_add", args=[policy.committee.pk]),
        {"state": policy.world.bra.pk, "starts_on": f"{year}-06-01", "ends_on": f"{year + 1}-05-31"},
    )
    assert response.status_code == 400
    assert "Another presidency covers part of these dates." in response.content.decode()
    assert PresidencyTerm.objects.filter(committee=policy.committee).count() == 1


def test_a_presidency_is_held_by_a_member_state_only(policy, admin):
    year = timezone.localdate().year
    with pytest.raises(ValidationError) as caught:
        services.presidency_add(
            actor=admin,
            committee=policy.committee,
            state=non_member(),
            starts_on=dt.date(year + 1, 1, 1),
            ends_on=dt.date(year + 1, 6, 30),
        )
    assert "state" in caught.value.message_dict
    term = services.presidency_add(
        actor=admin,
        committee=policy.committee,
        state=policy.world.bra,
        starts_on=dt.date(year + 1, 1, 1),
        ends_on=dt.date(year + 1, 6, 30),
    )
    assert term.pk


def test_only_the_administrator_manages_members(policy, analyst, admin):
    state = non_member()
    with pytest.raises(PermissionDenied):
        services.committee_member_add(
            actor=analyst, committee=policy.committee, state=state, joined_on=dt.date(2024, 1, 1)
        )
    services.committee_member_add(
        actor=admin, committee=policy.committee, state=state, joined_on=dt.date(2024, 1, 1)
    )
    with pytest.raises(ValidationError):
        services.committee_member_add(
            actor=admin, committee=policy.committee, state=state, joined_on=dt.date(2024, 1, 1)
        )


# --- meetings ---------------------------------------------------------------------------------------


def meeting_form(policy: SimpleNamespace, **changes: Any) -> dict[str, Any]:
    return {
        "committee": policy.committee.pk,
        "title": "Technical meeting on arms (synthetic)",
        "level": "technical",
        "format": "in_person",
        "starts_at": "2031-05-04T09:00",
        "ends_at": "2031-05-04T17:00",
        "location": "Lima",
        "visibility": "restricted",
        **changes,
    }


def test_a_meeting_ending_before_it_starts_is_refused_and_not_saved(policy, persona_client):
    before = Meeting.objects.count()
    response = signed_in(persona_client).post(
        reverse("policy:meeting_create"), meeting_form(policy, ends_at="2031-05-04T08:00")
    )
    assert response.status_code == 400
    assert "A meeting ends after it starts." in response.content.decode()
    assert Meeting.objects.count() == before


def test_the_secretariat_schedules_and_edits_a_meeting(policy, persona_client):
    client = signed_in(persona_client, "secretariat_analyst")
    response = client.post(reverse("policy:meeting_create"), meeting_form(policy))
    assert response.status_code == 302
    meeting = Meeting.objects.get(title="Technical meeting on arms (synthetic)")
    data = meeting_form(policy, title="Renamed (synthetic)", lock_version=meeting.lock_version)
    data.pop("committee")
    assert client.post(reverse("policy:meeting_edit", args=[meeting.pk]), data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "Renamed (synthetic)" and meeting.lock_version == 1


def test_a_stale_edit_of_a_meeting_is_refused_with_a_clear_form_error(policy, persona_client, admin):
    meeting = policy.public_meeting
    started_from = meeting.lock_version
    services.meeting_update(
        actor=admin, meeting=meeting, expected_version=started_from, title="Changed first"
    )
    data = meeting_form(
        policy,
        title="Changed second",
        format="virtual",
        online_url="https://meet.example.org/x",
        lock_version=started_from,
    )
    data.pop("committee")
    response = signed_in(persona_client).post(reverse("policy:meeting_edit", args=[meeting.pk]), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Somebody else saved this record" in page
    # The page's title is the meeting's as stored; only the form keeps the typed one.
    assert "<h1>Changed first</h1>" in page and page.count("Changed second") == 1
    meeting.refresh_from_db()
    assert meeting.title == "Changed first"


def test_cancelling_a_meeting(policy, admin):
    meeting = services.meeting_cancel(
        actor=admin, meeting=policy.public_meeting, expected_version=policy.public_meeting.lock_version
    )
    assert meeting.status == MeetingStatus.CANCELLED
    with pytest.raises(ValidationError):
        services.meeting_cancel(actor=admin, meeting=policy.meeting, expected_version=None)  # held


def test_the_meeting_list_filters_by_level_and_format(policy, persona_client):
    client = signed_in(persona_client, "national_analyst")
    html = client.get(reverse("policy:meeting_list"), {"level": "technical"}).content.decode()
    assert policy.public_meeting.title in html and policy.meeting.title not in html
    html = client.get(reverse("policy:meeting_list"), {"format": "in_person"}).content.decode()
    assert policy.meeting.title in html and policy.public_meeting.title not in html


def test_anonymous_visitors_see_only_public_meetings(policy, client):
    html = client.get(reverse("policy:meeting_list")).content.decode()
    assert policy.public_meeting.title in html and policy.meeting.title not in html


def test_agenda_items_are_added_and_reordered(policy, admin, persona_client):
    meeting = policy.meeting
    first = meeting.agenda_items.get()
    second = services.agenda_item_add(actor=admin, meeting=meeting, title="Budget (synthetic)")
    assert second.number == 2
    response = signed_in(persona_client).post(
        reverse("policy:agenda_item_move", args=[meeting.pk, second.pk]), {"direction": "up"}
    )
    assert response.status_code == 302
    numbers = dict(meeting.agenda_items.values_list("pk", "number"))
    assert numbers == {second.pk: 1, first.pk: 2}
    with pytest.raises(ValidationError):
        services.agenda_reorder(actor=admin, meeting=meeting, order=[second.pk])


def test_documents_are_checked_and_served_through_the_access_policy(policy, admin, persona_client):
    meeting = policy.meeting
    with pytest.raises(ValidationError) as caught:
        services.meeting_document_add(
            actor=admin,
            meeting=meeting,
            upload=SimpleUploadedFile("tool.pdf", b"MZ\x90\x00binary", "application/pdf"),
            title="Not a PDF",
            language="es",
        )
    assert "file" in caught.value.message_dict
    document = services.meeting_document_add(
        actor=admin,
        meeting=meeting,
        upload=SimpleUploadedFile("report.pdf", PDF, "application/pdf"),
        title="Report (synthetic)",
        language="en",
    )
    url = reverse("policy:meeting_document_download", args=[meeting.pk, document.pk])
    response = signed_in(persona_client, "national_analyst").get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["X-Content-Type-Options"] == "nosniff"
    assert Client().get(url).status_code == 404


def test_a_delegation_comes_from_a_member_state(policy, admin):
    with pytest.raises(ValidationError) as caught:
        services.participant_add(
            actor=admin, meeting=policy.meeting, role=ParticipantRole.DELEGATION, state=non_member()
        )
    assert "state" in caught.value.message_dict
    observer = services.participant_add(
        actor=admin, meeting=policy.meeting, role=ParticipantRole.OBSERVER, organisation=policy.ameripol
    )
    assert services.attendance_record(actor=admin, meeting=policy.meeting, attended={observer.pk: True}) == 1


def test_minutes_are_rendered_safely(policy, admin, persona_client):
    services.meeting_minutes(
        actor=admin,
        meeting=policy.meeting,
        expected_version=policy.meeting.lock_version,
        minutes="## Opening\n\n**Agreed** <script>alert(1)</script>",
        approved_on=None,
    )
    html = signed_in(persona_client).get(reverse("policy:meeting_detail", args=[policy.meeting.pk])).content
    assert b"<strong>Agreed</strong>" in html and b"<script>alert(1)" not in html


# --- decisions --------------------------------------------------------------------------------------


def test_a_decision_takes_the_committees_rules_by_default(policy, admin):
    decision = open_decision(policy, admin)
    assert (decision.quorum, decision.majority) == (
        policy.committee.default_quorum,
        policy.committee.default_majority,
    )
    assert decision.status == DecisionStatus.DRAFT and decision.texts.count() == 1


def test_text_versions_keep_their_history_and_show_what_changed(policy, admin, persona_client):
    decision = open_decision(policy, admin)
    services.decision_text_add(
        actor=admin,
        decision=decision,
        expected_version=decision.lock_version,
        text="The committee launches a joint operation.\nIt reports in a year.",
        note="Reporting added",
    )
    assert list(decision.texts.values_list("number", flat=True)) == [2, 1]
    html = (
        signed_in(persona_client).get(reverse("policy:decision_detail", args=[decision.pk])).content.decode()
    )
    assert "<ins>+ It reports in a year.</ins>" in html and "Reporting added" in html
    with pytest.raises(StaleEdit):
        services.decision_text_add(actor=admin, decision=decision, expected_version=0, text="Other text")


def test_a_vote_by_a_state_that_is_not_a_member_is_refused(policy, admin, persona_client):
    decision = open_decision(policy, admin)
    with pytest.raises(ValidationError) as caught:
        services.position_record(actor=admin, decision=decision, state=non_member(), position="in_favour")
    assert "is not a member of the committee" in str(caught.value.message_dict["state"])
    assert not decision.positions.exists()


def test_a_state_takes_one_position(policy, admin):
    decision = open_decision(policy, admin)
    services.position_record(actor=admin, decision=decision, state=policy.world.arg, position="against")
    services.position_record(actor=admin, decision=decision, state=policy.world.arg, position="in_favour")
    assert list(decision.positions.values_list("position", flat=True)) == ["in_favour"]


def test_closing_without_quorum_saves_nothing(policy, admin):
    decision = open_decision(policy, admin)
    services.position_record(actor=admin, decision=decision, state=policy.world.arg, position="in_favour")
    decision.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        services.decision_close(actor=admin, decision=decision, expected_version=decision.lock_version)
    assert "No quorum" in caught.value.messages[0]
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.DRAFT and decision.outcome == {} and decision.decided_on is None


def test_closing_a_vote_stores_the_count_and_the_outcome(policy, admin):
    decision = open_decision(policy, admin, majority="simple", quorum="majority")
    states = members(policy)
    for index, state in enumerate(states):
        position = "in_favour" if index < len(states) - 1 else "against"
        services.position_record(actor=admin, decision=decision, state=state, position=position)
    decision.refresh_from_db()
    services.decision_close(actor=admin, decision=decision, expected_version=decision.lock_version)
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.ADOPTED
    assert decision.outcome["in_favour"] == len(states) - 1 and decision.outcome["against"] == 1
    assert decision.decided_on == policy.meeting.starts_at.date()
    with pytest.raises(ValidationError):
        services.position_record(actor=admin, decision=decision, state=states[0], position="against")


def test_consensus_fails_on_an_objection_and_lists_reservations(policy, admin, persona_client):
    decision = open_decision(policy, admin, method="consensus")
    states = members(policy)
    for index, state in enumerate(states):
        position = "reservation" if index == 0 else "in_favour"
        services.position_record(
            actor=admin, decision=decision, state=state, position=position, statement="Noted"
        )
    decision.refresh_from_db()
    services.decision_close(actor=admin, decision=decision, expected_version=decision.lock_version)
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.ADOPTED
    assert decision.outcome["reservations"] == [states[0].iso3]
    objected = open_decision(policy, admin, method="consensus", reference="TC/8/2026 (synthetic)")
    for index, state in enumerate(states):
        services.position_record(
            actor=admin, decision=objected, state=state, position="against" if index == 0 else "in_favour"
        )
    objected.refresh_from_db()
    services.decision_close(actor=admin, decision=objected, expected_version=objected.lock_version)
    objected.refresh_from_db()
    assert objected.status == DecisionStatus.REJECTED


def test_publishing_a_decision(policy, admin):
    draft = policy.draft_decision
    with pytest.raises(ValidationError):
        services.decision_publish(actor=admin, decision=draft, expected_version=draft.lock_version)
    decision = policy.decision
    services.decision_publish(
        actor=admin, decision=decision, expected_version=decision.lock_version, public=False
    )
    decision.refresh_from_db()
    assert decision.visibility == Visibility.RESTRICTED and decision.published_at is None
    services.decision_publish(actor=admin, decision=decision, expected_version=decision.lock_version)
    decision.refresh_from_db()
    assert decision.visibility == Visibility.PUBLIC and decision.published_at is not None


def test_the_publish_box_shows_whether_the_decision_is_published(policy, persona_client, admin):
    """Saving the visibility form unchanged must not flip a published decision back to restricted."""
    decision = policy.decision
    client = signed_in(persona_client)
    page = client.get(reverse("policy:decision_detail", args=[decision.pk])).content.decode()
    assert 'name="public" id="id_public" checked' in page
    services.decision_publish(
        actor=admin, decision=decision, expected_version=decision.lock_version, public=False
    )
    page = client.get(reverse("policy:decision_detail", args=[decision.pk])).content.decode()
    assert 'name="public" id="id_public">' in page


def test_the_close_page_reports_no_quorum(policy, persona_client):
    draft = policy.draft_decision
    client = signed_in(persona_client)
    response = client.post(
        reverse("policy:decision_close", args=[draft.pk]), {"lock_version": draft.lock_version}, follow=True
    )
    assert "No quorum" in response.content.decode()


# --- API --------------------------------------------------------------------------------------------


def api(persona_client: Any, persona: str = "secretariat_admin") -> Client:
    return persona_client(persona)


def test_api_stale_meeting_edit_answers_409(policy, persona_client, admin):
    meeting = policy.public_meeting
    services.meeting_update(actor=admin, meeting=meeting, expected_version=0, title="First")
    response = api(persona_client).patch(
        reverse("policy-meeting-detail", args=[meeting.pk]),
        {"title": "Second", "lock_version": 0},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response["Content-Type"].startswith("application/problem+json")


def test_api_meeting_ending_before_it_starts_names_the_field(policy, persona_client):
    response = api(persona_client).post(
        reverse("policy-meeting-list"),
        {
            "committee": policy.committee.pk,
            "title": "Wrong (synthetic)",
            "level": "technical",
            "format": "virtual",
            "starts_at": "2031-03-02T14:00:00Z",
            "ends_at": "2031-03-02T12:00:00Z",
            "online_url": "https://meet.example.org/x",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert any(error["field"] == "ends_at" for error in response.json()["errors"])


def test_api_vote_by_a_non_member_and_close_without_quorum(policy, persona_client):
    client = api(persona_client)
    draft = policy.draft_decision
    response = client.post(
        reverse("policy-decision-positions", args=[draft.pk]),
        {"state": non_member().iso3, "position": "in_favour"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert any(error["field"] == "state" for error in response.json()["errors"])
    response = client.post(
        reverse("policy-decision-close", args=[draft.pk]),
        {"lock_version": 0},
        content_type="application/json",
    )
    assert response.status_code == 400 and "No quorum" in response.json()["detail"]
    assert Decision.objects.get(pk=draft.pk).status == DecisionStatus.DRAFT


def test_api_full_decision_flow(policy, persona_client):
    client = api(persona_client)
    item = policy.meeting.agenda_items.first()
    response = client.post(
        reverse("policy-decision-list"),
        {
            "agenda_item": item.pk,
            "reference": "TC/5/2026 (synthetic)",
            "title": "Training plan (synthetic)",
            "method": "vote",
            "majority": "simple",
            "text": "First text.",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    decision = response.json()
    response = client.post(
        reverse("policy-decision-texts", args=[decision["id"]]),
        {"lock_version": decision["lock_version"], "text": "Second text."},
        content_type="application/json",
    )
    assert response.status_code == 201 and [t["number"] for t in response.json()["texts"]] == [2, 1]
    version = response.json()["lock_version"]
    for state in members(policy):
        assert (
            client.post(
                reverse("policy-decision-positions", args=[decision["id"]]),
                {"state": state.iso3, "position": "in_favour"},
                content_type="application/json",
            ).status_code
            == 200
        )
    response = client.post(
        reverse("policy-decision-close", args=[decision["id"]]),
        {"lock_version": version},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["status"] == "adopted"
    assert StatePosition.objects.filter(decision_id=decision["id"]).count() == len(members(policy))


# --- iCalendar --------------------------------------------------------------------------------------


def test_the_calendar_feed_respects_the_access_policy(policy, client, persona_client):
    anonymous = Calendar.from_ical(client.get(reverse("policy:calendar")).content)
    summaries = {str(event["summary"]) for event in anonymous.walk("VEVENT")}
    assert policy.public_meeting.title in summaries and policy.meeting.title not in summaries
    member = Calendar.from_ical(
        signed_in(persona_client, "national_analyst").get(reverse("policy:calendar")).content
    )
    events = {str(event["uid"]): event for event in member.walk("VEVENT")}
    uid = f"meeting-{policy.meeting.pk}@ceiba.invalid"
    assert uid in events
    assert events[uid]["dtstart"].dt.utcoffset() == dt.timedelta(0)
    assert events[uid]["dtstart"].to_ical().endswith(b"Z")


def test_one_meeting_as_ics_and_registered_sources(policy, persona_client):
    response = signed_in(persona_client).get(reverse("policy:meeting_ics", args=[policy.meeting.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(e["uid"]) for e in events] == [f"meeting-{policy.meeting.pk}@ceiba.invalid"]

    def deadlines(user: Any, base_url: str) -> list[committee_calendar.CalendarEvent]:
        return [
            committee_calendar.CalendarEvent(
                uid=committee_calendar.uid_for("deadline", 1),
                summary="Report due",
                starts=dt.date(2031, 1, 31),
            )
        ]

    committee_calendar.register_calendar_source(deadlines)
    try:
        feed = Calendar.from_ical(Client().get(reverse("policy:calendar")).content)
        assert "Report due" in {str(e["summary"]) for e in feed.walk("VEVENT")}
    finally:
        committee_calendar._SOURCES.remove(deadlines)


# --- query counts -----------------------------------------------------------------------------------


def test_list_pages_make_a_fixed_number_of_queries(policy, persona_client, admin):
    client = signed_in(persona_client, "national_analyst")
    urls = [
        reverse("policy:meeting_list"),
        reverse("policy:committee_detail", args=[policy.committee.pk]),
        reverse("policy:meeting_detail", args=[policy.meeting.pk]),
        reverse("policy-meeting-list"),
        reverse("policy-decision-list"),
        reverse("policy-committee-list"),
        reverse("policy:calendar"),
    ]

    def counts() -> list[int]:
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200, url
            result.append(len(queries))
        return result

    before = counts()
    start = timezone.now() + dt.timedelta(days=40)
    for number in range(5):
        meeting = services.meeting_create(
            actor=admin,
            committee=policy.committee,
            title=f"Extra meeting {number} (synthetic)",
            level="technical",
            format="in_person",
            location="Quito",
            starts_at=start + dt.timedelta(days=number),
            ends_at=start + dt.timedelta(days=number, hours=2),
            visibility="restricted",
        )
        item = services.agenda_item_add(actor=admin, meeting=meeting, title="Item (synthetic)")
        services.agenda_item_add(actor=admin, meeting=policy.meeting, title=f"Extra item {number}")
        services.participant_add(actor=admin, meeting=policy.meeting, role="guest", name=f"Expert {number}")
        decision = services.decision_create(
            actor=admin, agenda_item=item, reference=f"X/{number}", title="T", method="vote", text="Text"
        )
        services.position_record(actor=admin, decision=decision, state=policy.world.arg, position="in_favour")
    assert counts() == before
    assert max(before) <= 20


def test_meetings_a_week_ahead_are_listed_for_the_notifications(policy, admin):
    today = timezone.localdate()
    starts = timezone.now() + dt.timedelta(days=7)
    meeting = services.meeting_create(
        actor=admin,
        committee=policy.committee,
        title="Meeting next week (synthetic)",
        level="technical",
        format="in_person",
        location="Bogotá",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        visibility="restricted",
    )
    services.participant_add(
        actor=admin, meeting=meeting, role=ParticipantRole.DELEGATION, state=policy.world.arg
    )
    # A forum account held in the secretariat's own organisation is not the secretariat's staff.
    MembershipFactory(
        user=policy.world.users["forum_participant"],
        organisation=policy.world.secretariat,
        role=Role.FORUM_PARTICIPANT,
    )
    rows = [
        row
        for row in services.committee_deadlines(timezone.localtime(starts).date() - dt.timedelta(days=7))
        if row["dedupe_key"].startswith(f"policy.meeting_soon:{meeting.pk}:")
    ]
    assert len(rows) == 1 and rows[0]["recipients"]
    # The date as people read it (not "2026-12-14 09:00:00+00:00"), and only the secretariat's staff
    # and the delegations' focal points and delegates.
    assert "+00:00" not in rows[0]["body"] and str(timezone.localtime(starts).year) in rows[0]["body"]
    recipients = set(rows[0]["recipients"])
    assert policy.world.users["secretariat_analyst"].pk in recipients
    assert policy.world.users["national_focal_point"].pk in recipients
    assert policy.world.users["forum_participant"].pk not in recipients
    assert services.committee_deadlines(today - dt.timedelta(days=400)) == []


TRANSLATED = {
    "es": ("Orden del día", "Participantes", "Acta"),
    "pt": ("Ordem do dia", "Participantes", "Ata"),
    "en": ("Agenda", "Participants", "Minutes"),
    "fr": ("Ordre du jour", "Participants", "Procès-verbal"),
}


@pytest.mark.parametrize("language", list(TRANSLATED))
def test_the_meeting_page_renders_in_each_language(policy, language):
    from tests.conftest import sign_in

    client = sign_in(Client(headers={"accept-language": language}), policy.world.users["secretariat_admin"])
    response = client.get(reverse("policy:meeting_detail", args=[policy.meeting.pk]))
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    for word in TRANSLATED[language]:
        assert word in html, (language, word)


def test_api_deletes_only_a_meeting_without_decisions(policy, persona_client):
    client = api(persona_client)
    response = client.delete(reverse("policy-meeting-detail", args=[policy.meeting.pk]))
    assert response.status_code == 400 and "cancel it instead" in response.json()["detail"]
    assert client.delete(reverse("policy-meeting-detail", args=[policy.public_meeting.pk])).status_code == 204
    assert not Meeting.objects.filter(pk=policy.public_meeting.pk).exists()
