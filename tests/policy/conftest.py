"""The small synthetic policy cycle of `factories.small_cycle`, built inside each test that asks."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from .factories import small_cycle


@pytest.fixture
def policy(world: Any) -> SimpleNamespace:
    return small_cycle(world)
