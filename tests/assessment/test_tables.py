"""Indicator tables: import from CSV or XLSX by the secretariat (every bad cell named by row and column,
nothing stored, no run created), the CSV template, the table page and its run button, the API."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ceiba.assessment import tables
from ceiba.assessment.models import AssessmentRun, IndicatorTable
from ceiba.common.testing.permissions import PERSONAS, permission_matrix
from ceiba.core.models import State
from tests.conftest import sign_in

from .composite_fixtures import SMALL_CSV, analyst, csv_file, default_version, small_table, small_version

EVERYONE_200 = {p: 200 for p in PERSONAS}
SECRETARIAT_PAGE = {"anonymous": 302, "secretariat_admin": 200, "secretariat_analyst": 200}
SECRETARIAT_POST = {"anonymous": 302, "secretariat_admin": 302, "secretariat_analyst": 302}


def import_data(world):
    return {"methodology": small_version().pk, "name": "Permission test", "source": "", "file": csv_file()}


test_table_list = permission_matrix(
    "assessment:table_list",
    url=lambda w: (small_table(), reverse("assessment:table_list"))[1],
    expect=EVERYONE_200,
)
test_table_detail = permission_matrix(
    "assessment:table_detail",
    url=lambda w: reverse("assessment:table_detail", args=[small_table().pk]),
    expect=EVERYONE_200,
)
test_table_template = permission_matrix(
    "assessment:table_template",
    url=lambda w: reverse("assessment:table_template", args=[default_version().pk]),
    expect=EVERYONE_200,
)
test_table_import = permission_matrix(
    "assessment:table_import",
    url=lambda w: (small_version(), reverse("assessment:table_import"))[1],
    expect=SECRETARIAT_PAGE,
    default=403,
)
test_table_import_post = permission_matrix(
    "assessment:table_import:post",
    url=lambda w: reverse("assessment:table_import"),
    method="post",
    data=import_data,
    expect=SECRETARIAT_POST,
    default=403,
)
test_table_run = permission_matrix(
    "assessment:table_run",
    url=lambda w: reverse("assessment:table_run", args=[small_table().pk]),
    method="post",
    expect=SECRETARIAT_POST,
    default=403,
)
test_api_tables = permission_matrix(
    "assessment-table-list",
    url=lambda w: (small_table(), reverse("assessment-table-list"))[1],
    expect=EVERYONE_200,
)
test_api_table_import = permission_matrix(
    "assessment-table-list:post",
    url=lambda w: reverse("assessment-table-list"),
    method="post",
    data=import_data,
    expect={"anonymous": 401, "secretariat_admin": 201, "secretariat_analyst": 201},
    default=403,
)
test_api_table = permission_matrix(
    "assessment-table-detail",
    url=lambda w: reverse("assessment-table-detail", args=[small_table().pk]),
    expect=EVERYONE_200,
)
test_api_table_run = permission_matrix(
    "assessment-table-run",
    url=lambda w: reverse("assessment-table-run", args=[small_table().pk]),
    method="post",
    expect={"anonymous": 401, "secretariat_admin": 201, "secretariat_analyst": 201},
    default=403,
)


def post_import(client, text: str, name: str = "table.csv"):
    return sign_in(client, analyst()).post(
        reverse("assessment:table_import"),
        {
            "methodology": small_version().pk,
            "name": "Test",
            "source": "Invented.",
            "file": csv_file(text, name),
        },
    )


HEADER = "country,cocaine_trade,arms_trafficking,criminal_networks,law_enforcement,prevention\n"
#: (what is wrong, the file, the (row, column) each issue names, a fragment of each message)
BAD = [
    (
        "unknown country code",
        HEADER + "ARG,1,2,3,4,5\nXYZ,1,2,3,4,5\n",
        [(3, "country")],
        ["unknown country code 'XYZ'"],
    ),
    (
        "duplicate country",
        HEADER + "ARG,1,2,3,4,5\nBRA,1,2,3,4,5\narg,1,2,3,4,5\n",
        [(4, "country")],
        ["already given in row 2"],
    ),
    (
        "value outside the scale",
        HEADER + "ARG,1,2,3,4,11\nBRA,0,2,3,4,5\n",
        [(2, "prevention"), (3, "cocaine_trade")],
        ["11 is outside 1–10", "0 is outside 1–10"],
    ),
    ("not a number", HEADER + "ARG,1,2,high,4,5\n", [(2, "criminal_networks")], ["'high' is not a number"]),
    (
        "unknown column",
        HEADER.strip() + ",heroine\nARG,1,2,3,4,5,6\n",
        [(1, "heroine")],
        ["not an indicator"],
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "text", "where", "messages"), BAD, ids=[case for case, *_ in BAD])
def test_a_bad_table_names_every_bad_cell_and_stores_nothing(
    client, world, case, text, where, messages
) -> None:
    version = small_version()
    before_tables, before_runs = IndicatorTable.objects.count(), AssessmentRun.objects.count()
    with pytest.raises(tables.TableImportError) as caught:
        tables.import_table(csv_file(text), methodology_version=version, user=analyst(), name=case)
    assert [(i.row, i.column) for i in caught.value.issues] == where
    for issue, fragment in zip(caught.value.issues, messages, strict=True):
        assert fragment in issue.message
    response = post_import(client, text)
    assert response.status_code == 200
    page = response.content.decode()
    assert "nothing was stored" in page
    for (row, column), fragment in zip(where, messages, strict=True):
        assert f"Row {row}, column {column}: " in page
        assert fragment.replace("'", "&#x27;") in page
    assert IndicatorTable.objects.count() == before_tables
    assert AssessmentRun.objects.count() == before_runs


@pytest.mark.django_db
def test_every_problem_is_listed_at_once(world) -> None:
    text = HEADER + "ARG,1,2,3,4,5\nXYZ,1,2,3,4,5\nARG,1,2,3,4,5\nBRA,12,2,3,4,5\n"
    with pytest.raises(tables.TableImportError) as caught:
        tables.import_table(csv_file(text), methodology_version=small_version(), user=analyst(), name="x")
    assert [(i.row, i.column) for i in caught.value.issues] == [
        (3, "country"),
        (4, "country"),
        (5, "cocaine_trade"),
    ]


@pytest.mark.django_db
def test_blank_lines_keep_the_rows_numbered_as_in_the_file(world) -> None:
    text = "\n" + HEADER + "ARG,1,2,3,4,5\n\nXYZ,1,2,3,4,5\n"
    with pytest.raises(tables.TableImportError) as caught:
        tables.import_table(csv_file(text), methodology_version=small_version(), user=analyst(), name="x")
    assert [(i.row, i.column) for i in caught.value.issues] == [(5, "country")]


@pytest.mark.django_db
def test_a_missing_country_column_or_indicator_column_is_named(world) -> None:
    with pytest.raises(tables.TableImportError) as caught:
        tables.import_table(
            csv_file("state,cocaine_trade\nARG,1\n"),
            methodology_version=small_version(),
            user=analyst(),
            name="x",
        )
    messages = [str(i) for i in caught.value.issues]
    assert any("no country column" in m for m in messages)
    assert any("column arms_trafficking" in m and "has no column" in m for m in messages)


@pytest.mark.django_db
def test_a_valid_csv_is_stored_sorted_with_its_hash(client, world) -> None:
    response = post_import(client, SMALL_CSV)
    table = IndicatorTable.objects.get(name="Test")
    assert response.status_code == 302 and response.url == reverse("assessment:table_detail", args=[table.pk])
    assert table.content["indicators"] == [
        "cocaine_trade",
        "arms_trafficking",
        "criminal_networks",
        "law_enforcement",
        "prevention",
    ]
    assert table.content["rows"]["BRA"] == [2.0, None, 3.0, 9.0, 8.0]
    assert len(table.content_hash) == 64 and table.created_by == analyst()
    page = client.get(response.url).content.decode()
    assert "Run the composite index" in page and "Cocaine trade" in page


@pytest.mark.django_db
def test_an_xlsx_with_an_iso3_header_and_labels_as_headers(world) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(
        ["ISO3", "Cocaine trade", "Arms trafficking", "Criminal networks", "Law enforcement", "Prevention"]
    )
    sheet.append(["arg", 8, 6, 4, 3, 5])
    sheet.append(["CHL", 9, 7, 10, 6, 5.5])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("table.xlsx", buffer.getvalue())
    table = tables.import_table(upload, methodology_version=small_version(), user=analyst(), name="XLSX")
    assert table.content["rows"] == {"ARG": [8.0, 6.0, 4.0, 3.0, 5.0], "CHL": [9.0, 7.0, 10.0, 6.0, 5.5]}


@pytest.mark.django_db
def test_semicolons_and_decimal_commas_and_a_country_code_header(world) -> None:
    text = (
        "Country code;cocaine_trade;arms_trafficking;criminal_networks;law_enforcement;prevention\n"
        "ARG;8,5;6;4;3;5\n"
    )
    table = tables.import_table(csv_file(text), methodology_version=small_version(), user=analyst(), name="x")
    assert table.content["rows"]["ARG"][0] == 8.5


@pytest.mark.django_db
def test_a_methodology_without_composite_is_refused(world) -> None:
    from .composite_fixtures import default_data

    data = default_data()
    del data["composite"]
    data["code"] = "no-composite"
    import yaml

    from ceiba.assessment import methodology_store

    version = methodology_store.save_version(yaml.safe_dump(data), user=None)
    with pytest.raises(tables.TableImportError):
        tables.import_table(csv_file(), methodology_version=version, user=analyst(), name="x")


@pytest.mark.django_db
def test_the_template_has_one_row_per_state(client, world) -> None:
    version = default_version()
    response = client.get(reverse("assessment:table_template", args=[version.pk]))
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    header = lines[0].split(",")
    assert header[0] == "country" and "human_trafficking" in header and "non_state_actors" in header
    assert len(header) == 1 + 15 + 5 + 12
    assert len(lines) == 1 + State.objects.count()
    assert lines[1].split(",")[1:] == [""] * (len(header) - 1)


@pytest.mark.django_db
def test_the_run_button_computes_the_index(client, world) -> None:
    table = small_table()
    response = sign_in(client, analyst()).post(reverse("assessment:table_run", args=[table.pk]))
    run = AssessmentRun.objects.get(indicator_table=table)
    assert response.url == reverse("assessment:composite_detail", args=[run.pk])


@pytest.mark.django_db
def test_api_import_lists_every_bad_cell_and_stores_nothing(client, world) -> None:
    before = IndicatorTable.objects.count()
    text = HEADER + "XYZ,1,2,3,4,5\nARG,1,2,3,4,50\n"
    response = sign_in(client, analyst()).post(
        reverse("assessment-table-list"),
        {"methodology": small_version().pk, "name": "API", "file": csv_file(text)},
    )
    assert response.status_code == 400
    issues = response.json()["issues"]
    assert [(i["row"], i["column"]) for i in issues] == [(2, "country"), (3, "prevention")]
    assert IndicatorTable.objects.count() == before


@pytest.mark.django_db
def test_api_import_and_run(client, world) -> None:
    sign_in(client, analyst())
    response = client.post(
        reverse("assessment-table-list"),
        {"methodology": small_version().pk, "name": "API", "file": csv_file()},
    )
    assert response.status_code == 201
    table = response.json()
    assert table["content"]["rows"]["ARG"] == [8.0, 6.0, 4.0, 3.0, 5.0]
    run = client.post(reverse("assessment-table-run", args=[table["id"]]))
    assert run.status_code == 201
    assert run.json()["results"]["indices"]["criminality"] == [5.5, 2.5, 9.0]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "word"),
    [
        ("es", "Tablas de indicadores"),
        ("pt", "Tabelas de indicadores"),
        ("fr", "Tableaux d’indicateurs"),
        ("en", "Indicator tables"),
    ],
)
def test_the_table_pages_render_in_four_languages(client, world, language, word) -> None:
    table = small_table()
    for url in (reverse("assessment:table_list"), reverse("assessment:table_detail", args=[table.pk])):
        response = client.get(url, headers={"accept-language": language})
        assert response.status_code == 200
        assert word in response.content.decode()


@pytest.mark.django_db
def test_the_same_values_give_the_same_content_hash(world) -> None:
    first = tables.import_table(csv_file(), methodology_version=small_version(), user=analyst(), name="a")
    reordered = HEADER + "CHL,9,7,10,6,5.5\nBRA,2,,3,9,8\nARG,8,6,4,3,5.0\n"
    second = tables.import_table(
        csv_file(reordered), methodology_version=small_version(), user=analyst(), name="b"
    )
    assert first.content == second.content and first.content_hash == second.content_hash
