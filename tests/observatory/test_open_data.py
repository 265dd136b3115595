"""Open data: every chart and table downloads as CSV, XLSX and JSON with its source and licence, and
the whole observatory as one ZIP described by a Frictionless datapackage.json."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from ceiba.observatory import exports

from .factories import ArmsRegisterReportFactory, WhitePaperFactory

pytestmark = pytest.mark.django_db


def test_series_as_json_feeds_the_charts(published) -> None:
    body = (
        Client()
        .get(reverse("observatory:series", args=["homicide-rate", "json"]) + "?year=2022&state=ARG&state=JAM")
        .json()
    )
    assert [(r["iso3"], r["numeric"], r["value"]) for r in body["rows"]] == [
        ("ARG", "032", 4.3),
        ("JAM", "388", 53.1),
    ]
    assert body["licence"] == "CC BY 4.0"
    assert "Our World in Data" in body["attribution"]


def test_series_as_csv_carries_source_and_licence_on_every_row(published) -> None:
    response = Client().get(reverse("observatory:series", args=["homicide-rate", "csv"]) + "?state=BRA")
    assert response["Content-Disposition"] == 'attachment; filename="homicide-rate.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["year"], r["value"]) for r in rows] == [("2021", "22.4"), ("2022", "20.7")]
    assert {r["licence"] for r in rows} == {"CC BY 4.0"}
    assert all("UNODC" in r["source"] for r in rows)


def test_series_as_xlsx_has_data_and_about_sheets(published) -> None:
    client = Client()
    client.cookies["ceiba_language"] = "en"
    response = client.get(reverse("observatory:series", args=["homicide-rate", "xlsx"]))
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["data", "about"]
    assert [c.value for c in workbook["data"][1]][:3] == ["indicator", "ISO 3166 alpha-3", "ISO 3166 numeric"]
    about = {row[0].value: row[1].value for row in workbook["about"].iter_rows()}
    assert about["licence"] == "CC BY 4.0"


def test_unknown_format_is_not_found(published) -> None:
    assert Client().get("/observatory/data/homicide-rate.pdf").status_code == 404


def test_profile_downloads(published) -> None:
    response = Client().get(reverse("observatory:profile_data", args=["ARG", "csv"]))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {(r["indicator"], r["year"], r["value"]) for r in rows} == {
        ("homicide-rate", "2021", "4.6"),
        ("homicide-rate", "2022", "4.3"),
    }
    series = Client().get(reverse("observatory:profile_series", args=["ARG", "homicide-rate", "json"])).json()
    assert {r["name"] for r in series["rows"]} == {"Argentina", "Cono Sur (average)"} or len(
        {r["name"] for r in series["rows"]}
    ) == 2


def test_breakdowns_download(indicators) -> None:
    from ceiba.observatory import services

    from .conftest import portal_file, portal_row

    services.release_import(
        source_format="unodc-portal",
        content=portal_file(
            [
                portal_row("MEX", 2020, 900),
                portal_row("MEX", 2020, "<5", dimension="by type", category="machine gun"),
            ]
        ),
        file_name="iafq.csv",
    )
    rows = list(
        csv.DictReader(
            io.StringIO(
                Client()
                .get(reverse("observatory:breakdowns", args=["firearms-seized", "csv"]))
                .content.decode()
            )
        )
    )
    assert [(r["iso3"], r["category"], r["value_text"]) for r in rows] == [("MEX", "machine gun", "<5")]


def test_whole_observatory_as_a_data_package(published) -> None:
    WhitePaperFactory()
    ArmsRegisterReportFactory(nil_report=True, categories=[])
    response = Client().get(reverse("observatory:datapackage"))
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    descriptor = json.loads(archive.read("datapackage.json"))
    assert descriptor["profile"] == "data-package"
    names = {r["name"]: r for r in descriptor["resources"]}
    assert {
        "indicators",
        "states",
        "homicide-rate",
        "white-papers",
        "arms-register",
        "confidence-measures",
    } <= set(names)
    homicide = names["homicide-rate"]
    assert homicide["licenses"][0]["title"] == "CC BY 4.0"
    assert homicide["sources"][0]["path"] == "https://ourworldindata.org/grapher/homicide-rate-unodc"
    assert {f["name"]: f["type"] for f in homicide["schema"]["fields"]}["value"] == "number"
    for resource in descriptor["resources"]:
        header = archive.read(resource["path"]).decode().splitlines()[0].split(",")
        assert header == [f["name"] for f in resource["schema"]["fields"]]
    assert "CC BY 4.0" in {lic["title"] for lic in descriptor["licenses"]}


def test_datapackage_builder_is_independent_of_the_web() -> None:
    table = exports.Table(
        name="T 1",
        title="t",
        columns=[("a", "A")],
        rows=[{"a": 1}],
        sources=[{"title": "S", "licence": "L", "attribution": "S"}],
    )
    descriptor = json.loads(
        zipfile.ZipFile(
            io.BytesIO(exports.datapackage([table], name="x", title="x", description="", homepage="/"))
        ).read("datapackage.json")
    )
    assert descriptor["resources"][0]["path"] == "data/t-1.csv"
