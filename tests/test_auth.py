"""Signing in, the second factor, throttling, CSRF, signing out: what a person meets at the door."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from ceiba.common.models import AuditAction, AuditEvent
from ceiba.core.models import User

from .conftest import ENGLISH, current_code


def sign_in_form(client: Client, email: str, password: str):
    """Sign in with the form. The account's language cookie is dropped so the English browser's
    language applies and the assertions below can read the English messages."""
    response = client.post(reverse("core:login"), {"username": email, "password": password})
    client.cookies.pop("ceiba_language", None)
    return response


@pytest.mark.parametrize(
    ("persona", "heading"),
    [
        ("secretariat_admin", "Secretariat administration"),
        ("secretariat_analyst", "Secretariat analysis"),
        ("national_focal_point", "National focal point: Argentina"),
        ("national_analyst", "National analysis: Argentina"),
        ("committee_delegate@other_state", "Committee delegate: Chile"),
        ("action_participant", "Operational actions"),
        ("forum_participant", "Forum"),
    ],
)
def test_each_role_signs_in_with_its_second_factor_and_lands_on_its_dashboard(
    world, persona, heading
) -> None:
    user = world.users[persona]
    client = Client(headers={"accept-language": "en"})
    response = sign_in_form(client, user.email, world.password)
    assert response.status_code == 302
    response = client.get(reverse("core:dashboard"), follow=True)
    if user.requires_second_factor:
        assert response.redirect_chain[-1][0].startswith(reverse("core:otp_verify"))
        response = client.post(
            reverse("core:otp_verify") + "?next=/dashboard/", {"otp_token": current_code(user)}, follow=True
        )
    client.cookies.pop("ceiba_language", None)
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 200
    assert f"<h1>{heading}</h1>" in response.content.decode()
    response = client.post(reverse("core:logout"))
    assert response.status_code == 302
    assert client.get(reverse("core:dashboard")).status_code == 302


def test_every_restricted_role_needs_a_second_factor_and_the_forum_does_not(world) -> None:
    needing = {p for p, u in world.users.items() if u.requires_second_factor}
    assert needing == set(world.users) - {"forum_participant"}


def test_a_wrong_password_gets_a_clear_message_and_changes_nothing(client, world) -> None:
    response = sign_in_form(client, "focal.arg@demo.ceiba.example", "not-the-password")
    assert response.status_code == 200
    assert "e-mail address or password is wrong" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sign_in_is_throttled_after_five_failures(client, world) -> None:
    for _ in range(5):
        sign_in_form(client, "analyst.arg@demo.ceiba.example", "wrong")
    response = sign_in_form(client, "analyst.arg@demo.ceiba.example", world.password)
    assert response.status_code == 429
    assert "Wait 15 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action=AuditAction.LOCKED_OUT).exists()
    # Another account from the same address is not locked out.
    assert sign_in_form(Client(), "focal.arg@demo.ceiba.example", world.password).status_code == 302


def test_a_wrong_second_factor_code_is_refused_and_recorded(client, world) -> None:
    user = world.users["national_focal_point"]
    sign_in_form(client, user.email, world.password)
    good = current_code(user)
    wrong = f"{(int(good) + 1) % 1_000_000:06d}"
    response = client.post(reverse("core:otp_verify"), {"otp_token": wrong})
    assert response.status_code == 400
    assert "wrong or has expired" in response.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.OTP_FAILED, actor=user).exists()
    assert client.get(reverse("core:dashboard")).status_code == 302


def test_a_code_that_is_not_six_digits_gets_a_clear_message(client, world) -> None:
    sign_in_form(client, "focal.arg@demo.ceiba.example", world.password)
    response = client.post(reverse("core:otp_verify"), {"otp_token": "12ab"})
    assert response.status_code == 400
    assert "Enter the six digits" in response.content.decode()


def test_an_expired_code_is_refused(client, world) -> None:
    user = world.users["national_analyst"]
    device = TOTPDevice.objects.get(user=user)
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    totp.time = totp.time - 300  # a code from five minutes ago
    old = f"{totp.token():06d}"
    sign_in_form(client, user.email, world.password)
    if old == current_code(user):  # pragma: no cover - astronomically unlikely
        pytest.skip("old and current codes coincide")
    assert client.post(reverse("core:otp_verify"), {"otp_token": old}).status_code == 400


def test_a_new_account_enrols_its_authenticator_before_anything_else(client, world) -> None:
    from ceiba.core import services
    from ceiba.core.choices import Role

    user = services.user_create(
        email="new.analyst@test.ceiba.example",
        full_name="Nueva Analista (synthetic)",
        password="a long enough password",
        organisation=world.arg_police,
        role=Role.NATIONAL_ANALYST,
        is_synthetic=True,
    )
    sign_in_form(client, user.email, "a long enough password")
    response = client.get(reverse("core:person_list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("core:otp_enrol"))
    page = client.get(response["Location"])
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    from django_otp.oath import TOTP

    code = f"{TOTP(device.bin_key).token():06d}"
    response = client.post(reverse("core:otp_enrol") + "?next=/directory/people/", {"otp_token": code})
    assert response.status_code == 302 and response["Location"] == "/directory/people/"
    assert TOTPDevice.objects.get(user=user).confirmed
    assert AuditEvent.objects.filter(action=AuditAction.OTP_ENROLLED, actor=user).exists()


def test_a_forged_csrf_token_is_refused_recorded_and_saves_nothing(world) -> None:
    client = Client(enforce_csrf_checks=True, headers=ENGLISH)
    from .conftest import sign_in

    sign_in(client, world.users["secretariat_admin"])
    before = User.objects.count()
    response = client.post(
        reverse("core:account_create"),
        {"full_name": "X", "email": "x@test.ceiba.example", "csrfmiddlewaretoken": "forged" * 8},
    )
    assert response.status_code == 403
    assert "Nothing was saved" in response.content.decode()
    assert User.objects.count() == before
    assert AuditEvent.objects.filter(action=AuditAction.CSRF_FAILED).exists()


def test_next_cannot_send_people_to_another_site(client, world) -> None:
    user = world.users["national_focal_point"]
    sign_in_form(client, user.email, world.password)
    response = client.post(
        reverse("core:otp_verify") + "?next=https://evil.example/", {"otp_token": current_code(user)}
    )
    assert response["Location"] == reverse("core:dashboard")


def test_deactivated_accounts_cannot_sign_in(client, world) -> None:
    user = world.users["national_analyst"]
    user.is_active = False
    user.save()
    response = sign_in_form(client, user.email, world.password)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
