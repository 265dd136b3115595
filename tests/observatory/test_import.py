"""Importing publisher files into the observatory: the real files, revisions, review flags, and bad
input that must be refused with a clear message and nothing stored."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ceiba.core.models import State
from ceiba.observatory import services
from ceiba.observatory.choices import ReleaseStatus
from ceiba.observatory.models import Alert, AlertRule, CountryAlias, Observation, ObservationRevision, Release

from .conftest import csv_bytes, owid_file, portal_file, portal_row

pytestmark = pytest.mark.django_db

REAL_FILES = [
    ("unodc/data_iafq_firearms_trafficking.xlsx", "unodc-portal", "firearms-seized"),
    ("unodc/data_cts_violent_and_sexual_crime.xlsx", "unodc-portal", "sexual-violence-rate"),
    ("unodc/drug_seizures_2018_2022.xlsx", "unodc-drug-seizures", "drug-seizures-cocaine"),
    ("owid/homicide-rate-unodc.csv", "owid", "homicide-rate"),
    ("owid/gdp-per-capita-worldbank.csv", "owid", "gdp-per-capita"),
    ("sipri/military-spending-as-a-share-of-gdp-sipri_owid.csv", "owid", "milex-share-gdp"),
    ("sipri/sipri-milex-owid-datasets.csv", "names-table", "milex-constant-usd"),
]


def headline(slug: str, iso3: str, year: int) -> Observation:
    return Observation.objects.get(
        indicator__slug=slug, state__iso3=iso3, year=year, dimension="", category="", sex="", age=""
    )


def homicide(rows: list[list[object]]) -> Release:
    return services.release_import(source_format="owid", content=owid_file(rows), file_name="homicide.csv")


@pytest.mark.parametrize(("relative", "source_format", "slug"), REAL_FILES)
def test_real_publisher_files_import_cleanly(
    indicators, real_file, relative: str, source_format: str, slug: str
) -> None:
    release = services.release_import(
        source_format=source_format, content=real_file(relative), file_name=Path(relative).name
    )
    assert release.values_created > 100
    assert release.indicators.filter(slug=slug).exists()
    assert (
        Observation.objects.filter(indicator__slug=slug, dimension="").values("state").distinct().count()
        >= 10
    )


def test_real_values_are_the_publishers(indicators, real_file) -> None:
    services.release_import(
        source_format="owid",
        content=real_file("owid/homicide-rate-unodc.csv"),
        file_name="homicide-rate-unodc.csv",
    )
    services.release_import(
        source_format="owid",
        content=real_file("sipri/military-spending-as-a-share-of-gdp-sipri_owid.csv"),
        file_name="milex.csv",
    )
    assert round(headline("homicide-rate", "JAM", 2023).value, 1) == 49.3
    assert round(headline("homicide-rate", "ECU", 2023).value, 1) == 45.7
    assert round(headline("milex-share-gdp", "COL", 2024).value, 2) == 3.36


def test_unodc_release_date_comes_from_the_preamble(indicators, real_file) -> None:
    release = services.release_import(
        source_format="unodc-portal",
        content=real_file("unodc/data_iafq_firearms_trafficking.xlsx"),
        file_name="iafq.xlsx",
    )
    assert release.publisher_date.isoformat() == "2024-08-26"
    assert "2024-08-26" in release.label
    # the export repeats some breakdown categories with other values: first kept, listed for review
    assert release.report["conflict_count"] > 0
    assert release.status == ReleaseStatus.NEEDS_REVIEW


def test_censored_values_are_kept_as_published(indicators) -> None:
    services.release_import(
        source_format="unodc-portal",
        content=portal_file(
            [
                portal_row("PER", 2020, 30),
                portal_row("PER", 2020, "<5", dimension="by type", category="revolver"),
            ]
        ),
        file_name="iafq.csv",
    )
    value = Observation.objects.get(state__iso3="PER", category="revolver")
    assert (value.value, value.censor, value.value_text, value.display_value) == (5.0, "<", "<5", "<5")


def test_a_newer_release_revises_values_and_keeps_the_previous_as_a_revision(indicators) -> None:
    first = homicide([["Argentina", "ARG", 2020, 5.3, ""], ["Brazil", "BRA", 2020, 22.0, ""]])
    second = homicide(
        [
            ["Argentina", "ARG", 2020, 5.5, ""],
            ["Brazil", "BRA", 2020, 22.0, ""],
            ["Chile", "CHL", 2020, 4.0, ""],
        ]
    )
    argentina = headline("homicide-rate", "ARG", 2020)
    assert argentina.value == 5.5 and argentina.release == second
    revision = ObservationRevision.objects.get(observation=argentina)
    assert (revision.value, revision.release, revision.replaced_by) == (5.3, first, second)
    assert (second.values_created, second.values_updated, second.values_unchanged) == (1, 1, 1)
    assert headline("homicide-rate", "BRA", 2020).release == second  # confirmed by the newer release


def test_a_release_with_fewer_rows_is_flagged_and_drops_nothing(indicators) -> None:
    homicide([["Argentina", "ARG", 2020, 5.3, ""], ["Brazil", "BRA", 2020, 22.0, ""]])
    smaller = homicide([["Argentina", "ARG", 2020, 5.3, ""]])
    assert smaller.status == ReleaseStatus.NEEDS_REVIEW
    assert smaller.values_missing == 1
    assert smaller.report["missing"] == [
        {"indicator": "homicide-rate", "country": "BRA", "year": 2020, "breakdown": ""}
    ]
    assert headline("homicide-rate", "BRA", 2020).value == 22.0


def test_reviewing_a_flagged_release_can_withdraw_the_missing_values(indicators, world) -> None:
    homicide([["Argentina", "ARG", 2020, 5.3, ""], ["Brazil", "BRA", 2020, 22.0, ""]])
    smaller = homicide([["Argentina", "ARG", 2020, 5.3, ""]])
    services.release_review(release=smaller, user=world.users["secretariat_admin"], withdraw_missing=True)
    brazil = headline("homicide-rate", "BRA", 2020)
    assert brazil.value is None
    assert brazil.revisions.get().value == 22.0
    smaller.refresh_from_db()
    assert smaller.status == ReleaseStatus.REVIEWED


def assert_nothing_stored() -> None:
    assert Observation.objects.count() == 0
    assert Release.objects.count() == 0


@pytest.mark.parametrize(
    ("source_format", "content", "message"),
    [
        ("unodc-portal", owid_file([["Argentina", "ARG", 2020, 5.0, ""]]), "not a UNODC data portal export"),
        ("owid", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "neither an XLSX workbook nor a CSV"),
        ("unodc-drug-seizures", b"PK\x03\x04 not really a workbook", "not a readable XLSX workbook"),
        ("owid", b"", "The file is empty"),
    ],
)
def test_a_file_that_is_not_the_format_it_claims_is_refused(
    indicators, source_format: str, content: bytes, message: str
) -> None:
    with pytest.raises(services.ImportFailed) as failure:
        services.release_import(source_format=source_format, content=content, file_name="claimed.file")
    assert message in failure.value.messages[0]
    assert_nothing_stored()


def test_the_real_drug_file_given_as_a_portal_export_is_refused(indicators, real_file) -> None:
    with pytest.raises(services.ImportFailed, match="not a UNODC data portal export"):
        services.release_import(
            source_format="unodc-portal",
            content=real_file("unodc/drug_seizures_2018_2022.xlsx"),
            file_name="x.xlsx",
        )
    assert_nothing_stored()


def test_unknown_iso_codes_are_refused_naming_row_and_column(indicators) -> None:
    content = portal_file([portal_row("ARG", 2020, 1), portal_row("XYZ", 2020, 2)])
    with pytest.raises(services.ImportFailed) as failure:
        services.release_import(source_format="unodc-portal", content=content, file_name="iafq.csv")
    assert failure.value.messages == ["Row 5, column Iso3_code: “XYZ” is not an ISO 3166 country code"]
    assert_nothing_stored()


def test_duplicate_country_years_with_different_values_are_refused(indicators) -> None:
    with pytest.raises(services.ImportFailed) as failure:
        homicide([["Argentina", "ARG", 2020, 5.3, ""], ["Argentina", "ARG", 2020, 6.1, ""]])
    assert "Row 3, column Homicide rate per 100,000 population" in failure.value.messages[0]
    assert "row 2" in failure.value.messages[0]
    assert_nothing_stored()


def test_non_numeric_values_are_refused_naming_row_and_column(indicators) -> None:
    good = [["Argentina", "ARG", year, 5.0, ""] for year in range(1990, 2020)]
    with pytest.raises(services.ImportFailed) as failure:
        homicide([*good, ["Brazil", "BRA", 2020, "n.d.", ""]])
    assert failure.value.messages == [
        (
            "Row 32, column Homicide rate per 100,000 population: “n.d.” is not a number (write it as 12.5, "
            "or as a bound such as <5)"
        )
    ]
    assert_nothing_stored()


def test_a_failure_while_storing_rolls_everything_back(indicators, monkeypatch) -> None:
    def explode(**kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "alerts_evaluate", explode)
    with pytest.raises(RuntimeError):
        homicide([["Argentina", "ARG", 2020, 5.3, ""]])
    assert_nothing_stored()


def test_an_indicator_of_another_format_is_refused(indicators) -> None:
    with pytest.raises(services.ImportFailed, match="reads files of the format"):
        services.release_import(
            source_format="owid",
            content=owid_file([["Argentina", "ARG", 2020, 5.3, ""]]),
            file_name="h.csv",
            indicator_slugs=["firearms-seized"],
        )


def test_unmatched_names_become_importable_with_an_alias(indicators) -> None:
    content = csv_bytes(
        [
            ["Entity", "Year", "military_expenditure"],
            ["Rep. Argentina", 2020, 100],
            ["Brazil", 2020, 300],
            ["World", 2020, 5],
        ]
    )
    release = services.release_import(source_format="names-table", content=content, file_name="milex.csv")
    assert release.report["unmatched_names"] == {"Rep. Argentina": 1, "World": 1}
    services.country_alias_create(name="Rep. Argentina", state=State.objects.get(iso3="ARG"))
    release = services.release_import(source_format="names-table", content=content, file_name="milex.csv")
    assert release.report["unmatched_names"] == {"World": 1}
    assert headline("milex-constant-usd", "ARG", 2020).value == 100
    assert CountryAlias.objects.count() == 1


def test_an_import_that_trips_a_rule_raises_an_alert(indicators) -> None:
    homicide([["Argentina", "ARG", 2020, 5.0, ""]])
    services.alert_rule_create(
        indicator=services.Indicator.objects.get(slug="homicide-rate"),
        name="Sharp rise",
        expression="yoy > 20%",
    )
    homicide([["Argentina", "ARG", 2020, 5.0, ""], ["Argentina", "ARG", 2021, 7.0, ""]])
    alert = Alert.objects.get()
    assert (alert.state.iso3, alert.year, alert.status) == ("ARG", 2021, "pending")
    assert "40.0 %" in alert.message
    assert AlertRule.objects.count() == 1


def test_cli_imports_with_a_progress_bar_and_reports_rows_per_second(indicators, tmp_path, capsys) -> None:
    path = tmp_path / "homicide.csv"
    path.write_bytes(owid_file([["Argentina", "ARG", 2020, 5.3, ""], ["World", "OWID_WRL", 2020, 6.0, ""]]))
    call_command("observatory", "import", "owid", str(path))
    out, err = capsys.readouterr()
    assert "rows/s" in out and "1 values added" in out
    assert "100.0%" in err
    assert headline("homicide-rate", "ARG", 2020).value == 5.3


def test_cli_failure_lists_the_errors_and_stores_nothing(indicators, tmp_path) -> None:
    path = tmp_path / "homicide.csv"
    path.write_bytes(owid_file([["Argentina", "ARG", "20x0", 5.3, ""]]))
    with pytest.raises(CommandError, match="Row 2, column Year: “20x0” is not a year"):
        call_command("observatory", "import", "owid", str(path), "--quiet")
    assert_nothing_stored()


def test_cli_seed_is_idempotent(db, capsys) -> None:
    call_command("observatory", "seed")
    call_command("observatory", "seed")
    assert "Indicators created: 0" in capsys.readouterr().out
