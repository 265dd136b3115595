"""Search in the browser: Brazil's analyst searches "cocaína" (accented, in Spanish) from the search
box of the documentation pages, finds what is shared with Brazil, narrows by a facet, and never sees
Argentina's draft report about the same subject."""

from __future__ import annotations

import pytest

from .test_browser import sign_in
from .test_documentation import documentation_demo  # noqa: F401 (fixture)

pytestmark = pytest.mark.e2e


def test_search_and_click_a_facet(live_server, browser, documentation_demo, shoot) -> None:  # noqa: F811
    from ceiba.documentation.models import ThreatReport
    from ceiba.documentation.search import search_reindex

    search_reindex()
    argentine = ThreatReport.objects.get(title__startswith="Cocaine through the Paraná")
    base = live_server.url
    context = browser.new_context(extra_http_headers={"Accept-Language": "en"})
    page = context.new_page()
    sign_in(page, base, "analyst.bra@demo.ceiba.example")
    with page.expect_navigation():
        page.select_option("#language-select", "en")
    page.goto(f"{base}/documentation/reports/")
    page.fill("#doc-search-q", "cocaína")
    page.locator("form.doc-search button").click()
    page.wait_for_url("**/documentation/search/?q=*")
    results = page.locator("li.search-result")
    assert results.count() >= 2
    titles = page.locator("li.search-result h2").all_inner_texts()
    assert all(argentine.title not in title for title in titles)
    # "cocaína" matched the crime area's Spanish name (a keyword): snippets show the records' own text.
    assert page.locator("li.search-result p.snippet").count() >= 1
    shoot(page, "31-search-results-en")

    network_facet = page.locator('[data-facet="kind"] a[data-value="network"]')
    assert network_facet.count() == 1
    count = int(network_facet.locator("xpath=following-sibling::span[1]").inner_text())
    network_facet.click()
    page.wait_for_url("**kind=network*")
    assert page.locator("li.search-result").count() == count
    assert page.locator('li.search-result[data-kind="report"]').count() == 0
    assert page.locator('[data-facet="kind"] a[aria-current="true"]').count() == 1
    shoot(page, "32-search-facet-en")
    context.close()
