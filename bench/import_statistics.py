"""Benchmark of the statistics import (issue 3), printing its figures.

    .venv/bin/python bench/import_statistics.py [N]            (default 1,000,000 rows)
    CEIBA_DATABASE_URL=postgres://postgres@127.0.0.1:5432/ceiba_statistics \\
        .venv/bin/python bench/import_statistics.py 200000

1. Generates N synthetic seizure rows as a CSV file.
2. Imports them through the same code path as the upload page and `ceiba import`: the file is stored
   as an import run, then the statistics importer validates every row and inserts them in one
   transaction (COPY on PostgreSQL, executemany on SQLite).
3. Measures the raw floor of the same database on the same file: PostgreSQL `COPY ... FROM STDIN
   (FORMAT csv)` into a bare table, or SQLite `executemany` of the csv reader's rows into a bare
   table, in one transaction.
4. Prints rows per second for both, their ratio (target: Ceiba >= 50% of the floor), and the peak
   Python memory (tracemalloc) of the import at two sizes, to show it does not grow with N.

Without CEIBA_DATABASE_URL it runs on a fresh SQLite database in a temporary folder.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

STATES = ["ARG", "BRA", "CHL", "COL", "MEX", "PER", "ECU", "PAN", "GTM", "HND", "URY", "PRY", "BOL"]
AREAS = [
    "cocaine_trafficking",
    "cannabis_trafficking",
    "synthetic_drug_trafficking",
    "firearms_trafficking",
    "",
]
COMMODITIES = [
    "cocaine hydrochloride",
    "coca paste",
    "cannabis herb",
    "methamphetamine",
    "pistols",
    "ammunition",
]
UNITS = ["kg", "kg", "kg", "g", "units"]
HEADER = [
    "source_id",
    "kind",
    "date",
    "state",
    "subnational_area",
    "crime_area",
    "commodity",
    "quantity",
    "unit",
    "source",
]


def generate(path: Path, rows: int, seed: int = 3) -> None:
    """N synthetic seizures (invented figures)."""
    rng = random.Random(seed)
    start = date(2020, 1, 1)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for i in range(rows):
            writer.writerow(
                [
                    f"SYN-{i:08d}",
                    "seizure",
                    (start + timedelta(days=rng.randrange(1800))).isoformat(),
                    rng.choice(STATES),
                    f"Area {rng.randrange(40)}",
                    rng.choice(AREAS),
                    rng.choice(COMMODITIES),
                    f"{rng.random() * 1000:.3f}",
                    rng.choice(UNITS),
                    "Synthetic benchmark",
                ]
            )


def setup_database(workdir: str) -> str:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    if "CEIBA_DATABASE_URL" not in os.environ:
        os.environ["CEIBA_DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ["CEIBA_VAR_DIR"] = workdir
    os.environ["CEIBA_IMPORT_DIR"] = str(Path(workdir) / "imports")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.CEIBA_IMPORT_DIR = Path(workdir) / "imports"
    settings.CEIBA_IMPORT_MAX_BYTES = 10 * 1024**3
    call_command("migrate", verbosity=0)
    from django.db import connection

    return connection.vendor


def contribution_and_user() -> tuple[Any, Any]:
    from ceiba.core.demo import load_demo
    from ceiba.core.models import State, User
    from ceiba.documentation import services
    from ceiba.documentation.models import AssessmentCycle, Contribution, CrimeArea

    analyst = User.objects.filter(email="analyst.arg@demo.ceiba.example").first()
    if analyst is None:
        load_demo()
        analyst = User.objects.get(email="analyst.arg@demo.ceiba.example")
    services.crime_areas_load()
    cycle = AssessmentCycle.objects.filter(name="Benchmark cycle (synthetic)").first()
    if cycle is None:
        admin = User.objects.get(email="admin@demo.ceiba.example")
        cycle = services.cycle_open(
            actor=admin,
            name="Benchmark cycle (synthetic)",
            contribution_deadline=date(2030, 1, 31),
            crime_areas=CrimeArea.objects.all(),
        )
    state = State.objects.get(iso3="ARG")
    contribution = Contribution.objects.filter(cycle=cycle, state=state).first()
    if contribution is None:
        contribution = services.contribution_start(cycle=cycle, state=state, actor=analyst)
    return contribution, analyst


def ceiba_import(path: Path, contribution: Any, user: Any, title: str) -> tuple[float, Any]:
    from ceiba.documentation.imports import import_create, import_execute, import_set_options

    started = time.perf_counter()
    with path.open("rb") as handle:
        run = import_create(
            contribution=contribution,
            actor=user,
            kind="statistics",
            chunks=iter(lambda: handle.read(1 << 20), b""),
            size=path.stat().st_size,
            file_name=path.name,
            defaults={
                "tlp": "amber",
                "scope": "secretariat",
                "source_reliability": "B",
                "information_credibility": "2",
            },
            options={"dataset": title},
        )
    import_set_options(run=run, actor=user)
    run = import_execute(run=run)
    seconds = time.perf_counter() - started
    if run.status != "succeeded":
        sys.exit(f"import failed: {run.errors[:5]}")
    return seconds, run


def drop_dataset(run: Any, dataset_id: int | None = None) -> None:
    """Remove the benchmark's rows (raw SQL: a million ORM deletes would dominate the run): the run's
    dataset, or `dataset_id`."""
    from django.db import connection, transaction

    from ceiba.documentation.models import StatisticRow, StatisticsDataset

    dataset_id = dataset_id if dataset_id is not None else run.summary["details"]["dataset"]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {StatisticRow._meta.db_table} WHERE dataset_id = %s", [dataset_id])  # noqa: S608
    StatisticsDataset.objects.filter(pk=dataset_id).delete()


def write_plain(
    path: Path, vendor: str, table: str, columns: list[str], *, header: bool, nulls: bool
) -> float:
    """The CSV file `path` into `table`, the fastest plain way this database offers (PostgreSQL
    `COPY`, where an empty field is NULL; SQLite `executemany` of the csv reader's rows, with empty
    fields as NULL only if `nulls`), in one transaction. Returns the seconds, through the commit."""
    from django.db import connection, transaction

    names = ", ".join(columns)
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        if vendor == "postgresql":
            sql = f"COPY {table} ({names}) FROM STDIN WITH (FORMAT csv, HEADER {str(header).lower()})"
            with cursor.cursor.copy(sql) as copy, path.open("rb") as handle:
                while block := handle.read(1 << 20):
                    copy.write(block)
        else:
            raw = cursor.cursor
            sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(columns))})"  # noqa: S608
            with path.open(newline="", encoding="utf-8") as handle:
                reader = csv.reader(handle)
                if header:
                    next(reader)
                while batch := [row for _i, row in zip(range(5000), reader, strict=False)]:
                    if nulls:
                        batch = [[value if value != "" else None for value in row] for row in batch]
                    raw.executemany(sql, batch)
    return time.perf_counter() - started


def floor(path: Path, vendor: str) -> float:
    """The same file into a bare table, the fastest plain way this database offers."""
    from django.db import connection

    columns = ", ".join(f"{name} text" for name in HEADER)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_floor")
        cursor.execute(f"CREATE TABLE bench_floor ({columns})")
    seconds = write_plain(path, vendor, "bench_floor", list(HEADER), header=True, nulls=False)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_floor")
    return seconds


def table_floor(run: Any, vendor: str, workdir: Path) -> tuple[float, Any]:
    """The rows Ceiba stored, already resolved (ids, dates, decimals), written again the same plain
    way as the raw floor but into the real statistics table (its primary key, unique source ids,
    check constraint, foreign keys and filter indexes), for a twin dataset: what this database needs
    to store these rows in this schema, without reading, resolving or checking anything. Returns the
    seconds (through the commit, where PostgreSQL checks the deferred foreign keys) and the twin."""
    from django.db import connection

    from ceiba.documentation.models import StatisticRow, StatisticsDataset

    dataset = StatisticsDataset.objects.get(pk=run.summary["details"]["dataset"])
    twin = StatisticsDataset.objects.get(pk=dataset.pk)
    twin.pk = None
    twin.title = f"{dataset.title} (floor)"
    twin.save()
    fields = [field for field in StatisticRow._meta.concrete_fields if not field.primary_key]
    columns = [field.column for field in fields]
    table = StatisticRow._meta.db_table
    selected = ", ".join("%s" if column == "dataset_id" else column for column in columns)
    dump = workdir / "resolved.csv"
    with connection.cursor() as cursor:
        # Constant SQL built from the model's own column names.
        cursor.execute(f"SELECT {selected} FROM {table} WHERE dataset_id = %s", [twin.pk, dataset.pk])  # noqa: S608
        with dump.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            while batch := cursor.fetchmany(5000):
                writer.writerows(batch)
    seconds = write_plain(dump, vendor, table, columns, header=False, nulls=True)
    dump.unlink()
    return seconds, twin


def peak_memory(workdir: Path, rows: int, contribution: Any, user: Any) -> float:
    path = workdir / f"memory-{rows}.csv"
    generate(path, rows, seed=rows)
    tracemalloc.start()
    _seconds, run = ceiba_import(path, contribution, user, f"memory {rows} {time.time()}")
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    drop_dataset(run)
    path.unlink()
    return peak / 1024 / 1024


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("rows", type=int, nargs="?", default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the imported rows (for bench/browse.py)")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="ceiba-bench-import-"))
    vendor = setup_database(str(workdir))
    from django.utils import translation

    translation.activate("en")
    contribution, user = contribution_and_user()
    path = workdir / "seizures.csv"
    started = time.perf_counter()
    generate(path, args.rows)
    print("Ceiba statistics import benchmark")
    print(f"  database: {vendor}; python {sys.version.split()[0]}; work folder {workdir}")
    print(
        f"  generated {args.rows:,} synthetic seizure rows ({path.stat().st_size / 1024 / 1024:.1f} MB) "
        f"in {time.perf_counter() - started:.1f} s"
    )

    floor_seconds = floor(path, vendor)
    seconds, run = ceiba_import(path, contribution, user, f"benchmark {args.rows} {time.time()}")
    summary = run.summary
    assert summary["created"] == args.rows, summary
    ceiba_rate, floor_rate = args.rows / seconds, args.rows / floor_seconds
    how = "COPY (FORMAT csv) into a bare table" if vendor == "postgresql" else "executemany into a bare table"
    print(f"\n  raw floor ({how}): {floor_seconds:7.2f} s  {floor_rate:>10,.0f} rows/s")
    print(f"  Ceiba import (store, validate, insert): {seconds:7.2f} s  {ceiba_rate:>10,.0f} rows/s")
    ratio = ceiba_rate / floor_rate
    print(f"  ratio: {ratio:.0%} of the floor (target >= 50%: {'met' if ratio >= 0.5 else 'NOT met'})")
    table_seconds, twin = table_floor(run, vendor, workdir)
    table_rate = args.rows / table_seconds
    print(
        f"\n  for comparison, the same rows already resolved, the same plain way into the real table "
        f"(keys, constraints, indexes):\n  {' ' * 37}{table_seconds:7.2f} s  {table_rate:>10,.0f} rows/s"
    )
    print(f"  ratio: {ceiba_rate / table_rate:.0%} of that")
    drop_dataset(run, twin.pk)
    if not args.keep:
        drop_dataset(run)
    path.unlink()

    small = max(10_000, args.rows // 20)
    large = max(small * 4, args.rows // 5)
    print("\n  peak Python memory of the import (tracemalloc):")
    peaks = []
    for size in (small, large):
        peak = peak_memory(workdir, size, contribution, user)
        peaks.append(peak)
        print(f"    {size:>9,} rows: {peak:6.1f} MiB")
    grows = peaks[1] > peaks[0] * 1.5
    print(f"  memory {'GROWS' if grows else 'does not grow'} with N ({large / small:.0f}x the rows)")


if __name__ == "__main__":
    main()
