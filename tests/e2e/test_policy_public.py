"""The policy cycle in public, in Portuguese and French: the secretariat finalises the cycle's
evaluation; then a visitor who is not signed in reads the committee, its meetings (no restricted
one), a published decision, the hemispheric follow-up summary and the final evaluation."""

from __future__ import annotations

import pytest

from .test_browser import sign_in
from .test_policy_committee import SECRETARIAT, english_page

pytestmark = pytest.mark.e2e


def test_a_public_visitor_reads_the_policy_cycle_in_portuguese_and_french(
    live_server,
    browser,
    policy_demo,
    shoot,
) -> None:
    from django.utils import translation

    from ceiba.policy.models import Decision, Meeting, PolicyCycle

    cycle = PolicyCycle.objects.get()
    decision = Decision.objects.filter(visibility="public", published_at__isnull=False).first()
    assert decision is not None
    restricted = Meeting.objects.filter(visibility="restricted").first()
    assert restricted is not None
    base = live_server.url

    context, page, errors = english_page(browser)
    context.set_default_timeout(10_000)
    sign_in(page, base, SECRETARIAT)
    with page.expect_navigation():
        page.select_option("#language-select", "en")
    page.goto(f"{base}/policy/cycles/{cycle.pk}/evaluation/")
    page.fill("[name=summary]", "Most actions advanced; reporting must be more regular (synthetic).")
    page.get_by_role("button", name="Finalise and publish").click()
    page.wait_for_load_state("load")
    assert "Most actions advanced" in page.locator("main").inner_text()
    assert page.get_by_role("button", name="Finalise and publish").count() == 0
    assert not errors, errors
    context.close()

    for language in ("pt", "fr"):
        with translation.override(language):
            positions = translation.gettext("Positions of the member states")
            lessons = translation.gettext("Lessons recorded by the secretariat")
            evaluation = translation.gettext("Evaluation of %(cycle)s") % {"cycle": cycle.name}
        context = browser.new_context(
            locale=language,
            extra_http_headers={"Accept-Language": language},
            viewport={"width": 1280, "height": 900},
        )
        page = context.new_page()
        page.set_default_timeout(10_000)
        errors = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)  # noqa: B023

        page.goto(f"{base}/policy/committee/")
        assert page.locator("html").get_attribute("lang") == language
        assert "CLASI" in page.locator("h1").inner_text()
        shoot(page, f"policy-public-committee-{language}")

        page.goto(f"{base}/policy/meetings/")
        assert decision.meeting.title in page.locator("main").inner_text()
        assert restricted.title not in page.locator("main").inner_text()
        shoot(page, f"policy-public-meetings-{language}")
        assert page.goto(f"{base}/policy/meetings/{restricted.pk}/").status == 404
        errors.clear()  # the console reports the 404 just asked for

        page.goto(f"{base}/policy/decisions/{decision.pk}/")
        assert decision.reference in page.locator("h1").inner_text()
        text = page.locator("main").inner_text()
        assert positions in text
        assert "11" in text and ": )" not in text  # the count names its members and quorum
        assert page.locator("main form").count() == 0
        shoot(page, f"policy-public-decision-{language}")

        page.goto(f"{base}/policy/recommendations/follow-up/")
        assert page.locator("table.counts").count() >= 2
        shoot(page, f"policy-public-followup-{language}")

        page.goto(f"{base}/policy/cycles/{cycle.pk}/evaluation/")
        assert page.locator("h1").inner_text() == evaluation
        assert lessons in page.locator("main").inner_text()
        assert "Most actions advanced" in page.locator("main").inner_text()
        assert page.locator("main form").count() == 0
        shoot(page, f"policy-public-evaluation-{language}")
        assert not errors, errors
        context.close()
