"""The audit trail: events for every change, sign-in and refusal; append-only; tamper detection."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse

from ceiba.common import audit
from ceiba.common.models import AuditAction, AuditEvent
from ceiba.core import services
from ceiba.core.choices import OrganisationType

from .conftest import sign_in


def latest(action: str) -> AuditEvent:
    return AuditEvent.objects.filter(action=action).order_by("-seq").first()


def test_create_update_delete_each_leave_an_event_with_the_changes(world) -> None:
    organisation = services.organisation_create(
        name="Aduana Nacional", kind=OrganisationType.CUSTOMS, state=world.arg
    )
    created = latest(AuditAction.CREATE)
    assert (created.object_type, created.object_id) == ("core.organisation", str(organisation.pk))

    services.organisation_update(organisation=organisation, acronym="AN")
    updated = latest(AuditAction.UPDATE)
    assert updated.changes == {"acronym": {"old": "", "new": "AN"}}

    pk = organisation.pk
    organisation.delete()
    deleted = latest(AuditAction.DELETE)
    assert deleted.object_id == str(pk)


def test_the_actor_of_a_web_change_is_recorded(client, world) -> None:
    sign_in(client, world.users["secretariat_admin"])
    client.post(reverse("core:state_edit", args=["BRA"]), {"committee_member_since": "2022-03-02"})
    client.post(reverse("core:state_edit", args=["COL"]), {"committee_member_since": "2024-05-01"})
    event = latest(AuditAction.UPDATE)
    assert event.actor == world.users["secretariat_admin"]
    assert event.object_repr == "Colombia"
    assert event.changes["committee_member_since"]["new"] == "2024-05-01"


def test_sign_in_and_failed_sign_in_are_recorded(client, world) -> None:
    client.post(reverse("core:login"), {"username": "focal.arg@demo.ceiba.example", "password": "wrong"})
    failed = latest(AuditAction.LOGIN_FAILED)
    assert failed.changes == {"username": "focal.arg@demo.ceiba.example"}
    assert failed.ip_address == "127.0.0.1"
    client.post(
        reverse("core:login"), {"username": "focal.arg@demo.ceiba.example", "password": world.password}
    )
    assert latest(AuditAction.LOGIN).actor == world.users["national_focal_point"]


def test_a_request_for_another_states_person_is_recorded_as_denied(client, world) -> None:
    sign_in(client, world.users["national_analyst@other_state"])
    target = world.users["national_analyst"]
    response = client.get(reverse("core:person_detail", args=[target.pk]))
    assert response.status_code == 404
    denied = latest(AuditAction.DENIED)
    assert (denied.actor, denied.object_id) == (world.users["national_analyst@other_state"], str(target.pk))


def test_events_cannot_be_changed_or_deleted_through_the_orm(world) -> None:
    event = audit.record(AuditAction.EXPORT, object_type="core.state", object_repr="states.csv")
    event.object_repr = "something else"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(object_repr="x")
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).delete()


def _raw(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE common_auditevent DISABLE TRIGGER ceiba_audit_no_update")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE common_auditevent ENABLE TRIGGER ceiba_audit_no_update")


def test_verify_passes_on_an_intact_chain(world) -> None:
    audit.record(AuditAction.EXPORT, object_type="core.state", object_repr="states.csv")
    report = audit.verify_chain()
    assert report.ok and report.checked == AuditEvent.objects.count()


def test_verify_reports_the_first_altered_event(world) -> None:
    first = audit.record(AuditAction.EXPORT, object_repr="a.csv")
    audit.record(AuditAction.EXPORT, object_repr="b.csv")
    _raw("UPDATE common_auditevent SET object_repr = %s WHERE id = %s", ["innocent.csv", first.pk])
    report = audit.verify_chain()
    assert not report.ok
    assert report.first_bad_seq == first.seq
    assert "altered" in report.problem
    with pytest.raises(CommandError, match=f"event #{first.seq} was altered"):
        call_command("audit", "verify")


def test_verify_reports_a_removed_event(world) -> None:
    audit.record(AuditAction.EXPORT, object_repr="a.csv")
    middle = audit.record(AuditAction.EXPORT, object_repr="b.csv")
    audit.record(AuditAction.EXPORT, object_repr="c.csv")
    _raw("DELETE FROM common_auditevent WHERE id = %s", [middle.pk])
    report = audit.verify_chain()
    assert (report.ok, report.first_bad_seq) == (False, middle.seq)
    assert "removed" in report.problem


def test_verify_reports_events_removed_from_the_end(world) -> None:
    last = audit.record(AuditAction.EXPORT, object_repr="z.csv")
    _raw("DELETE FROM common_auditevent WHERE id = %s", [last.pk])
    report = audit.verify_chain()
    assert (report.ok, report.first_bad_seq) == (False, last.seq)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="database triggers exist on PostgreSQL only")
def test_postgresql_refuses_updates_of_audit_rows(world) -> None:
    from django.db import DatabaseError, transaction

    event = audit.record(AuditAction.EXPORT, object_repr="a.csv")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE common_auditevent SET object_repr = 'x' WHERE id = %s", [event.pk])


def test_history_of_an_organisation_is_visible_to_the_secretariat(client, world) -> None:
    services.organisation_update(
        organisation=world.arg_police, website="https://www.argentina.gob.ar/policia-federal"
    )
    sign_in(client, world.users["secretariat_analyst"])
    response = client.get(reverse("core:record_history", args=["organisation", world.arg_police.pk]))
    assert response.status_code == 200
    assert "https://www.argentina.gob.ar/policia-federal" in response.content.decode()


def test_the_secretariat_sees_the_audit_trail_filtered(client, world) -> None:
    audit.record(AuditAction.EXPORT, object_type="core.state", object_repr="states-export.csv")
    sign_in(client, world.users["secretariat_admin"])
    response = client.get(reverse("core:audit_list"), {"action": "export"})
    body = response.content.decode()
    rows = body.split("<tbody>")[1].split("</tbody>")[0].count("<tr>")
    assert "states-export.csv" in body
    assert rows == AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == 1


def test_signing_in_is_not_recorded_as_an_edit_of_the_person(client, world) -> None:
    user = world.users["national_focal_point"]
    before = user.history.count()
    client.post(reverse("core:login"), {"username": user.email, "password": world.password})
    assert user.history.count() == before
    assert not AuditEvent.objects.filter(action=AuditAction.UPDATE, object_id=str(user.pk)).exists()


def test_viewing_someone_elses_profile_is_audited_but_not_ones_own(client, world) -> None:
    viewer = world.users["national_focal_point"]
    sign_in(client, viewer)
    target = world.users["national_analyst"]
    client.get(reverse("core:person_detail", args=[target.pk]))
    event = latest(AuditAction.VIEW_RESTRICTED)
    assert (event.actor, event.object_id) == (viewer, str(target.pk))
    count = AuditEvent.objects.filter(action=AuditAction.VIEW_RESTRICTED).count()
    client.get(reverse("core:person_detail", args=[viewer.pk]))
    assert AuditEvent.objects.filter(action=AuditAction.VIEW_RESTRICTED).count() == count
