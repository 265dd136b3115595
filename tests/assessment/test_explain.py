"""Explain every number and compare two runs: the pages and the API show the stored results, the
formula with its values, the inputs the viewer may see (the rest counted, never named) and the move
of each input if it were unknown; comparisons list what moved and why."""

from __future__ import annotations

import math

import numpy as np
import pytest
from django.test import Client
from django.urls import reverse

from ceiba.assessment import methodology_store, runs, scoring
from ceiba.assessment.models import AssessmentRun
from ceiba.documentation.models import CriminalNetwork
from tests.conftest import sign_in


def client_for(world, persona: str, language: str = "en") -> Client:
    return sign_in(Client(headers={"accept-language": language}), world.users[persona])


def network_url(run, key: str) -> str:
    return reverse("assessment:explain_network", args=[run.pk, key])


def area_url(run, code: str, level: str = "region", place: str = "region") -> str:
    return reverse("assessment:explain_area", args=[run.pk, code, level, place])


def stored_network(run, key: str) -> dict:
    return next(n for n in run.results["networks"] if n["key"] == key)


def stored_area_score(run, code: str, level: str = "region", place: str = "region") -> float:
    level_results = run.results["levels"][level]
    return level_results["score"][run.results["areas"].index(code)][level_results["places"].index(place)]


def formula_terms(run, key: str) -> list[tuple[float, float]]:
    """(weight, normalised value) of each indicator known for the network, in the methodology's order:
    the terms its explanation's formula writes."""
    methodology = run.methodology.parsed()
    scores = next(n["scores"] for n in run.inputs["networks"] if n["key"] == key)
    span = methodology.scale_max - methodology.scale_min
    return [
        (indicator.weight, (scores[indicator.code] - methodology.scale_min) / span)
        for indicator in methodology.actor_indicators
        if scores.get(indicator.code) is not None
    ]


def network_with_unknowns(run) -> str:
    """A counted network with at least one unknown indicator."""
    indicators = len(run.methodology.parsed().actor_indicators)
    return next(n["key"] for n in run.results["networks"] if n["included"] and n["known"] < indicators)


def hidden_network(run, user) -> str:
    """A counted network of the run that `user` may not see."""
    visible = runs.visible_network_keys(run, user)
    return next(n["key"] for n in run.results["networks"] if n["included"] and n["key"] not in visible)


def crime_area_of(run, key: str) -> str:
    return next(n["crime_areas"][0] for n in run.inputs["networks"] if n["key"] == key)


# --- one network --------------------------------------------------------------------------------


def test_the_network_page_shows_the_stored_numbers_and_the_formula_with_its_values(assessment):
    run = assessment.restricted
    key = network_with_unknowns(run)
    stored = stored_network(run, key)
    html = client_for(assessment.world, "secretariat_analyst").get(network_url(run, key)).content.decode()
    assert f'<strong id="network-score">{stored["score"]:.3f}</strong>' in html
    assert f"{stored['coverage'] * 100:.1f} %" in html
    assert stored["band"].replace("_", " ").capitalize() in html
    alias = CriminalNetwork.objects.get(pk=run.inputs["records"][key]["pk"]).alias
    assert alias in html
    assert reverse("documentation:network_detail", args=[run.inputs["records"][key]["pk"]]) in html
    assert run.inputs["records"][key]["grading"] in html
    # The formula: each known indicator as weight × normalised value, then the result.
    for weight, normalised in formula_terms(run, key):
        assert f"{weight:.2f} × {normalised:.3f}" in html
    assert f"= <strong data-score>{stored['score']:.3f}</strong>" in html
    # Unknown indicators are listed as unknown, never as zero.
    assert "Unknown: left out, not counted as zero" in html


def test_the_network_api_equals_the_stored_results(assessment):
    run = assessment.restricted
    key = network_with_unknowns(run)
    stored = stored_network(run, key)
    data = (
        client_for(assessment.world, "secretariat_analyst")
        .get(reverse("assessment-explain-network", args=[run.pk, key]))
        .json()
    )
    assert data["score"] == stored["score"]
    assert data["coverage"] == stored["coverage"]
    assert data["band"] == stored["band"]
    assert data["confidence"] == stored["confidence"]
    assert data["included"] == stored["included"]
    assert data["grading"] == run.inputs["records"][key]["grading"]
    unknown = [row for row in data["inputs"] if not row["known"]]
    assert unknown and all(row["normalised"] is None and row["if_unknown"] is None for row in unknown)
    assert math.isclose(sum(row["share"] or 0 for row in data["inputs"]), stored["score"], rel_tol=1e-12)


