"""Results reported in a progress report follow the report's policy (a report shared with the
secretariat only must not reach every member through its results); results the secretariat entered on
the action stay readable by every member."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from ceiba.common.access import Action, restrict
from ceiba.policy import plan_services
from ceiba.policy import progress_services as services
from ceiba.policy.models import ActionResult
from ceiba.sharing.choices import Scope

from ..conftest import sign_in
from .progress_factories import progress_cycle

pytestmark = pytest.mark.django_db

SECRET = "Seized in the secretariat-only report (synthetic)"
OPEN = "Counted by the secretariat (synthetic)"


def _setup(world):
    """Argentina's focal point reports a result (secretariat only); the secretariat enters another."""
    policy = progress_cycle(world)
    action = policy.state_action
    year = dt.date.today().year
    report = services.progress_report_file(
        actor=world.users["national_focal_point"],
        action=action,
        period_start=dt.date(year, 7, 1),
        period_end=dt.date(year, 9, 30),
        status="ongoing",
        progress=40,
        narrative="Operations held (synthetic).",
        results=[{"kind": "arrests", "quantity": Decimal(17), "description": SECRET}],
        scope=Scope.SECRETARIAT,
    )
    entered = plan_services.result_add(
        actor=world.users["secretariat_analyst"], action=action, kind="arrests", quantity=3, description=OPEN
    )
    return policy, action, report, entered


def _visible(world, persona, action):
    qs = restrict(ActionResult.objects.filter(action=action), world.users[persona], Action.VIEW)
    return set(qs.values_list("description", flat=True))


def test_a_reported_result_is_linked_to_its_report(world):
    _policy, _action, report, entered = _setup(world)
    assert list(report.results.values_list("description", flat=True)) == [SECRET]
    assert entered.report is None


@pytest.mark.parametrize(
    "persona, sees_secret",
    [
        ("secretariat_analyst", True),
        ("secretariat_admin", True),
        ("national_focal_point", True),  # the reporting state
        ("national_analyst", True),  # the reporting state
        ("national_analyst@other_state", False),
        ("national_focal_point@other_state", False),
        ("committee_delegate@other_state", False),
        ("action_participant", False),  # AMERIPOL: not named in the report
    ],
)
def test_the_policy_follows_the_report(world, persona, sees_secret):
    _policy, action, _report, _entered = _setup(world)
    visible = _visible(world, persona, action)
    assert OPEN in visible  # entered on the action: every member reads it
    assert (SECRET in visible) is sees_secret


def test_outsiders_see_no_result(world):
    _policy, action, _report, _entered = _setup(world)
    assert _visible(world, "forum_participant", action) == set()
    from django.contrib.auth.models import AnonymousUser

    assert not restrict(ActionResult, AnonymousUser(), Action.VIEW).exists()


def test_a_report_shared_with_all_members_shares_its_results(world):
    _policy, action, report, _entered = _setup(world)
    report.scope = Scope.ALL_MEMBERS
    report.save()
    assert SECRET in _visible(world, "national_analyst@other_state", action)


@pytest.mark.parametrize("page", ["policy:progress_action", "policy:action_detail"])
def test_pages_show_only_the_results_the_viewer_may_read(client, world, page):
    _policy, action, _report, _entered = _setup(world)
    url = reverse(page, args=[action.pk])
    other = sign_in(client, world.users["national_analyst@other_state"]).get(url).content.decode()
    assert OPEN in other and SECRET not in other
    secretariat = sign_in(type(client)(), world.users["secretariat_analyst"]).get(url).content.decode()
    assert OPEN in secretariat and SECRET in secretariat


def test_the_api_shows_only_the_results_the_viewer_may_read(client, world):
    _policy, action, _report, _entered = _setup(world)
    other = sign_in(client, world.users["national_analyst@other_state"])
    detail = other.get(reverse("policy-action-detail", args=[action.pk])).json()
    assert [r["description"] for r in detail["results"]] == [OPEN]
    listed = other.get(reverse("policy-action-list"), {"plan": action.plan_id}).json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    described = [r["description"] for row in rows for r in row["results"]]
    assert OPEN in described and SECRET not in described
    results = other.get(reverse("policy-action-result-list"), {"action": action.pk}).json()
    items = results["results"] if isinstance(results, dict) else results
    assert [r["description"] for r in items] == [OPEN]
    reporter = sign_in(type(client)(), world.users["national_analyst"])
    detail = reporter.get(reverse("policy-action-detail", args=[action.pk])).json()
    assert {r["description"] for r in detail["results"]} == {OPEN, SECRET}


def test_the_migration_links_earlier_reported_results_to_their_report(world):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("ceiba.policy.migrations.0005_action_result_report")
    _policy, _action, report, entered = _setup(world)
    ActionResult.objects.update(report=None)  # as stored before the migration
    migration.link_reported_results(apps, None)
    assert ActionResult.objects.get(description=SECRET).report == report
    entered.refresh_from_db()
    assert entered.report is None  # the secretariat's own result stays on the action
