"""The demo scenario and the operators' `ceiba` command."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ceiba.cli import main
from ceiba.common.models import AuditEvent
from ceiba.core.choices import Role
from ceiba.core.demo import DEMO_ACCOUNTS, FOUNDING_MEMBERS, load_demo
from ceiba.core.models import Membership, Organisation, State, User


def test_loading_the_demo_twice_changes_nothing(world) -> None:
    counts = (
        State.objects.count(),
        Organisation.objects.count(),
        User.objects.count(),
        AuditEvent.objects.count(),
    )
    assert load_demo().created == 0
    assert counts == (
        State.objects.count(),
        Organisation.objects.count(),
        User.objects.count(),
        AuditEvent.objects.count(),
    )


def test_the_demo_has_the_states_members_and_one_account_per_role(world) -> None:
    assert State.objects.count() == 35
    assert set(
        State.objects.filter(committee_member_since__isnull=False).values_list("iso3", flat=True)
    ) == set(FOUNDING_MEMBERS)
    for iso3 in FOUNDING_MEMBERS:
        kinds = set(Organisation.objects.filter(state__iso3=iso3).values_list("kind", flat=True))
        assert kinds == {"interior_ministry", "police"}
    assert Organisation.objects.filter(acronym="AMERIPOL", kind="regional_body").exists()
    assert {a.role for a in DEMO_ACCOUNTS} == set(Role)
    assert all(User.objects.get(email=a.email).is_synthetic for a in DEMO_ACCOUNTS)
    assert all("(synthetic)" in a.full_name for a in DEMO_ACCOUNTS)
    assert Membership.objects.count() == len(DEMO_ACCOUNTS)


def test_the_demo_command_prints_accounts_with_their_totp_secrets(world) -> None:
    out = io.StringIO()
    call_command("demo", stdout=out)
    text = out.getvalue()
    assert "0 records created" in text
    assert "admin@demo.ceiba.example" in text and "ceiba-demo-2026" in text
    assert "TOTP secret: " in text and "(not required for this role)" in text


def test_totp_prints_codes_for_synthetic_accounts_only(world) -> None:
    out = io.StringIO()
    call_command("totp", "admin@demo.ceiba.example", stdout=out)
    assert out.getvalue().strip().isdigit() and len(out.getvalue().strip()) == 6
    world.users["secretariat_admin"].is_synthetic = False
    world.users["secretariat_admin"].save()
    with pytest.raises(CommandError):
        call_command("totp", "admin@demo.ceiba.example")


def test_createadmin_opens_a_secretariat_administrator_with_a_second_factor(world) -> None:
    out = io.StringIO()
    call_command(
        "createadmin",
        "--email",
        "ops@test.ceiba.example",
        "--name",
        "Ops (synthetic)",
        "--password",
        "a long operator password",
        stdout=out,
    )
    user = User.objects.get(email="ops@test.ceiba.example")
    assert user.roles == {Role.SECRETARIAT_ADMIN}
    assert "TOTP secret" in out.getvalue()
    with pytest.raises(CommandError, match="too short"):
        call_command("createadmin", "--email", "x@test.ceiba.example", "--name", "X", "--password", "short")
    assert not User.objects.filter(email="x@test.ceiba.example").exists()


def test_the_ceiba_command_runs_audit_verify(world, capsys) -> None:
    main(["audit", "verify"])
    assert "Audit trail intact" in capsys.readouterr().out
