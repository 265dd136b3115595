"""The assessment report in a real browser under the site's CSP: every chapter's bar chart and map
draw as SVG from the vendored libraries, nothing is fetched from outside the platform."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e


def test_the_public_report_draws_its_charts(live_server, browser, demo, shoot) -> None:
    from ceiba.assessment.demo import load_assessment_demo
    from ceiba.assessment.models import AssessmentRun

    load_assessment_demo(samples=50)
    run = AssessmentRun.objects.get(audience="public", kind="cycle")
    context = browser.new_context(
        extra_http_headers={"Accept-Language": "en"}, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    problems: list[str] = []
    requested: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("request", lambda r: requested.append(r.url))

    page.goto(f"{live_server.url}/assessment/runs/{run.pk}/report/?lang=en")  # published: no sign-in
    assert page.locator("h2", has_text="Executive summary").count() == 1
    figures = page.locator(".report [data-chart]")
    for i in range(figures.count()):
        figures.nth(i).scroll_into_view_if_needed()
    page.wait_for_function(
        "() => [...document.querySelectorAll('.report [data-chart]')].every(f => f.dataset.drawn)",
        timeout=60000,
    )
    assert page.locator(".report-chart-map svg .mark-shape path").count() > 40  # the Americas
    assert page.locator(".report-chart-canvas svg .mark-rect path").count() > 0  # bars
    page.evaluate("window.scrollTo(0, 0)")
    shoot(page, "assessment-report")
    page.locator("#report-summary").scroll_into_view_if_needed()
    page.screenshot(path="var/screenshots/assessment-report-summary.png")
    assert problems == []
    assert all(url.startswith(live_server.url) for url in requested)
