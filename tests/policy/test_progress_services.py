"""Filing progress reports (one, or many from a file): who may, what is checked, what is updated,
nothing half-saved; the reporting deadlines."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from ceiba.common.access import NotShared
from ceiba.common.models import AuditEvent
from ceiba.policy import progress_services as services
from ceiba.policy.models import ActionResult, KpiValue, ProgressReport

from .progress_factories import csv_file, period, progress_cycle

pytestmark = pytest.mark.django_db


def _file(policy, user, action, **overrides):
    year = dt.date.today().year
    values = {
        "actor": user,
        "action": action,
        "period_start": dt.date(year, 7, 1),
        "period_end": dt.date(year, 9, 30),
        "status": "ongoing",
        "progress": 55,
        "narrative": "Courses held (synthetic).",
        "kpi_values": [{"kpi": "K1", "value": Decimal(60), "unit": "persons"}],
    }
    values.update(overrides)
    return services.progress_report_file(**values)


def test_the_leader_files_a_report_that_updates_the_action(world):
    policy = progress_cycle(world)
    leader = world.users["action_participant"]
    action = policy.actions[1]
    before = action.lock_version
    report = _file(policy, leader, action, results=[{"kind": "people_trained", "quantity": 60}])
    action.refresh_from_db()
    assert (action.status, action.progress) == ("ongoing", 55)
    assert action.lock_version == before + 1
    assert action.kpis.get().actual == 60
    assert report.organisation == policy.ameripol and report.created_by == leader
    assert ActionResult.objects.filter(action=action, reported_by=leader).count() == 1
    assert AuditEvent.objects.filter(object_id=str(report.pk), action="create").exists()


def test_an_older_report_does_not_override_the_latest(world):
    policy = progress_cycle(world)
    leader = world.users["action_participant"]
    action = policy.actions[1]
    _file(policy, leader, action)
    year = dt.date.today().year
    _file(
        policy,
        leader,
        action,
        period_start=dt.date(year, 1, 1),
        period_end=dt.date(year, 2, 28),
        progress=5,
        kpi_values=[{"kpi": "K1", "value": 1, "unit": "persons"}],
    )
    action.refresh_from_db()
    assert action.progress == 55 and action.kpis.get().actual == 60


def test_a_wrong_unit_names_the_kpi_and_saves_nothing(world):
    policy = progress_cycle(world)
    count = ProgressReport.objects.count()
    with pytest.raises(ValidationError) as error:
        _file(
            policy,
            world.users["action_participant"],
            policy.actions[1],
            kpi_values=[{"kpi": "K1", "value": 3, "unit": "kg"}],
        )
    assert "K1" in str(error.value) and "kg" in str(error.value)
    assert ProgressReport.objects.count() == count


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"progress": 101}, "progress"),
        ({"status": "finished"}, "status"),
        ({"period_end": dt.date(2000, 1, 1)}, "period_end"),
        ({"narrative": ""}, "narrative"),
        ({"scope": "originator"}, "scope"),
        ({"scope": "named"}, "shared_with_states"),
        ({"tlp": "red", "scope": "all_members"}, "scope"),
        ({"kpi_values": [{"kpi": "K9", "value": 1, "unit": "persons"}]}, "kpi_values"),
        ({"kpi_values": [{"kpi": "K1", "value": "many", "unit": "persons"}]}, "kpi_values"),
        ({"results": [{"kind": "arrests", "quantity": -1}]}, "results"),
    ],
)
def test_bad_input_is_refused_whole(world, overrides, field):
    policy = progress_cycle(world)
    count, values = ProgressReport.objects.count(), KpiValue.objects.count()
    with pytest.raises(ValidationError) as error:
        _file(policy, world.users["action_participant"], policy.actions[1], **overrides)
    assert field in error.value.message_dict
    assert (ProgressReport.objects.count(), KpiValue.objects.count()) == (count, values)


def test_a_second_report_for_the_same_period_is_refused(world):
    policy = progress_cycle(world)
    _file(policy, world.users["action_participant"], policy.actions[1])
    with pytest.raises(ValidationError):
        _file(policy, world.users["action_participant"], policy.actions[1])


def test_co_leaders_and_others_do_not_lead_and_invisible_actions_are_not_found(world):
    policy = progress_cycle(world)
    # Brazil co-leads the police action; its focal point still does not lead it.
    for persona in ("national_focal_point@other_state", "national_analyst", "secretariat_admin"):
        with pytest.raises(services.NotLeader):
            _file(policy, world.users[persona], policy.actions[0])
    with pytest.raises(NotShared):
        _file(policy, world.users["forum_participant"], policy.actions[1])


def test_a_focal_point_reports_on_an_action_its_state_leads(world):
    policy = progress_cycle(world)
    focal = world.users["national_focal_point"]
    assert services.may_report(focal, policy.state_action)
    assert not services.may_report(focal, policy.actions[0])  # led by the police, not the ministry
    report = _file(
        policy, focal, policy.state_action, kpi_values=[{"kpi": "K2", "value": "120,5", "unit": "kg"}]
    )
    assert report.state == world.arg
    policy.state_action.refresh_from_db()
    assert policy.state_action.kpis.get(code="K2").actual == Decimal("120.5")


# --- files --------------------------------------------------------------------------------------------


def test_a_file_files_every_report_in_one_batch(world):
    policy = progress_cycle(world)
    start, end = period()
    upload = csv_file(
        f"TC-P1-OA2,{start},{end},ongoing,50,Done (synthetic),K1,40,persons,green,all_members",
        f"TC-P2-OA2,{start},{end},completed,100,Done (synthetic),,,,,",
    )
    result = services.progress_import(actor=world.users["action_participant"], upload=upload)
    assert len(result.reports) == 2
    assert {r.import_batch for r in result.reports} == {result.batch}
    policy.actions[3].refresh_from_db()
    assert policy.actions[3].status == "completed"
    assert policy.actions[1].kpis.get().values.get(report__import_batch=result.batch).value == 40


def test_a_bad_file_names_every_problem_by_row_and_column_and_saves_nothing(world):
    policy = progress_cycle(world)
    start, end = period()
    upload = csv_file(
        f"NOPE-1,{start},{end},ongoing,50,x,,,,,",  # 2: unknown action
        f"TC-P1-OA2,{start},{end},finished,50,x,K1,1,persons,,",  # 3: unknown status
        f"TC-P1-OA1,{start},{end},ongoing,50,x,,,,,",  # 4: not led by the user
        f"TC-P2-OA2,31/12/2026,{end},ongoing,50,x,,,,,",  # 5: bad date
        f"TC-P2-OA2,{start},{end},ongoing,50,x,K1,3,persons,,",  # 6: differs from row 5 (period_start)
        f"TC-P2-OA2,31/12/2026,{end},ongoing,50,x,K1,3,persons,,",  # 7: K1 twice (and bad date)
    )
    count = ProgressReport.objects.count()
    with pytest.raises(services.ProgressImportError) as error:
        services.progress_import(actor=world.users["action_participant"], upload=upload)
    found = {(issue.row, issue.column) for issue in error.value.issues}
    assert {
        (2, "action_code"),
        (3, "status"),
        (4, "action_code"),
        (5, "period_start"),
        (7, "kpi_code"),
    } <= found
    assert ProgressReport.objects.count() == count
    assert policy.actions[1].progress_reports.count() == 1


def test_a_wrong_unit_in_a_file_is_refused_with_its_row(world):
    progress_cycle(world)
    start, end = period()
    upload = csv_file(
        f"TC-P1-OA2,{start},{end},ongoing,50,x,,,,,",
        f"TC-P2-OA2,{start},{end},ongoing,50,x,K1,3,kg,,",
    )
    count = ProgressReport.objects.count()
    with pytest.raises(services.ProgressImportError) as error:
        services.progress_import(actor=world.users["action_participant"], upload=upload)
    assert [(i.row, i.column) for i in error.value.issues] == [(3, "kpi_unit")]
    assert "K1" in error.value.issues[0].message
    assert ProgressReport.objects.count() == count  # the first report, valid, was rolled back


def test_a_clash_with_a_stored_report_rolls_the_whole_file_back(world):
    policy = progress_cycle(world)
    year = dt.date.today().year
    upload = csv_file(
        f"TC-P2-OA2,{year}-01-01,{year}-05-31,ongoing,10,x,,,,,",
        f"TC-P1-OA2,{year}-03-01,{year}-06-30,ongoing,10,x,,,,,",  # the fixture's report's period
    )
    count = ProgressReport.objects.count()
    with pytest.raises(services.ProgressImportError) as error:
        services.progress_import(actor=world.users["action_participant"], upload=upload)
    assert error.value.issues[0].row == 3
    assert ProgressReport.objects.count() == count
    assert policy.actions[3].progress_reports.count() == 0


@pytest.mark.parametrize(
    ("content", "column"),
    [
        (b"", ""),
        (b"action_code,period_end\n", "period_start"),
        (b"action_code,period_start,period_end,status,progress,narrative,colour\n", "colour"),
        (HEADER_ONLY := b"action_code,period_start,period_end,status,progress,narrative\n", ""),
    ],
)
def test_unreadable_files_are_refused(world, content, column):
    progress_cycle(world)
    with pytest.raises(services.ProgressImportError) as error:
        services.progress_import(
            actor=world.users["action_participant"], upload=SimpleUploadedFile("p.csv", content)
        )
    assert column in {issue.column for issue in error.value.issues}


def test_an_xlsx_file_is_read_too(world):
    progress_cycle(world)
    start, end = period()
    book = Workbook()
    sheet = book.active
    sheet.append(
        [
            "action_code",
            "period_start",
            "period_end",
            "status",
            "progress",
            "narrative",
            "kpi_code",
            "kpi_value",
            "kpi_unit",
        ]
    )
    sheet.append(
        [
            "TC-P1-OA2",
            dt.date.fromisoformat(start),
            dt.date.fromisoformat(end),
            "ongoing",
            70,
            "x",
            "K1",
            80,
            "persons",
        ]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    result = services.progress_import(
        actor=world.users["action_participant"], upload=SimpleUploadedFile("p.xlsx", buffer.getvalue())
    )
    assert result.reports[0].progress == 70


# --- deadlines ----------------------------------------------------------------------------------------


def test_deadlines_name_the_leaders_of_overdue_and_soon_due_actions(world):
    policy = progress_cycle(world)
    year = dt.date.today().year
    entries = services.progress_deadlines(dt.date(year, 8, 26))
    by_key = {entry["dedupe_key"]: entry for entry in entries}
    leader = world.users["action_participant"].pk
    # AMERIPOL's action started on 1 March, reports every 6 months: 1 September is due within 7 days.
    due = by_key[f"progress-due:{policy.actions[1].pk}:{year}-09-01"]
    assert due["recipients"] == [leader] and due["kind"] == "progress_due"
    # Argentina's own action started on 1 January: 1 July passed without a report.
    overdue = by_key[f"progress-overdue:{policy.state_action.pk}:{year}-07-01"]
    assert world.users["national_focal_point"].pk in overdue["recipients"]
    assert overdue["url"].endswith(f"/actions/{policy.state_action.pk}/progress/")
    assert all(set(e) == {"recipients", "kind", "subject", "body", "url", "dedupe_key"} for e in entries)
