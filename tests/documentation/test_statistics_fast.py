"""The statistics importer's set-based path (PostgreSQL, plain CSV): taken for plain files, same rows,
counts and errors as the row-by-row path; SQLite keeps the row-by-row path."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from ceiba.documentation.interchange import statistics, statistics_fast
from ceiba.documentation.models import ImportStatus, StatisticRow, StatisticsDataset

from .factories import contribution_for, open_cycle
from .test_imports import GOOD, csv_bytes, messages, run_import

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the set-based path is for PostgreSQL"
)

MORE = [
    ["S-4", "seizure", "2023-12-31", "Argentina", "cocaine_trafficking", "paste", "0.0001", "g", ""],
    ["S-5", "arrest", "2023-01-01", "BRA", "", "", "7", "persons", "Synthetic"],
]
BAD = [
    ["S-6", "seizure", "2024-02-30", "ARG", "", "", "1", "kg", ""],
    ["S-7", "seizure", "2024-01-01", "XYZ", "", "", "-4", "bushels", ""],
    ["S-8", "robbery", "2999-01-01", "ARG", "piracy_on_mars", "", "lots", "kg", ""],
    ["S-1", "seizure", "2024-03-01", "ARG", "", "", "1", "kg", ""],
]


@pytest.fixture(autouse=True)
def _import_dir(settings: Any, tmp_path: Any) -> None:
    settings.CEIBA_IMPORT_DIR = tmp_path / "imports"


@pytest.fixture
def contribution(world: Any) -> Any:
    return contribution_for(world, open_cycle(world), "ARG")


@pytest.fixture
def taken(monkeypatch: Any) -> list[bool]:
    """Records whether each import took the set-based path."""
    seen: list[bool] = []
    real = statistics_fast.import_fast

    def spy(**kwargs: Any) -> Any:
        result = real(**kwargs)
        seen.append(result is not None)
        return result

    monkeypatch.setattr(statistics, "import_fast", spy)
    return seen


def _stored(title: str) -> list[tuple[Any, ...]]:
    return sorted(
        StatisticRow.objects.filter(dataset__title=title).values_list(
            "source_id", "kind", "period_start", "period_end", "state_id", "subnational_area",
            "crime_area_id", "commodity", "quantity", "unit", "source",
        )
    )  # fmt: skip


@postgres_only
def test_a_plain_csv_takes_the_set_based_path_with_the_same_result(world, contribution, taken, monkeypatch):
    content = csv_bytes([*GOOD, *MORE])
    run = run_import(world, contribution, content, dataset="fast")
    assert run.status == ImportStatus.SUCCEEDED, run.errors
    assert taken == [True]
    assert run.summary["rows"] == 5 and run.summary["created"] == 5

    again = run_import(world, contribution, content, dataset="fast")
    assert again.summary["created"] == 0 and again.summary["unchanged"] == 5 and again.summary["updated"] == 0
    changed = [[*GOOD[0][:6], "13", "kg", "Synthetic"], *GOOD[1:], *MORE, ["S-9", *MORE[0][1:]]]
    third = run_import(world, contribution, csv_bytes(changed), dataset="fast")
    assert (third.summary["created"], third.summary["updated"], third.summary["unchanged"]) == (1, 1, 4)
    assert taken == [True, True, True]

    monkeypatch.setattr(statistics, "fast_path_applies", lambda reader: False)
    run_import(world, contribution, csv_bytes(changed), dataset="slow")
    assert _stored("fast") == _stored("slow") and len(_stored("fast")) == 6


@postgres_only
def test_bad_rows_give_the_same_errors_as_the_row_by_row_path(world, contribution, taken, monkeypatch):
    content = csv_bytes([*GOOD, *MORE, *BAD])
    fast = run_import(world, contribution, content)
    assert fast.status == ImportStatus.FAILED
    assert taken == [False]
    monkeypatch.setattr(statistics, "fast_path_applies", lambda reader: False)
    slow = run_import(world, contribution, content)
    assert messages(fast) == messages(slow)
    assert {row for row, _c, _m in messages(fast)} == {7, 8, 9, 10}
    assert not StatisticsDataset.objects.filter(contribution=contribution).exists()
    assert not StatisticRow.objects.filter(source_id__startswith="S-").exists()


@postgres_only
def test_files_that_are_not_plain_take_the_row_by_row_path(world, contribution, taken):
    quoted = csv_bytes([*GOOD, ["S-4", "seizure", "2024-01-01", "ARG", "", "a, b", "1", "kg", ""]])
    no_ids = csv_bytes([["", *GOOD[0][1:]]])
    spaced = csv_bytes([["S-4 ", *GOOD[0][1:]]])
    for number, content in enumerate((quoted, no_ids, spaced)):
        run = run_import(world, contribution, content, dataset=f"d{number}")
        assert run.status == ImportStatus.SUCCEEDED, run.errors
    assert taken == [False, False, False]
    assert StatisticRow.objects.filter(dataset__title="d0", commodity="a, b").exists()
    assert StatisticRow.objects.filter(dataset__title="d2", source_id="S-4").exists()


def test_sqlite_keeps_the_row_by_row_path(world, contribution, taken):
    run = run_import(world, contribution, csv_bytes(GOOD))
    assert run.status == ImportStatus.SUCCEEDED
    assert taken == ([True] if connection.vendor == "postgresql" else [])


@postgres_only
def test_a_repeated_source_id_is_named_by_the_row_by_row_path(world, contribution, taken, monkeypatch):
    content = csv_bytes([*GOOD, *MORE, GOOD[1]])
    fast = run_import(world, contribution, content)
    assert run_import(world, contribution, csv_bytes(GOOD)).status == ImportStatus.SUCCEEDED
    into_existing = run_import(world, contribution, content)
    assert taken == [False, True, False]
    monkeypatch.setattr(statistics, "fast_path_applies", lambda reader: False)
    slow = run_import(world, contribution, content, dataset="slow")
    assert messages(fast) == messages(slow) == [(7, "source_id", messages(slow)[0][2])]
    assert "already on row 3" in messages(slow)[0][2]
    assert into_existing.status == ImportStatus.FAILED
    assert StatisticRow.objects.count() == 3


@postgres_only
def test_fixed_values_of_the_mapping_step(world, contribution, taken, monkeypatch):
    header = ["source_id", "date", "state", "quantity", "unit", "source"]
    rows = [["F-1", "2024-01-05", "ARG", "2", "", ""], ["F-2", "2024-01-06", "Brasil", "3", "g", "Own"]]
    fixed = {"kind": "seizure", "unit": "kg", "source": "It's 100% \\ synthetic"}
    run = run_import(world, contribution, csv_bytes(rows, header=header), dataset="fast", fixed=fixed)
    assert run.status == ImportStatus.SUCCEEDED, run.errors
    monkeypatch.setattr(statistics, "fast_path_applies", lambda reader: False)
    run_import(world, contribution, csv_bytes(rows, header=header), dataset="slow", fixed=fixed)
    assert taken == [True]
    assert _stored("fast") == _stored("slow")
    assert [r[-1] for r in _stored("fast")] == ["It's 100% \\ synthetic", "Own"]
