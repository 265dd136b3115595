"""Search across threat reports and criminal networks: permission matrices, results and every facet
count filtered by the access policy before counting, hostile queries answered without error,
accent folding, the index kept up to date by the services and rebuilt by `ceiba search reindex`.
Runs on SQLite (FTS5) and, with CEIBA_DATABASE_URL, on PostgreSQL (full-text search)."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from ceiba.common.testing.permissions import PERSONAS, permission_matrix
from ceiba.core.models import State
from ceiba.documentation import services
from ceiba.documentation.models import CrimeArea, SearchDocument
from ceiba.documentation.search import fold, query_terms, search_reindex, snippet
from ceiba.sharing.choices import TLP, Scope

from .factories import contribution_for, network_in, open_cycle, report_in, submit

SEARCH = reverse("documentation:search")
API = reverse("documentation-search")


test_search_page = permission_matrix(
    "documentation:search",
    url=lambda w: SEARCH + "?q=cocaine",
    expect={"anonymous": 302, "forum_participant": 403},
    default=200,
)
test_search_api = permission_matrix(
    "documentation-search",
    url=lambda w: API + "?q=cocaine",
    expect={"anonymous": 401},
    default=200,
)


@pytest.fixture
def records(world):
    """Argentina: a submitted contribution with a report for all members (visible to every member
    state) and one kept with the originator (hidden from everyone outside Argentina); a network for
    the secretariat only. Brazil: a draft report (Brazil only)."""
    cycle = open_cycle(world)
    arg = contribution_for(world, cycle, "ARG")
    mining = CrimeArea.objects.get(code="illegal_mining")
    visible = report_in(
        world,
        arg,
        tlp=TLP.GREEN,
        scope=Scope.ALL_MEMBERS,
        title="Rutas fluviales de cocaína (synthetic)",
        narrative="La Policía Federal observa lanchas rápidas en el río Paraná.",
        affected_states=[world.bra],
    )
    hidden = report_in(
        world,
        arg,
        tlp=TLP.AMBER,
        scope=Scope.ORIGINATOR,
        title="Secret cocaine corridor (synthetic)",
        narrative="Policía informant network near Rosario; the word zanahoria is unique to this report.",
        crime_area=mining,
        period_start=__import__("datetime").date(2024, 1, 1),
        period_end=__import__("datetime").date(2024, 6, 30),
        affected_states=[State.objects.get(iso3="PRY")],
    )
    network = network_in(
        world,
        arg,
        tlp=TLP.AMBER,
        scope=Scope.SECRETARIAT,
        alias="Clan del Río (synthetic)",
        summary="Cocaine logistics along the Paraná; policía corrupta.",
    )
    submit(world, arg)
    bra = contribution_for(world, cycle, "BRA")
    draft = report_in(
        world, bra, tlp=TLP.GREEN, scope=Scope.ALL_MEMBERS, title="Cocaína no porto (synthetic)"
    )
    return {"visible": visible, "hidden": hidden, "network": network, "draft": draft}


def api(persona_client, persona: str, **params: str) -> dict:
    response = persona_client(persona).get(API, params)
    assert response.status_code == 200, response.content
    return response.json()


def ids(payload: dict) -> set[tuple[str, int]]:
    return {(row["kind"], row["id"]) for row in payload["results"]}


def facet(payload: dict, name: str) -> dict[str, int]:
    return {row["value"]: row["count"] for row in payload["facets"][name]}


def test_a_brazilian_analyst_finds_and_counts_only_what_is_shared_with_brazil(records, persona_client):
    payload = api(persona_client, "national_analyst@other_state", q="cocaine")
    # Brazil's own draft says "Cocaína" and the visible report is filed under cocaine trafficking.
    assert ids(payload) == {("report", records["visible"].pk), ("report", records["draft"].pk)}
    assert payload["count"] == 2
    assert facet(payload, "kind") == {"report": 2}
    assert facet(payload, "crime_area") == {"cocaine_trafficking": 2}
    assert facet(payload, "tlp") == {TLP.GREEN: 2}
    assert facet(payload, "year") == {"2025": 2}
    # Paraguay is concerned only by the hidden report: it appears in no facet.
    assert facet(payload, "state") == {"ARG": 1, "BRA": 2}


def test_hidden_records_are_never_found_nor_counted_with_facets_or_unique_words(records, persona_client):
    for persona in PERSONAS:
        if persona in ("anonymous", "national_analyst", "national_focal_point"):
            continue
        for params in (
            {"q": "zanahoria"},
            {"q": "secret corridor"},
            {"crime_area": "illegal_mining"},
            {"state": "PRY"},
            {"year": "2024"},
            {"tlp": TLP.AMBER, "kind": "report"},
        ):
            payload = api(persona_client, persona, **params)
            assert ("report", records["hidden"].pk) not in ids(payload), (persona, params)
            assert "illegal_mining" not in facet(payload, "crime_area"), (persona, params)
            assert "PRY" not in facet(payload, "state"), (persona, params)
            assert "2024" not in facet(payload, "year"), (persona, params)
            if params != {"tlp": TLP.AMBER, "kind": "report"}:
                continue
            assert payload["count"] == 0, (persona, params)


def test_the_originator_state_finds_its_hidden_report(records, persona_client):
    payload = api(persona_client, "national_analyst", q="zanahoria")
    assert ids(payload) == {("report", records["hidden"].pk)}
    assert facet(payload, "state") == {"ARG": 1, "PRY": 1}
    assert facet(payload, "year") == {"2024": 1}


def test_the_secretariat_sees_the_network_and_the_released_report_only(records, persona_client):
    payload = api(persona_client, "secretariat_analyst", q="parana")
    assert ids(payload) == {("report", records["visible"].pk), ("network", records["network"].pk)}
    assert facet(payload, "kind") == {"report": 1, "network": 1}
    assert facet(payload, "tlp") == {TLP.GREEN: 1, TLP.AMBER: 1}
    delegate = api(persona_client, "committee_delegate@other_state", q="parana")
    assert ids(delegate) == {("report", records["visible"].pk)}


def test_a_forum_participant_gets_nothing_from_the_api(records, persona_client):
    payload = api(persona_client, "forum_participant", q="cocaine")
    assert payload["count"] == 0 and all(not values for values in payload["facets"].values())


@pytest.mark.parametrize("word", ["policia", "POLICÍA", "Policia", "polícia"])
def test_accents_and_capitals_fold(records, persona_client, word):
    payload = api(persona_client, "national_analyst", q=word)
    assert ("report", records["visible"].pk) in ids(payload)
    assert ("report", records["hidden"].pk) in ids(payload)
    assert ("network", records["network"].pk) in ids(payload)


def test_words_are_prefixes_and_all_must_match(records, persona_client):
    both = api(persona_client, "national_analyst", q="lancha rapid")
    assert ids(both) == {("report", records["visible"].pk)}
    none = api(persona_client, "national_analyst", q="lanchas zanahoria")
    assert none["count"] == 0


HOSTILE = [
    '"',
    '"cocaine',
    "cocaine*",
    "*",
    "cocaine AND OR NOT",
    "(cocaine",
    "cocaine)) OR ((",
    "NEAR(cocaine policia, 2)",
    "folded_title:cocaine",
    "cocaine' OR 1=1 --",
    "cocaine & | ! :* <-> ( )",
    "\\x00\x00 cocaine",
    "-cocaine",
    "^cocaine",
    "{cocaine}",
    "😀 cocaína 👮",
    "a" * 5000,
    " ".join(f"w{i}" for i in range(200)),
    "",
    "   ",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_error(records, persona_client, query):
    for target in (API, SEARCH):
        response = persona_client("national_analyst").get(target, {"q": query})
        assert response.status_code == 200, (target, query)


def test_operators_are_words_not_syntax(records, persona_client):
    assert query_terms('"cocaine" AND (policía OR *') == ["cocaine", "and", "policia", "or"]
    assert query_terms("x_y:*") == ["x", "y"]
    assert len(query_terms(" ".join(f"w{i}" for i in range(200)))) == 12
    payload = api(persona_client, "national_analyst", q='"cocaine"* ((')
    assert payload["count"] >= 1


def test_bad_facet_values_are_ignored(records, persona_client):
    payload = api(persona_client, "national_analyst", year="20x5", tlp="purple", kind="nope", state="ZZZZ")
    assert payload["count"] == 0 or payload["count"] >= 1  # answered, not an error
    page = persona_client("national_analyst").get(SEARCH, {"year": "99999999999999999999", "page": "-1"})
    assert page.status_code == 200


def test_facet_links_on_the_page_filter_and_count(records, persona_client):
    client = persona_client("national_analyst")
    page = client.get(SEARCH, {"q": "cocaine"}).content.decode()
    assert 'data-facet="crime_area"' in page and 'data-value="illegal_mining"' in page
    filtered = client.get(SEARCH, {"q": "cocaine", "crime_area": "illegal_mining"}).content.decode()
    assert "Secret cocaine corridor" in filtered
    assert "Rutas fluviales" not in filtered
    assert 'aria-current="true"' in filtered


def test_snippets_highlight_matches_and_escape_markup(world, persona_client):
    contribution = contribution_for(world, open_cycle(world), "ARG")
    report_in(world, contribution, narrative='<script>alert("x")</script> La policía incautó cocaína.')
    page = persona_client("national_analyst").get(SEARCH, {"q": "cocaina"}).content.decode()
    assert "<mark>cocaína</mark>" in page
    assert '<script>alert("x")' not in page
    parts = snippet("Operativo de la Policía en Rosario", ["policia"])
    assert ("Policía", True) in parts
    assert fold("Ação Égide ñandú") == "acao egide nandu"


def test_the_index_follows_changes_dissemination_and_deletion(world, persona_client):
    contribution = contribution_for(world, open_cycle(world), "ARG")
    report = report_in(world, contribution, tlp=TLP.AMBER, title="Minería ilegal (synthetic)")
    analyst = world.users["national_analyst"]
    services.threat_report_update(report=report, actor=analyst, title="Oro del Amazonas (synthetic)")
    assert ids(api(persona_client, "national_analyst", q="amazonas")) == {("report", report.pk)}
    assert api(persona_client, "national_analyst", q="mineria")["count"] == 0
    services.threat_report_update(
        report=report,
        actor=analyst,
        dissemination={"scope": Scope.SECRETARIAT, "tlp": TLP.RED, "states": [], "organisations": []},
    )
    assert SearchDocument.objects.get(kind="report", object_id=report.pk).tlp == TLP.RED
    report.routes.all().delete()
    report.delete()
    assert not SearchDocument.objects.filter(kind="report", object_id=report.pk).exists()
    assert api(persona_client, "national_analyst", q="amazonas")["count"] == 0


def test_reindex_is_idempotent_and_removes_stale_documents(records, persona_client):
    before = set(SearchDocument.objects.values_list("kind", "object_id", "title"))
    SearchDocument.objects.create(
        kind="report", object_id=999_999, title="ghost", folded_title="ghost", tlp="red"
    )
    SearchDocument.objects.filter(kind="report", object_id=records["visible"].pk).update(title="stale")
    out = StringIO()
    call_command("search", "reindex", stdout=out)
    assert "report 3" in out.getvalue() and "network 1" in out.getvalue()
    assert set(SearchDocument.objects.values_list("kind", "object_id", "title")) == before
    report = search_reindex()
    assert report.removed == 0 and report.indexed == {"report": 3, "network": 1, "entity": 0}
    assert ids(api(persona_client, "national_analyst", q="ghost")) == set()
    assert ("report", records["visible"].pk) in ids(api(persona_client, "national_analyst", q="fluviales"))


def test_the_page_lists_results_with_pagination(world, persona_client):
    contribution = contribution_for(world, open_cycle(world), "ARG")
    for number in range(23):
        report_in(world, contribution, title=f"Informe de cocaína {number} (synthetic)")
    client = persona_client("national_analyst")
    first = client.get(SEARCH, {"q": "informe"}).content.decode()
    assert "23 results" in first and 'rel="next"' in first
    second = client.get(SEARCH, {"q": "informe", "page": "2"}).content.decode()
    assert second.count('class="search-result"') == 3
    payload = api(persona_client, "national_analyst", q="informe", page="2")
    assert payload["count"] == 23 and payload["pages"] == 2 and len(payload["results"]) == 3
    # A page past the end is the last page: the same three results, in the same order.
    past = api(persona_client, "national_analyst", q="informe", page="9")
    assert past["count"] == 23 and past["results"] == payload["results"]
    beyond = client.get(SEARCH, {"q": "informe", "page": "9"}).content.decode()
    assert beyond.count('class="search-result"') == 3
    assert _titles(beyond) == _titles(second) and len(set(_titles(beyond))) == 3


def _titles(page: str) -> list[str]:
    return re.findall(r"Informe de cocaína \d+ \(synthetic\)", page)


def test_query_count_does_not_grow_with_results(world, persona_client, django_assert_max_num_queries):
    contribution = contribution_for(world, open_cycle(world), "ARG")
    for number in range(15):
        report_in(world, contribution, title=f"Cocaína {number} (synthetic)")
    client = persona_client("national_analyst")
    client.get(SEARCH, {"q": "cocaina"})
    with django_assert_max_num_queries(20):
        client.get(SEARCH, {"q": "cocaina"})


def test_the_backend_matches_the_database(db):
    table = "documentation_searchfts"
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [table])
            assert "remove_diacritics" in cursor.fetchone()[0]
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = %s", [f"{table[:-3]}document_vector_gin"]
            )
            assert "gin" in cursor.fetchone()[0]


def test_crime_area_and_state_names_find_records_in_every_language(records, persona_client):
    for word in ("Brésil", "Brasil", "tráfico cocaína", "trafic"):
        assert ("report", records["visible"].pk) in ids(api(persona_client, "national_analyst", q=word)), word
    # Those names find the record but the snippet shows the record's own words.
    payload = api(persona_client, "national_analyst", q="brasil")
    row = next(r for r in payload["results"] if r["id"] == records["visible"].pk and r["kind"] == "report")
    assert "Policía Federal" in row["snippet"]
