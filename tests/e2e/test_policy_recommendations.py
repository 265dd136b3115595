"""Recommendations in the browser: Argentina's focal point reports the implementation of a
recommendation addressed to Argentina with evidence, the secretariat validates it, and the follow-up
report of Argentina and the hemispheric summary show it; their PDF link answers a PDF."""

from __future__ import annotations

import pytest

from .test_browser import sign_in
from .test_policy_committee import SECRETARIAT, english_page

pytestmark = pytest.mark.e2e

FOCAL_POINT = "focal.arg@demo.ceiba.example"


def test_a_focal_point_reports_implementation_and_the_secretariat_validates_it(
    live_server,
    browser,
    policy_demo,
    shoot,
    tmp_path,
) -> None:
    from ceiba.policy.models import Addressee

    addressee = (
        Addressee.objects.filter(state__iso3="ARG")
        .exclude(reports__review="pending")
        .select_related("recommendation")
        .order_by("recommendation__deadline", "pk")
        .first()
    )
    assert addressee is not None
    recommendation = addressee.recommendation
    base = live_server.url
    context, page, errors = english_page(browser)
    context.set_default_timeout(10_000)
    sign_in(page, base, FOCAL_POINT)
    with page.expect_navigation():
        page.select_option("#language-select", "en")

    page.goto(f"{base}/policy/recommendations/")
    shoot(page, "policy-recommendations-en")
    page.goto(f"{base}/policy/recommendations/{recommendation.pk}/")
    page.get_by_role("link", name="Report implementation").click()
    evidence = tmp_path / "decree.pdf"
    evidence.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    page.select_option("[name=status]", "implemented")
    page.fill("[name=narrative]", "Decree 123/2026 created the joint unit (synthetic).")
    page.fill("[name=evidence_url]", "https://example.org/decree-123-2026")
    page.set_input_files("[name=evidence_file]", str(evidence))
    shoot(page, "policy-implementation-report-form-en")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("load")
    assert "Decree 123/2026 created the joint unit (synthetic)." in page.locator("main").inner_text()
    assert not errors, errors
    context.close()

    context, page, errors = english_page(browser)
    context.set_default_timeout(10_000)
    sign_in(page, base, SECRETARIAT)
    with page.expect_navigation():
        page.select_option("#language-select", "en")
    page.goto(f"{base}/policy/recommendations/{recommendation.pk}/")
    row = page.locator("tr", has_text="Decree 123/2026 created the joint unit")
    row.get_by_role("button", name="Validate").click()
    page.wait_for_load_state("load")
    assert "Validated" in page.locator("tr", has_text="Decree 123/2026").inner_text()
    shoot(page, "policy-recommendation-en")
    addressee.refresh_from_db()
    assert addressee.status == "implemented"

    page.goto(f"{base}/policy/recommendations/follow-up/ARG/")
    assert recommendation.title in page.locator("main").inner_text()
    shoot(page, "policy-followup-argentina-en")
    page.goto(f"{base}/policy/recommendations/follow-up/")
    assert "Argentina" in page.locator("main").inner_text()
    shoot(page, "policy-followup-summary-en")
    pdf = page.get_by_role("link", name="Download the PDF").get_attribute("href")
    assert pdf is not None
    response = page.request.get(base + pdf)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    phone = context.new_page()
    phone.set_viewport_size({"width": 390, "height": 844})
    phone.goto(page.url)
    shoot(phone, "policy-followup-summary-phone-en")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert not errors, errors
    context.close()
