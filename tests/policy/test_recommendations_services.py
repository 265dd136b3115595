"""Services of recommendations: recording and editing (optimistic locking), addressees, reports by
the addressee only, evidence rules and file checks, validation and return (once), overdue and the
deadline reminders. Nothing is half-saved when a write is refused."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ceiba.common.locking import StaleEdit
from ceiba.common.models import AuditEvent
from ceiba.core.models import Organisation, State
from ceiba.policy import recommendation_services as services
from ceiba.policy.choices import ImplementationStatus, RecommendationSource, ReviewStatus, Visibility
from ceiba.policy.models import Addressee, Recommendation

from .recommendation_fixtures import (
    PDF_BYTES,
    arg_addressee,
    base,
    body_addressee,
    pending_report,
    restricted,
)

pytestmark = pytest.mark.django_db


def _data(**overrides: Any) -> dict[str, Any]:
    data = {
        "code": "TC-R7 (synthetic)",
        "title": "Train border officers on firearms identification (synthetic)",
        "text": "Synthetic text.",
        "source": RecommendationSource.EVALUATION,
        "source_reference": "Evaluation 2026 (synthetic)",
        "deadline": timezone.localdate() + dt.timedelta(days=90),
        "visibility": Visibility.PUBLIC,
    }
    return {**data, **overrides}


def test_the_secretariat_records_a_recommendation_with_addressees(world: Any) -> None:
    ameripol = Organisation.objects.get(acronym="AMERIPOL")
    events = AuditEvent.objects.count()
    recommendation = services.recommendation_create(
        actor=world.users["secretariat_analyst"],
        data=_data(),
        states=[world.arg, world.bra],
        organisations=[ameripol],
    )
    assert recommendation.addressees.count() == 3
    assert recommendation.created_by == world.users["secretariat_analyst"]
    assert AuditEvent.objects.count() > events
    assert AuditEvent.objects.filter(
        object_type="policy.recommendation", object_id=str(recommendation.pk), action="create"
    ).exists()


def test_only_the_secretariat_records(world: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.recommendation_create(
            actor=world.users["national_focal_point"], data=_data(), states=[world.arg]
        )


def test_a_recommendation_needs_an_addressee_and_its_source(world: Any) -> None:
    actor = world.users["secretariat_admin"]
    with pytest.raises(ValidationError) as error:
        services.recommendation_create(actor=actor, data=_data())
    assert "addressees" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.recommendation_create(
            actor=actor, data=_data(source=RecommendationSource.MEETING), states=[world.arg]
        )
    assert "meeting" in error.value.message_dict
    assert not Recommendation.objects.filter(code="TC-R7 (synthetic)").exists()


def test_a_stale_edit_is_refused_and_nothing_is_saved(world: Any) -> None:
    recommendation = base(world)
    actor = world.users["secretariat_admin"]
    version = recommendation.lock_version
    services.recommendation_update(
        actor=actor,
        recommendation=recommendation,
        expected_version=version,
        data={"title": "First (synthetic)"},
    )
    other = Recommendation.objects.get(pk=recommendation.pk)
    with pytest.raises(StaleEdit):
        services.recommendation_update(
            actor=actor, recommendation=other, expected_version=version, data={"title": "Second (synthetic)"}
        )
    assert Recommendation.objects.get(pk=recommendation.pk).title == "First (synthetic)"


def test_an_addressee_that_reported_stays(world: Any) -> None:
    recommendation = base(world)
    with pytest.raises(ValidationError) as error:
        services.recommendation_update(
            actor=world.users["secretariat_admin"],
            recommendation=recommendation,
            expected_version=recommendation.lock_version,
            data={"title": "Changed (synthetic)"},
            states=[world.bra],
            organisations=[],
        )
    assert "addressees" in error.value.message_dict
    fresh = Recommendation.objects.get(pk=recommendation.pk)
    assert fresh.title != "Changed (synthetic)"
    assert fresh.addressees.count() == 2


def test_a_report_by_someone_who_is_not_the_addressee_is_refused(world: Any) -> None:
    addressee = arg_addressee(world)
    for persona in (
        "national_analyst",
        "national_focal_point@other_state",
        "secretariat_admin",
        "action_participant",
    ):
        with pytest.raises(PermissionDenied, match="You do not report for"):
            services.implementation_report_submit(
                actor=world.users[persona], addressee=addressee, status="in_progress", narrative="x"
            )


def test_the_body_members_report_and_implemented_needs_evidence(world: Any) -> None:
    addressee = body_addressee(world)
    actor = world.users["action_participant"]
    with pytest.raises(ValidationError) as error:
        services.implementation_report_submit(
            actor=actor,
            addressee=addressee,
            status=ImplementationStatus.IMPLEMENTED,
            narrative="Done (synthetic).",
        )
    assert "evidence_url" in error.value.message_dict
    assert not addressee.reports.exists()
    report = services.implementation_report_submit(
        actor=actor,
        addressee=addressee,
        status=ImplementationStatus.IMPLEMENTED,
        narrative="Done (synthetic).",
        evidence_file=SimpleUploadedFile("decree.pdf", PDF_BYTES),
    )
    assert report.evidence_file.name.endswith("decree.pdf")
    assert report.review == ReviewStatus.PENDING
    with pytest.raises(ValidationError, match="awaiting validation"):
        services.implementation_report_submit(
            actor=actor, addressee=addressee, status="in_progress", narrative="Again (synthetic)."
        )


def test_evidence_files_are_checked(world: Any, settings: Any) -> None:
    addressee = body_addressee(world)
    actor = world.users["action_participant"]
    with pytest.raises(ValidationError) as error:
        services.implementation_report_submit(
            actor=actor,
            addressee=addressee,
            status="in_progress",
            narrative="x",
            evidence_file=SimpleUploadedFile("tool.exe", b"MZ\x90\x00binary"),
        )
    assert "evidence_file" in error.value.message_dict
    settings.CEIBA_ATTACHMENT_MAX_BYTES = 10
    with pytest.raises(ValidationError, match="too large"):
        services.implementation_report_submit(
            actor=actor,
            addressee=addressee,
            status="in_progress",
            narrative="x",
            evidence_file=SimpleUploadedFile("decree.pdf", PDF_BYTES),
        )
    assert not addressee.reports.exists()


def test_validation_sets_the_status_once(world: Any) -> None:
    report = pending_report(world)
    actor = world.users["secretariat_analyst"]
    with pytest.raises(PermissionDenied):
        services.implementation_report_validate(actor=world.users["national_focal_point"], report=report)
    services.implementation_report_validate(actor=actor, report=report)
    addressee = Addressee.objects.get(pk=report.addressee_id)
    assert addressee.status == ImplementationStatus.IN_PROGRESS
    assert addressee.status_validated_on == timezone.localdate()
    with pytest.raises(ValidationError, match="already validated"):
        services.implementation_report_validate(actor=actor, report=report)
    with pytest.raises(ValidationError, match="already validated"):
        services.implementation_report_return(actor=actor, report=report, note="Too late (synthetic).")


def test_a_returned_report_keeps_the_status_and_needs_a_note(world: Any) -> None:
    report = pending_report(world)
    actor = world.users["secretariat_analyst"]
    with pytest.raises(ValidationError) as error:
        services.implementation_report_return(actor=actor, report=report, note="  ")
    assert "review_note" in error.value.message_dict
    returned = services.implementation_report_return(
        actor=actor, report=report, note="Add the decree (synthetic)."
    )
    assert returned.review == ReviewStatus.RETURNED
    assert Addressee.objects.get(pk=report.addressee_id).status == ImplementationStatus.NOT_STARTED
    # The addressee may report again once its report was returned.
    services.implementation_report_submit(
        actor=world.users["national_focal_point"],
        addressee=report.addressee,
        status="in_progress",
        narrative="Decree drafted (synthetic).",
        evidence_url="https://example.org/decree-draft-synthetic",
    )


def test_overdue_and_filters(world: Any) -> None:
    recommendation = restricted(world)
    today = timezone.localdate()
    arg = recommendation.addressees.get(state=world.arg)
    assert services.is_overdue(arg, today)
    qs = Recommendation.objects.all()
    assert list(services.filter_recommendations(qs, {"overdue": "1"}, today)) == [recommendation]
    assert set(services.filter_recommendations(qs, {"state": "arg"}, today)) == {recommendation, base(world)}
    assert list(services.filter_recommendations(qs, {"state": "BRA", "status": "implemented"}, today)) == [
        base(world)
    ]
    assert list(services.filter_recommendations(qs, {"source": "conference"}, today)) == [recommendation]
    arg.status = ImplementationStatus.NOT_APPLICABLE
    arg.save()
    assert not services.is_overdue(arg, today)


def test_restricted_recommendations_reach_members_only(world: Any) -> None:
    recommendation = restricted(world)
    assert recommendation in services.visible_recommendations(world.users["national_analyst@other_state"])
    assert recommendation not in services.visible_recommendations(world.users["forum_participant"])
    assert recommendation not in services.visible_recommendations(None)


def test_deadline_reminders_and_overdue_notices(world: Any) -> None:
    today = timezone.localdate()
    recommendation = base(world)
    recommendation.deadline = today + dt.timedelta(days=30)
    recommendation.save()
    restricted(world)
    items = services.recommendation_deadlines(today)
    kinds = {(item["kind"], item["dedupe_key"].split(":")[1]) for item in items}
    arg = recommendation.addressees.get(state=world.arg)
    assert ("recommendation_deadline", str(arg.pk)) in kinds
    # Brazil implemented it (validated): no reminder.
    assert ("recommendation_deadline", str(recommendation.addressees.get(state=world.bra).pk)) not in kinds
    overdue = [item for item in items if item["kind"] == "recommendation_overdue"]
    assert {item["dedupe_key"] for item in overdue} == {
        f"recommendation-overdue:{a.pk}" for a in restricted(world).addressees.all()
    }
    focal = world.users["national_focal_point"].pk
    assert any(focal in item["recipients"] for item in items if item["kind"] == "recommendation_deadline")
    analyst = world.users["national_analyst"].pk
    assert all(analyst not in item["recipients"] for item in items)
    for item in items:
        assert set(item) == {"recipients", "kind", "subject", "body", "url", "dedupe_key"}
    assert not [
        i
        for i in services.recommendation_deadlines(today + dt.timedelta(days=1))
        if i["kind"] != "recommendation_overdue"
    ]
    assert [
        i
        for i in services.recommendation_deadlines(today + dt.timedelta(days=23))
        if i["kind"] == "recommendation_deadline"
    ]


def test_states_and_bodies_offered_as_addressees(world: Any) -> None:
    states, bodies = services.addressee_choices()
    assert State.objects.count() == states.count()
    assert bodies.filter(acronym="AMERIPOL").exists()
    assert not bodies.filter(acronym="SRC").exists()
