"""A person's first visit: browse in Spanish, switch to French, explore the directory, sign in with
the second factor, meet "not found" for another state's analyst, manage the directory, sign out."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e


def totp_now(email: str) -> str:
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user__email=email, confirmed=True)
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def sign_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/account/sign-in/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", "ceiba-demo-2026")
    page.click("main button[type=submit]")
    page.wait_for_url("**/account/second-factor/**")
    page.fill("input[name=otp_token]", totp_now(email))
    page.click("main button[type=submit]")
    page.wait_for_url("**/dashboard/")


def test_public_visit_language_switch_and_directory(live_server, browser, demo, shoot) -> None:
    context = browser.new_context(locale="es-419", extra_http_headers={"Accept-Language": "es"})
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text() == "Cooperación regional en seguridad en las Américas"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    shoot(page, "01-home-es")

    with page.expect_navigation():
        page.select_option("#language-select", "fr")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert "Coopération" in page.locator("h1").inner_text()
    shoot(page, "02-home-fr")

    page.click("nav >> text=États")
    page.select_option("select[name=subregion]", "caribbean")
    page.click("form.filters button")
    assert page.locator("table.data tbody tr").count() == 15
    assert page.get_by_role("link", name="Saint-Christophe-et-Niévès").is_visible()
    shoot(page, "03-states-caribbean-fr")
    page.get_by_role("link", name="Jamaïque").click()
    assert page.locator("h1").inner_text().startswith("Jamaïque")

    page.goto(live_server.url + "/directory/organisations/?kind=police")
    assert page.get_by_role("link", name="Polícia Federal (PF)").is_visible()
    shoot(page, "04-organisations-fr")

    outside = [url for url in requested if not url.startswith(live_server.url)]
    assert outside == [], f"the page loaded assets from outside the platform: {outside}"
    context.close()


def test_focal_point_signs_in_with_totp_and_cannot_see_another_states_analyst(
    live_server, browser, demo, shoot
) -> None:
    from ceiba.core.models import User

    context = browser.new_context(extra_http_headers={"Accept-Language": "pt"})
    page = context.new_page()
    sign_in(page, live_server.url, "focal.bra@demo.ceiba.example")
    assert page.locator("h1").inner_text() == "Ponto focal nacional: Brasil"
    shoot(page, "05-dashboard-focal-point-pt")

    analyst = User.objects.get(email="analyst.arg@demo.ceiba.example")
    response = page.goto(f"{live_server.url}/directory/people/{analyst.pk}/")
    assert response.status == 404
    shoot(page, "06-not-found-pt")

    page.goto(live_server.url + "/account/")
    page.fill("input[name=name]", "Script de exportação")
    page.click("form.inline button[type=submit]")
    token = page.locator("#new-token").inner_text()
    assert len(token) > 40
    shoot(page, "07-api-token-pt")

    page.click("header >> text=Sair")
    page.wait_for_url(live_server.url + "/")
    assert page.get_by_role("banner").get_by_role("link", name="Entrar").is_visible()
    context.close()


def test_secretariat_admin_manages_the_directory(live_server, browser, demo, shoot) -> None:
    context = browser.new_context(extra_http_headers={"Accept-Language": "en"})
    page = context.new_page()
    sign_in(page, live_server.url, "admin@demo.ceiba.example")
    # Her account says Spanish, which wins over the browser's English; she switches for this session.
    assert page.locator("html").get_attribute("lang") == "es"
    with page.expect_navigation():
        page.select_option("#language-select", "en")
    assert page.locator("h1").inner_text() == "Secretariat administration"
    shoot(page, "08-dashboard-secretariat-admin-en")

    page.click("text=New organisation")
    page.fill("input[name=name]", "Unidad de Información Financiera")
    page.fill("input[name=acronym]", "UIF")
    page.select_option("select[name=kind]", "fiu")
    page.click("main button[type=submit]")
    assert (
        page.locator(".field-error").first.inner_text()
        == "A national organisation of this type must belong to a state."
    )
    shoot(page, "09-organisation-error-en")
    page.select_option("select[name=state]", label="Argentina")
    page.click("main button[type=submit]")
    assert page.locator("h1").inner_text() == "Unidad de Información Financiera (UIF)"

    page.goto(live_server.url + "/audit/")
    assert page.locator("table.data tbody tr").count() >= 5
    shoot(page, "10-audit-trail-en")
    context.close()
