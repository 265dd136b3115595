"""Forms of the directory, sign-in and account pages. Every label is translatable."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .choices import OrganisationType, Role, Subregion
from .models import LANGUAGE_CHOICES, Membership, Organisation, State, User


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    error_messages = {
        "invalid_login": _(
            "The e-mail address or password is wrong. After five failed attempts, sign-in is blocked "
            "for 15 minutes."
        ),
        "inactive": _("This account is deactivated. Ask the secretariat to reactivate it."),
    }


class TokenForm(forms.Form):
    otp_token = forms.RegexField(
        label=_("Six-digit code from your authenticator app"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Enter the six digits shown by your authenticator app.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_otp_token(self) -> str:
        return self.cleaned_data["otp_token"].strip()


class AccountCreateForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("E-mail address"))
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.filter(is_active=True)
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    title = forms.CharField(label=_("Position"), max_length=150, required=False)
    password = forms.CharField(
        label=_("Initial password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters. The person changes it after the first sign-in."),
    )
    is_synthetic = forms.BooleanField(label=_("Synthetic person (demonstration or test)"), required=False)

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("An account with this e-mail address already exists."))
        return email

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password"):
            probe = User(email=data.get("email", ""), full_name=data.get("full_name", ""))
            try:
                password_validation.validate_password(data["password"], probe)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return data


class AccountUpdateForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "email", "language", "is_active", "is_synthetic"]


class OrganisationForm(forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = ["name", "acronym", "kind", "state", "website", "is_active"]


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["organisation", "role", "title", "start_date", "end_date"]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if user is not None:
            self.instance.user = user


class StateCommitteeForm(forms.ModelForm):
    class Meta:
        model = State
        fields = ["committee_member_since"]
        widgets = {"committee_member_since": forms.DateInput(attrs={"type": "date"})}


class APITokenForm(forms.Form):
    name = forms.CharField(label=_("What the token is for"), max_length=100)
    expires_in_days = forms.TypedChoiceField(
        label=_("Valid for"),
        coerce=int,
        choices=[(30, _("30 days")), (90, _("90 days")), (365, _("one year")), (0, _("until revoked"))],
        initial=90,
    )


SUBREGION_CHOICES = [("", _("All subregions")), *Subregion.choices]
ORGANISATION_TYPE_CHOICES = [("", _("All types")), *OrganisationType.choices]
