"""Threat documentation in the browser: Argentina's analyst drafts a threat report, the focal point
submits the contribution, the secretariat validates it, and Brazil's analyst finds the report only
because its scope reaches all members (and never sees Argentina's drafts)."""

from __future__ import annotations

import pytest

from .test_browser import sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def documentation_demo(demo) -> None:
    from ceiba.documentation.demo import load_documentation_demo

    load_documentation_demo()


def test_draft_submit_validate_and_share_a_threat_report(
    live_server, browser, documentation_demo, shoot
) -> None:
    from ceiba.documentation.models import AssessmentCycle, ThreatReport

    cycle = AssessmentCycle.objects.get(name="IDEAL 2026")
    base = live_server.url

    analyst = browser.new_context(extra_http_headers={"Accept-Language": "en"})
    page = analyst.new_page()
    sign_in(page, base, "analyst.arg@demo.ceiba.example")
    with page.expect_navigation():
        page.select_option("#language-select", "en")
    page.goto(f"{base}/documentation/cycles/{cycle.pk}/contribution/")
    page.wait_for_load_state("load")
    if page.get_by_role("button", name="Start drafting the contribution").count():
        page.get_by_role("button", name="Start drafting the contribution").click()
    contribution_url = page.url
    assert page.get_by_role("link", name="Add a report").count() > 0  # a row per crime area still missing
    page.get_by_role("link", name="Add a report").first.click()
    page.fill("input[name=title]", "Cocaine shipments through river ports (synthetic)")
    page.fill("input[name=period_start]", "2025-01-01")
    page.fill("input[name=period_end]", "2025-12-31")
    page.select_option("select[name=trend]", "increasing")
    page.fill(
        "textarea[name=narrative]", "Containers **re-routed** via <script>alert(1)</script> feeder ports."
    )
    page.select_option("select[name=source_reliability]", index=1)
    page.select_option("select[name=information_credibility]", index=1)
    page.select_option("select[name=tlp]", "green")
    page.select_option("select[name=handling_code]", "H0")
    page.select_option("select[name=scope]", "all_members")
    shoot(page, "11-report-form-en")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text().startswith("Cocaine shipments through river ports")
    assert page.locator("main strong", has_text="re-routed").count() == 1
    assert page.locator("main script").count() == 0
    shoot(page, "12-report-detail-en")
    report = ThreatReport.objects.get(title__startswith="Cocaine shipments through river ports")
    analyst.close()

    # Before submission, Brazil's analyst cannot see the draft at all.
    brazil = browser.new_context(extra_http_headers={"Accept-Language": "pt"})
    bpage = brazil.new_page()
    sign_in(bpage, base, "analyst.bra@demo.ceiba.example")
    assert bpage.goto(f"{base}/documentation/reports/{report.pk}/").status == 404

    focal = browser.new_context(extra_http_headers={"Accept-Language": "es"})
    fpage = focal.new_page()
    sign_in(fpage, base, "focal.arg@demo.ceiba.example")
    fpage.goto(contribution_url)
    fpage.get_by_role("button", name="Enviar a la secretaría").click()
    fpage.wait_for_load_state("load")
    shoot(fpage, "13-contribution-submitted-es")
    focal.close()

    assert bpage.goto(f"{base}/documentation/reports/{report.pk}/").status == 200
    assert "Cocaine shipments through river ports" in bpage.locator("h1").inner_text()
    shoot(bpage, "14-report-seen-by-brazil-pt")
    brazil.close()
