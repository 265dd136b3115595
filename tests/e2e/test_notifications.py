"""Notifications in the browser: a national analyst sees the unread count in the header, opens the
inbox, marks one notification read and chooses to be notified by e-mail only."""

from __future__ import annotations

import pytest

from .test_browser import sign_in

pytestmark = pytest.mark.e2e


def test_the_analyst_reads_the_inbox_and_chooses_the_channel(
    live_server, browser, demo, shoot, monkeypatch
) -> None:
    from ceiba.core import notifications
    from ceiba.core.models import NotificationPreference, User

    monkeypatch.setattr(notifications, "_kinds", {})
    notifications.register_notification_kind(
        "demo.report_due",
        "Progress report due",
        "A progress report you lead is due soon (synthetic kind).",
        "both",
    )
    analyst = User.objects.get(email="analyst.arg@demo.ceiba.example")
    for n, subject in enumerate(["Progress report due in 7 days", "Action plan review on Friday"]):
        notifications.notify(
            recipients=[analyst],
            kind="demo.report_due",
            subject=f"{subject} (synthetic)",
            body="Please submit the quarterly progress of the action you lead.",
            url="/dashboard/",
            dedupe_key=f"e2e:{n}",
        )
    context = browser.new_context(
        extra_http_headers={"Accept-Language": "en"}, viewport={"width": 1280, "height": 800}
    )
    page = context.new_page()
    sign_in(page, live_server.url, analyst.email)
    with page.expect_navigation():
        page.select_option("#language-select", "en")
    header_link = page.locator(".notification-link")
    assert header_link.locator(".badge").inner_text() == "2"
    header_link.click()
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text() == "Notifications"
    assert page.locator(".notification-list li.unread").count() == 2
    shoot(page, "50-notifications-inbox-en")

    page.locator(".notification-list li.unread").first.get_by_role("button", name="Mark read").click()
    page.wait_for_load_state("load")
    assert page.locator(".notification-list li.unread").count() == 1
    assert page.locator(".notification-link .badge").inner_text() == "1"

    page.get_by_role("link", name="Notification preferences").first.click()
    page.wait_for_load_state("load")
    page.get_by_label("E-mail only").check()
    shoot(page, "51-notification-preferences-en")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state("load")
    assert "saved" in page.locator(".messages").inner_text()
    assert NotificationPreference.objects.get(user=analyst, kind="demo.report_due").channel == "email"