def test_the_if_unknown_move_of_a_network_indicator_equals_scoring_without_it(assessment):
    run = assessment.restricted
    key = network_with_unknowns(run)
    data = (
        client_for(assessment.world, "secretariat_analyst")
        .get(reverse("assessment-explain-network", args=[run.pk, key]))
        .json()
    )
    row = next(r for r in data["inputs"] if r["known"])
    rebuilt = runs.rebuild(run)
    network = next(n for n in rebuilt.networks if n.key == key)
    without = scoring.NetworkInput(
        key=key,
        scores={**network.scores, row["code"]: None},
        crime_areas=network.crime_areas,
        states=network.states,
        confidence=network.confidence,
    )
    table = scoring.network_table(rebuilt.methodology, [without], rebuilt.geography)
    again = float(scoring.score_networks(rebuilt.methodology, table).score[0])
    assert math.isclose(row["if_unknown"], again - data["score"], abs_tol=1e-12)


def test_a_network_the_viewer_may_not_see_is_not_found_and_only_counted_on_the_area_page(assessment):
    run, world = assessment.restricted, assessment.world
    delegate = world.users["committee_delegate@other_state"]
    key = hidden_network(run, delegate)
    alias = CriminalNetwork.objects.get(pk=run.inputs["records"][key]["pk"]).alias
    client = client_for(world, "committee_delegate@other_state")
    assert client.get(network_url(run, key)).status_code == 404
    assert client.get(reverse("assessment-explain-network", args=[run.pk, key])).status_code == 404
    code = crime_area_of(run, key)
    response = client.get(area_url(run, code))
    html = response.content.decode()
    assert response.status_code == 200
    assert alias not in html and network_url(run, key) not in html
    assert "counted network you may not see" in html or "counted networks you may not see" in html
    data = client.get(reverse("assessment-explain-area", args=[run.pk, code, "region", "region"])).json()
    assert data["networks"]["counted_hidden"] >= 1
    assert key not in {row["key"] for row in data["networks"]["counted"]}
    assert f'"{key}"' not in response.content.decode()
    # The secretariat sees it named.
    assert alias in client_for(world, "secretariat_analyst").get(area_url(run, code)).content.decode()


def test_a_run_is_rebuilt_once_and_each_viewer_still_sees_only_what_they_may(assessment, monkeypatch):
    """The explain pages keep the rebuilt run (one computation per run and process), never the
    filtering: a second viewer of the same kept run gets their own view; another run its own entry."""
    run, public, world = assessment.restricted, assessment.public, assessment.world
    calls: list[int] = []
    real = runs.rebuild

    def counting(rebuilt_run):
        calls.append(rebuilt_run.pk)
        return real(rebuilt_run)

    monkeypatch.setattr(runs, "rebuild", counting)
    delegate = world.users["committee_delegate@other_state"]
    key = hidden_network(run, delegate)
    alias = CriminalNetwork.objects.get(pk=run.inputs["records"][key]["pk"]).alias
    code = crime_area_of(run, key)
    analyst = client_for(world, "secretariat_analyst")
    first = analyst.get(area_url(run, code)).content.decode()
    assert alias in first
    assert alias in analyst.get(area_url(run, code)).content.decode()
    assert analyst.get(network_url(run, key)).status_code == 200
    assert calls == [run.pk]  # the second page and the network page did not rebuild the run
    # Another viewer, same kept run: the network they may not see stays hidden.
    other = client_for(world, "committee_delegate@other_state")
    assert other.get(network_url(run, key)).status_code == 404
    hidden = other.get(area_url(run, code))
    assert hidden.status_code == 200 and alias not in hidden.content.decode()
    assert calls == [run.pk]
    # A different run is rebuilt on its own and does not share the entry.
    public_code = public.results["areas"][0]
    assert analyst.get(area_url(public, public_code)).status_code == 200
    assert calls == [run.pk, public.pk]
    assert runs.rebuilt(run) is not runs.rebuilt(public)
    assert runs.rebuilt(public).networks == runs.rebuild(public).networks
    assert runs.rebuilt(run).networks == real(run).networks
    assert calls == [run.pk, public.pk, public.pk]  # only the direct `rebuild` call above computed


