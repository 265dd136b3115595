"""Explaining a composite value: one country's value of one formula with the values put in, the
groups and indicators behind it (coverage), the result with each indicator unknown, the quadrant and
why; page and API, by hand on the small fixture, and who may read them (as the run itself)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ceiba.assessment import scoring, tables
from ceiba.common.testing.permissions import PERSONAS, permission_matrix
from tests.conftest import sign_in

from .composite_fixtures import EXPECTED, EXPECTED_QUADRANT, analyst, small_run, weighted_run
from .test_composite import BEFORE_PUBLICATION


def _page(run_pk: int, iso3: str = "ARG", formula: str = "criminality") -> str:
    return reverse("assessment:composite_explain", args=[run_pk, iso3, formula])


def _api(run_pk: int, iso3: str = "ARG", formula: str = "criminality") -> str:
    return reverse("assessment-composite-explain", args=[run_pk, iso3, formula])


test_composite_explain = permission_matrix(
    "assessment:composite_explain",
    url=lambda w: _page(small_run().pk),
    expect=BEFORE_PUBLICATION,
    default=404,
)
test_composite_explain_published = permission_matrix(
    "assessment:composite_explain:published",
    url=lambda w: _page(small_run(published=True).pk),
    expect={p: 200 for p in PERSONAS},
)
test_api_composite_explain = permission_matrix(
    "assessment-composite-explain",
    url=lambda w: _api(small_run().pk),
    expect=BEFORE_PUBLICATION,
    default=404,
)
test_api_composite_explain_published = permission_matrix(
    "assessment-composite-explain:published",
    url=lambda w: _api(small_run(published=True).pk),
    expect={p: 200 for p in PERSONAS},
)

#: ARG criminality = mean(markets score, actors score) = mean(7, 4) = 5.5, markets (8+6)/2, actors 4.
#: With cocaine_trade unknown: markets 6 → 5 (−0.5); arms_trafficking unknown: markets 8 → 6 (+0.5);
#: criminal_networks unknown: actors unknown, left out → 7 (+1.5).
ARG_CRIMINALITY = {
    "country": "ARG",
    "formula": "criminality",
    "expression": "mean(criminal_markets_score, criminal_actors_score)",
    "substituted": "mean(7, 4) = 5.5",
    "value": 5.5,
    "formulas": [
        {"code": "criminal_markets_score", "expression": "mean(criminal_markets)", "value": 7.0},
        {"code": "criminal_actors_score", "expression": "mean(criminal_actors)", "value": 4.0},
    ],
    "groups": [
        {
            "code": "criminal_markets",
            "indicators": [
                {"code": "cocaine_trade", "value": 8.0},
                {"code": "arms_trafficking", "value": 6.0},
            ],
            "mean": 7.0,
            "known": 2,
            "total": 2,
        },
        {
            "code": "criminal_actors",
            "indicators": [{"code": "criminal_networks", "value": 4.0}],
            "mean": 4.0,
            "known": 1,
            "total": 1,
        },
    ],
    "what_if_unknown": [
        {"indicator": "cocaine_trade", "value": 5.0, "move": -0.5},
        {"indicator": "arms_trafficking", "value": 6.0, "move": 0.5},
        {"indicator": "criminal_networks", "value": 7.0, "move": 1.5},
    ],
    "quadrant": "high_criminality_low_resilience",
    "typology": {
        "x": "resilience",
        "y": "criminality",
        "x_value": 4.0,
        "y_value": 5.5,
        "cutoff": 5.5,
        "x_side": "low",
        "y_side": "high",
    },
}


@pytest.mark.django_db
def test_the_explanation_reproduces_every_stored_value(world) -> None:
    run = small_run()
    methodology = run.methodology.parsed()
    table = tables.run_table_of(run)
    for index, country in enumerate(run.results["countries"]):
        for formula, stored in run.results["indices"].items():
            explanation = scoring.explain_composite(methodology, table, country, formula)
            assert explanation.value == stored[index] == EXPECTED[country][formula]
            assert explanation.quadrant == run.results["quadrant"][index] == EXPECTED_QUADRANT[country]


@pytest.mark.django_db
def test_the_api_explains_by_hand(client, world) -> None:
    run = small_run()
    body = sign_in(client, analyst()).get(_api(run.pk)).json()
    assert body == ARG_CRIMINALITY


@pytest.mark.django_db
def test_an_unknown_value_is_counted_and_its_absence_moves_nothing(client, world) -> None:
    # BRA markets score = mean(2, unknown) = 2, coverage 1/2; without cocaine_trade nothing is known.
    body = sign_in(client, analyst()).get(_api(small_run().pk, "BRA", "criminal_markets_score")).json()
    assert body["substituted"] == "mean([2, ?]) = 2"
    assert body["groups"] == [
        {
            "code": "criminal_markets",
            "indicators": [
                {"code": "cocaine_trade", "value": 2.0},
                {"code": "arms_trafficking", "value": None},
            ],
            "mean": 2.0,
            "known": 1,
            "total": 2,
        }
    ]
    assert body["formulas"] == []
    assert body["what_if_unknown"] == [
        {"indicator": "cocaine_trade", "value": None, "move": None},
        {"indicator": "arms_trafficking", "value": 2.0, "move": 0.0},
    ]
    assert body["quadrant"] == "low_criminality_high_resilience"


@pytest.mark.django_db
def test_the_page_shows_the_formula_values_and_quadrant(client, world) -> None:
    run = small_run()
    response = sign_in(client, analyst()).get(_page(run.pk, "arg"))
    assert response.status_code == 200
    moves = [(w["indicator"], w["value"], w["move"]) for w in response.context["e"]["what_if_unknown"]]
    assert moves == [
        ("cocaine_trade", 5.0, -0.5),
        ("arms_trafficking", 6.0, 0.5),
        ("criminal_networks", 7.0, 1.5),
    ]
    page = response.content.decode()
    assert "mean(7, 4) = 5.5" in page
    assert "coverage 2/2" in page and "coverage 1/1" in page
    assert "5.5000" in page and "-0.5000" in page and "1.5000" in page
    assert "is high" in page and "is low" in page
    # The results page links each value to its explanation.
    detail = client.get(reverse("assessment:composite_detail", args=[run.pk])).content.decode()
    assert f'href="{_page(run.pk, "ARG", "criminality")}"' in detail


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("iso3", "formula"), [("ZZZ", "criminality"), ("ARG", "nothing"), ("URY", "criminality")]
)
def test_an_unknown_country_or_formula_is_not_found(client, world, iso3, formula) -> None:
    run = small_run()
    sign_in(client, analyst())
    assert client.get(_page(run.pk, iso3, formula)).status_code == 404
    assert client.get(_api(run.pk, iso3, formula)).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "word"),
    [("es", "Fórmula"), ("pt", "Fórmula"), ("fr", "Formule"), ("en", "Formula")],
)
def test_the_explanation_renders_in_four_languages(client, world, language, word) -> None:
    run = small_run(published=True)
    response = client.get(_page(run.pk), headers={"accept-language": language})
    assert response.status_code == 200
    assert word in response.content.decode()


#: The weighted formula of `weighted_run` as each language writes it: a decimal comma, and then a
#: semicolon between the arguments (as spreadsheets do), so "0,35" is not read as two arguments.
WEIGHTED_BY_LANGUAGE = {
    "en": (
        "weighted(criminal_markets_score, 0.35, criminal_actors_score, 0.65)",
        "weighted(7, 0.35, 4, 0.65) = 5.05",
        "5.0500",
    ),
    **{
        language: (
            "weighted(criminal_markets_score; 0,35; criminal_actors_score; 0,65)",
            "weighted(7; 0,35; 4; 0,65) = 5,05",
            "5,0500",
        )
        for language in ("es", "pt", "fr")
    },
}


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["es", "pt", "fr", "en"])
def test_the_page_writes_the_formula_numbers_in_the_language(client, world, language) -> None:
    declared, substituted, result = WEIGHTED_BY_LANGUAGE[language]
    client = sign_in(client, analyst())
    response = client.get(_page(weighted_run().pk), headers={"accept-language": language})
    assert response.status_code == 200
    page = response.content.decode()
    assert f"<code>criminality = {declared}</code>" in page
    assert f'<code data-testid="substituted">{substituted}</code>' in page
    assert f'<dd data-testid="value">{result}</dd>' in page


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["es", "pt", "fr", "en"])
def test_the_api_keeps_the_formula_as_declared_whatever_the_language(client, world, language) -> None:
    """The API's text is the methodology's own notation (decimal point, comma between arguments),
    like its JSON numbers: the same in every language, so a client may parse it."""
    client = sign_in(client, analyst())
    body = client.get(_api(weighted_run().pk), headers={"accept-language": language}).json()
    assert body["expression"] == WEIGHTED_BY_LANGUAGE["en"][0]
    assert body["substituted"] == WEIGHTED_BY_LANGUAGE["en"][1]
    assert body["value"] == pytest.approx(5.05)


@pytest.mark.parametrize(
    ("language", "text", "shown"),
    [
        ("es", "0.5 * index_2 - 1.25e3 + max(a1, 2)", "0,5 * index_2 - 1250 + max(a1; 2)"),
        ("fr", "mean([2.5, ?]) = .5", "mean([2,5; ?]) = 0,5"),
        ("en", "mean([2.5, ?]) = .5", "mean([2.5, ?]) = 0.5"),
    ],
)
def test_the_formula_filter_changes_only_numbers_and_argument_commas(language, text, shown) -> None:
    """Names keep their digits; a number keeps its digits and takes the language's separator."""
    from django.utils import translation

    from ceiba.assessment.templatetags.assessment_explain import formula

    with translation.override(language):
        assert formula(text) == shown
