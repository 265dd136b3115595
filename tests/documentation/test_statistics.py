"""Statistics and imports through HTTP: the permission matrix of every page and endpoint, hidden
datasets absent from lists, totals and exports, exports carrying markings with formulas neutralised,
the upload → mapping → run flow and the API. All data is synthetic."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ceiba.common.models import AuditAction, AuditEvent
from ceiba.common.testing.permissions import permission_matrix
from ceiba.core.models import Organisation, State
from ceiba.documentation import statistics_totals
from ceiba.documentation.imports import import_create
from ceiba.documentation.interchange.tabular import neutralise, xlsx_bytes
from ceiba.documentation.models import ImportRun, ImportStatus, StatisticRow, StatisticsDataset
from ceiba.sharing.choices import TLP, Scope
from tests.conftest import sign_in

from .factories import DRAFTERS, contribution_for, open_cycle, report_in, submit

API = {"anonymous": 401}
MEMBERS = {"anonymous": 302, "forum_participant": 403}
ARG_DRAFTERS = {"national_focal_point": 200, "national_analyst": 200}


@pytest.fixture(autouse=True)
def _import_dir(settings: Any, tmp_path: Path) -> None:
    settings.CEIBA_IMPORT_DIR = tmp_path / "imports"


def dataset_in(
    world: Any,
    contribution: Any,
    *,
    tlp: str = TLP.AMBER,
    scope: str = Scope.SECRETARIAT,
    title: str = "Seizures (synthetic)",
    rows: list[tuple[str, str, str]] | None = None,
) -> StatisticsDataset:
    analyst, _focal = DRAFTERS[contribution.state.iso3]
    organisation = Organisation.objects.filter(
        memberships__user=world.users[analyst], state=contribution.state
    ).first()
    dataset = StatisticsDataset(
        contribution=contribution,
        originator=organisation,
        title=title,
        tlp=tlp,
        scope=scope,
        source_reliability="B",
        information_credibility="2",
    )
    dataset.full_clean()
    dataset.save()
    for source_id, commodity, quantity in rows or [("R-1", "cocaine", "10")]:
        StatisticRow.objects.create(
            dataset=dataset,
            source_id=source_id,
            kind="seizure",
            period_start=date(2024, 1, 1),
            period_end=date(2024, 1, 1),
            state=contribution.state,
            commodity=commodity,
            quantity=Decimal(quantity),
            unit="kg",
        )
    statistics_totals.refresh([dataset.pk])  # as the importers do
    return dataset


def the_cycle(world: Any) -> Any:
    from ceiba.documentation.models import AssessmentCycle

    return AssessmentCycle.objects.filter(name="Test cycle (synthetic)").first() or open_cycle(world)


def argentine_draft(world: Any) -> StatisticsDataset:
    return dataset_in(world, contribution_for(world, the_cycle(world), "ARG"))


def brazilian_submission(world: Any) -> StatisticsDataset:
    contribution = contribution_for(world, the_cycle(world), "BRA")
    report_in(world, contribution)
    dataset = dataset_in(
        world,
        contribution,
        tlp=TLP.GREEN,
        scope=Scope.ALL_MEMBERS,
        title="Brazil (synthetic)",
        rows=[("B-1", '=HYPERLINK("http://x")', "5"), ("B-2", "cannabis", "7")],
    )
    submit(world, contribution)
    return dataset


def argentine_run(world: Any, status: str = ImportStatus.PENDING) -> ImportRun:
    contribution = contribution_for(world, open_cycle(world), "ARG")
    content = b"source_id,kind,date,state,quantity,unit\nA-1,seizure,2024-01-01,ARG,1,kg\n"
    run = import_create(
        contribution=contribution,
        actor=world.users["national_analyst"],
        kind="statistics",
        chunks=[content],
        size=len(content),
        file_name="a.csv",
        defaults={"source_reliability": "B", "information_credibility": "2"},
    )
    if status != run.status:
        run.status = status
        run.save()
    return run


test_statistic_list = permission_matrix(
    "documentation:statistic_list",
    url=lambda w: reverse("documentation:statistic_list"),
    expect=MEMBERS,
    default=200,
)
test_statistic_export = permission_matrix(
    "documentation:statistic_export",
    url=lambda w: reverse("documentation:statistic_export", args=["csv"]),
    expect=MEMBERS,
    default=200,
)
test_statistic_template = permission_matrix(
    "documentation:statistic_template",
    url=lambda w: reverse("documentation:statistic_template", args=["xlsx"]),
    expect=MEMBERS,
    default=200,
)
# Argentina's draft dataset: Argentina only.
test_dataset_detail = permission_matrix(
    "documentation:dataset_detail",
    url=lambda w: reverse("documentation:dataset_detail", args=[argentine_draft(w).pk]),
    expect={"anonymous": 302, "forum_participant": 403, **ARG_DRAFTERS},
    default=404,
)
test_dataset_detail_released = permission_matrix(
    "documentation:dataset_detail",
    url=lambda w: reverse("documentation:dataset_detail", args=[brazilian_submission(w).pk]),
    expect={"anonymous": 302, "forum_participant": 403, "action_participant": 404},
    default=200,
)
test_import_upload = permission_matrix(
    "documentation:import_upload",
    url=lambda w: reverse("documentation:import_upload", args=[contribution_for(w, open_cycle(w), "ARG").pk]),
    expect={"anonymous": 302, "forum_participant": 403, **ARG_DRAFTERS},
    default=404,
)
test_import_detail = permission_matrix(
    "documentation:import_detail",
    url=lambda w: reverse("documentation:import_detail", args=[argentine_run(w).pk]),
    expect={"anonymous": 302, "forum_participant": 403, **ARG_DRAFTERS},
    default=404,
)
# Only the person who uploaded the file maps its columns.
test_import_mapping = permission_matrix(
    "documentation:import_mapping",
    url=lambda w: reverse("documentation:import_mapping", args=[argentine_run(w).pk]),
    expect={"anonymous": 302, "forum_participant": 403, "national_analyst": 200, "national_focal_point": 403},
    default=404,
)
test_import_errors = permission_matrix(
    "documentation:import_errors",
    url=lambda w: reverse("documentation:import_errors", args=[argentine_run(w, ImportStatus.FAILED).pk]),
    expect={"anonymous": 302, "forum_participant": 403, **ARG_DRAFTERS},
    default=404,
)
test_api_statistics = permission_matrix(
    "documentation-statistic-list",
    url=lambda w: reverse("documentation-statistic-list"),
    expect=API,
    default=200,
)
test_api_datasets = permission_matrix(
    "documentation-statistics-dataset-list",
    url=lambda w: reverse("documentation-statistics-dataset-list"),
    expect=API,
    default=200,
)
test_api_dataset = permission_matrix(
    "documentation-statistics-dataset-detail",
    url=lambda w: reverse("documentation-statistics-dataset-detail", args=[argentine_draft(w).pk]),
    expect={"anonymous": 401, **ARG_DRAFTERS},
    default=404,
)
test_api_imports = permission_matrix(
    "documentation-import-list", url=lambda w: reverse("documentation-import-list"), expect=API, default=200
)
test_api_import = permission_matrix(
    "documentation-import-detail",
    url=lambda w: reverse("documentation-import-detail", args=[argentine_run(w).pk]),
    expect={"anonymous": 401, **ARG_DRAFTERS},
    default=404,
)


def _api_upload(world: Any) -> dict[str, Any]:
    content = b"source_id,kind,date,state,quantity,unit\nA-1,seizure,2024-01-01,ARG,1,kg\n"
    return {
        "kind": "statistics",
        "contribution": contribution_for(world, open_cycle(world), "ARG").pk,
        "file": SimpleUploadedFile("a.csv", content, content_type="text/csv"),
        "source_reliability": "B",
        "information_credibility": "2",
    }


test_api_import_create = permission_matrix(
    "documentation-import-list",
    url=lambda w: reverse("documentation-import-list"),
    method="post",
    data=_api_upload,
    expect={"anonymous": 401, "national_analyst": 202, "national_focal_point": 202, "forum_participant": 404},
    default=404,
)


# --- behaviour ---------------------------------------------------------------------------------------


def login(client: Any, world: Any, persona: str) -> Any:
    return sign_in(client, world.users[persona])


def test_hidden_datasets_are_absent_from_list_totals_api_and_exports(client, world):
    draft = argentine_draft(world)
    released = brazilian_submission(world)
    login(client, world, "committee_delegate@other_state")
    page = client.get(reverse("documentation:statistic_list"))
    body = page.content.decode()
    assert released.title in body and draft.title not in body
    assert [(t["unit"], t["total"]) for t in page.context["totals"]] == [("kg", Decimal("12"))]
    api = client.get(reverse("documentation-statistic-list")).json()
    assert {row["source_id"] for row in api["results"]} == {"B-1", "B-2"}
    export = b"".join(client.get(reverse("documentation:statistic_export", args=["csv"])).streaming_content)
    text = export.decode("utf-8-sig")
    assert "R-1" not in text and "B-2" in text
    login(client, world, "national_analyst")
    totals = client.get(reverse("documentation:statistic_list") + "?state=ARG").context["totals"]
    assert [(t["unit"], t["total"]) for t in totals] == [("kg", Decimal("10"))]


def test_exports_carry_markings_neutralise_formulas_and_are_audited(client, world):
    argentine_draft(world)
    brazilian_submission(world)
    login(client, world, "national_analyst")
    response = client.get(reverse("documentation:statistic_export", args=["csv"]))
    assert response["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == ["Most restrictive marking in this export: TLP:AMBER"]
    header = rows[1]
    by_id = {row[0]: dict(zip(header, row, strict=True)) for row in rows[2:]}
    assert by_id["R-1"]["tlp"] == "TLP:AMBER" and by_id["B-2"]["tlp"] == "TLP:GREEN"
    assert by_id["B-1"]["commodity"] == '\'=HYPERLINK("http://x")'
    assert AuditEvent.objects.filter(
        action=AuditAction.EXPORT, object_type="documentation.statisticrow"
    ).exists()

    from openpyxl import load_workbook

    response = client.get(reverse("documentation:statistic_export", args=["xlsx"]) + "?state=BRA")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Most restrictive marking in this export: TLP:GREEN"
    commodities = {row[0]: row[7] for row in values[2:]}
    assert commodities["B-1"] == '\'=HYPERLINK("http://x")'
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_neutralise(value):
    assert neutralise(value) == "'" + value
    assert neutralise("plain") == "plain" and neutralise(-1) == -1


def test_xlsx_writer_never_writes_formulas():
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx_bytes([["=1+1", "@x", 3]]))).active
    assert [c.value for c in next(sheet.iter_rows())] == ["'=1+1", "'@x", 3]


def test_templates_name_fields_in_the_users_language(client, world):
    login(client, world, "national_analyst")
    text = client.get(reverse("documentation:statistic_template", args=["csv"])).content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Source identifier [source_id],Kind [kind]")


def test_upload_map_and_run_through_the_pages(client, world, django_capture_on_commit_callbacks):
    contribution = contribution_for(world, open_cycle(world), "ARG")
    login(client, world, "national_analyst")
    content = "Identificador,Fecha,País,Droga,Kilos,Color\nX-1,2024-02-01,Argentina,cocaína,3.5,azul\n"
    response = client.post(
        reverse("documentation:import_upload", args=[contribution.pk]),
        {
            "kind": "statistics",
            "file": SimpleUploadedFile("es.csv", content.encode()),
            "tlp": "amber",
            "handling_code": "H0",
            "scope": "secretariat",
            "grading_scheme": "admiralty",
            "source_reliability": "B",
            "information_credibility": "2",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    run = ImportRun.objects.get(contribution=contribution)
    assert response["Location"] == reverse("documentation:import_mapping", args=[run.pk])
    page = client.get(response["Location"])
    form = page.context["form"]
    initial = {form[key].label: form[key].initial for key, _n, _e in form.columns}
    assert initial == {
        "Identificador": "source_id",
        "Fecha": "date",
        "País": "state",
        "Droga": "commodity",
        "Kilos": "",
        "Color": "",
    }
    data = {
        "column_0": "source_id",
        "column_1": "date",
        "column_2": "state",
        "column_3": "commodity",
        "column_4": "quantity",
        "column_5": "",
        "fixed_kind": "seizure",
        "fixed_unit": "kg",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page.request["PATH_INFO"], data)
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == ImportStatus.SUCCEEDED, run.errors
    detail = client.get(response["Location"])
    assert detail.context["progress"] == 100 and "import-summary" in detail.content.decode()
    row = StatisticRow.objects.get(dataset__contribution=contribution)
    assert (row.commodity, row.quantity, row.unit, row.kind) == ("cocaína", Decimal("3.5"), "kg", "seizure")
    partial = client.get(response["Location"], headers={"HX-Request": "true"})
    assert partial.content.decode().startswith('<section id="import-status"')


def test_failed_run_page_and_error_report(client, world, django_capture_on_commit_callbacks):
    contribution = contribution_for(world, open_cycle(world), "ARG")
    login(client, world, "national_analyst")
    content = b"source_id,kind,date,state,quantity,unit\nA-1,seizure,2024-01-01,ARG,-1,kg\n"
    upload = SimpleUploadedFile("bad.csv", content)
    client.post(
        reverse("documentation:import_upload", args=[contribution.pk]),
        {
            "kind": "statistics",
            "file": upload,
            "tlp": "amber",
            "handling_code": "H0",
            "scope": "secretariat",
            "grading_scheme": "admiralty",
            "source_reliability": "B",
            "information_credibility": "2",
        },
    )
    run = ImportRun.objects.get(contribution=contribution)
    mapping = client.get(reverse("documentation:import_mapping", args=[run.pk])).context["form"]
    data = {key: mapping[key].initial for key, _n, _e in mapping.columns}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("documentation:import_mapping", args=[run.pk]), data)
    run.refresh_from_db()
    assert run.status == ImportStatus.FAILED
    report = client.get(reverse("documentation:import_errors", args=[run.pk])).content.decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(report)))[1] == [
        "2",
        "quantity",
        "The quantity cannot be negative (-1).",
    ]
    assert not StatisticsDataset.objects.filter(contribution=contribution).exists()


def test_other_states_cannot_upload_into_a_contribution(client, world):
    contribution = contribution_for(world, open_cycle(world), "ARG")
    login(client, world, "national_analyst@other_state")
    response = client.post(
        reverse("documentation:import_upload", args=[contribution.pk]), {"kind": "statistics"}
    )
    assert response.status_code == 404
    assert not ImportRun.objects.exists()


def test_api_import_with_mapping_and_status(client, world, django_capture_on_commit_callbacks):
    contribution = contribution_for(world, open_cycle(world), "ARG")
    login(client, world, "national_focal_point")
    content = b"ref,when,where,kg\nA-1,2024-01-01,ARG,4\n"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("documentation-import-list"),
            {
                "kind": "statistics",
                "contribution": contribution.pk,
                "file": SimpleUploadedFile("x.csv", content),
                "mapping": json.dumps(
                    {"ref": "source_id", "when": "date", "where": "state", "kg": "quantity"}
                ),
                "fixed": json.dumps({"unit": "kg", "kind": "seizure"}),
                "tlp": "green",
                "scope": "all_members",
                "source_reliability": "B",
                "information_credibility": "2",
            },
        )
    assert response.status_code == 202, response.content
    body = client.get(reverse("documentation-import-detail", args=[response.json()["id"]])).json()
    assert body["status"] == "succeeded" and body["progress"] == 100 and body["summary"]["created"] == 1
    assert StatisticsDataset.objects.get(contribution=contribution).tlp == "green"
    datasets = client.get(
        reverse("documentation-statistics-dataset-list") + f"?contribution={contribution.pk}"
    )
    assert datasets.json()["results"][0]["originator"] == "Ministerio de Seguridad Nacional (MSN)"


def test_api_import_reports_row_errors(client, world, django_capture_on_commit_callbacks):
    contribution = contribution_for(world, open_cycle(world), "ARG")
    login(client, world, "national_analyst")
    content = b"source_id,kind,date,state,quantity,unit\nA-1,seizure,2024-01-01,ZZZ,4,kg\n"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("documentation-import-list"),
            {
                "kind": "statistics",
                "contribution": contribution.pk,
                "file": SimpleUploadedFile("x.csv", content),
                "source_reliability": "B",
                "information_credibility": "2",
            },
        )
    body = client.get(reverse("documentation-import-detail", args=[response.json()["id"]])).json()
    assert body["status"] == "failed"
    assert body["errors"][0]["row"] == 2 and body["errors"][0]["column"] == "state"


def test_upload_over_the_size_limit_is_refused_before_reading(client, world, settings):
    settings.CEIBA_IMPORT_MAX_BYTES = 10
    contribution = contribution_for(world, open_cycle(world), "ARG")
    login(client, world, "national_analyst")
    response = client.post(
        reverse("documentation:import_upload", args=[contribution.pk]),
        {
            "kind": "statistics",
            "file": SimpleUploadedFile("big.csv", b"x" * 100),
            "tlp": "amber",
            "handling_code": "H0",
            "scope": "secretariat",
            "grading_scheme": "admiralty",
            "source_reliability": "B",
            "information_credibility": "2",
        },
    )
    assert response.status_code == 400 and b"largest file" in response.content
    assert not ImportRun.objects.exists()


def test_statistics_filters(client, world):
    brazilian_submission(world)
    login(client, world, "secretariat_analyst")
    url = reverse("documentation:statistic_list")
    assert client.get(url + "?commodity=canna").context["page"].paginator.count == 1
    assert client.get(url + "?kind=arrest").context["page"].paginator.count == 0
    assert client.get(url + "?period_from=2025-01-01").context["page"].paginator.count == 0
    assert client.get(url + "?state=bra&period_until=2024-06-30").context["page"].paginator.count == 2
    api = client.get(reverse("documentation-statistic-list") + "?commodity=canna").json()
    assert [r["source_id"] for r in api["results"]] == ["B-2"]
    assert State.objects.filter(iso3="BRA").exists()


def test_the_demo_loads_statistics_once(world):
    from ceiba.documentation.demo import load_documentation_demo

    load_documentation_demo()
    datasets = {d.title: d for d in StatisticsDataset.objects.all()}
    assert len(datasets) == 2 and all("synthetic" in title for title in datasets)
    rows = StatisticRow.objects.count()
    assert rows == 120
    load_documentation_demo()
    assert StatisticsDataset.objects.count() == 2 and StatisticRow.objects.count() == rows


test_report_export = permission_matrix(
    "documentation:report_export",
    url=lambda w: reverse("documentation:report_export", args=["csv"]),
    expect=MEMBERS,
    default=200,
)
test_network_export = permission_matrix(
    "documentation:network_export",
    url=lambda w: reverse("documentation:network_export", args=["xlsx"]),
    expect=MEMBERS,
    default=200,
)


def test_report_and_network_exports_hold_only_what_the_user_may_see(client, world):
    from .factories import network_in

    draft = contribution_for(world, the_cycle(world), "ARG")
    report_in(world, draft, title="=cmd|' /C calc'!A0 (synthetic)")
    network_in(world, draft)
    login(client, world, "national_analyst@other_state")
    text = b"".join(client.get(reverse("documentation:report_export", args=["csv"])).streaming_content)
    assert b"calc" not in text
    login(client, world, "national_analyst")
    response = client.get(reverse("documentation:report_export", args=["csv"]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == ["Most restrictive marking in this export: TLP:AMBER"]
    assert rows[2][1] == "'=cmd|' /C calc'!A0 (synthetic)"
    response = client.get(reverse("documentation:network_export", args=["xlsx"]))
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(row=2, column=2).value == "alias" and sheet.max_row == 3
    assert AuditEvent.objects.filter(
        action=AuditAction.EXPORT, object_type="documentation.threatreport"
    ).exists()


def test_api_counts_come_from_the_totals_and_match_the_rows(client, world):
    """The API's count is read from the per-dataset totals where the filters allow it, and equals the
    number of rows the caller may see, filtered or not (hidden datasets never counted)."""
    argentine_draft(world)
    brazilian_submission(world)
    login(client, world, "committee_delegate@other_state")
    url = reverse("documentation-statistic-list")
    for query in (
        "",
        "?kind=seizure",
        "?state=bra",
        "?commodity=canna",
        "?period_from=2025-01-01",
        "?page_size=1",
    ):
        api = client.get(url + query).json()
        expected = client.get(reverse("documentation:statistic_list") + query).context["page"].paginator.count
        assert api["count"] == expected, query
    assert client.get(url).json()["count"] == 2
    assert client.get(url + "?page_size=1").json()["next"]
    assert client.get(url + "?kind=nonsense").status_code == 400
