"""Composite indices over an imported table: a hand-computed fixture (three countries), the results
page with the typology and its chart, publication, who sees a composite run, the API, the demo."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from ceiba.assessment import runs, scoring
from ceiba.assessment.composite_demo import TABLE_NAME, load_composite_demo
from ceiba.assessment.models import AssessmentRun, IndicatorTable
from ceiba.common.testing.permissions import PERSONAS, permission_matrix
from tests.conftest import sign_in

from .composite_fixtures import EXPECTED, EXPECTED_QUADRANT, analyst, small_run, small_table

#: An unpublished composite run: the secretariat and committee delegates; nobody else knows it exists.
BEFORE_PUBLICATION = {
    "secretariat_admin": 200,
    "secretariat_analyst": 200,
    "committee_delegate@other_state": 200,
}

test_composite_detail = permission_matrix(
    "assessment:composite_detail",
    url=lambda w: reverse("assessment:composite_detail", args=[small_run().pk]),
    expect=BEFORE_PUBLICATION,
    default=404,
)
test_composite_detail_published = permission_matrix(
    "assessment:composite_detail:published",
    url=lambda w: reverse("assessment:composite_detail", args=[small_run(published=True).pk]),
    expect={p: 200 for p in PERSONAS},
)
test_composite_publish = permission_matrix(
    "assessment:composite_publish",
    url=lambda w: reverse("assessment:composite_publish", args=[small_run().pk]),
    method="post",
    expect={"anonymous": 302, "secretariat_admin": 302, "secretariat_analyst": 302},
    default=403,
)
test_api_composite = permission_matrix(
    "assessment-composite-detail",
    url=lambda w: reverse("assessment-composite-detail", args=[small_run().pk]),
    expect=BEFORE_PUBLICATION,
    default=404,
)
test_api_composite_published = permission_matrix(
    "assessment-composite-detail:published",
    url=lambda w: reverse("assessment-composite-detail", args=[small_run(published=True).pk]),
    expect={p: 200 for p in PERSONAS},
)


@pytest.mark.django_db
def test_the_hand_computed_fixture(world) -> None:
    run = small_run()
    results = run.results
    assert results["countries"] == ["ARG", "BRA", "CHL"]
    for index, country in enumerate(results["countries"]):
        for formula, value in EXPECTED[country].items():
            assert results["indices"][formula][index] == pytest.approx(value, abs=1e-12), (country, formula)
        assert results["quadrant"][index] == EXPECTED_QUADRANT[country]
    # Recomputed from the stored inputs, the same numbers and the same hash.
    methodology = run.methodology.parsed()
    rows = [
        {"country": c, **dict(zip(run.inputs["columns"], values, strict=True))}
        for c, values in zip(run.inputs["countries"], run.inputs["values"], strict=True)
    ]
    table = scoring.country_table(methodology, rows, known_countries=run.inputs["countries"])
    again = scoring.composite_index(methodology, table)
    assert list(again.indices["criminality"]) == results["indices"]["criminality"]
    assert run.audience == "public" and run.published_at is None


@pytest.mark.django_db
def test_the_results_page_sorts_places_and_charts(client, world) -> None:
    run = small_run()
    response = sign_in(client, analyst()).get(reverse("assessment:composite_detail", args=[run.pk]))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [r["iso3"] for r in rows] == ["CHL", "ARG", "BRA"]  # criminality, highest first
    assert rows[1]["by_formula"]["criminality"] == 5.5 and rows[1]["quadrant"] == EXPECTED_QUADRANT["ARG"]
    page = response.content.decode()
    assert "High criminality, low resilience" in page and "5.75" in page
    spec_text = page.split(f'id="composite-{run.pk}" type="application/json">')[1].split("</script>")[0]
    spec = json.loads(spec_text)
    rules = [layer for layer in spec["layer"] if layer["mark"]["type"] == "rule"]
    assert [layer["data"]["values"][0]["cutoff"] for layer in rules] == [5.5, 5.5]
    assert {"x", "y"} == {next(iter(layer["encoding"])) for layer in rules}
    assert "ceiba/js/charts.js" in page and "<script>" not in page  # no inline script (CSP)
    by_resilience = client.get(reverse("assessment:composite_detail", args=[run.pk]) + "?sort=resilience")
    assert [r["iso3"] for r in by_resilience.context["rows"]] == ["BRA", "CHL", "ARG"]


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "separator"), [("es", ","), ("pt", ","), ("fr", ","), ("en", ".")])
def test_the_results_page_writes_values_and_cut_off_in_the_language(
    client, world, language, separator
) -> None:
    run = small_run()
    page = (
        sign_in(client, analyst())
        .get(reverse("assessment:composite_detail", args=[run.pk]), headers={"accept-language": language})
        .content.decode()
    )
    assert f">5{separator}75</a></td>" in page  # CHL resilience
    assert f" 5{separator}5 (" in page  # the typology's cut-off
    assert f">5{'.' if separator == ',' else ','}75</a></td>" not in page


@pytest.mark.django_db
def test_publishing_makes_the_run_public(client, world) -> None:
    run = small_run()
    assert client.get(reverse("assessment:composite_detail", args=[run.pk])).status_code == 404
    sign_in(client, analyst())
    page = client.get(reverse("assessment:composite_detail", args=[run.pk])).content.decode()
    assert "Publish" in page
    response = client.post(reverse("assessment:composite_publish", args=[run.pk]))
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.published_at is not None
    client.logout()
    assert client.get(reverse("assessment:composite_detail", args=[run.pk])).status_code == 200


@pytest.mark.django_db
def test_a_cycle_run_is_not_a_composite_page(client, world) -> None:
    # Only table runs have a composite page; another run's number answers "not found".
    assert client.get(reverse("assessment:composite_detail", args=[999999])).status_code == 404


@pytest.mark.django_db
def test_the_api_gives_the_results(client, world) -> None:
    run = small_run(published=True)
    body = client.get(reverse("assessment-composite-detail", args=[run.pk])).json()
    assert body["results"]["quadrant"] == [EXPECTED_QUADRANT[c] for c in ("ARG", "BRA", "CHL")]
    assert body["input_hash"] == run.input_hash


@pytest.mark.django_db
def test_running_twice_gives_the_same_hash(world) -> None:
    table = small_table()
    first = runs.run_table(methodology_version=table.methodology, table=table, user=analyst())
    second = runs.run_table(methodology_version=table.methodology, table=table, user=analyst())
    assert first.input_hash == second.input_hash and first.results == second.results


@pytest.mark.django_db
def test_the_demo_is_synthetic_published_and_idempotent(client, world) -> None:
    run = load_composite_demo()
    assert run is not None and run.published_at is not None
    table = IndicatorTable.objects.get(name=TABLE_NAME)
    assert "Synthetic" in table.source and len(table.content["rows"]) >= 18
    assert load_composite_demo() == run
    assert AssessmentRun.objects.filter(indicator_table=table).count() == 1
    assert IndicatorTable.objects.filter(name=TABLE_NAME).count() == 1
    assert client.get(reverse("assessment:composite_detail", args=[run.pk])).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "word"),
    [("es", "Criminalidad"), ("pt", "Criminalidade"), ("fr", "Criminalité"), ("en", "Criminality")],
)
def test_the_results_render_in_four_languages(client, world, language, word) -> None:
    run = small_run(published=True)
    response = client.get(
        reverse("assessment:composite_detail", args=[run.pk]), headers={"accept-language": language}
    )
    assert response.status_code == 200
    assert word in response.content.decode()
