"""Shared fixtures: the demo scenario loaded once per test database, and clients signed in as each
persona of the permission matrices (with the second factor passed where the role requires it)."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from ceiba.core.demo import DEMO_PASSWORD, load_demo
from ceiba.core.models import Organisation, State, User

# Property tests judge correctness, not speed: a busy machine must not fail them on timing.
hypothesis_settings.register_profile("ceiba", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("ceiba")

PERSONA_EMAILS = {
    "secretariat_admin": "admin@demo.ceiba.example",
    "secretariat_analyst": "secretariat.analyst@demo.ceiba.example",
    "national_focal_point": "focal.arg@demo.ceiba.example",
    "national_analyst": "analyst.arg@demo.ceiba.example",
    "national_focal_point@other_state": "focal.bra@demo.ceiba.example",
    "national_analyst@other_state": "analyst.bra@demo.ceiba.example",
    "committee_delegate@other_state": "delegate.chl@demo.ceiba.example",
    "action_participant": "action.leader@demo.ceiba.example",
    "forum_participant": "forum@demo.ceiba.example",
}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """Every test database starts with the demo scenario (each test rolls back its own changes)."""
    with django_db_blocker.unblock():
        load_demo()


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    cache.clear()


ENGLISH = {"accept-language": "en"}


@pytest.fixture
def client() -> Client:
    """A browser reading English, so tests can assert the messages people see (the platform's own
    default is Spanish; the four languages are covered in test_i18n)."""
    return Client(headers=ENGLISH)


@pytest.fixture
def world(db: Any) -> SimpleNamespace:
    """The demo scenario's records, by persona and by code."""
    users = {persona: User.objects.get(email=email) for persona, email in PERSONA_EMAILS.items()}
    return SimpleNamespace(
        users=users,
        arg=State.objects.get(iso3="ARG"),
        bra=State.objects.get(iso3="BRA"),
        arg_police=Organisation.objects.get(acronym="PFA"),
        secretariat=Organisation.objects.get(acronym="SRC"),
        password=DEMO_PASSWORD,
    )


def current_code(user: User) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def sign_in(client: Client, user: User) -> Client:
    """Sign in and pass the second factor if the user has one (as after a real sign-in)."""
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def persona_client(world: SimpleNamespace) -> Callable[[str], Client]:
    def make(persona: str) -> Client:
        client = Client()
        if persona == "anonymous":
            return client
        return sign_in(client, world.users[persona])

    return make