def test_the_kept_runs_are_bounded_and_keyed_by_the_stored_hashes(assessment, monkeypatch):
    run = assessment.restricted
    first = runs.rebuilt(run)
    assert runs.rebuilt(run) is first
    # The same id with other stored hashes (e.g. a test database reusing an id) is another entry.
    changed = AssessmentRun.objects.get(pk=run.pk)
    changed.input_hash = "0" * 64
    assert runs.rebuilt(changed) is not first
    monkeypatch.setattr(runs, "REBUILT_CACHE_SIZE", 1)
    runs.rebuilt(assessment.public)
    assert runs.rebuilt(run) is not first  # pushed out by the public run, rebuilt again


def test_a_network_of_the_run_is_not_found_under_another_key_or_run_kind(assessment):
    client = client_for(assessment.world, "secretariat_analyst")
    assert client.get(network_url(assessment.restricted, "N999999")).status_code == 404
    assert client.get(network_url(assessment.restricted, "R1")).status_code == 404


# --- one crime-area score -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "place"), [("region", "region"), ("subregion", "andean"), ("state", "ARG")]
)
def test_the_area_page_and_api_show_the_stored_score(assessment, level, place):
    run = assessment.restricted
    client = client_for(assessment.world, "secretariat_analyst")
    code = "cocaine_trafficking"
    stored = stored_area_score(run, code, level, place)
    html = client.get(area_url(run, code, level, place)).content.decode()
    data = client.get(reverse("assessment-explain-area", args=[run.pk, code, level, place])).json()
    if stored is None:
        assert data["score"] is None
    else:
        assert f'<strong id="area-score">{stored:.3f}</strong>' in html
        assert data["score"] == stored
        assert f"= <strong data-score>{stored:.3f}</strong>" in html
    level_results = run.results["levels"][level]
    coverage = level_results["coverage"][run.results["areas"].index(code)][
        level_results["places"].index(place)
    ]
    assert data["coverage"] == coverage


def test_the_if_unknown_move_of_a_market_indicator_equals_the_weighted_mean_without_it(assessment):
    run = assessment.restricted
    data = (
        client_for(assessment.world, "secretariat_analyst")
        .get(reverse("assessment-explain-area", args=[run.pk, "cocaine_trafficking", "region", "region"]))
        .json()
    )
    methodology = run.methodology.parsed()
    weights = scoring.market_weights(methodology)
    normalised = np.array([np.nan if r["normalised"] is None else r["normalised"] for r in data["inputs"]])
    for i, row in enumerate(data["inputs"]):
        if row["known"]:
            without = normalised.copy()
            without[i] = np.nan
            score, _ = scoring.weighted_mean(without, weights)
            assert math.isclose(row["if_unknown"], float(score) - data["score"], abs_tol=1e-12), row["code"]


def test_the_area_page_lists_visible_reports_and_counts_the_others(assessment):
    run, world = assessment.restricted, assessment.world
    delegate = world.users["committee_delegate@other_state"]
    visible = runs.visible_report_keys(run, delegate)
    hidden_market = next(m for m in run.inputs["markets"] if m["key"].split(":")[0] not in visible)
    code = hidden_market["crime_area"]
    data = (
        client_for(world, "committee_delegate@other_state")
        .get(reverse("assessment-explain-area", args=[run.pk, code, "region", "region"]))
        .json()
    )
    reports = data["reports"]
    assert reports["hidden"] >= 1
    assert all(row["key"] in visible for row in reports["shown"])
    assert all(row["grading"] and row["tlp"] for row in reports["shown"])
    secretariat = (
        client_for(world, "secretariat_analyst")
        .get(reverse("assessment-explain-area", args=[run.pk, code, "region", "region"]))
        .json()
    )
    assert secretariat["reports"]["hidden"] == 0
    assert secretariat["reports"]["total"] == reports["total"]


def test_the_area_page_shows_the_statistics_totals_of_the_place(assessment):
    run = assessment.restricted
    row = run.inputs["statistics"][0]
    totals = runs.statistics_totals(run)
    expected = sum(
        (
            t
            for (a, s, k, u), t in totals.items()
            if a == row["crime_area"] and s == row["state"] and k == row["kind"] and u == row["unit"]
        ),
    )
    data = (
        client_for(assessment.world, "secretariat_analyst")
        .get(reverse("assessment-explain-area", args=[run.pk, row["crime_area"], "state", row["state"]]))
        .json()
    )
    match = next(s for s in data["statistics"] if s["kind"] == row["kind"] and s["unit"] == row["unit"])
    assert match["total"] == format(expected.normalize(), "f")


