"""Methodology definitions: the default loads, its vocabulary matches the documentation's, and every
bad definition is refused with all its problems named by path (and line, for YAML)."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
import yaml

from ceiba.assessment.methodology import (
    GRADING_SCHEME_GRADES,
    METHODOLOGIES_DIR,
    NETWORK_INDICATOR_CODES,
    MethodologyError,
    default_methodology,
    formula_issues,
    load_methodology,
    parse_methodology,
)
from ceiba.documentation import choices as documentation
from ceiba.sharing.choices import GRADING_SCHEMES

DEFAULT_YAML = (METHODOLOGIES_DIR / "ideal-ceiba-v1.yaml").read_text(encoding="utf-8")


def default_data() -> dict[str, Any]:
    return copy.deepcopy(yaml.safe_load(DEFAULT_YAML))


def issues_of(data: Any) -> dict[str, str]:
    with pytest.raises(MethodologyError) as caught:
        parse_methodology(data)
    return {issue.path: issue.message for issue in caught.value.issues}


def test_the_pure_vocabulary_is_the_documentation_vocabulary() -> None:
    assert NETWORK_INDICATOR_CODES == documentation.NETWORK_INDICATOR_CODES
    for code, scheme in GRADING_SCHEMES.items():
        reliability, credibility = GRADING_SCHEME_GRADES[code]
        assert reliability == tuple(g.code for g in scheme.reliability)
        assert credibility == tuple(g.code for g in scheme.credibility)
    assert set(GRADING_SCHEME_GRADES) == set(GRADING_SCHEMES)


def test_the_default_methodology_declares_every_network_indicator_and_the_goci_markets() -> None:
    methodology = default_methodology()
    assert methodology.name == "IDEAL-Ceiba v1"
    assert [i.code for i in methodology.actor_indicators] == list(documentation.NETWORK_INDICATOR_CODES)
    assert all(i.unknown == "exclude" and len(i.labels) == 5 for i in methodology.actor_indicators)
    assert [b.code for b in methodology.bands] == ["low", "medium", "high", "very_high"]
    assert methodology.high_threat_threshold == 0.55
    assert methodology.composite is not None
    assert set(methodology.composite.groups["criminal_markets"]) == set(documentation.GociMarket.values)


def test_the_confidence_factor_multiplies_reliability_and_credibility() -> None:
    methodology = default_methodology()
    assert methodology.confidence("admiralty", "A", "1") == 1.0
    assert methodology.confidence("admiralty", "B", "2") == pytest.approx(0.81)
    assert methodology.confidence("europol", "C", "4") == pytest.approx(0.2)


def test_json_definitions_load_too() -> None:
    methodology = load_methodology(json.dumps(default_data()))
    assert methodology == default_methodology()


def test_every_problem_is_reported_with_its_path() -> None:
    data = default_data()
    data["actor_indicators"][3]["weight"] = -1
    data["actor_indicators"][5]["code"] = "charisma"
    data["market_indicators"][2]["code"] = "weather"
    data["aggregation"]["network"]["bands"][2]["threshold"] = 0.2
    data["composite"]["formulas"]["criminality"] = "mean(criminal_markets_score, missing_group)"
    problems = issues_of(data)
    assert problems["actor_indicators[3].weight"] == "a weight cannot be negative"
    assert problems["actor_indicators[5].code"] == "unknown network indicator 'charisma'"
    assert problems["market_indicators[2].code"] == "unknown market indicator 'weather'"
    assert problems["aggregation.network.bands[2].threshold"] == "band thresholds must increase strictly"
    assert problems["composite.formulas.criminality"] == "unknown group or formula 'missing_group'"


def test_all_zero_weights_are_refused() -> None:
    data = default_data()
    for item in data["market_indicators"]:
        item["weight"] = 0
    assert issues_of(data) == {"market_indicators": "the weights cannot all be zero"}


def test_structural_errors_name_the_path() -> None:
    data = default_data()
    data["actor_indicators"][0]["weight"] = "heavy"
    data["prioritisation"]["top_n"] = 0
    del data["scale"]
    problems = issues_of(data)
    assert "actor_indicators[0].weight" in problems
    assert "prioritisation.top_n" in problems
    assert "(definition)" in problems  # the missing "scale"


def test_yaml_errors_carry_their_line() -> None:
    text = DEFAULT_YAML.replace("{code: violence, weight: 2,", "{code: violence, weight: -2,")
    line = next(n for n, row in enumerate(text.splitlines(), start=1) if "weight: -2" in row)
    with pytest.raises(MethodologyError) as caught:
        load_methodology(text)
    (issue,) = caught.value.issues
    assert (issue.path, issue.line) == ("actor_indicators[2].weight", line)
    assert f"(line {line})" in str(caught.value)


def test_a_yaml_syntax_error_is_reported_with_its_line() -> None:
    with pytest.raises(MethodologyError) as caught:
        load_methodology("code: x\nversion: [1\nname: y\n")
    assert caught.value.issues[0].line is not None


def test_known_indicators_can_be_passed_in() -> None:
    data = default_data()
    data["actor_indicators"].append({"code": "charisma", "weight": 1})
    assert parse_methodology(data, network_indicators=(*NETWORK_INDICATOR_CODES, "charisma"))
    assert "actor_indicators[11].code" in issues_of(data)


def test_grading_factors_must_cover_every_grade() -> None:
    data = default_data()
    del data["grading"]["europol"]["reliability"]["X"]
    data["grading"]["admiralty"]["credibility"]["7"] = 0.1
    data["grading"]["nato"] = {"reliability": {}, "credibility": {}}
    problems = issues_of(data)
    assert problems["grading.europol.reliability"] == "no factor for grade 'X'"
    assert problems["grading.admiralty.credibility.7"] == "unknown grade '7'"
    assert problems["grading.nato"] == "unknown grading scheme 'nato'"


def test_the_typology_must_name_formulas_and_four_quadrants() -> None:
    data = default_data()
    data["composite"]["typology"]["x"] = "wealth"
    data["composite"]["typology"]["quadrants"].pop()
    data["composite"]["typology"]["cutoff"] = 11
    problems = issues_of(data)
    assert problems["composite.typology.x"] == "'wealth' is not a formula"
    assert "composite.typology.quadrants" in problems
    assert problems["composite.typology.cutoff"] == "the cut-off must lie on the scale"


@pytest.mark.parametrize(
    ("formula", "message"),
    [
        ("mean(markets", "syntax error"),
        ("__import__('os')", "only the functions"),
        ("markets.real", "Attribute is not allowed"),
        ("markets + 1", "the group 'markets' must be reduced"),
        ("mean(markets) ** 2", "only + - * / are allowed"),
        ("mean(markets, 'a')", "only numbers are allowed"),
        ("weighted(mean(markets), -1)", "cannot be negative"),
        ("weighted(mean(markets), actors_score)", "must be numbers"),
        ("mean(markets) if 1 else 2", "IfExp is not allowed"),
        ("mean(elsewhere)", "unknown group or formula 'elsewhere'"),
    ],
)
def test_formulas_are_parsed_safely(formula: str, message: str) -> None:
    problems = formula_issues(formula, groups={"markets"}, values={"actors_score"})
    assert any(message in problem for problem in problems), problems


def test_allowed_formulas_have_no_issues() -> None:
    for formula in (
        "mean(mean(markets), actors_score)",
        "weighted(mean(markets), 2, actors_score, 1) / 2 - 0.5",
        "max(markets, actors_score) * -1 + min(markets)",
    ):
        assert formula_issues(formula, groups={"markets"}, values={"actors_score"}) == []


def test_deeply_nested_formulas_are_refused_not_crashing() -> None:
    for formula in ("-" * 100_000 + "1", "-" * 100 + "1"):
        assert formula_issues(formula, groups=set(), values=set()) == ["the formula is nested too deeply"]
    assert formula_issues("mean(" * 20 + "1" + ")" * 20, groups=set(), values=set()) == []
