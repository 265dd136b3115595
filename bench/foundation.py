"""Benchmark of the foundation's hot paths, printing figures (no pass/fail thresholds here).

- audit append rate (events/s) and chain verification rate (events/s);
- cost of the access policy: people visible to a national analyst vs an unrestricted query (ratio);
- server time of the directory pages (median and p95 over repeated requests).

Run: .venv/bin/python bench/foundation.py [--events 5000]
Uses a throw-away SQLite database (or CEIBA_DATABASE_URL if set).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=100)
    options = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="ceiba-bench-")
    os.environ.setdefault("CEIBA_VAR_DIR", tmp)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.setdefault("CEIBA_ALLOWED_HOSTS", "testserver,127.0.0.1")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    from ceiba.common import audit
    from ceiba.common.access import restrict
    from ceiba.common.models import AuditAction
    from ceiba.core.demo import load_demo
    from ceiba.core.models import User
    from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

    load_demo()
    # A directory of realistic size: 2,000 people across the member states' organisations.
    organisations = [OrganisationFactory() for _ in range(40)]
    for i in range(2000):
        MembershipFactory(user=UserFactory(), organisation=organisations[i % len(organisations)])

    start = time.perf_counter()
    for i in range(options.events):
        audit.record(AuditAction.EXPORT, object_type="bench", object_id=str(i), object_repr="bench")
    append_rate = options.events / (time.perf_counter() - start)

    start = time.perf_counter()
    report = audit.verify_chain()
    verify_rate = report.checked / (time.perf_counter() - start)
    assert report.ok

    analyst = User.objects.get(email="analyst.arg@demo.ceiba.example")

    def timed(fn, repeat: int = 50) -> float:
        samples = []
        for _ in range(repeat):
            t = time.perf_counter()
            fn()
            samples.append(time.perf_counter() - t)
        return statistics.median(samples)

    plain = timed(lambda: list(User.objects.filter(is_active=True).values_list("pk", flat=True)))
    restricted = timed(
        lambda: list(
            restrict(User.objects.filter(is_active=True), User.objects.get(pk=analyst.pk)).values_list(
                "pk", flat=True
            )
        )
    )

    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    admin = User.objects.get(email="admin@demo.ceiba.example")
    client.force_login(admin)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=admin).persistent_id
    session.save()
    pages = {}
    for name, url in [
        ("state list", "/directory/states/"),
        ("organisation list", "/directory/organisations/"),
        ("people list", "/directory/people/"),
        ("dashboard (admin)", "/dashboard/"),
        ("API people", "/api/v1/people/"),
    ]:
        client.get(url)
        samples = []
        for _ in range(options.requests):
            t = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        pages[name] = (statistics.median(samples), percentile(samples, 0.95))

    print(f"audit append: {append_rate:,.0f} events/s ({options.events} events, one transaction each)")
    print(f"audit verify: {verify_rate:,.0f} events/s ({report.checked} events)")
    print(
        f"access policy: people visible to an analyst {restricted * 1000:.2f} ms vs unrestricted "
        f"{plain * 1000:.2f} ms (ratio {restricted / plain:.2f}x, {User.objects.count()} people)"
    )
    for name, (median, p95) in pages.items():
        print(f"page {name:<20} median {median:6.1f} ms   p95 {p95:6.1f} ms")


if __name__ == "__main__":
    main()
