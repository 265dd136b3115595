"""The runs API: lists as the policy allows, a run started with field errors on bad input, results
that name only the networks the caller may see, and the priority workflow."""

from __future__ import annotations

import json

from django.test import Client
from django.urls import reverse

from ceiba.assessment.choices import PriorityListStatus
from ceiba.assessment.models import AssessmentRun
from ceiba.common.access import restrict
from ceiba.core import services as core_services
from ceiba.documentation.models import CriminalNetwork

from ..conftest import ENGLISH
from ..documentation.factories import open_cycle


def token_client(user) -> Client:
    _instance, key = core_services.api_token_create(user=user, name="tests")
    return Client(headers={**ENGLISH, "authorization": f"Token {key}"})


def test_without_a_token_only_published_runs_are_listed(assessment):
    body = Client(headers=ENGLISH).get(reverse("assessment-run-list")).json()
    assert [r["id"] for r in body["results"]] == [assessment.public.pk]
    assert body["count"] == 1
    response = Client(headers=ENGLISH).get(reverse("assessment-run-detail", args=[assessment.restricted.pk]))
    assert response.status_code == 404
    assert response.json()["detail"] == "Not found, or not shared with you."


def test_the_secretariat_lists_and_reads_runs_with_their_hashes(assessment):
    client = token_client(assessment.secretariat)
    body = client.get(reverse("assessment-run-list"), {"audience": "restricted"}).json()
    assert [r["id"] for r in body["results"]] == [assessment.restricted.pk]
    run = client.get(reverse("assessment-run-detail", args=[assessment.restricted.pk])).json()
    assert run["input_hash"] == assessment.restricted.input_hash
    assert run["tlp"] == "amber" and run["methodology"]["code"] == assessment.methodology.code
    assert run["counts"]["contributions"] == 6


def test_run_freeze_and_hand_over_through_the_api(assessment):
    client = token_client(assessment.secretariat)
    response = client.post(
        reverse("assessment-run-list"),
        {"cycle": assessment.cycle.pk, "methodology": assessment.methodology.pk, "samples": 30, "seed": 3},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    run = AssessmentRun.objects.get(pk=response.json()["id"])
    assert run.samples == 30 and run.seed == 3 and run.audience == "restricted"

    results = client.get(reverse("assessment-run-results", args=[run.pk])).json()
    assert results["hidden_networks"] == 0 and len(results["networks"]) == run.counts["networks"]
    assert set(results["levels"]) == {"region", "subregion", "state"}
    assert results["sensitivity"]["samples"] == 30
    top = results["priorities"][0]
    assert top["rank"] == 1 and 0 <= top["stability"] <= 1
    assert results["ranking"][0]["stability"] is not None
    assert sum(results["bands"].values()) == run.counts["networks"]

    priorities = client.get(reverse("assessment-run-priorities", args=[run.pk])).json()
    assert [p["rank"] for p in priorities] == sorted(p["rank"] for p in priorities)
    detail = reverse("assessment-priority-detail", args=[priorities[0]["id"]])
    response = client.patch(detail, {"rationale": "Agreed (synthetic)."}, content_type="application/json")
    assert response.status_code == 200 and response.json()["rationale"] == "Agreed (synthetic)."
    response = client.patch(detail, {"rationale": "  "}, content_type="application/json")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "rationale"

    assert client.post(reverse("assessment-run-hand-over", args=[run.pk])).status_code == 400
    response = client.post(reverse("assessment-run-freeze", args=[run.pk]))
    assert response.status_code == 200 and response.json()["priorities_status"] == PriorityListStatus.FROZEN
    refused = client.patch(detail, {"rationale": "Too late."}, content_type="application/json")
    assert refused.status_code == 400 and "frozen" in refused.json()["detail"]
    response = client.post(reverse("assessment-run-hand-over", args=[run.pk]))
    assert response.status_code == 200 and response.json()["priorities_status"] == "handed_over"


def test_a_cycle_without_validated_contributions_is_a_400_with_the_field_and_no_run(assessment):
    empty = open_cycle(assessment.world, "Empty cycle (synthetic)")
    before = AssessmentRun.objects.count()
    response = token_client(assessment.secretariat).post(
        reverse("assessment-run-list"),
        {"cycle": empty.pk, "methodology": assessment.methodology.pk, "samples": 10},
        content_type="application/json",
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors[0]["field"] == "cycle" and "no validated contribution" in errors[0]["message"]
    assert AssessmentRun.objects.count() == before


def test_bad_fields_are_named(assessment):
    response = token_client(assessment.secretariat).post(
        reverse("assessment-run-list"),
        {"cycle": 999999, "methodology": assessment.methodology.pk, "samples": 6000, "audience": "everyone"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert {e["field"] for e in response.json()["errors"]} == {"cycle", "samples", "audience"}


def test_results_name_only_the_networks_the_caller_may_see(assessment):
    delegate = assessment.world.users["committee_delegate@other_state"]
    run = assessment.restricted
    response = token_client(delegate).get(reverse("assessment-run-results", args=[run.pk]))
    assert response.status_code == 200
    body = response.json()
    pks = [r["pk"] for r in run.inputs["records"].values() if r["model"] == "network"]
    visible = {
        f"N{pk}" for pk in restrict(CriminalNetwork, delegate).filter(pk__in=pks).values_list("pk", flat=True)
    }
    assert {n["key"] for n in body["networks"]} == visible
    assert body["hidden_networks"] == len(pks) - len(visible) > 0
    text = json.dumps(body)
    for record in run.inputs["records"].values():
        if record["model"] == "network" and f"N{record['pk']}" not in visible:
            assert f'"N{record["pk"]}"' not in text
            assert CriminalNetwork.objects.get(pk=record["pk"]).alias not in text
    # A delegate reads the priorities but does not edit them.
    priority = run.priorities.first()
    refused = token_client(delegate).patch(
        reverse("assessment-priority-detail", args=[priority.pk]),
        {"rationale": "Not mine to write."},
        content_type="application/json",
    )
    assert refused.status_code == 403


def test_publishing_a_public_run(assessment):
    from ceiba.assessment import runs

    draft = runs.run_cycle(
        methodology_version=assessment.methodology,
        cycle=assessment.cycle,
        user=assessment.secretariat,
        audience="public",
        samples=10,
    )
    client = token_client(assessment.secretariat)
    assert client.post(reverse("assessment-run-publish", args=[assessment.restricted.pk])).status_code == 400
    response = client.post(reverse("assessment-run-publish", args=[draft.pk]))
    assert response.status_code == 200 and response.json()["published_at"]
    assert Client().get(reverse("assessment-run-detail", args=[draft.pk])).status_code == 200


def test_the_schema_describes_the_runs_endpoints(world):
    schema = Client().get(reverse("api_schema"), headers={"accept": "application/json"}).json()
    paths = schema["paths"]
    for path in (
        "/api/v1/assessment/runs/",
        "/api/v1/assessment/runs/{id}/results/",
        "/api/v1/assessment/runs/{id}/hand-over/",
        "/api/v1/assessment/priorities/{id}/",
    ):
        assert path in paths, path
    assert "RunResults" in schema["components"]["schemas"]
