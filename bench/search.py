"""Benchmark of search, printing figures (no pass/fail thresholds here).

- indexing rate of `ceiba search reindex` (documents/s);
- server time of the search page and API for Brazil's national analyst (median and p95), with N
  threat reports of which half are Argentine drafts hidden from that analyst (filtered before
  counting, so they cost a subquery, never a result).

Run: .venv/bin/python bench/search.py [--reports 10000] [--requests 50]
Uses a throw-away SQLite database (or CEIBA_DATABASE_URL if set: a database you may fill).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

WORDS = [
    "cocaína",
    "contenedores",
    "puerto",
    "lanchas",
    "río",
    "frontera",
    "policía",
    "aduana",
    "corrupción",
    "minería",
    "oro",
    "mercurio",
    "armas",
    "municiones",
    "migrantes",
    "trata",
    "extorsión",
    "secuestro",
    "lavado",
    "empresas",
    "fachada",
    "criptoactivos",
    "container",
    "port",
    "river",
    "border",
    "police",
    "customs",
    "smuggling",
    "gold",
    "mercury",
    "firearms",
    "laundering",
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=50)
    options = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="ceiba-bench-")
    os.environ.setdefault("CEIBA_VAR_DIR", tmp)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.setdefault("CEIBA_ALLOWED_HOSTS", "testserver,127.0.0.1")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    from ceiba.core.demo import load_demo
    from ceiba.core.models import User
    from ceiba.documentation.demo import load_documentation_demo
    from ceiba.documentation.models import ThreatReport
    from ceiba.documentation.search import search_reindex

    load_demo()
    load_documentation_demo()
    rng = random.Random(2026)
    templates = {
        "visible": ThreatReport.objects.get(title__startswith="Maritime cocaine exports"),
        "hidden": ThreatReport.objects.get(title__startswith="Cocaine through the Paraná"),
    }
    fields = [f.attname for f in ThreatReport._meta.concrete_fields if not f.primary_key]
    rows = []
    for i in range(options.reports):
        template = templates["visible" if i % 2 else "hidden"]
        row = ThreatReport(**{name: getattr(template, name) for name in fields})
        row.title = f"{' '.join(rng.sample(WORDS, 4)).capitalize()} {i} (synthetic)"
        row.narrative = " ".join(rng.choices(WORDS, k=120))
        rows.append(row)
    ThreatReport.objects.bulk_create(rows, batch_size=1000)

    start = time.perf_counter()
    report = search_reindex()
    indexed = sum(report.indexed.values())
    rate = indexed / (time.perf_counter() - start)

    client = Client()
    analyst = User.objects.get(email="analyst.bra@demo.ceiba.example")
    client.force_login(analyst)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=analyst).persistent_id
    session.save()
    pages = {}
    for name, url in [
        ("page one word", "/documentation/search/?q=cocaina"),
        ("page two words", "/documentation/search/?q=puerto+contenedores"),
        ("page rare word", "/documentation/search/?q=zzzz"),
        ("page facet only", "/documentation/search/?crime_area=cocaine_trafficking&year=2025"),
        ("page word + facet", "/documentation/search/?q=oro&state=BRA&page=3"),
        ("API one word", "/api/v1/documentation/search/?q=policia"),
    ]:
        client.get(url)
        samples = []
        for _ in range(options.requests):
            t = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        pages[name] = (statistics.median(samples), percentile(samples, 0.95))

    print(f"database: {connection.vendor}; {ThreatReport.objects.count()} threat reports (half hidden)")
    print(f"reindex: {rate:,.0f} documents/s ({indexed} documents)")
    for name, (median, p95) in pages.items():
        print(f"{name:<20} median {median:6.1f} ms   p95 {p95:6.1f} ms")


if __name__ == "__main__":
    main()
