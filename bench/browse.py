"""Benchmark of browsing threat documentation (issue 3), printing its figures.

    .venv/bin/python bench/browse.py                      (1,000,000 statistics rows, 100,000 entities,
                                                            10,000 threat reports; SQLite)
    .venv/bin/python bench/browse.py --scale 0.1          (a tenth of that)
    CEIBA_DATABASE_URL=postgres://postgres@127.0.0.1:5432/ceiba_browse .venv/bin/python bench/browse.py

1. Loads the demo, then bulk-loads synthetic records into the demo cycle: threat reports, criminal
   networks, entities (each with two statements) and statistics rows, split between Argentina's draft
   and Brazil's submitted contribution, some of Brazil's shared with all members and some kept to
   Brazil (so the access policy has something to refuse). Search documents are built by
   `search_reindex`.
2. Signs in as Argentina's national analyst and requests the list, search and detail pages and the
   API endpoints, timing the server side (Django test client, no network) over repeated requests.
3. Counts each page's queries at a tenth of the data and at all of it: the target is the same count.

Prints the median and 95th percentile per page (target: p95 under 200 ms on PostgreSQL) and the two
query counts. Without CEIBA_DATABASE_URL it runs on a fresh SQLite database in a temporary folder.
On PostgreSQL the load ends with VACUUM ANALYZE (what autovacuum does on a live database).

    ... bench/browse.py --reuse [--only statistics] [--requests 10]

times the pages again on the records an earlier run left in the CEIBA_DATABASE_URL database (after
applying new migrations), without loading anything: load once, measure many times. Measured figures
are in docs/decisions/0033-search-and-attachments.md ("Measured").
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

WORDS = [
    "cocaine",
    "river",
    "port",
    "container",
    "vessel",
    "freight",
    "cash",
    "mining",
    "gold",
    "timber",
    "border",
    "crossing",
    "airstrip",
    "smuggling",
    "brokers",
    "shell",
    "company",
    "transfer",
    "corridor",
    "checkpoint",
    "lagoon",
    "highway",
    "warehouse",
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def setup_django() -> None:
    tmp = tempfile.mkdtemp(prefix="ceiba-bench-browse-")
    os.environ.setdefault("CEIBA_VAR_DIR", tmp)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.setdefault("CEIBA_ALLOWED_HOSTS", "testserver,127.0.0.1")
    import django

    django.setup()


class Loader:
    """Bulk-loads synthetic records (invented, labelled synthetic) into the demo cycle."""

    def __init__(self, seed: int = 7) -> None:
        from ceiba.core.models import Organisation, State
        from ceiba.documentation.models import Contribution, CrimeArea

        self.random = random.Random(seed)
        contributions = Contribution.objects.select_related("state", "cycle")
        self.arg = contributions.get(state__iso3="ARG")
        self.bra = contributions.get(state__iso3="BRA")
        self.arg_org = Organisation.objects.get(acronym="PFA", state__iso3="ARG")
        self.bra_org = Organisation.objects.get(acronym="PF", state__iso3="BRA")
        self.areas = list(CrimeArea.objects.filter(cycles=self.arg.cycle))
        self.states = list(State.objects.filter(committee_member_since__isnull=False))
        self.counter = 0

    def _owner(self, i: int) -> dict[str, Any]:
        """A third Argentina's own, a third Brazil's for all members, a third Brazil's alone."""
        from ceiba.sharing.choices import TLP, Scope

        if i % 3 == 0:
            return dict(
                contribution=self.arg,
                originator=self.arg_org,
                originator_state=self.arg.state,
                tlp=TLP.AMBER,
                scope=Scope.ORIGINATOR,
            )
        if i % 3 == 1:
            return dict(
                contribution=self.bra,
                originator=self.bra_org,
                originator_state=self.bra.state,
                tlp=TLP.GREEN,
                scope=Scope.ALL_MEMBERS,
            )
        return dict(
            contribution=self.bra,
            originator=self.bra_org,
            originator_state=self.bra.state,
            tlp=TLP.AMBER,
            scope=Scope.ORIGINATOR,
        )

    def _text(self, n: int) -> str:
        return " ".join(self.random.choice(WORDS) for _ in range(n))

    def reports(self, n: int) -> None:
        from ceiba.documentation.models import ThreatReport

        batch = []
        for i in range(n):
            start = date(2024, 1, 1) + timedelta(days=self.random.randrange(600))
            batch.append(
                ThreatReport(
                    **self._owner(i),
                    crime_area=self.random.choice(self.areas),
                    title=f"Synthetic report {self.counter + i}: {self._text(4)}",
                    period_start=start,
                    period_end=start + timedelta(days=90),
                    narrative=self._text(60),
                    modus_operandi=self._text(20),
                    source_reliability="B",
                    information_credibility="2",
                    source_id=f"bench-report-{self.counter + i}",
                )
            )
        ThreatReport.objects.bulk_create(batch, batch_size=1000)
        self.counter += n

    def networks(self, n: int) -> None:
        from ceiba.documentation.models import CriminalNetwork

        CriminalNetwork.objects.bulk_create(
            [
                CriminalNetwork(
                    **self._owner(i),
                    alias=f"Synthetic network {self.counter + i} {self._text(2)}",
                    main_crime_area=self.random.choice(self.areas),
                    summary=self._text(30),
                    source_reliability="C",
                    information_credibility="3",
                    source_id=f"bench-network-{self.counter + i}",
                )
                for i in range(n)
            ],
            batch_size=1000,
        )
        self.counter += n

    def entities(self, n: int) -> None:
        from django.utils import timezone

        from ceiba.documentation.models import Entity, EntityRecord, EntityStatement

        now = timezone.now()
        for offset in range(0, n, 5000):
            size = min(5000, n - offset)
            base = self.counter + offset
            entities = Entity.objects.bulk_create(
                [Entity(ftm_id=f"bench-{base + i}") for i in range(size)], batch_size=1000
            )
            records = EntityRecord.objects.bulk_create(
                [
                    EntityRecord(
                        **self._owner(i),
                        entity=entity,
                        schema="Person",
                        caption=f"Synthetic person {base + i}",
                        source_reliability="B",
                        information_credibility="2",
                    )
                    for i, entity in enumerate(entities)
                ],
                batch_size=1000,
            )
            statements = []
            for record in records:
                statements.append(
                    EntityStatement(
                        record=record,
                        prop="name",
                        prop_type="name",
                        value=record.caption,
                        first_seen=now,
                        last_seen=now,
                    )
                )
                statements.append(
                    EntityStatement(
                        record=record,
                        prop="nationality",
                        prop_type="country",
                        value="ar",
                        first_seen=now,
                        last_seen=now,
                    )
                )
            EntityStatement.objects.bulk_create(statements, batch_size=2000)
        self.counter += n

    def statistics(self, n: int) -> None:
        from ceiba.documentation.models import StatisticRow, StatisticsDataset
        from ceiba.sharing.choices import TLP, Scope

        datasets = []
        for contribution, organisation, tlp, scope in (
            (self.arg, self.arg_org, TLP.AMBER, Scope.ORIGINATOR),
            (self.bra, self.bra_org, TLP.GREEN, Scope.ALL_MEMBERS),
            (self.bra, self.bra_org, TLP.AMBER, Scope.ORIGINATOR),
        ):
            dataset, _created = StatisticsDataset.objects.get_or_create(
                contribution=contribution,
                title=f"Synthetic seizures ({scope})",
                defaults=dict(
                    originator=organisation,
                    originator_state=contribution.state,
                    tlp=tlp,
                    scope=scope,
                    source_reliability="B",
                    information_credibility="2",
                ),
            )
            datasets.append(dataset)
        for offset in range(0, n, 20000):
            size = min(20000, n - offset)
            rows = []
            for i in range(size):
                day = date(2023, 1, 1) + timedelta(days=self.random.randrange(700))
                rows.append(
                    StatisticRow(
                        dataset=datasets[(offset + i) % 3],
                        source_id=f"bench-{self.counter + offset + i}",
                        kind="seizure",
                        period_start=day,
                        period_end=day,
                        state=self.random.choice(self.states),
                        crime_area=self.random.choice(self.areas),
                        commodity="cocaine hydrochloride",
                        quantity=Decimal(self.random.randrange(1, 50000)) / 10,
                        unit="kg",
                    )
                )
            StatisticRow.objects.bulk_create(rows, batch_size=2000)
        from ceiba.documentation import statistics_totals

        statistics_totals.refresh(d.pk for d in datasets)  # as the importers do
        self.counter += n

    def load(self, *, reports: int, networks: int, entities: int, rows: int) -> None:
        from django.db import transaction

        from ceiba.documentation.search import search_reindex

        with transaction.atomic():
            self.reports(reports)
            self.networks(networks)
            self.entities(entities)
            self.statistics(rows)
        search_reindex()
        analyze()


