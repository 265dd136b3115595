"""Entities in the browser: Argentina's analyst opens the page of a (synthetic) person Brazil
released to all members; the graph is drawn on a canvas by the vendored Cytoscape.js under the
site's CSP, with Argentina's own associate as a second node. Brazil's analyst sees the same person
without the Argentine draft in the graph."""

from __future__ import annotations

import pytest

from .test_browser import sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def documentation_demo(demo) -> None:
    from ceiba.documentation.demo import load_documentation_demo

    load_documentation_demo()


def test_entity_page_draws_the_graph_of_visible_links(
    live_server, browser, documentation_demo, shoot
) -> None:
    from ceiba.documentation.models import Entity

    person = Entity.objects.get(ftm_id="ceiba-demo-person-marcos")
    base = live_server.url
    context = browser.new_context(extra_http_headers={"Accept-Language": "en"})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, base, "analyst.arg@demo.ceiba.example")
    with page.expect_navigation():
        page.select_option("#language-select", "en")
    page.goto(f"{base}/documentation/entities/{person.pk}/")
    graph = page.locator("#entity-graph")
    page.locator("#entity-graph[data-rendered='true']").wait_for(state="attached", timeout=15000)
    assert graph.locator("canvas").count() >= 1
    assert graph.get_attribute("data-nodes") == "4"  # Marcos, Rita, the crew and Argentina's Lucía
    assert page.locator("td.provenance-state", has_text="Brazil").count() > 0
    box = graph.bounding_box()
    assert box is not None and box["height"] > 300
    shoot(page, "20-entity-graph-en")
    assert errors == []
    context.close()

    brazil = browser.new_context(extra_http_headers={"Accept-Language": "pt"})
    bpage = brazil.new_page()
    sign_in(bpage, base, "analyst.bra@demo.ceiba.example")
    bpage.goto(f"{base}/documentation/entities/{person.pk}/")
    bpage.locator("#entity-graph[data-rendered='true']").wait_for(state="attached", timeout=15000)
    assert bpage.locator("#entity-graph").get_attribute("data-nodes") == "3"
    assert "Lucía" not in bpage.content()
    shoot(bpage, "21-entity-graph-brazil-pt")
    brazil.close()
