from __future__ import annotations

from types import SimpleNamespace

import pytest

from ceiba.documentation.models import AssessmentCycle

from .factories import open_cycle


@pytest.fixture
def cycle(world: SimpleNamespace) -> AssessmentCycle:
    return open_cycle(world)
