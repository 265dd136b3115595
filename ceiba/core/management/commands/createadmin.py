"""`ceiba createadmin`: open a secretariat administrator account, with its second factor."""

from base64 import b32encode
from getpass import getpass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from ceiba.core import services
from ceiba.core.choices import OrganisationType, Role
from ceiba.core.models import Organisation


class Command(BaseCommand):
    help = (
        "Create a secretariat administrator (and the secretariat organisation if missing); "
        "prints the TOTP secret."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", required=True, help="Full name")
        parser.add_argument("--password", help="Asked for if not given")
        parser.add_argument(
            "--secretariat", default="Secretaría Regional de Ceiba", help="Name of the secretariat"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password = options["password"] or getpass("Password: ")
        try:
            with transaction.atomic():
                secretariat = Organisation.objects.filter(kind=OrganisationType.SECRETARIAT).first()
                if secretariat is None:
                    secretariat = services.organisation_create(
                        name=options["secretariat"], kind=OrganisationType.SECRETARIAT
                    )
                from django.contrib.auth.password_validation import validate_password

                validate_password(password)
                user = services.user_create(
                    email=options["email"],
                    full_name=options["name"],
                    password=password,
                    organisation=secretariat,
                    role=Role.SECRETARIAT_ADMIN,
                )
                device = TOTPDevice.objects.create(user=user, name="Authenticator", confirmed=True)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(self.style.SUCCESS(f"Secretariat administrator {user.email} created."))
        self.stdout.write(
            f"TOTP secret (add it to an authenticator app): {b32encode(device.bin_key).decode()}"
        )
