"""Pages of assessment runs: the list, running a cycle from the form, the run page (priorities with
their stability, scores per level, the network landscape as the viewer may see it), the priority
workflow, publication and the four languages."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from ceiba.assessment.choices import PriorityListStatus
from ceiba.assessment.models import AssessmentRun
from ceiba.common.access import restrict
from ceiba.documentation.models import CriminalNetwork

from ..conftest import ENGLISH, sign_in
from ..documentation.factories import open_cycle


def secretariat_client(assessment) -> Client:
    return sign_in(Client(headers=ENGLISH), assessment.secretariat)


def test_the_list_shows_runs_with_their_marking_and_anonymous_visitors_only_published_ones(assessment):
    html = secretariat_client(assessment).get(reverse("assessment:run_list")).content.decode()
    assert assessment.restricted.title in html and assessment.public.title in html
    assert 'class="tlp tlp-amber"' in html
    assert "Run an assessment" in html
    anonymous = Client(headers=ENGLISH).get(reverse("assessment:run_list"))
    assert anonymous.status_code == 200
    page = anonymous.content.decode()
    assert assessment.public.title in page and assessment.restricted.title not in page
    assert "Run an assessment" not in page


def test_the_navigation_leads_to_the_runs(assessment):
    html = Client(headers=ENGLISH).get(reverse("home")).content.decode()
    assert f'href="{reverse("assessment:run_list")}"' in html.split("</header>")[0]


def test_run_review_freeze_and_hand_over_from_the_pages(assessment):
    client = secretariat_client(assessment)
    form = client.get(reverse("assessment:run_create")).content.decode()
    assert assessment.cycle.name in form and "Sensitivity samples" in form
    response = client.post(
        reverse("assessment:run_create"),
        {
            "cycle": assessment.cycle.pk,
            "methodology": assessment.methodology.pk,
            "audience": "restricted",
            "title": "Second look (synthetic)",
            "samples": 50,
            "spread": 0.2,
            "seed": 7,
        },
    )
    run = AssessmentRun.objects.get(title="Second look (synthetic)")
    assert response.status_code == 302 and response["Location"] == reverse(
        "assessment:run_detail", args=[run.pk]
    )
    assert run.samples == 50 and run.seed == 7 and run.created_by == assessment.secretariat
    page = client.get(response["Location"]).content.decode()
    assert "The run is stored" in page
    assert run.input_hash in page and run.code_version in page
    assert "TLP:AMBER" in page
    assert "50 sensitivity samples" in page and "±20%" in page and "(seed 7)" in page
    first = run.priorities.order_by("rank").first()
    assert first.crime_area.name in page
    # The stability of each item, beside it: a percentage and a bar.
    item = page.split(f'id="priority-{first.rank}"')[1].split("</li>")[0]
    assert f"{round(first.probability * 100)}%" in item
    assert re.search(r'<meter [^>]*value="[0-9.]+"', item)
    assert f"/assessment/runs/{run.pk}/explain/area/{first.crime_area.code}/region/region/" in item
    # Scores link to their explanation; the tables name the crime areas and the states.
    assert re.search(rf"/assessment/runs/{run.pk}/explain/network/N\d+/", page)
    assert "Crime areas by subregion" in page and "Southern Cone" in page
    assert "Crime areas by state" in page and "Argentina" in page
    assert "Regional ranking of crime areas" in page

    rationale = reverse("assessment:priority_rationale", args=[run.pk, first.pk])
    response = client.post(rationale, {f"p{first.pk}-rationale": "Agreed by the analysts (synthetic)."})
    assert response.status_code == 302
    first.refresh_from_db()
    assert (
        first.rationale == "Agreed by the analysts (synthetic)."
        and first.updated_by == assessment.secretariat
    )
    assert "is saved" in client.get(reverse("assessment:run_detail", args=[run.pk])).content.decode()

    client.post(reverse("assessment:priorities_freeze", args=[run.pk]))
    run.refresh_from_db()
    assert run.priorities_status == PriorityListStatus.FROZEN and run.frozen_by == assessment.secretariat
    page = client.get(reverse("assessment:run_detail", args=[run.pk])).content.decode()
    assert "The priority list is frozen" in page
    assert "<textarea" not in page and "Agreed by the analysts (synthetic)." in page

    client.post(rationale, {f"p{first.pk}-rationale": "Changed after freezing."})
    first.refresh_from_db()
    assert first.rationale == "Agreed by the analysts (synthetic)."
    assert (
        "its rationales no longer change"
        in client.get(reverse("assessment:run_detail", args=[run.pk])).content.decode()
    )

    client.post(reverse("assessment:priorities_hand_over", args=[run.pk]))
    run.refresh_from_db()
    assert run.priorities_status == PriorityListStatus.HANDED_OVER
    page = client.get(reverse("assessment:run_detail", args=[run.pk])).content.decode()
    assert "handed over to the committee" in page and "Hand over to the committee</button>" not in page


def test_a_cycle_without_validated_contributions_is_refused_on_the_form(assessment):
    empty = open_cycle(assessment.world, "Empty cycle (synthetic)")
    before = AssessmentRun.objects.count()
    response = secretariat_client(assessment).post(
        reverse("assessment:run_create"),
        {
            "cycle": empty.pk,
            "methodology": assessment.methodology.pk,
            "audience": "restricted",
            "samples": 10,
            "spread": 0.2,
            "seed": 0,
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "has no validated contribution to assess" in html
    assert 'class="field has-error"' in html
    assert AssessmentRun.objects.count() == before


def test_out_of_range_samples_are_named_on_the_form(assessment):
    response = secretariat_client(assessment).post(
        reverse("assessment:run_create"),
        {"cycle": assessment.cycle.pk, "methodology": assessment.methodology.pk, "audience": "public",
         "samples": 9000, "spread": 0.2, "seed": 0},
    )  # fmt: skip
    assert response.status_code == 400
    assert "less than or equal to 5000" in response.content.decode()


def test_a_delegate_sees_only_networks_shared_with_them_and_a_count_of_the_others(assessment):
    delegate = assessment.world.users["committee_delegate@other_state"]
    run = assessment.restricted
    client = sign_in(Client(headers=ENGLISH), delegate)
    page = client.get(reverse("assessment:run_detail", args=[run.pk])).content.decode()
    records = {k: r for k, r in run.inputs["records"].items() if r["model"] == "network"}
    visible = set(restrict(CriminalNetwork, delegate).filter(pk__in=[r["pk"] for r in records.values()]))
    hidden = [CriminalNetwork.objects.get(pk=r["pk"]) for r in records.values() if r["tlp"] == "amber"]
    assert hidden and visible
    for network in hidden:
        assert network not in visible
        assert network.alias not in page
        assert f"/explain/network/N{network.pk}/" not in page
    for network in visible:
        assert network.alias in page
    assert f"{len(records) - len(visible)} more networks you may not see" in page
    # No workflow for the committee.
    assert "<textarea" not in page and "Freeze the list" not in page


def test_the_secretariat_sees_every_network_of_a_restricted_run(assessment):
    page = (
        secretariat_client(assessment)
        .get(reverse("assessment:run_detail", args=[assessment.restricted.pk]))
        .content.decode()
    )
    assert "more networks you may not see" not in page
    assert page.count("/explain/network/N") >= assessment.restricted.counts["networks"]


def test_publishing_a_public_run_from_its_page(assessment):
    from ceiba.assessment import runs

    draft = runs.run_cycle(
        methodology_version=assessment.methodology,
        cycle=assessment.cycle,
        user=assessment.secretariat,
        audience="public",
        title="Public draft (synthetic)",
        samples=10,
    )
    anonymous = Client(headers=ENGLISH)
    assert anonymous.get(reverse("assessment:run_detail", args=[draft.pk])).status_code == 404
    client = secretariat_client(assessment)
    assert (
        "Publish this run" in client.get(reverse("assessment:run_detail", args=[draft.pk])).content.decode()
    )
    client.post(reverse("assessment:run_publish", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.published_at is not None
    assert anonymous.get(reverse("assessment:run_detail", args=[draft.pk])).status_code == 200


TRANSLATED = {
    "es": ("Prioridades recomendadas", "Estabilidad"),
    "pt": ("Prioridades recomendadas", "Estabilidade"),
    "en": ("Recommended priorities", "Stability"),
    "fr": ("Priorités recommandées", "Stabilité"),
}


@pytest.mark.parametrize("language", list(TRANSLATED))
def test_the_run_page_renders_in_each_language(assessment, language):
    client = sign_in(Client(headers={"accept-language": language}), assessment.secretariat)
    response = client.get(reverse("assessment:run_detail", args=[assessment.restricted.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    for word in TRANSLATED[language]:
        assert word in html, (language, word)


def test_the_list_and_the_run_page_make_a_fixed_number_of_queries(assessment):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ceiba.assessment import runs

    client = secretariat_client(assessment)
    run_page = reverse("assessment:run_detail", args=[assessment.restricted.pk])

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = count(reverse("assessment:run_list")), count(run_page)
    for audience in ("restricted", "public"):
        runs.run_cycle(
            methodology_version=assessment.methodology,
            cycle=assessment.cycle,
            user=assessment.secretariat,
            audience=audience,
            samples=0,
        )
    assert (count(reverse("assessment:run_list")), count(run_page)) == before
    assert before[1] < 40


def test_a_composite_index_run_shows_its_countries_and_indices(assessment):
    from ceiba.assessment import runs
    from ceiba.assessment.models import IndicatorTable

    table = IndicatorTable.objects.create(
        name="Index table (synthetic)",
        methodology=assessment.methodology,
        content={"indicators": ["cocaine_trade", "law_enforcement"], "rows": {"ARG": [5, 6], "BRA": [7, 4]}},
    )
    run = runs.run_table(methodology_version=assessment.methodology, table=table, user=assessment.secretariat)
    client = secretariat_client(assessment)
    assert "Index table (synthetic)" in client.get(reverse("assessment:run_list")).content.decode()
    page = client.get(reverse("assessment:run_detail", args=[run.pk])).content.decode()
    assert "Composite index" in page and "Argentina" in page and "criminality" in page
    assert "Recommended priorities" not in page
    body = client.get(reverse("assessment-run-results", args=[run.pk])).json()
    assert body["composite"]["countries"] == ["ARG", "BRA"] and body["networks"] == []
