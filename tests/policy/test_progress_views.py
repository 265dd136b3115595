"""Pages and API of progress reporting: what they show, bad input, problem+json errors, what stays
hidden, and fixed query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ceiba.policy import progress_services as services
from ceiba.policy.models import Kpi, OperationalAction, ProgressReport

from ..conftest import sign_in
from .progress_factories import HEADER, period, progress_cycle

pytestmark = pytest.mark.django_db


def _client(client, world, persona):
    return sign_in(client, world.users[persona])


def test_the_report_form_shows_each_kpi_with_its_unit_and_refuses_bad_input(client, world):
    policy = progress_cycle(world)
    client = _client(client, world, "national_focal_point")
    url = reverse("policy:progress_report_create", args=[policy.state_action.pk])
    page = client.get(url).content.decode()
    assert "K1 Operations (synthetic) (in operations)" in page
    assert "K2 Seized (synthetic) (in kilograms)" in page
    year = dt.date.today().year
    data = {
        "organisation": policy.world.users["national_focal_point"].memberships.first().organisation_id,
        "period_start": f"{year}-07-01",
        "period_end": f"{year}-06-01",
        "status": "ongoing",
        "progress": "150",
        "narrative": "x",
        "tlp": "amber",
        "scope": "named",
    }
    count = ProgressReport.objects.count()
    response = client.post(url, data)
    assert response.status_code == 200
    assert ProgressReport.objects.count() == count
    data.update(progress="40", period_end=f"{year}-09-30")
    response = client.post(url, data)
    assert "Name the states or organisations that read this report." in response.content.decode()
    data.update(
        scope="named", shared_with_states=[world.bra.pk], result_kind_1="arrests", result_quantity_1="3"
    )
    response = client.post(url, data)
    assert response.status_code == 302
    report = ProgressReport.objects.get(action=policy.state_action)
    assert list(report.shared_with_states.all()) == [world.bra]
    # Brazil was named: its analyst reads the report.
    other = sign_in(type(client)(), world.users["national_analyst@other_state"])
    assert other.get(reverse("policy:progress_report_detail", args=[report.pk])).status_code == 200


def test_someone_who_sees_but_does_not_lead_the_action_is_told_so(client, world):
    policy = progress_cycle(world)
    client = _client(client, world, "national_focal_point@other_state")  # Brazil co-leads it
    response = client.get(reverse("policy:progress_report_create", args=[policy.actions[0].pk]))
    assert response.status_code == 403
    assert "You do not lead this action" in response.content.decode()


def test_the_import_page_lists_every_problem_by_row(client, world):
    progress_cycle(world)
    client = _client(client, world, "action_participant")
    start, end = period()
    content = HEADER + f"UNKNOWN,{start},{end},ongoing,5,x,,,,,\nTC-P1-OA2,{start},{end},done,5,x,,,,,\n"
    response = client.post(
        reverse("policy:progress_import"), {"file": SimpleUploadedFile("p.csv", content.encode())}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "unknown action code “UNKNOWN”" in page and "unknown status" in page
    assert "<td>2</td><td>action_code</td>" in page and "<td>3</td><td>status</td>" in page


def test_the_template_is_a_csv_with_every_column(client, world):
    client = _client(client, world, "action_participant")
    response = client.get(reverse("policy:progress_template"))
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert body.splitlines()[0] == ",".join(services.COLUMNS)


def test_the_dashboard_shows_the_rollup_the_gantt_and_overdue_reports(client, world):
    policy = progress_cycle(world)
    client = _client(client, world, "secretariat_analyst")
    page = client.get(reverse("policy:progress_cycle_dashboard", args=[policy.cycle.pk])).content.decode()
    assert '<svg viewBox="0 0 1000' in page and "gantt-bar" in page
    assert 'id="gantt-data"' in page
    for action in policy.actions:
        assert action.code in page
    assert "Overdue progress reports" in page  # nothing covers the state's action's first due date
    assert "P1 Cocaine trafficking (synthetic)" in page


def test_kpi_values_follow_the_reports_policy(client, world):
    policy = progress_cycle(world)
    url = reverse("policy:progress_action", args=[policy.actions[0].pk])
    # The police's report (30 persons) is for the secretariat and Argentina only.
    secretariat = _client(client, world, "secretariat_analyst").get(url).content.decode()
    assert "<td>30.00</td>" in secretariat
    other = sign_in(type(client)(), world.users["national_analyst@other_state"]).get(url).content.decode()
    assert "<td>30.00</td>" not in other
    assert "Ongoing" in other  # the action's own status is summary data every member reads


def test_my_actions_lists_the_led_actions_with_overdue_ones(client, world):
    policy = progress_cycle(world)
    page = (
        _client(client, world, "national_focal_point")
        .get(reverse("policy:progress_my_actions"))
        .content.decode()
    )
    assert policy.state_action.code in page and policy.actions[1].code not in page
    assert 'class="overdue"' in page


def test_pages_make_a_fixed_number_of_queries(client, world):
    policy = progress_cycle(world)
    client = _client(client, world, "action_participant")
    urls = [
        reverse("policy:progress_cycle_dashboard", args=[policy.cycle.pk]),
        reverse("policy:progress_plan_dashboard", args=[policy.plans[0].pk]),
        reverse("policy:progress_my_actions"),
        reverse("policy:progress_action", args=[policy.actions[1].pk]),
        reverse("policy-progress-report-list"),
    ]

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    def upload(year_offset: int) -> None:
        start, end = period(year_offset)
        services.progress_import(
            actor=world.users["action_participant"],
            upload=SimpleUploadedFile(
                "p.csv",
                (
                    HEADER
                    + f"TC-P1-OA2,{start},{end},ongoing,50,x,K1,40,persons,green,all_members\n"
                    + f"TC-P2-OA2,{start},{end},ongoing,50,x,K1,40,persons,green,all_members\n"
                ).encode(),
            ),
        )

    upload(0)
    before = [count(url) for url in urls]
    upload(1)
    for number in (4, 5):  # more actions led by AMERIPOL, with KPIs, in the first plan
        action = OperationalAction.objects.create(
            plan=policy.plans[0],
            code=f"TC-P1-OA{number}",
            title="More (synthetic)",
            leader_organisation=policy.ameripol,
            starts_on=policy.plans[0].starts_on,
            ends_on=policy.plans[0].ends_on,
        )
        Kpi.objects.create(action=action, code="K1", name="x", unit="count", target=5)
    assert [count(url) for url in urls] == before
    assert max(before) < 40


# --- API ----------------------------------------------------------------------------------------------


def test_the_api_upload_answers_problem_json_with_row_errors(client, world):
    progress_cycle(world)
    client = _client(client, world, "action_participant")
    start, end = period()
    content = HEADER + f"TC-P1-OA2,{start},{end},ongoing,5,x,K1,3,kg,,\n"
    response = client.post(
        reverse("policy-progress-import"), {"file": SimpleUploadedFile("p.csv", content.encode())}
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"] == [
        {"row": 2, "field": "kpi_unit", "message": "K1 is counted in persons, not in “kg”."}
    ]


def test_the_api_create_refuses_bad_input_naming_the_field(client, world):
    policy = progress_cycle(world)
    client = _client(client, world, "action_participant")
    start, end = period()
    body = {
        "action": policy.actions[1].code,
        "period_start": start,
        "period_end": end,
        "status": "ongoing",
        "progress": 50,
        "narrative": "x",
        "kpi_values": [{"kpi": "K1", "value": "3", "unit": "kg"}],
    }
    response = client.post(reverse("policy-progress-report-list"), body, content_type="application/json")
    assert response.status_code == 400
    assert (
        response.json()["errors"][0]["field"] == "kpi_values"
        and "K1" in response.json()["errors"][0]["message"]
    )
    body["kpi_values"] = []
    body["status"] = "finished"
    assert (
        client.post(reverse("policy-progress-report-list"), body, content_type="application/json").status_code
        == 400
    )
    body.update(status="ongoing", action="NOPE")
    assert (
        client.post(reverse("policy-progress-report-list"), body, content_type="application/json").status_code
        == 404
    )
    body.update(action=policy.actions[0].code)
    response = client.post(reverse("policy-progress-report-list"), body, content_type="application/json")
    assert response.status_code == 403 and "do not lead" in response.json()["detail"]


def test_the_rollup_api_weighs_the_actions(client, world):
    policy = progress_cycle(world)
    response = _client(client, world, "secretariat_analyst").get(
        reverse("policy-cycle-rollup", args=[policy.cycle.pk])
    )
    tree = response.json()
    assert tree["level"] == "cycle" and [c["level"] for c in tree["children"]] == ["priority", "priority"]
    plan = tree["children"][0]["children"][0]
    # P1's plan: police action 0 % (weight 1), AMERIPOL's 0 %, the state's action 0 % (weight 2).
    assert plan["weight"] == 4.0 and plan["progress"] == 0.0
    assert [a["level"] for a in plan["children"]] == ["action", "action", "action"]


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("es", ["Cronograma de las acciones", "Acciones por estado"]),
        ("pt", ["Cronograma das ações", "Ações por situação"]),
        ("fr", ["Calendrier des actions", "Actions par état"]),
        ("en", ["Timeline of the actions", "Actions by status"]),
    ],
)
def test_the_dashboard_speaks_four_languages(world, language, words):
    from django.test import Client

    policy = progress_cycle(world)
    client = sign_in(Client(headers={"accept-language": language}), world.users["secretariat_analyst"])
    page = client.get(reverse("policy:progress_plan_dashboard", args=[policy.plans[0].pk])).content.decode()
    assert f'<html lang="{language}">' in page
    for word in words:
        assert word in page
