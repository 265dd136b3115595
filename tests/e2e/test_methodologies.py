"""Methodologies and composite indices in the browser: an anonymous visitor reads the published
weights; the secretariat administrator tries a bad new version (every problem with its line, nothing
stored); the analyst imports a bad then a good indicator table (synthetic), runs it, sees the
typology's scatter chart drawn (no inline script) and publishes it."""

from __future__ import annotations

import pytest

from .test_browser import sign_in

pytestmark = pytest.mark.e2e

GOOD = (
    "country,cocaine_trade,arms_trafficking,criminal_networks,law_enforcement,prevention\n"
    "ARG,8,6,4,3,5\nBRA,2,,3,9,8\nCHL,9,7,10,6,5.5\nMEX,8.5,9,9,4,4.5\nURY,3,2,2,8,7.5\n"
)
BAD = (
    "country,cocaine_trade,arms_trafficking,criminal_networks,law_enforcement,prevention\n"
    "ARG,8,6,4,3,5\nXYZ,2,3,3,9,8\nARG,9,7,10,6,5.5\nCHL,11,7,10,6,5.5\n"
)


def test_methodology_pages_and_a_composite_run(live_server, browser, demo, shoot, tmp_path) -> None:
    from ceiba.assessment.models import AssessmentRun, IndicatorTable, MethodologyVersion
    from tests.assessment.composite_fixtures import next_default_text, small_version

    version = small_version()
    base = live_server.url
    context = browser.new_context(
        extra_http_headers={"Accept-Language": "en"}, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

    page.goto(f"{base}/assessment/methodologies/")
    page.get_by_role("link", name="Small composite (test)").click()
    page.wait_for_load_state("load")
    assert "12.5&nbsp;%" in page.content()
    shoot(page, "60-methodology-detail-en")

    admin = browser.new_context(extra_http_headers={"Accept-Language": "en"}).new_page()
    sign_in(admin, base, "admin@demo.ceiba.example")
    with admin.expect_navigation():
        admin.select_option("#language-select", "en")
    admin.goto(f"{base}/assessment/methodologies/new/?from={version.pk}")
    text = next_default_text(3).replace("{code: violence, weight: 2,", "{code: violence, weight: -2,")
    text = text.replace("resilience: mean(resilience_indicators)", "resilience: mean(resilience_groups)")
    admin.fill("textarea[name=definition]", text)
    admin.fill("textarea[name=change_note]", "Trying.")
    before = MethodologyVersion.objects.count()
    admin.get_by_role("button", name="Save the new version").click()
    admin.wait_for_load_state("load")
    issues = admin.locator("#definition-issues").inner_text()
    assert "2 problems" in issues and "Line " in issues and "resilience_groups" in issues
    assert MethodologyVersion.objects.count() == before
    shoot(admin, "61-methodology-bad-version-en")

    analyst = browser.new_context(
        extra_http_headers={"Accept-Language": "en"}, viewport={"width": 1280, "height": 900}
    ).new_page()
    analyst.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    sign_in(analyst, base, "secretariat.analyst@demo.ceiba.example")
    with analyst.expect_navigation():
        analyst.select_option("#language-select", "en")
    bad, good = tmp_path / "bad.csv", tmp_path / "good.csv"
    bad.write_text(BAD, encoding="utf-8")
    good.write_text(GOOD, encoding="utf-8")
    analyst.goto(f"{base}/assessment/tables/import/")
    analyst.select_option("select[name=methodology]", str(version.pk))
    analyst.fill("input[name=name]", "Browser table (synthetic)")
    analyst.set_input_files("input[name=file]", str(bad))
    analyst.get_by_role("button", name="Import").click()
    analyst.wait_for_load_state("load")
    listed = analyst.locator("#table-issues").inner_text()
    assert "Row 3, column country" in listed and "Row 4, column country" in listed
    assert "Row 5, column cocaine_trade" in listed
    assert not IndicatorTable.objects.filter(name="Browser table (synthetic)").exists()
    shoot(analyst, "62-table-import-errors-en")
    analyst.set_input_files("input[name=file]", str(good))
    analyst.get_by_role("button", name="Import").click()
    analyst.wait_for_url("**/assessment/tables/*/")
    analyst.get_by_role("button", name="Run the composite index").click()
    analyst.wait_for_url("**/assessment/composite/*/")
    analyst.locator(".obs-chart-canvas svg").wait_for(timeout=20000)
    assert (
        analyst.locator(
            ".obs-chart-canvas svg .mark-rule path, .obs-chart-canvas svg .mark-rule line"
        ).count()
        >= 2
    )
    shoot(analyst, "63-composite-results-en")
    analyst.get_by_role("button", name="Publish").click()
    analyst.wait_for_load_state("load")
    run = AssessmentRun.objects.get(indicator_table__name="Browser table (synthetic)")
    assert run.published_at is not None
    page.goto(f"{base}/assessment/composite/{run.pk}/")
    assert "Mexico" in page.content()
    assert not [e for e in errors if "Content Security Policy" in e], errors


def test_the_synthetic_composite_demo_in_spanish(live_server, browser, demo, shoot) -> None:
    from ceiba.assessment.composite_demo import load_composite_demo

    run = load_composite_demo()
    assert run is not None
    context = browser.new_context(
        locale="es-419", extra_http_headers={"Accept-Language": "es"}, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/assessment/composite/{run.pk}/")
    page.locator(".obs-chart-canvas svg").wait_for(timeout=20000)
    assert "Criminalidad" in page.content() and "Tipología" in page.content()
    shoot(page, "64-composite-demo-es")
    page.goto(f"{live_server.url}/assessment/tables/{run.indicator_table_id}/")
    assert "Trata de personas" in page.content() or "Human trafficking" in page.content()
    shoot(page, "65-table-demo-es")
