"""The observatory in a real browser under the site's CSP (script-src 'self', no eval): charts load
their libraries and data only when scrolled into view, draw as SVG, and nothing is fetched from
outside the platform."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e

ROWS = [
    ["Argentina", "ARG", 2022, 4.3, ""],
    ["Brazil", "BRA", 2022, 20.7, ""],
    ["Jamaica", "JAM", 2022, 53.1, ""],
    ["Trinidad and Tobago", "TTO", 2022, 39.4, ""],
    ["Mexico", "MEX", 2022, 25.9, ""],
]


def test_map_and_line_charts_draw_under_the_csp(live_server, browser, demo, shoot) -> None:
    import csv
    import io

    from ceiba.observatory import services

    services.indicators_seed()
    buffer = io.StringIO()
    csv.writer(buffer).writerows([["Entity", "Code", "Year", "Homicide rate per 100,000 population"], *ROWS])
    services.release_import(
        source_format="owid", content=buffer.getvalue().encode(), file_name="homicide-rate-unodc.csv"
    )

    # A short window keeps the chart well below the fold whatever the machine's speed, so the test
    # sees whether the chart libraries wait for it to be scrolled into view.
    context = browser.new_context(
        extra_http_headers={"Accept-Language": "en"}, viewport={"width": 1280, "height": 200}
    )
    page = context.new_page()
    problems: list[str] = []
    requested: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("request", lambda r: requested.append(r.url))

    page.goto(live_server.url + "/observatory/compare/?indicator=homicide-rate&chart=map")
    page.wait_for_timeout(500)  # time for an eager loader to give itself away
    assert not any("vega.min.js" in url for url in requested)  # the libraries wait for the chart to be seen
    page.locator("[data-chart]").first.scroll_into_view_if_needed()
    page.wait_for_selector(".obs-chart-canvas svg path", timeout=20000)
    markers = page.locator(".obs-chart-canvas svg .mark-symbol path")
    assert markers.count() >= 2  # Jamaica and Trinidad and Tobago as markers
    shoot(page, "observatory-map")

    page.goto(live_server.url + "/observatory/countries/ARG/")
    page.locator("[data-chart]").first.scroll_into_view_if_needed()
    page.wait_for_selector(".obs-chart-canvas svg .mark-line path", state="attached", timeout=20000)
    shoot(page, "observatory-profile")

    assert problems == []
    assert all(url.startswith(live_server.url) for url in requested)
    context.close()