def analyze() -> None:
    """Vacuum and refresh PostgreSQL's planner statistics after the bulk load, as autovacuum does on
    a live database (PostgreSQL 13 and later vacuum insert-only tables too): without the statistics
    the planner takes a million rows for a few thousand, and without the visibility map no scan is
    index-only."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def signed_in_client(email: str) -> Any:
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from ceiba.core.models import User

    user = User.objects.get(email=email)
    client = Client()
    client.force_login(user)
    session = client.session
    device = TOTPDevice.objects.filter(user=user).first()
    if device is not None:
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def pages() -> list[tuple[str, str]]:
    from ceiba.documentation.models import CriminalNetwork, EntityRecord, ThreatReport

    # Argentina's own records, which the analyst sees however much has been loaded.
    report = ThreatReport.objects.filter(
        source_id__startswith="bench-", contribution__state__iso3="ARG"
    ).last()
    network = (
        CriminalNetwork.objects.filter(source_id__startswith="bench-", contribution__state__iso3="ARG")
        .order_by("pk")
        .last()
    )
    entity = (
        EntityRecord.objects.filter(caption__startswith="Synthetic person", contribution__state__iso3="ARG")
        .order_by("pk")
        .last()
    )
    assert report and network and entity
    return [
        ("report list", "/documentation/reports/"),
        ("report list, page 20", "/documentation/reports/?page=20"),
        ("report detail", f"/documentation/reports/{report.pk}/"),
        ("network list", "/documentation/networks/"),
        ("network detail", f"/documentation/networks/{network.pk}/"),
        ("entity list", "/documentation/entities/"),
        ("entity detail", f"/documentation/entities/{entity.entity_id}/"),
        ("entity graph", f"/documentation/entities/{entity.entity_id}/graph/"),
        ("statistics list", "/documentation/statistics/"),
        ("statistics, filtered", "/documentation/statistics/?kind=seizure&state=BRA"),
        ("search", "/documentation/search/?q=cocaine+port"),
        ("search, facet", "/documentation/search/?q=vessel&tlp=green"),
        ("API reports", "/api/v1/documentation/threat-reports/"),
        ("API networks", "/api/v1/documentation/networks/"),
        ("API entities", "/api/v1/documentation/entities/"),
        ("API statistics", "/api/v1/documentation/statistics/"),
        ("API search", "/api/v1/documentation/search/?q=cocaine"),
    ]


def query_counts(client: Any, targets: list[tuple[str, str]]) -> dict[str, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for name, url in targets:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        counts[name] = len(captured)
    return counts


def timed(client: Any, targets: list[tuple[str, str]], requests: int) -> dict[str, tuple[float, float]]:
    """The median and 95th percentile, in milliseconds, of `requests` requests of each page."""
    timings = {}
    for name, url in targets:
        client.get(url)  # warm-up (templates, caches), not counted
        samples = []
        for _ in range(requests):
            t = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        timings[name] = (statistics.median(samples), percentile(samples, 0.95))
    return timings


def settle() -> None:
    from ceiba.common.runtime import settle as settle_process

    settle_process()


def reuse(options: Any) -> None:
    """Time the pages on the records an earlier run loaded (`--reuse`)."""
    from django.core.management import call_command

    from ceiba.documentation.models import EntityRecord, StatisticRow, ThreatReport

    call_command("collectstatic", "--noinput", verbosity=0)
    analyze()  # the migrations may have added indexes
    settle()  # as config/wsgi.py does in a serving process
    client = signed_in_client("analyst.arg@demo.ceiba.example")
    targets = [(name, url) for name, url in pages() if options.only in name]
    counts = query_counts(client, targets)
    timings = timed(client, targets, options.requests)
    print(
        f"reused {ThreatReport.objects.count():,} reports, {EntityRecord.objects.count():,} entity records, "
        f"{StatisticRow.objects.count():,} statistics rows"
    )
    print(f"{'page (Argentina national analyst)':<36} {'median ms':>10} {'p95 ms':>8}  queries")
    for name, _url in targets:
        median, p95 = timings[name]
        print(f"{name:<36} {median:10.1f} {p95:8.1f}  {counts[name]:>5}")
    worst = max(p95 for _median, p95 in timings.values())
    print(f"worst p95: {worst:.1f} ms (target on PostgreSQL: under 200 ms)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the full data set")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="reuse the records an earlier run left in the database (CEIBA_DATABASE_URL) instead of "
        "loading them again; the query counts at a tenth of the data are then not measured",
    )
    parser.add_argument("--only", default="", help="time only the pages whose name contains this")
    options = parser.parse_args()
    setup_django()

    from django.core.management import call_command
    from django.db import connection

    from ceiba.core.demo import load_demo
    from ceiba.documentation.demo import load_documentation_demo
    from ceiba.documentation.models import ThreatReport

    call_command("migrate", verbosity=0)
    if options.reuse and ThreatReport.objects.filter(source_id__startswith="bench-").exists():
        reuse(options)
        return
    call_command("collectstatic", "--noinput", verbosity=0)
    load_demo()
    load_documentation_demo()
    full = {
        "reports": int(10_000 * options.scale),
        "networks": int(2_000 * options.scale),
        "entities": int(100_000 * options.scale),
        "rows": int(1_000_000 * options.scale),
    }
    loader = Loader()
    started = time.perf_counter()
    loader.load(**{key: value // 10 for key, value in full.items()})
    client = signed_in_client("analyst.arg@demo.ceiba.example")
    targets = pages()
    small = query_counts(client, targets)
    loader.load(**{key: value - value // 10 for key, value in full.items()})
    loaded = time.perf_counter() - started
    large = query_counts(client, targets)

    settle()  # as config/wsgi.py does in a serving process (here, after the load)
    timings = timed(client, targets, options.requests)

    print(
        f"database: {connection.vendor}; loaded {full['reports']:,} reports, {full['networks']:,} networks, "
        f"{full['entities']:,} entities, {full['rows']:,} statistics rows in {loaded:.0f} s "
        "(a third of each visible to the analyst as its own, a third shared, a third hidden)"
    )
    print(f"{'page (Argentina national analyst)':<36} {'median ms':>10} {'p95 ms':>8}  queries 1/10 -> all")
    for name, _url in targets:
        median, p95 = timings[name]
        flag = "" if small[name] == large[name] else "  (grows)"
        print(f"{name:<36} {median:10.1f} {p95:8.1f}  {small[name]:>5} -> {large[name]}{flag}")
    worst = max(p95 for _median, p95 in timings.values())
    print(f"worst p95: {worst:.1f} ms (target on PostgreSQL: under 200 ms)")


if __name__ == "__main__":
    main()