@pytest.mark.parametrize(
    ("code", "level", "place"),
    [
        ("cocaine_trafficking", "country", "ARG"),
        ("cocaine_trafficking", "state", "XXX"),
        ("cocaine_trafficking", "subregion", "ARG"),
        ("cocaine_trafficking", "region", "andean"),
        ("no_such_area", "region", "region"),
    ],
)
def test_an_unknown_level_place_or_crime_area_is_not_found(assessment, code, level, place):
    client = client_for(assessment.world, "secretariat_analyst")
    run = assessment.restricted
    assert client.get(area_url(run, code, level, place)).status_code == 404
    assert (
        client.get(reverse("assessment-explain-area", args=[run.pk, code, level, place])).status_code == 404
    )


# --- two runs -----------------------------------------------------------------------------------


def compare_url(before, after, name: str = "assessment:compare", **extra: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"before": before.pk, "after": after.pk, **extra}.items())
    return f"{reverse(name)}?{query}"


def test_comparing_the_restricted_and_public_runs_lists_moves_and_changed_inputs(assessment):
    restricted, public, world = assessment.restricted, assessment.public, assessment.world
    client = client_for(world, "secretariat_analyst")
    data = client.get(compare_url(restricted, public, "assessment-compare")).json()
    assert data["moved"] > 0
    biggest = data["movements"][0]
    before = stored_area_score(restricted, biggest["crime_area"])
    after = stored_area_score(public, biggest["crime_area"])
    assert biggest["score_before"] == before and biggest["score_after"] == after
    assert math.isclose(biggest["delta"], after - before)
    assert biggest["changes"], "a move comes with the inputs that changed"
    changed = runs.changed_inputs(restricted, public)
    assert data["inputs"]["removed"]["total"] == len(changed["removed"])
    assert {r["key"] for r in data["inputs"]["removed"]["shown"]} == set(changed["removed"])
    assert data["same_methodology"] and data["weight_changes"] == []
    html = client.get(compare_url(restricted, public)).content.decode()
    assert f"{biggest['delta']:+.3f}".replace("-", "−") in html
    assert biggest["crime_area_name"] in html
    assert area_url(restricted, biggest["crime_area"]) in html
    # A delegate sees the same moves but only the removed records they may see named.
    delegate = (
        client_for(world, "committee_delegate@other_state")
        .get(compare_url(restricted, public, "assessment-compare"))
        .json()
    )
    assert delegate["movements"] == data["movements"]
    removed = delegate["inputs"]["removed"]
    assert removed["hidden"] > 0 and removed["hidden"] + len(removed["shown"]) == removed["total"]


def test_comparing_a_run_with_itself_shows_no_move(assessment):
    run = assessment.restricted
    client = client_for(assessment.world, "secretariat_analyst")
    data = client.get(compare_url(run, run, "assessment-compare", level="state", place="ARG")).json()
    assert data["moved"] == 0
    assert all(m["delta"] in (0.0, None) and not m["changes"] for m in data["movements"])
    assert all(group["total"] == 0 for group in data["inputs"].values())
    html = client.get(compare_url(run, run)).content.decode()
    assert 'id="no-move"' in html


def test_the_compare_page_offers_only_visible_runs_and_explains_bad_requests(assessment):
    restricted, public = assessment.restricted, assessment.public
    analyst = client_for(assessment.world, "national_analyst")
    html = analyst.get(reverse("assessment:compare")).content.decode()
    assert f'value="{public.pk}"' in html and f'value="{restricted.pk}"' not in html
    assert analyst.get(compare_url(restricted, public)).status_code == 404
    assert analyst.get(compare_url(public, restricted, "assessment-compare")).status_code == 404
    response = analyst.get(f"{reverse('assessment:compare')}?after={public.pk}")
    assert response.status_code == 200 and f'value="{public.pk}" selected' in response.content.decode()
    response = analyst.get(f"{reverse('assessment:compare')}?before=x&after={public.pk}")
    assert response.status_code == 400 and "Before: choose a run." in response.content.decode()
    response = analyst.get(compare_url(public, public, level="state", place="XXX"))
    assert response.status_code == 400 and "XXX" in response.content.decode()
    assert analyst.get(compare_url(public, public, "assessment-compare", level="planet")).status_code == 400


