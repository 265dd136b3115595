"""Browser tests: Playwright driving Debian's headless Chromium against the live server.
Screenshots are saved under var/screenshots/ for people to look at."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
CHROMIUM = os.environ.get("CEIBA_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-dev-shm-usage",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def demo(transactional_db: Any) -> None:
    from ceiba.core.demo import load_demo

    load_demo()


@pytest.fixture
def policy_demo(demo: None) -> None:
    """The demo with its assessment (200 samples, for speed) and its policy cycle. A live-server test
    flushes the tables when it ends, the horizontal goals of migration 0002 with them: put them back."""
    from importlib import import_module

    from django.apps import apps

    from ceiba.assessment.demo import load_assessment_demo
    from ceiba.policy.demo import load_policy_demo

    import_module("ceiba.policy.migrations.0002_horizontal_goals").add_goals(apps, None)
    load_assessment_demo(samples=200)
    load_policy_demo(samples=200)


@pytest.fixture
def shoot() -> Any:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def save(page: Any, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save
