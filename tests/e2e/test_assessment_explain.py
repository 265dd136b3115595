"""Explain every number in the browser: a committee delegate opens a crime-area score of the
restricted run, sees the formula and the inputs (networks they may not see counted, not named),
follows a network to its explanation, then compares the restricted and the public run."""

from __future__ import annotations

import pytest

from .test_browser import sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def assessment_demo(demo) -> None:
    from ceiba.assessment.demo import load_assessment_demo

    load_assessment_demo(samples=50)


def test_explain_a_crime_area_score_a_network_and_compare_two_runs(
    live_server, browser, assessment_demo, shoot
) -> None:
    from ceiba.assessment.choices import Audience
    from ceiba.assessment.models import AssessmentRun

    restricted = AssessmentRun.objects.get(audience=Audience.RESTRICTED)
    public = AssessmentRun.objects.get(audience=Audience.PUBLIC)
    base = live_server.url
    context = browser.new_context(extra_http_headers={"Accept-Language": "en"})
    page = context.new_page()
    sign_in(page, base, "delegate.chl@demo.ceiba.example")
    with page.expect_navigation():
        page.select_option("#language-select", "en")

    page.goto(f"{base}/assessment/runs/{restricted.pk}/explain/area/cocaine_trafficking/region/region/")
    stored = restricted.results["levels"]["region"]["score"][
        restricted.results["areas"].index("cocaine_trafficking")
    ][0]
    assert page.locator("#area-score").inner_text() == f"{stored:.3f}"
    assert page.get_by_role("heading", name="Formula").count() == 1
    assert page.get_by_text("you may not see").count() >= 1
    shoot(page, "41-assessment-explain-area-en")

    page.locator("table.data a[href*='/explain/network/']").first.click()
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text().startswith("Network score of")
    assert page.get_by_role("link", name="Network profile").count() == 1
    shoot(page, "42-assessment-explain-network-en")

    page.goto(f"{base}/assessment/compare/")
    page.select_option("#compare-before", str(restricted.pk))
    page.select_option("#compare-after", str(public.pk))
    page.get_by_role("button", name="Compare").click()
    page.wait_for_load_state("load")
    assert page.locator("table.compare-table tbody tr").count() == len(restricted.results["areas"])
    assert page.locator(".rank-up, .rank-down").count() >= 1
    shoot(page, "43-assessment-compare-en")
    context.close()