# --- four languages ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "word"), [("es", "Fórmula"), ("pt", "Fórmula"), ("en", "Formula"), ("fr", "Formule")]
)
def test_the_explanation_and_comparison_pages_render_in_each_language(assessment, language, word):
    run, public = assessment.restricted, assessment.public
    client = client_for(assessment.world, "secretariat_analyst", language)
    key = network_with_unknowns(run)
    for url in [network_url(run, key), area_url(run, "cocaine_trafficking", "subregion", "andean")]:
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200 and f'<html lang="{language}">' in html
        assert word in html
    response = client.get(compare_url(run, public))
    assert response.status_code == 200 and f'<html lang="{language}">' in response.content.decode()


@pytest.mark.parametrize(("language", "separator"), [("es", ","), ("pt", ","), ("fr", ","), ("en", ".")])
def test_the_network_formula_writes_its_weights_in_the_language(assessment, language, separator):
    run = assessment.restricted
    key = network_with_unknowns(run)
    stored = stored_network(run, key)
    html = (
        client_for(assessment.world, "secretariat_analyst", language)
        .get(network_url(run, key))
        .content.decode()
    )
    for weight, normalised in formula_terms(run, key):
        assert f"{weight:.2f} × {normalised:.3f}".replace(".", separator) in html
    assert f"= <strong data-score>{stored['score']:.3f}</strong>".replace(".", separator) in html


# --- queries ----------------------------------------------------------------------------------------


def test_the_pages_run_a_fixed_number_of_queries_whatever_the_number_of_inputs(
    assessment, django_assert_max_num_queries
):
    """The inputs behind a score are looked up in one query per kind, never one per network or
    report (the regional score of the restricted run has dozens of each)."""
    run, public = assessment.restricted, assessment.public
    client = client_for(assessment.world, "committee_delegate@other_state")
    client.get(area_url(run, "cocaine_trafficking"))  # session, language and caches warmed up
    with django_assert_max_num_queries(16):
        assert client.get(area_url(run, "cocaine_trafficking")).status_code == 200
    with django_assert_max_num_queries(21):
        assert client.get(compare_url(run, public)).status_code == 200


def test_comparing_two_methodology_versions_lists_the_weights_that_changed(assessment):
    """The same cycle scored under a second version that doubles the weight of the scale: the same
    inputs, another methodology, the weight change named beside every crime area it moved."""
    text = assessment.methodology.definition
    assert "version: 1\n" in text and "{code: scale, weight: 1.5," in text
    second = methodology_store.save_version(
        text.replace("version: 1\n", "version: 2\n").replace(
            "{code: scale, weight: 1.5,", "{code: scale, weight: 3,"
        ),
        user=assessment.admin,
        change_note="Scale weighs more (test).",
    )
    after = runs.run_cycle(
        methodology_version=second, cycle=assessment.cycle, user=assessment.secretariat, samples=0
    )
    before = assessment.restricted
    data = (
        client_for(assessment.world, "secretariat_analyst")
        .get(compare_url(before, after, "assessment-compare"))
        .json()
    )
    assert not data["same_methodology"]
    assert data["weight_changes"] == [
        {"kind": "market", "code": "scale", "label": "Scale", "before": 1.5, "after": 3.0}
    ]
    assert all(group["total"] == 0 for group in data["inputs"].values())
    moved = [m for m in data["movements"] if m["moved"]]
    assert moved
    assert all(any(c["code"] == "scale" and c["weight_after"] == 3.0 for c in m["changes"]) for m in moved)
    html = (
        client_for(assessment.world, "secretariat_analyst").get(compare_url(before, after)).content.decode()
    )
    assert "The methodology differs." in html and "Weights that differ between the methodologies" in html


def test_a_composite_index_run_is_refused_with_a_message(assessment):
    from ceiba.assessment.choices import Audience, RunKind
    from ceiba.assessment.models import AssessmentRun, IndicatorTable

    table = IndicatorTable.objects.create(name="Table (test)", methodology=assessment.methodology, content={})
    table_run = AssessmentRun.objects.create(
        kind=RunKind.TABLE,
        title="Composite index (test)",
        methodology=assessment.methodology,
        indicator_table=table,
        audience=Audience.PUBLIC,
        input_hash="0" * 64,
        methodology_hash=assessment.methodology.definition_hash,
        code_version="test",
        samples=0,
    )
    client = client_for(assessment.world, "secretariat_analyst")
    response = client.get(compare_url(assessment.restricted, table_run))
    assert response.status_code == 400
    assert "Composite index (test) is a composite index over an indicator table" in response.content.decode()
    assert client.get(compare_url(table_run, assessment.public, "assessment-compare")).status_code == 400
    assert client.get(network_url(table_run, "N1")).status_code == 404
    assert client.get(area_url(table_run, "cocaine_trafficking")).status_code == 404
