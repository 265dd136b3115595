"""Additions to the small cycle for the progress tests (nothing in `small_cycle` changes): an action
led by Argentina as a state (so its focal point leads it) with two KPIs, and helpers for files."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from ceiba.policy.choices import ActionStatus, KpiUnit
from ceiba.policy.models import Kpi, OperationalAction

from .factories import small_cycle


def _saved(obj: Any) -> Any:
    obj.full_clean()
    obj.save()
    return obj


def progress_cycle(world: SimpleNamespace) -> SimpleNamespace:
    """The small cycle (built once per test) plus `state_action`, led by Argentina alone."""
    cached = getattr(world, "_progress_cycle", None)
    if cached is not None:
        return cached
    policy = small_cycle(world)
    plan = policy.plans[0]
    action = _saved(
        OperationalAction(
            plan=plan,
            code="TC-P1-OA3",
            title="National seizures campaign (synthetic)",
            leader_state=world.arg,
            starts_on=plan.starts_on,
            ends_on=plan.ends_on,
            status=ActionStatus.ONGOING,
            weight=Decimal(2),
        )
    )
    _saved(Kpi(action=action, code="K1", name="Operations (synthetic)", unit=KpiUnit.OPERATIONS, target=10))
    _saved(Kpi(action=action, code="K2", name="Seized (synthetic)", unit=KpiUnit.KILOGRAMS, target=500))
    policy.state_action = action
    world._progress_cycle = policy
    return policy


HEADER = (
    "action_code,period_start,period_end,status,progress,narrative,kpi_code,kpi_value,kpi_unit,tlp,scope\n"
)


def csv_file(*lines: str, name: str = "progress.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (HEADER + "\n".join(lines) + "\n").encode(), content_type="text/csv")


def period(year_offset: int = 0) -> tuple[str, str]:
    year = dt.date.today().year + year_offset
    return f"{year}-07-01", f"{year}-09-30"
