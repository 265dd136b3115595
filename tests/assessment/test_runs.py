"""Runs stored from a cycle's validated contributions: reproducible, immutable, audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from ceiba.assessment import runs
from ceiba.assessment.choices import Audience


def test_the_demo_runs_are_stored_with_hashes_and_priorities(assessment):
    run = assessment.restricted
    assert len(run.input_hash) == 64
    assert run.code_version.startswith("ceiba ")
    assert run.counts["contributions"] == 6
    assert run.priorities.count() == len(run.results["priorities"]) > 0
    assert run.tlp == "amber"


def test_running_the_same_inputs_again_gives_the_same_hash_and_numbers(assessment):
    again = runs.run_cycle(
        methodology_version=assessment.methodology,
        cycle=assessment.cycle,
        user=assessment.secretariat,
        audience=Audience.RESTRICTED,
        samples=200,
    )
    again.refresh_from_db()
    assert again.pk != assessment.restricted.pk
    assert again.input_hash == assessment.restricted.input_hash
    assert again.results == assessment.restricted.results


def test_a_run_is_immutable(assessment):
    run = assessment.restricted
    run.title = "changed"
    with pytest.raises(ValidationError):
        run.save()


def test_the_quick_plain_hash_is_the_core_content_hash(assessment):
    from ceiba.assessment import scoring

    methodology = assessment.methodology.parsed()
    inputs = runs.gather_cycle_inputs(assessment.cycle, methodology, assessment.secretariat, "restricted")
    core = scoring.run(
        methodology,
        inputs.networks,
        inputs.markets,
        inputs.geography,
        crime_areas=inputs.crime_areas,
        samples=0,
    )
    plain = scoring.run_digest_data(
        methodology,
        inputs.network_data,
        inputs.market_data,
        inputs.geography,
        inputs.crime_areas,
        (0, 0.2, 0),
    )
    assert core.input_hash == scoring.plain_hash(plain) == scoring.content_hash(plain)
    for key, record in inputs.records.items():
        if record["model"] == "network":
            network = next(n for n in inputs.networks if n.key == key)
            assert record["hash"] == scoring.content_hash(network)
