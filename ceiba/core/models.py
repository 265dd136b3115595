"""The directory: states of the Americas, organisations, user accounts and their memberships."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from babel import Locale
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken
from simple_history.models import HistoricalRecords

from ceiba.common.models import TimeStampedModel

from .choices import (
    INBOX_CHANNELS,
    NATIONAL_ORGANISATION_TYPES,
    NATIONAL_ROLES,
    RESTRICTED_DATA_ROLES,
    SECRETARIAT_ROLES,
    NotificationChannel,
    OrganisationType,
    Role,
    Subregion,
)


def localised_territory_name(iso2: str, language: str | None = None) -> str:
    """The CLDR name of a territory in the given (or active) language, e.g. BR → Brasil / Brésil."""
    code = (language or translation.get_language() or "es").split("-")[0]
    try:
        return Locale.parse(code).territories.get(iso2, iso2)
    except (ValueError, TypeError):
        return iso2


class State(models.Model):
    """An independent state of the Americas, with its subregion and its membership of the committee."""

    iso3 = models.CharField(_("ISO 3166 alpha-3"), max_length=3, unique=True)
    iso2 = models.CharField(_("ISO 3166 alpha-2"), max_length=2, unique=True)
    numeric = models.CharField(_("ISO 3166 numeric"), max_length=3, unique=True)
    english_name = models.CharField(_("name (English)"), max_length=100)
    subregion = models.CharField(_("subregion"), max_length=32, choices=Subregion.choices, db_index=True)
    committee_member_since = models.DateField(
        _("committee member since"), null=True, blank=True, help_text=_("Leave empty if not a member.")
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["english_name"]
        verbose_name = _("state")
        verbose_name_plural = _("states")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localised_territory_name(self.iso2)

    @property
    def is_committee_member(self) -> bool:
        return self.committee_member_since is not None and self.committee_member_since <= timezone.localdate()


class Organisation(TimeStampedModel):
    """A ministry, agency, regional or multilateral body, civil-society or academic organisation."""

    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    kind = models.CharField(_("type"), max_length=32, choices=OrganisationType.choices, db_index=True)
    state = models.ForeignKey(
        State,
        verbose_name=_("state"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    website = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(fields=["name", "state"], name="organisation_unique_name_per_state"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    def clean(self) -> None:
        if self.kind in NATIONAL_ORGANISATION_TYPES and self.state_id is None:
            raise ValidationError(
                {"state": _("A national organisation of this type must belong to a state.")}
            )
        if self.kind == OrganisationType.SECRETARIAT and self.state_id is not None:
            raise ValidationError({"state": _("The regional secretariat does not belong to one state.")})


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username or "")


#: Interface languages, each named in itself.
LANGUAGE_CHOICES = [("es", "Español"), ("pt", "Português"), ("en", "English"), ("fr", "Français")]


class User(AbstractBaseUser, PermissionsMixin):  # type: ignore[django-manager-missing]
    """A person's account. People sign in with their e-mail address."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    language = models.CharField(_("language"), max_length=8, default="es", choices=LANGUAGE_CHOICES)
    is_synthetic = models.BooleanField(
        _("synthetic person"), default=False, help_text=_("An invented person, for demonstrations and tests.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("Django admin access"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name or self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Recording a sign-in time is not an edit of the person: keep it out of the history
        # (the sign-in itself is audited).
        if set(kwargs.get("update_fields") or ()) == {"last_login"}:
            self.skip_history_when_saving = True
            try:
                super().save(*args, **kwargs)
            finally:
                del self.skip_history_when_saving
            return
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @cached_property
    def active_memberships(self) -> list[Membership]:
        return list(
            Membership.objects.active()
            .filter(user=self)
            .select_related("organisation", "organisation__state")
        )

    @property
    def roles(self) -> set[str]:
        return {m.role for m in self.active_memberships}

    @property
    def primary_membership(self) -> Membership | None:
        return self.active_memberships[0] if self.active_memberships else None

    @property
    def requires_second_factor(self) -> bool:
        """Whoever can reach restricted member data must use a second factor."""
        return self.is_staff or self.is_superuser or bool(self.roles & RESTRICTED_DATA_ROLES)

    def is_verified(self) -> bool:  # replaced per request by django-otp's middleware
        return False


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self, on: date | None = None) -> MembershipQuerySet:
        day = on or timezone.localdate()
        return self.filter(
            Q(start_date__lte=day), Q(end_date__isnull=True) | Q(end_date__gte=day), user__is_active=True
        )


class Membership(TimeStampedModel):
    """A person's role in an organisation, for a period. Roles decide what the person can do."""

    user = models.ForeignKey(
        User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, db_index=True)
    title = models.CharField(_("position"), max_length=150, blank=True)
    start_date = models.DateField(_("from"), default=timezone.localdate)
    end_date = models.DateField(_("until"), null=True, blank=True)
    history = HistoricalRecords()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name", "user__full_name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.organisation}"

    @property
    def is_active(self) -> bool:
        today = timezone.localdate()
        return self.start_date <= today and (self.end_date is None or self.end_date >= today)

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.end_date and self.start_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date must not be before the start date.")
        organisation = self.organisation if self.organisation_id else None
        if organisation is not None:
            if self.role in NATIONAL_ROLES and organisation.state_id is None:
                errors["role"] = _(
                    "This role represents a state: choose an organisation that belongs to a state."
                )
            if self.role in SECRETARIAT_ROLES and organisation.kind != OrganisationType.SECRETARIAT:
                errors["role"] = _("Secretariat roles are held in the regional secretariat.")
        if errors:
            raise ValidationError(errors)


class APIToken(AbstractAuthToken):
    """A personal API token (django-rest-knox): only a digest of the key is stored."""

    name = models.CharField(_("name"), max_length=100)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.token_key}…)"


def validate_relative_url(value: str) -> None:
    """A link into the platform: a path starting with one slash (never another site)."""
    if value and (not value.startswith("/") or value.startswith("//") or "\\" in value):
        raise ValidationError(_("Give a link into the platform, starting with “/”."))


class NotificationQuerySet(models.QuerySet["Notification"]):
    def inbox(self) -> NotificationQuerySet:
        """Notifications delivered to the in-app inbox (not those sent by e-mail only)."""
        return self.filter(channel__in=list(INBOX_CHANNELS))

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """A message to one person about something that needs them (a deadline, an overdue report),
    in their inbox and/or sent by e-mail. At most one per person and `dedupe_key`, so a daily deadline
    scan never notifies twice about the same thing."""

    recipient = models.ForeignKey(
        User, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=100, db_index=True)
    channel = models.CharField(
        _("delivered by"), max_length=8, choices=NotificationChannel.choices, default=NotificationChannel.BOTH
    )
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True, validators=[validate_relative_url])
    dedupe_key = models.CharField(
        _("deduplication key"),
        max_length=200,
        blank=True,
        help_text=_("At most one notification per person with this key; empty: no deduplication."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="notification_unique_dedupe_key_per_recipient",
            ),
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_recipient_read")]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(TimeStampedModel):
    """How one person wants to receive one kind of notification; without a row, the kind's default
    applies (inbox and e-mail unless the kind says otherwise)."""

    user = models.ForeignKey(
        User, verbose_name=_("person"), on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=100)
    channel = models.CharField(_("channel"), max_length=8, choices=NotificationChannel.choices)

    class Meta:
        ordering = ["user", "kind"]
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_unique_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.kind} · {self.get_channel_display()}"
