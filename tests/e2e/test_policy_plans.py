"""Plans in the browser: the secretariat opens a new cycle on the demo's handed-over assessment run,
adopts a recommended priority, writes its strategic plan, an operational action plan and an action
with a KPI; a stale edit of the plan in a second tab is refused with the conflict message."""

from __future__ import annotations

import pytest

from .test_browser import sign_in
from .test_policy_committee import SECRETARIAT, english_page

pytestmark = pytest.mark.e2e


def test_the_secretariat_adopts_a_priority_and_plans_an_action_with_a_kpi(
    live_server,
    browser,
    policy_demo,
    shoot,
) -> None:
    from ceiba.policy.demo import restricted_demo_run

    run = restricted_demo_run()
    assert run is not None
    base = live_server.url
    context, page, errors = english_page(browser)
    context.set_default_timeout(10_000)
    sign_in(page, base, SECRETARIAT)
    with page.expect_navigation():
        page.select_option("#language-select", "en")

    page.goto(f"{base}/policy/")
    shoot(page, "policy-home-en")
    page.goto(f"{base}/policy/cycles/new/")
    page.fill("[name=name]", "CLASI policy cycle 2030–2033 (synthetic)")
    page.fill("[name=starts_on]", "2030-01-01")
    page.select_option("[name=assessment_run]", str(run.pk))
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text() == "CLASI policy cycle 2030–2033 (synthetic)"
    assert "Dec. 31, 2033" in page.locator("dl.facts").inner_text()

    page.get_by_role("link", name="Adopt priorities from an assessment").click()
    page.select_option("#run-select", str(run.pk))
    page.get_by_role("button", name="Show its recommended priorities").click()
    page.wait_for_load_state("load")
    first = page.locator("form[method=post] fieldset").first
    area = first.locator("legend").inner_text().split(".", 1)[1].split("·")[0].strip()
    first.locator("input[type=checkbox]").check()
    first.locator("select").first.select_option(label="Argentina")
    first.locator("select[multiple]").select_option(label="Brazil")
    shoot(page, "policy-adopt-en")
    page.get_by_role("button", name="Adopt", exact=True).click()
    page.wait_for_load_state("load")
    section = page.locator("section.priority").first
    assert area in section.locator("h3").inner_text()
    assert "recommended priority no. " in section.inner_text()

    section.get_by_role("link", name="Write the strategic plan").click()
    page.wait_for_load_state("load")
    # The horizontal goals are a group of checkboxes: a fieldset named by its legend.
    goals = page.locator("fieldset.choice-group")
    assert goals.locator("legend").inner_text().startswith("Horizontal goals")
    assert goals.locator("input[type=checkbox]").count() >= 1
    shoot(page, "policy-strategic-plan-form-en")
    page.fill("[name=title]", "Strategic plan against cocaine trafficking 2030–2033")
    page.fill("[name=summary]", "Dismantle the networks that move cocaine by sea (synthetic).")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("load")
    section = page.locator("section.priority").first
    assert "Strategic plan against cocaine trafficking 2030–2033" in section.inner_text()

    section.get_by_role("link", name="Add an operational action plan").click()
    page.fill("[name=title]", "Operational action plan 2030–2031")
    page.fill("[name=starts_on]", "2030-01-01")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text() == "Operational action plan 2030–2031"
    plan_url = page.url

    page.get_by_role("link", name="Add an action").click()
    page.fill("[name=code]", "OA-2030-1")
    page.fill("[name=title]", "Joint maritime controls in the Pacific")
    page.select_option("[name=leader_state]", label="Argentina")
    page.fill("[name=starts_on]", "2030-03-01")
    page.fill("[name=ends_on]", "2031-06-30")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("load")
    assert "Joint maritime controls in the Pacific" in page.locator("h1").inner_text()

    page.locator("summary", has_text="Add a KPI").click()
    kpi = page.locator("form[action$='/kpi/add/']")
    kpi.locator("[name=kpi-code]").fill("K1")
    kpi.locator("[name=kpi-name]").fill("Containers inspected")
    kpi.locator("[name=kpi-unit]").select_option("count")
    kpi.locator("[name=kpi-target]").fill("500")
    kpi.get_by_role("button", name="Add").click()
    page.wait_for_load_state("load")
    assert "Containers inspected" in page.locator("main").inner_text()
    shoot(page, "policy-action-en")

    # Two tabs edit the same plan: the second save is refused, nothing overwritten.
    first_tab = context.new_page()
    second_tab = context.new_page()
    for tab in (first_tab, second_tab):
        tab.goto(plan_url + "edit/")
    first_tab.fill("[name=title]", "Operational action plan 2030–2031 (revised)")
    first_tab.locator("main form button[type=submit]").click()
    first_tab.wait_for_load_state("load")
    assert first_tab.locator("h1").inner_text() == "Operational action plan 2030–2031 (revised)"
    second_tab.fill("[name=title]", "Operational action plan 2030–2031 (other)")
    second_tab.locator("main form button[type=submit]").click()
    second_tab.wait_for_load_state("load")
    assert "Somebody else saved this record while you were editing it" in (
        second_tab.locator(".form-errors").inner_text()
    )
    shoot(second_tab, "policy-stale-edit-en")
    second_tab.goto(plan_url)
    assert second_tab.locator("h1").inner_text() == "Operational action plan 2030–2031 (revised)"
    assert not errors, errors
    context.close()
