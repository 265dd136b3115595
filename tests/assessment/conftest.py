"""The assessment demo (a closed cycle with six states' validated contributions, the default
methodology, a restricted run and a published public run), loaded inside each test that asks."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest

from ceiba.assessment import runs as assessment_runs
from ceiba.assessment.choices import Audience
from ceiba.assessment.demo import CYCLE_NAME, load_assessment_demo
from ceiba.assessment.models import AssessmentRun
from ceiba.documentation.models import AssessmentCycle


@pytest.fixture(autouse=True)
def _fresh_rebuilt_runs() -> Iterator[None]:
    """Each test starts without rebuilt runs kept from another test (run ids are reused)."""
    assessment_runs.clear_rebuilt()
    yield
    assessment_runs.clear_rebuilt()


@pytest.fixture
def assessment(world: Any) -> SimpleNamespace:
    """`world` plus the demo cycle, its restricted run and its (published) public run. The
    sensitivity analysis uses 200 samples here to keep tests quick."""
    load_assessment_demo(samples=200)
    cycle = AssessmentCycle.objects.get(name=CYCLE_NAME)
    runs = AssessmentRun.objects.filter(cycle=cycle)
    return SimpleNamespace(
        world=world,
        cycle=cycle,
        restricted=runs.get(audience=Audience.RESTRICTED),
        public=runs.get(audience=Audience.PUBLIC),
        methodology=runs.first().methodology,
        secretariat=world.users["secretariat_analyst"],
        admin=world.users["secretariat_admin"],
    )
