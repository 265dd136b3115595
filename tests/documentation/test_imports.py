"""The statistics importer and the import runs: bad input (row-level messages, nothing stored),
atomicity, idempotence, encodings, size limit, zip bombs, the real UNODC files. Data is synthetic
unless it is the UNODC export (read from ../shared/data, skipped if absent)."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ceiba.documentation.imports import import_create, import_execute, import_set_options
from ceiba.documentation.interchange.tabular import TableReader
from ceiba.documentation.models import ImportStatus, StatisticRow, StatisticsDataset

from .factories import contribution_for, open_cycle

UNODC = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "unodc"
HEADER = ["source_id", "kind", "date", "state", "crime_area", "commodity", "quantity", "unit", "source"]
GOOD = [
    ["S-1", "seizure", "2024-03-01", "ARG", "cocaine_trafficking", "cocaine", "12.5", "kg", "Synthetic"],
    ["S-2", "arrest", "2024-03-02", "Brasil", "", "", "3", "persons", "Synthetic"],
    ["S-3", "incidente", "15/04/2024", "CO", "illegal_mining", "gold", "1", "cases", "Synthetic"],
]


@pytest.fixture(autouse=True)
def _import_dir(settings: Any, tmp_path: Path) -> None:
    settings.CEIBA_IMPORT_DIR = tmp_path / "imports"


@pytest.fixture
def contribution(world: Any) -> Any:
    return contribution_for(world, open_cycle(world), "ARG")


def csv_bytes(rows: list[list[str]], header: list[str] = HEADER, encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def run_import(
    world: Any, contribution: Any, content: bytes, name: str = "seizures.csv", **options: Any
) -> Any:
    run = import_create(
        contribution=contribution,
        actor=world.users["national_analyst"],
        kind="statistics",
        chunks=[content],
        size=len(content),
        file_name=name,
        defaults={
            "tlp": "amber",
            "scope": "secretariat",
            "source_reliability": "B",
            "information_credibility": "2",
        },
    )
    import_set_options(run=run, actor=world.users["national_analyst"], **options)
    return import_execute(run=run)


def messages(run: Any) -> list[tuple[Any, str, str]]:
    return [(e["row"], e["column"], e["message"]) for e in run.errors]


def test_a_good_file_lands_and_reimport_changes_nothing(world, contribution):
    run = run_import(world, contribution, csv_bytes(GOOD))
    assert run.status == ImportStatus.SUCCEEDED, run.errors
    assert run.summary["created"] == 3
    dataset = StatisticsDataset.objects.get(contribution=contribution)
    assert dataset.title == "seizures.csv" and dataset.tlp == "amber"
    rows = {r.source_id: r for r in StatisticRow.objects.filter(dataset=dataset)}
    assert rows["S-2"].state.iso3 == "BRA" and rows["S-3"].kind == "incident"
    assert str(rows["S-1"].quantity) == "12.5000"
    before = list(StatisticRow.objects.filter(dataset=dataset).values().order_by("pk"))

    again = run_import(world, contribution, csv_bytes(GOOD))
    assert again.status == ImportStatus.SUCCEEDED
    assert again.summary["created"] == 0 and again.summary["unchanged"] == 3 and again.summary["updated"] == 0
    assert list(StatisticRow.objects.filter(dataset=dataset).values().order_by("pk")) == before

    changed = [[*GOOD[0][:6], "13", "kg", "Synthetic"], *GOOD[1:]]
    third = run_import(world, contribution, csv_bytes(changed))
    assert third.summary["updated"] == 1 and third.summary["unchanged"] == 2


@pytest.mark.parametrize(
    ("row", "column", "fragment"),
    [
        (["S-9", "seizure", "2024-02-30", "ARG", "", "", "1", "kg", ""], "date", "not a date that exists"),
        (["S-9", "seizure", "2999-01-01", "ARG", "", "", "1", "kg", ""], "date", "in the future"),
        (["S-9", "seizure", "yesterday", "ARG", "", "", "1", "kg", ""], "date", "not a date"),
        (["S-9", "seizure", "2024-01-01", "XYZ", "", "", "1", "kg", ""], "state", "Unknown state"),
        (
            ["S-9", "seizure", "2024-01-01", "ARG", "piracy_on_mars", "", "1", "kg", ""],
            "crime_area",
            "Unknown crime area",
        ),
        (["S-9", "seizure", "2024-01-01", "ARG", "", "", "-4", "kg", ""], "quantity", "cannot be negative"),
        (["S-9", "seizure", "2024-01-01", "ARG", "", "", "lots", "kg", ""], "quantity", "not a number"),
        (["S-9", "seizure", "2024-01-01", "ARG", "", "", "1", "bushels", ""], "unit", "Unknown unit"),
        (["S-9", "robbery", "2024-01-01", "ARG", "", "", "1", "kg", ""], "kind", "Unknown kind"),
    ],
)
def test_bad_rows_are_named_and_nothing_is_stored(world, contribution, row, column, fragment):
    run = run_import(world, contribution, csv_bytes([*GOOD, row]))
    assert run.status == ImportStatus.FAILED
    assert [(r, c) for r, c, _m in messages(run)] == [(5, column)]
    assert fragment in messages(run)[0][2]
    assert not StatisticsDataset.objects.filter(contribution=contribution).exists()
    assert not StatisticRow.objects.filter(source_id__startswith="S-").exists()


def test_duplicate_source_ids_in_one_file(world, contribution):
    run = run_import(world, contribution, csv_bytes([*GOOD, GOOD[0]]))
    assert run.status == ImportStatus.FAILED
    assert messages(run)[0][:2] == (5, "source_id") and "already on row 2" in messages(run)[0][2]
    assert not StatisticRow.objects.filter(source_id__startswith="S-").exists()


def test_duplicates_across_chunks_are_found(world, contribution, monkeypatch):
    from ceiba.documentation.interchange import statistics

    monkeypatch.setattr(statistics, "CHUNK_ROWS", 2)
    rows = [[f"S-{i}", "seizure", "2024-01-01", "ARG", "", "", "1", "kg", ""] for i in range(7)]
    run = run_import(world, contribution, csv_bytes([*rows, rows[1]]))
    assert run.status == ImportStatus.FAILED
    assert messages(run) == [(9, "source_id", "The source identifier “S-1” is already on row 3.")]
    assert not StatisticRow.objects.filter(source_id__startswith="S-").exists()


def test_an_error_after_stored_chunks_rolls_everything_back(world, contribution, monkeypatch):
    from ceiba.documentation.interchange import statistics

    monkeypatch.setattr(statistics, "CHUNK_ROWS", 2)
    rows = [[f"S-{i}", "seizure", "2024-01-01", "ARG", "", "", "1", "kg", ""] for i in range(9)]
    rows.append(["S-99", "seizure", "2024-01-01", "ARG", "", "", "-1", "kg", ""])
    run = run_import(world, contribution, csv_bytes(rows))
    assert run.status == ImportStatus.FAILED
    assert not StatisticRow.objects.filter(source_id__startswith="S-").exists()
    assert not StatisticsDataset.objects.filter(contribution=contribution).exists()


def test_latin1_and_bom_files(world, contribution):
    rows = [["S-1", "seizure", "2024-03-01", "ARG", "", "cocaína", "1", "kg", "Policía"]]
    latin = run_import(world, contribution, csv_bytes(rows, encoding="cp1252"), name="latin.csv")
    assert latin.status == ImportStatus.SUCCEEDED, latin.errors
    assert StatisticRow.objects.get(dataset__title="latin.csv").commodity == "cocaína"
    bom = run_import(world, contribution, b"\xef\xbb\xbf" + csv_bytes(rows), name="bom.csv")
    assert bom.status == ImportStatus.SUCCEEDED, bom.errors
    assert StatisticRow.objects.get(dataset__title="bom.csv").source == "Policía"


def test_semicolons_spanish_headers_and_template_headers(world, contribution):
    content = "Identificador;Tipo;Fecha;País;Cantidad;Unidad\nX-1;robo;2024-01-05;Argentina;1,5;kg\n"
    run = run_import(world, contribution, content.encode(), name="es.csv", fixed={"kind": "seizure"})
    # "robo" is not a kind; the fixed kind is only used when the column is empty.
    assert run.status == ImportStatus.FAILED and messages(run)[0][1] == "Tipo"
    content = "Identificador;País;Fecha;Cantidad;Unidad\nX-1;Argentina;2024-01-05;1,5;kg\n"
    run = run_import(world, contribution, content.encode(), name="es2.csv", fixed={"kind": "seizure"})
    assert run.status == ImportStatus.SUCCEEDED, run.errors
    assert str(StatisticRow.objects.get(source_id="X-1").quantity) == "1.5000"


def test_a_header_the_mapping_does_not_know(world, contribution):
    mapping = {h: h for h in HEADER}
    content = csv_bytes([GOOD[0] + ["x"]], header=[*HEADER, "Colour"])
    run = run_import(world, contribution, content, mapping=mapping)
    assert run.status == ImportStatus.FAILED
    assert messages(run)[0][:2] == (1, "Colour") and "not in the mapping" in messages(run)[0][2]
    mapping["Colour"] = ""  # ignored on purpose
    run = run_import(world, contribution, content, mapping=mapping)
    assert run.status == ImportStatus.SUCCEEDED, run.errors


def test_truncated_and_malformed_csv(world, contribution):
    content = csv_bytes(GOOD) + b'S-4,seizure,2024-01-01,ARG,,"cocaine'
    run = run_import(world, contribution, content)
    assert run.status == ImportStatus.FAILED
    assert run.errors[0]["row"] == 5 and "malformed" in run.errors[0]["message"]
    assert not StatisticRow.objects.filter(source_id__startswith="S-").exists()


def test_file_over_the_size_limit(world, contribution, settings):
    settings.CEIBA_IMPORT_MAX_BYTES = 100
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="largest file"):
        run_import(world, contribution, csv_bytes(GOOD))


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Seizures (synthetic)"])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_with_a_preamble(world, contribution):
    run = run_import(world, contribution, xlsx_bytes(GOOD), name="seizures.xlsx")
    assert run.status == ImportStatus.SUCCEEDED, run.errors
    assert run.summary["created"] == 3


def test_xlsx_zip_bomb_is_refused_before_unpacking(world, contribution):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (50 * 1024 * 1024))
    run = run_import(world, contribution, buffer.getvalue(), name="bomb.xlsx")
    assert run.status == ImportStatus.FAILED
    assert "zip bomb" in run.errors[0]["message"]


def test_truncated_xlsx(world, contribution):
    content = xlsx_bytes(GOOD)
    run = run_import(world, contribution, content[: len(content) // 2], name="cut.xlsx")
    assert run.status == ImportStatus.FAILED
    assert "truncated" in run.errors[0]["message"]


def test_cli_import_and_failure(world, contribution, tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes(GOOD))
    call_command(
        "import",
        "statistics",
        str(good),
        contribution=contribution.pk,
        user=world.users["national_analyst"].email,
    )
    assert "3 created" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([*GOOD, ["S-9", "seizure", "2024-01-01", "ARG", "", "", "-1", "kg", ""]]))
    with pytest.raises(CommandError):
        call_command(
            "import",
            "statistics",
            str(bad),
            contribution=contribution.pk,
            user=world.users["national_analyst"].email,
        )
    assert "row 5, quantity" in capsys.readouterr().err


def test_cli_refuses_someone_who_may_not_change_the_contribution(world, contribution, tmp_path):
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes(GOOD))
    with pytest.raises(CommandError):
        call_command(
            "import",
            "statistics",
            str(good),
            contribution=contribution.pk,
            user=world.users["national_analyst@other_state"].email,
        )


# --- the real UNODC exports ------------------------------------------------------------------------


unodc = pytest.mark.skipif(not UNODC.exists(), reason="../shared/data/unodc is absent")


@unodc
def test_unodc_firearms_sheet_with_a_wrong_dimension_is_read_whole():
    reader = TableReader(UNODC / "data_iafq_firearms_trafficking.xlsx")
    count = sum(1 for _ in reader.rows())
    assert count > 15000


@unodc
def test_unodc_drug_seizures_name_the_rows_of_states_outside_the_region(world, contribution):
    content = (UNODC / "drug_seizures_2018_2022.xlsx").read_bytes()
    mapping = {
        "Region": "",
        "SubRegion": "",
        "Country": "",
        "DrugGroup": "",
        "DrugSubGroup": "",
        "DrugName": "commodity",
        "Reference year": "year",
        "Kilograms": "quantity",
        "msCode": "state",
    }
    run = run_import(
        world,
        contribution,
        content,
        name="unodc.xlsx",
        mapping=mapping,
        fixed={"kind": "seizure", "unit": "kg", "source": "UNODC"},
    )
    assert run.status == ImportStatus.FAILED
    first = run.errors[0]
    assert first["row"] == 3 and first["column"] == "msCode" and "KEN" in first["message"]
    assert not StatisticsDataset.objects.filter(contribution=contribution).exists()


@unodc
def test_unodc_drug_seizures_of_the_region_land(world, contribution, tmp_path):
    from ceiba.core.models import State

    ours = set(State.objects.values_list("iso3", flat=True))
    reader = TableReader(UNODC / "drug_seizures_2018_2022.xlsx")
    rows = reader.rows()
    next(rows)
    _n, header = next(rows)
    kept = [list(row) for _n, row in rows if row[8] in ours]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(kept)
    mapping = {
        "Region": "",
        "SubRegion": "",
        "Country": "",
        "DrugGroup": "",
        "DrugSubGroup": "",
        "DrugName": "commodity",
        "Reference year": "year",
        "Kilograms": "quantity",
        "msCode": "state",
    }
    run = run_import(
        world,
        contribution,
        buffer.getvalue().encode(),
        name="unodc-lac.csv",
        mapping=mapping,
        fixed={"kind": "seizure", "unit": "kg", "source": "UNODC"},
    )
    if run.status == ImportStatus.FAILED:
        # The real export has rows without a figure and repeated (country, drug, year) rows: each is
        # named with its row, and nothing is stored.
        assert run.errors[0] == {"row": 3, "column": "Kilograms", "message": "The quantity is missing."}
        assert all(
            "already on row" in e["message"] or e["message"] == "The quantity is missing." for e in run.errors
        ), run.errors[:5]
        assert not StatisticsDataset.objects.filter(contribution=contribution).exists()
    else:
        assert run.summary["created"] == len(kept) > 100


def test_cells_with_stray_spaces_land_like_clean_ones(world, contribution):
    rows = [
        [
            " S-1 ",
            " seizure",
            " 2024-03-01 ",
            " arg ",
            " cocaine_trafficking",
            " cocaine ",
            " 12.5 ",
            " KG ",
            " x ",
        ]
    ]
    run = run_import(world, contribution, csv_bytes(rows))
    assert run.status == ImportStatus.SUCCEEDED, run.errors
    row = StatisticRow.objects.get(source_id="S-1")
    assert (row.kind, row.state.iso3, row.commodity, row.unit, row.source) == (
        "seizure",
        "ARG",
        "cocaine",
        "kg",
        "x",
    )


def test_named_recipients_of_the_dataset(world, contribution):
    content = csv_bytes(GOOD)
    run = import_create(
        contribution=contribution,
        actor=world.users["national_analyst"],
        kind="statistics",
        chunks=[content],
        size=len(content),
        file_name="named.csv",
        defaults={"tlp": "red", "scope": "named", "source_reliability": "B", "information_credibility": "2"},
    )
    import_set_options(run=run, actor=world.users["national_analyst"])
    run = import_execute(run=run)
    assert run.status == ImportStatus.FAILED and run.errors[0]["column"] == "scope"
    run = import_create(
        contribution=contribution,
        actor=world.users["national_analyst"],
        kind="statistics",
        chunks=[content],
        size=len(content),
        file_name="named.csv",
        defaults={
            "tlp": "red",
            "scope": "named",
            "shared_with_states": ["CHL"],
            "source_reliability": "B",
            "information_credibility": "2",
        },
    )
    import_set_options(run=run, actor=world.users["national_analyst"])
    run = import_execute(run=run)
    assert run.status == ImportStatus.SUCCEEDED, run.errors
    dataset = StatisticsDataset.objects.get(title="named.csv")
    assert list(dataset.shared_with_states.values_list("iso3", flat=True)) == ["CHL"]


def test_texts_with_backslashes_tabs_and_newlines_round_trip(world, contribution):
    odd = "coca\\paste\twith\nnotes"
    rows = [["S-1", "seizure", "2024-03-01", "ARG", "", odd, "1", "kg", "a\\b"]]
    run = run_import(world, contribution, csv_bytes(rows))
    assert run.status == ImportStatus.SUCCEEDED, run.errors
    row = StatisticRow.objects.get(source_id="S-1")
    assert (row.commodity, row.source) == (odd, "a\\b")
    again = run_import(world, contribution, csv_bytes(rows))
    assert again.summary["unchanged"] == 1
