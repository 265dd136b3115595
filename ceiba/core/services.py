"""Writes to the directory. Each service validates (`full_clean`), runs in one transaction and leaves
its trace in the history and audit trail (through the history receivers)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from ceiba.common import audit
from ceiba.common.models import AuditAction

from .models import APIToken, Membership, Organisation, State, User


@transaction.atomic
def user_create(
    *,
    email: str,
    full_name: str,
    password: str | None = None,
    language: str = "es",
    is_synthetic: bool = False,
    organisation: Organisation | None = None,
    role: str = "",
    title: str = "",
) -> User:
    """Open an account, optionally with its first membership."""
    user = User(
        email=email.strip().lower(), full_name=full_name.strip(), language=language, is_synthetic=is_synthetic
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    if organisation is not None and role:
        membership_create(user=user, organisation=organisation, role=role, title=title)
    return user


@transaction.atomic
def user_update(*, user: User, **fields: Any) -> User:
    for name, value in fields.items():
        setattr(user, name, value)
    user.full_clean(exclude=["password"])
    user.save()
    return user


@transaction.atomic
def user_set_password(*, user: User, password: str) -> User:
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


@transaction.atomic
def organisation_create(**fields: Any) -> Organisation:
    organisation = Organisation(**fields)
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def organisation_update(*, organisation: Organisation, **fields: Any) -> Organisation:
    for name, value in fields.items():
        setattr(organisation, name, value)
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def membership_create(
    *, user: User, organisation: Organisation, role: str, title: str = "", start_date: date | None = None
) -> Membership:
    membership = Membership(
        user=user,
        organisation=organisation,
        role=role,
        title=title,
        start_date=start_date or timezone.localdate(),
    )
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def membership_end(*, membership: Membership, end_date: date | None = None) -> Membership:
    """End a membership (kept for the record, never deleted)."""
    membership.end_date = end_date or timezone.localdate()
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def state_set_committee_membership(*, state: State, member_since: date | None) -> State:
    state.committee_member_since = member_since
    state.full_clean()
    state.save()
    return state


@transaction.atomic
def totp_device_start(*, user: User) -> TOTPDevice:
    """A fresh unconfirmed authenticator for enrolment (replacing an earlier unconfirmed one)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="Authenticator", confirmed=False)


@transaction.atomic
def totp_device_confirm(*, device: TOTPDevice) -> TOTPDevice:
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=True).exclude(pk=device.pk).delete()
    audit.record(AuditAction.OTP_ENROLLED, obj=device.user, actor=device.user)
    return device


@transaction.atomic
def api_token_create(*, user: User, name: str, expires_in_days: int | None = None) -> tuple[APIToken, str]:
    """A personal API token; the key is shown once and only its digest is stored."""
    expiry = timedelta(days=expires_in_days) if expires_in_days else None
    instance, key = APIToken.objects.create(user=user, expiry=expiry, prefix="", name=name.strip()[:100])
    audit.record(
        AuditAction.TOKEN_CREATED, obj=user, actor=user, changes={"token": instance.token_key, "name": name}
    )
    return instance, key


@transaction.atomic
def api_token_revoke(*, user: User, token_key: str) -> bool:
    deleted, _ = APIToken.objects.filter(user=user, token_key=token_key).delete()
    if deleted:
        audit.record(AuditAction.TOKEN_REVOKED, obj=user, actor=user, changes={"token": token_key})
    return bool(deleted)
