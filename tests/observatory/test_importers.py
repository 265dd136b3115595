"""The importers on their own (no database): values, codes, names, and the publishers' real files."""

from __future__ import annotations

import pytest

from ceiba.core.demo import STATES
from ceiba.observatory import importers
from ceiba.observatory.catalogue import INDICATORS
from ceiba.observatory.countries import CodeKind, classify_code, match_name

from .conftest import owid_file, portal_file, portal_row

AMERICAS = frozenset(STATES)


def targets(source_format: str) -> list[importers.Target]:
    return [
        importers.Target(e["slug"], e["selector"]) for e in INDICATORS if e["source_format"] == source_format
    ]


@pytest.mark.parametrize(
    ("raw", "number", "censor", "text"),
    [
        (12, 12.0, "", ""),
        ("12.5", 12.5, "", ""),
        ("<5", 5.0, "<", "<5"),
        ("> 100", 100.0, ">", "> 100"),
        ("1e3", 1000.0, "", ""),
    ],
)
def test_values_are_numbers_or_censored_bounds(raw: object, number: float, censor: str, text: str) -> None:
    value = importers.parse_value(raw)
    assert value == importers.Value(number, censor, text)


@pytest.mark.parametrize("raw", ["abc", "12,5,3", "five", "<", "NaN"])
def test_non_numeric_values_are_refused_with_the_value_quoted(raw: str) -> None:
    with pytest.raises(ValueError, match="is not a number"):
        importers.parse_value(raw)


def test_empty_cells_are_no_value() -> None:
    assert importers.parse_value(None) is None
    assert importers.parse_value("  ") is None


def test_codes_are_classified() -> None:
    assert classify_code("arg") == (CodeKind.COUNTRY, "ARG")
    assert classify_code("OWID_WRL")[0] == CodeKind.AGGREGATE
    assert classify_code("GBR_E_W")[0] == CodeKind.AGGREGATE
    assert classify_code("XYZ")[0] == CodeKind.UNKNOWN
    assert classify_code("")[0] == CodeKind.EMPTY


@pytest.mark.parametrize(
    ("name", "iso3"),
    [
        ("Bolivia", "BOL"),
        ("Trinidad and Tobago", "TTO"),
        ("Brasil", "BRA"),
        ("Haïti", "HTI"),
        ("United States", "USA"),
    ],
)
def test_country_names_match_iso_codes(name: str, iso3: str) -> None:
    assert match_name(name) == iso3


def test_regions_match_no_country() -> None:
    assert match_name("World") is None
    assert match_name("NATO members") is None


def test_portal_export_keeps_breakdowns_as_dimensions_and_censored_values() -> None:
    content = portal_file(
        [
            portal_row("ARG", 2021, 14625),
            portal_row("ARG", 2021, 4000, dimension="by type", category="pistol"),
            portal_row("ARG", 2021, "<5", dimension="by type", category="machine gun"),
        ]
    )
    result = importers.parse_unodc_portal(content, targets("unodc-portal"), AMERICAS)
    assert result.ok, result.messages()
    headline = result.records[("firearms-seized", "ARG", 2021, "", "", "", "")]
    assert headline.value == 14625
    censored = result.records[("firearms-seized", "ARG", 2021, "by type", "machine gun", "", "")]
    assert (censored.value, censored.censor, censored.value_text) == (5.0, "<", "<5")
    assert result.publisher_date.isoformat() == "2024-08-26"


def test_portal_export_in_xlsx_reads_the_same() -> None:
    content = portal_file([portal_row("BRA", 2020, 100)], xlsx=True)
    result = importers.parse_unodc_portal(content, targets("unodc-portal"), AMERICAS)
    assert result.records[("firearms-seized", "BRA", 2020, "", "", "", "")].value == 100


def test_repeated_headline_with_another_value_is_an_error_naming_both_rows() -> None:
    content = portal_file([portal_row("ARG", 2021, 10), portal_row("ARG", 2021, 12)])
    result = importers.parse_unodc_portal(content, targets("unodc-portal"), AMERICAS)
    assert not result.ok
    assert "Row 5, column VALUE" in result.messages()[0]
    assert "row 4" in result.messages()[0]


def test_repeated_breakdown_rows_are_listed_for_review() -> None:
    content = portal_file(
        [
            portal_row("ARG", 2021, 10, dimension="by location", category="Total"),
            portal_row("ARG", 2021, 0, dimension="by location", category="Total"),
        ]
    )
    result = importers.parse_unodc_portal(content, targets("unodc-portal"), AMERICAS)
    assert result.ok
    assert result.conflict_count == 1
    assert result.conflicts[0]["kept_row"] == 4 and result.conflicts[0]["other_row"] == 5


def test_owid_skips_regions_and_refuses_unknown_codes() -> None:
    content = owid_file(
        [
            ["World", "OWID_WRL", 2020, 6.0, ""],
            ["Latin America", "", 2020, 20, ""],
            ["Nowhere", "XYZ", 2020, 1, ""],
        ]
    )
    result = importers.parse_owid(content, targets("owid"), AMERICAS)
    assert result.messages() == ["Row 4, column Code: “XYZ” is not an ISO 3166 country code"]


def test_real_firearms_workbook_with_a_wrong_declared_size_is_read_in_full(real_file) -> None:
    result = importers.parse_unodc_portal(
        real_file("unodc/data_iafq_firearms_trafficking.xlsx"), targets("unodc-portal"), AMERICAS
    )
    assert result.ok, result.messages()
    assert result.rows_read == 15468
    assert result.records[("firearms-seized", "ARG", 2021, "", "", "", "")].value > 0


def test_real_drug_seizures_sum_repeated_rows(real_file) -> None:
    result = importers.parse_unodc_drug_seizures(
        real_file("unodc/drug_seizures_2018_2022.xlsx"), targets("unodc-drug-seizures"), AMERICAS
    )
    assert result.ok, result.messages()
    plants = result.records[("drug-seizures-cannabis", "ARG", 2022, "Drug", "Cannabis plants", "", "")]
    assert plants.value == pytest.approx(3777.65544 + 4524.6)


def test_real_names_table_lists_what_did_not_match(real_file) -> None:
    result = importers.parse_names_table(
        real_file("sipri/sipri-milex-owid-datasets.csv"), targets("names-table"), AMERICAS
    )
    assert result.ok, result.messages()
    assert {"World", "NATO members", "South America"} <= set(result.unmatched_names)
    assert ("milex-constant-usd", "COL", 2020, "", "", "", "") in result.records
