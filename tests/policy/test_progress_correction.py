"""Correcting a filed progress report (page and API PATCH): who may (the reporting agency's action
leaders, the state's focal point), the action re-derived from its latest report, history and audit
kept, stale versions and bad data refused with nothing saved."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ceiba.common.access import NotShared
from ceiba.common.locking import StaleEdit
from ceiba.common.models import AuditEvent
from ceiba.common.testing.permissions import permission_matrix
from ceiba.policy import progress_services as services
from ceiba.policy.models import ProgressReport

from .progress_factories import progress_cycle

JSON = "application/json"
#: Readers of the police's report (TLP:AMBER, secretariat only) who may not correct it.
POLICE_READERS_ONLY = {"secretariat_admin": 403, "secretariat_analyst": 403, "national_analyst": 403}
#: Members who read AMERIPOL's report (all members) but may not correct it.
AMERIPOL_READERS_ONLY = {
    p: 403
    for p in (
        "secretariat_admin",
        "secretariat_analyst",
        "national_focal_point",
        "national_analyst",
        "national_focal_point@other_state",
        "national_analyst@other_state",
        "committee_delegate@other_state",
    )
}


def _police_form(w):
    report = progress_cycle(w).police_report
    return {
        "lock_version": report.lock_version,
        "period_start": str(report.period_start),
        "period_end": str(report.period_end),
        "status": "ongoing",
        "progress": "45",
        "narrative": "Corrected in a permission test (synthetic).",
        "tlp": "amber",
        "scope": "secretariat",
        f"kpi_{report.action.kpis.get().pk}": "35",
    }


# --- permission matrices -----------------------------------------------------------------------------

test_edit_page_police = permission_matrix(
    "policy:progress_report_edit",
    url=lambda w: reverse("policy:progress_report_edit", args=[progress_cycle(w).police_report.pk]),
    expect={"anonymous": 302, "national_focal_point": 200, **POLICE_READERS_ONLY},
    default=404,
)
test_edit_post_police = permission_matrix(
    "policy:progress_report_edit",
    url=lambda w: reverse("policy:progress_report_edit", args=[progress_cycle(w).police_report.pk]),
    method="post",
    data=_police_form,
    expect={"anonymous": 302, "national_focal_point": 302, **POLICE_READERS_ONLY},
    default=404,
)
test_edit_page_ameripol = permission_matrix(
    "policy:progress_report_edit",
    url=lambda w: reverse("policy:progress_report_edit", args=[progress_cycle(w).ameripol_report.pk]),
    expect={"anonymous": 302, "action_participant": 200, **AMERIPOL_READERS_ONLY},
    default=404,
)
test_api_patch_police = permission_matrix(
    "policy-progress-report-detail",
    url=lambda w: reverse("policy-progress-report-detail", args=[progress_cycle(w).police_report.pk]),
    method="patch",
    data=lambda w: {"lock_version": progress_cycle(w).police_report.lock_version, "progress": 45},
    content_type=JSON,
    expect={"anonymous": 401, "national_focal_point": 200, **POLICE_READERS_ONLY},
    default=404,
)
test_api_patch_ameripol = permission_matrix(
    "policy-progress-report-detail",
    url=lambda w: reverse("policy-progress-report-detail", args=[progress_cycle(w).ameripol_report.pk]),
    method="patch",
    data=lambda w: {"lock_version": progress_cycle(w).ameripol_report.lock_version, "progress": 25},
    content_type=JSON,
    expect={"anonymous": 401, "action_participant": 200, **AMERIPOL_READERS_ONLY},
    default=404,
)


# --- the service ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_correction_of_the_latest_report_updates_the_action_and_keeps_history(world):
    policy = progress_cycle(world)
    report = policy.police_report
    focal_point = world.users["national_focal_point"]
    services.progress_report_update(
        actor=focal_point,
        report=report,
        expected_version=report.lock_version,
        status="completed",
        progress=100,
        kpi_values=[{"kpi": "K1", "value": Decimal(50), "unit": "persons"}],
    )
    action = report.action
    action.refresh_from_db()
    assert (action.status, action.progress) == ("completed", 100)
    assert action.kpis.get().actual == 50
    report.refresh_from_db()
    assert report.lock_version == 1
    assert report.history.count() >= 2
    assert report.history.earliest().progress == 40
    event = AuditEvent.objects.filter(
        object_type="policy.progressreport", object_id=str(report.pk), action="update"
    ).latest("seq")
    assert event.changes["progress"] == ["40", "100"]
    assert event.changes["kpi_values"] == [{"K1": "30.00"}, {"K1": "50"}]


@pytest.mark.django_db
def test_the_latest_period_wins_after_a_correction(world):
    policy = progress_cycle(world)
    leader = world.users["action_participant"]
    action = policy.actions[1]
    year = dt.date.today().year
    later = services.progress_report_file(
        actor=leader,
        action=action,
        period_start=dt.date(year, 7, 1),
        period_end=dt.date(year, 9, 30),
        status="ongoing",
        progress=60,
        narrative="Later (synthetic).",
    )
    earlier = policy.ameripol_report
    services.progress_report_update(
        actor=leader, report=earlier, expected_version=earlier.lock_version, progress=30
    )
    action.refresh_from_db()
    assert action.progress == 60  # the later report still counts
    services.progress_report_update(
        actor=leader, report=later, expected_version=later.lock_version, progress=70
    )
    action.refresh_from_db()
    assert action.progress == 70
    # Moving the later report's period before the earlier one's makes the earlier one the latest.
    later.refresh_from_db()
    services.progress_report_update(
        actor=leader,
        report=later,
        expected_version=later.lock_version,
        period_start=dt.date(year, 1, 1),
        period_end=dt.date(year, 2, 28),
    )
    action.refresh_from_db()
    assert action.progress == 30


@pytest.mark.django_db
def test_a_stale_version_is_refused_and_nothing_changes(world):
    policy = progress_cycle(world)
    report = policy.police_report
    focal_point = world.users["national_focal_point"]
    services.progress_report_update(actor=focal_point, report=report, expected_version=0, progress=41)
    stale = ProgressReport.objects.get(pk=report.pk)
    stale.lock_version = 0
    with pytest.raises(StaleEdit):
        services.progress_report_update(actor=focal_point, report=stale, expected_version=0, progress=99)
    report.refresh_from_db()
    assert report.progress == 41
    assert report.action.progress != 99


@pytest.mark.django_db
def test_wrong_people_are_refused(world):
    policy = progress_cycle(world)
    report = policy.police_report
    with pytest.raises(services.NotCorrector):
        services.progress_report_update(
            actor=world.users["secretariat_admin"], report=report, expected_version=0, progress=1
        )
    with pytest.raises(NotShared):
        services.progress_report_update(
            actor=world.users["national_focal_point@other_state"],
            report=report,
            expected_version=0,
            progress=1,
        )
    with pytest.raises(services.NotCorrector):
        services.progress_report_update(
            actor=world.users["national_focal_point"],
            report=policy.ameripol_report,
            expected_version=0,
            progress=1,
        )


@pytest.mark.django_db
def test_bad_data_names_the_field_and_saves_nothing(world):
    policy = progress_cycle(world)
    report = policy.police_report
    focal_point = world.users["national_focal_point"]
    with pytest.raises(ValidationError) as caught:
        services.progress_report_update(
            actor=focal_point,
            report=report,
            expected_version=0,
            period_end=report.period_start - dt.timedelta(days=1),
            kpi_values=[{"kpi": "K9", "value": 1, "unit": "persons"}],
        )
    assert {"period_end", "kpi_values"} <= set(caught.value.message_dict)
    with pytest.raises(ValidationError) as caught:
        services.progress_report_update(
            actor=focal_point,
            report=ProgressReport.objects.get(pk=report.pk),
            expected_version=0,
            kpi_values=[{"kpi": "K1", "value": 1, "unit": "euros"}],
        )
    assert "kpi_values" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.progress_report_update(
            actor=focal_point,
            report=ProgressReport.objects.get(pk=report.pk),
            expected_version=0,
            action=None,
        )
    fresh = ProgressReport.objects.get(pk=report.pk)
    assert (fresh.lock_version, fresh.progress, fresh.kpi_values.get().value) == (0, 40, 30)


# --- page and API ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_page_shows_a_stale_edit(world, persona_client):
    policy = progress_cycle(world)
    client = persona_client("national_focal_point")
    url = reverse("policy:progress_report_edit", args=[policy.police_report.pk])
    data = _police_form(world)
    assert client.post(url, data).status_code == 302
    response = client.post(url, {**data, "progress": "90"})
    assert response.status_code == 400
    assert "Somebody else saved this record" in response.content.decode()
    assert ProgressReport.objects.get(pk=policy.police_report.pk).progress == 45


@pytest.mark.django_db
def test_the_detail_page_offers_the_correction_to_the_leader_only(world, persona_client):
    policy = progress_cycle(world)
    url = reverse("policy:progress_report_detail", args=[policy.police_report.pk])
    edit = reverse("policy:progress_report_edit", args=[policy.police_report.pk])
    assert edit in persona_client("national_focal_point").get(url).content.decode()
    assert edit not in persona_client("secretariat_admin").get(url).content.decode()


@pytest.mark.django_db
def test_the_api_answers_409_for_a_stale_version_and_400_naming_the_field(world, persona_client):
    policy = progress_cycle(world)
    client = persona_client("national_focal_point")
    url = reverse("policy-progress-report-detail", args=[policy.police_report.pk])
    first = client.patch(url, {"lock_version": 0, "narrative": "Fixed (synthetic)."}, content_type=JSON)
    assert first.status_code == 200 and first.json()["lock_version"] == 1
    assert client.patch(url, {"lock_version": 0, "progress": 5}, content_type=JSON).status_code == 409
    missing = client.patch(url, {"progress": 5}, content_type=JSON)
    assert missing.status_code == 400 and "lock_version" in missing.content.decode()
    bad = client.patch(
        url,
        {"lock_version": 1, "kpi_values": [{"kpi": "K1", "value": "2", "unit": "euros"}]},
        content_type=JSON,
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "kpi_values"
    assert ProgressReport.objects.get(pk=policy.police_report.pk).progress == 40
