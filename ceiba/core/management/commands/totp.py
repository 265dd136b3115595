"""`ceiba totp <e-mail>`: print the current second-factor code of a synthetic demo account."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from ceiba.core.models import User


class Command(BaseCommand):
    help = "Print the current TOTP code of a synthetic (demo or test) account. Refuses real accounts."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("email")

    def handle(self, *args: Any, email: str, **options: Any) -> None:
        user = User.objects.filter(email__iexact=email).first()
        if user is None or not user.is_synthetic:
            raise CommandError("Only synthetic demo or test accounts can have their code printed.")
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            raise CommandError("This account has no second factor.")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{totp.token():06d}")
