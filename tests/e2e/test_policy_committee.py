"""The committee in the browser: the secretariat schedules a meeting with an agenda item, records the
member states' votes on a decision, counts and closes it, publishes it, and finds the .ics link."""

from __future__ import annotations

import pytest

from .test_browser import sign_in

pytestmark = pytest.mark.e2e

SECRETARIAT = "secretariat.analyst@demo.ceiba.example"


def english_page(browser, width: int = 1280):
    context = browser.new_context(
        extra_http_headers={"Accept-Language": "en"}, viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    return context, page, errors


def test_the_secretariat_schedules_a_meeting_records_votes_closes_and_publishes_a_decision(
    live_server, browser, policy_demo, shoot
) -> None:
    from ceiba.policy.models import Committee

    committee = Committee.objects.get()
    members = list(committee.members.select_related("state").order_by("state__english_name"))
    base = live_server.url
    context, page, errors = english_page(browser)
    sign_in(page, base, SECRETARIAT)
    with page.expect_navigation():
        page.select_option("#language-select", "en")

    page.goto(f"{base}/policy/committee/")
    assert committee.acronym in page.locator("h1").inner_text()
    shoot(page, "policy-committee-en")

    page.goto(f"{base}/policy/meetings/new/")
    page.select_option("[name=committee]", str(committee.pk))
    page.fill("[name=title]", "Extraordinary technical meeting on cocaine routes (synthetic)")
    page.select_option("[name=level]", "technical")
    page.select_option("[name=format]", "virtual")
    page.fill("[name=starts_at]", "2027-03-10T14:00")
    page.fill("[name=ends_at]", "2027-03-10T17:00")
    page.fill("[name=online_url]", "https://meet.example.org/clasi")
    page.select_option("[name=visibility]", "public")
    shoot(page, "policy-meeting-form-en")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text() == "Extraordinary technical meeting on cocaine routes (synthetic)"
    ics = page.get_by_role("link", name="Add to my calendar (.ics)")
    response = page.request.get(base + ics.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/calendar")
    assert "BEGIN:VEVENT" in response.text()

    page.get_by_role("link", name="Add an agenda item").click()
    page.fill("[name=title]", "Joint operation against cocaine trafficking by sea")
    page.fill("[name=description]", "Proposal of the pro tempore presidency (synthetic).")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("load")
    assert "Joint operation against cocaine trafficking by sea" in page.locator("ol.agenda").inner_text()

    page.get_by_role("link", name="Record a decision").click()
    page.fill("[name=reference]", "CLASI/T/2027/1")
    page.fill("[name=title]", "Joint maritime operation")
    page.select_option("[name=method]", "vote")
    page.select_option("[name=quorum]", "majority")
    page.select_option("[name=majority]", "simple")
    page.fill("[name=text]", "The committee agrees to a joint maritime operation in 2027 (synthetic).")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text().startswith("CLASI/T/2027/1")

    votes = ["in_favour"] * 5 + ["against", "abstain"]
    for member, vote in zip(members, votes, strict=False):
        form = page.locator("form[action$='/positions/']")
        form.locator("[name=state]").select_option(str(member.state.pk))
        form.locator("[name=position]").select_option(vote)
        form.get_by_role("button", name="Record the position").click()
        page.wait_for_load_state("load")
    assert page.locator("#positions + table tbody tr").count() == len(votes)

    page.locator("form[action$='/close/']").get_by_role("button", name="Count and close").click()
    page.wait_for_load_state("load")
    assert "7 of 11 member states present" in page.locator("main").inner_text()
    assert "In favour: 5" in page.locator("main").inner_text()
    assert "Adopted" in page.locator("dl.facts").inner_text()

    publish = page.locator("form[action$='/publish/']")
    publish.locator("[name=public]").check()
    publish.get_by_role("button", name="Save the visibility").click()
    page.wait_for_load_state("load")
    assert "published on" in page.locator("dl.facts").inner_text()
    shoot(page, "policy-decision-en")
    assert not errors, errors
    context.close()
