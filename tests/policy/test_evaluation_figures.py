"""The evaluation's figures: the pure arithmetic, and the small `policy` cycle's exact numbers as the
secretariat and as another state's analyst read them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ceiba.policy import evaluation
from ceiba.policy.evaluation_selectors import cycle_figures
from ceiba.policy.models import ProgressReport


def test_attainment_is_capped_and_works_for_lower_is_better() -> None:
    assert evaluation.attainment(0, 100, 30) == pytest.approx(0.3)
    assert evaluation.attainment(0, 100, 130) == 1.0
    assert evaluation.attainment(45, 15, 30) == pytest.approx(0.5)
    assert evaluation.attainment(45, 15, 60) == 0.0
    assert evaluation.attainment(0, 100, None) is None
    assert evaluation.share(1, 0) is None


def test_reporting_periods_follow_the_plan_from_its_start() -> None:
    action = evaluation.ActionFact(
        code="A",
        priority="P1",
        status="ongoing",
        starts_on=dt.date(2026, 2, 1),
        ends_on=dt.date(2026, 11, 30),
        plan_starts_on=dt.date(2026, 1, 1),
        reporting_months=6,
        leader=None,
    )
    assert evaluation.reporting_periods(action, dt.date(2026, 12, 31)) == [
        (dt.date(2026, 1, 1), dt.date(2026, 6, 30), dt.date(2026, 7, 30)),
        (dt.date(2026, 7, 1), dt.date(2026, 12, 31), dt.date(2026, 12, 30)),
    ]
    assert evaluation.add_months(dt.date(2026, 11, 1), 3) == dt.date(2027, 2, 1)


def _pin_filing_dates(policy) -> int:
    """The fixture files its reports "now": pin when they were filed, so the numbers are exact."""
    year = policy.cycle.starts_on.year
    filed = {policy.police_report.pk: dt.date(year, 7, 15), policy.ameripol_report.pk: dt.date(year, 9, 1)}
    for pk, day in filed.items():
        ProgressReport.objects.filter(pk=pk).update(
            created_at=timezone.make_aware(dt.datetime(day.year, day.month, day.day, 12))
        )
    return year


def test_the_small_cycle_figures_as_the_secretariat_reads_them(policy) -> None:
    year = _pin_filing_dates(policy)
    figures = cycle_figures(policy.cycle, policy.world.users["secretariat_analyst"], dt.date(year, 12, 31))
    assert figures["as_of"] == f"{year}-12-31" and figures["complete"] is True
    assert figures["actions"] == {
        "total": 4,
        "by_status": {
            "planned": 2,
            "ongoing": 2,
            "completed": 0,
            "to_be_continued": 0,
            "not_completed": 0,
            "cancelled": 0,
        },
        "completed": 0,
        "completed_share": 0.0,
    }
    assert figures["kpis"] == {"total": 4, "measured": 1, "without_value": 3, "mean_attainment": 0.3}
    assert [
        (p["code"], p["actions"], p["kpis_measured"], p["kpi_attainment"]) for p in figures["priorities"]
    ] == [
        ("P1", 2, 1, 0.3),
        ("P2", 2, 0, None),
    ]
    assert figures["reporting"] == {
        "due": 4,
        "filed": 2,
        "on_time": 1,
        "late": 1,
        "missing": 3,
        "on_time_share": 0.5,
    }
    rows = {row["name"]: row for row in figures["participation"]}
    assert list(rows) == ["Argentina", "Brazil", "AMERIPOL"]
    assert rows["Argentina"] == {
        "key": "ARG",
        "name": "Argentina",
        "kind": "state",
        "led": 2,
        "co_led": 0,
        "participated": 2,
        "reports_filed": 1,
        "on_time": 1,
        "late": 0,
        "missing": 3,
    }
    assert (rows["Brazil"]["led"], rows["Brazil"]["co_led"], rows["Brazil"]["reports_filed"]) == (0, 2, 0)
    assert rows["AMERIPOL"]["kind"] == "body"
    assert (rows["AMERIPOL"]["led"], rows["AMERIPOL"]["late"], rows["AMERIPOL"]["missing"]) == (2, 1, 0)
    assert figures["recommendations"] == {
        "recommendations": 1,
        "addressees": 2,
        "by_status": {
            "not_started": 1,
            "in_progress": 0,
            "partially_implemented": 0,
            "implemented": 1,
            "not_applicable": 0,
        },
        "implemented_share": 0.5,
        "partially_implemented_share": 0.0,
    }
    assert figures["lessons"] == []


def test_another_state_computes_a_draft_from_what_it_may_read(policy) -> None:
    year = _pin_filing_dates(policy)
    figures = cycle_figures(
        policy.cycle, policy.world.users["national_analyst@other_state"], dt.date(year, 12, 31)
    )
    # Argentina's police report went to the secretariat only: Brazil does not count it (nor its KPI value).
    assert figures["complete"] is False
    assert figures["reporting"]["filed"] == 1 and figures["reporting"]["missing"] == 4
    assert figures["kpis"]["measured"] == 0


def test_the_figures_take_a_fixed_number_of_queries(policy) -> None:
    user = policy.world.users["secretariat_analyst"]
    with CaptureQueriesContext(connection) as small:
        cycle_figures(policy.cycle, user)
    assert len(small) <= 12
