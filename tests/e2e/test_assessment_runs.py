"""Assessment runs in the browser: the secretariat analyst opens the demo's restricted run from the
navigation, reads the priorities with their stability beside each, and edits a rationale."""

from __future__ import annotations

import pytest

from .test_browser import sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def assessment_demo(demo) -> None:
    from ceiba.assessment.demo import load_assessment_demo

    load_assessment_demo(samples=200)


def test_the_secretariat_reads_the_restricted_run_and_edits_a_rationale(
    live_server, browser, assessment_demo, shoot
) -> None:
    from ceiba.assessment.models import AssessmentRun

    run = AssessmentRun.objects.get(audience="restricted")
    first = run.priorities.order_by("rank").first()
    base = live_server.url
    context = browser.new_context(
        extra_http_headers={"Accept-Language": "en"}, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    sign_in(page, base, "secretariat.analyst@demo.ceiba.example")
    with page.expect_navigation():
        page.select_option("#language-select", "en")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Assessment").click()
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text() == "Assessment runs"
    page.get_by_role("link", name=run.title).click()
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text() == run.title
    assert "TLP:AMBER" in page.locator(".marking-banner").inner_text()
    item = page.locator(f"#priority-{first.rank}")
    assert f"{round(first.probability * 100)}%" in item.locator(".stability").inner_text()
    assert item.locator("meter").count() == 1
    shoot(page, "40-assessment-run-en")

    item.locator("textarea").fill("Agreed at the analysts' meeting (synthetic).")
    item.get_by_role("button", name="Save the rationale").click()
    page.wait_for_load_state("load")
    assert "is saved" in page.locator(".messages").inner_text()
    assert page.locator(f"#priority-{first.rank} textarea").input_value() == (
        "Agreed at the analysts' meeting (synthetic)."
    )
    assert not errors, errors
