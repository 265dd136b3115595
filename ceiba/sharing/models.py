"""`SharedRecord`: what every record a state contributes carries (ARCHITECTURE.md §4): its originator,
a TLP marking, a handling code, the dissemination scope chosen by the originator and a grading."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ceiba.core.models import Organisation, State

from .choices import (
    DEFAULT_GRADING_SCHEME,
    GRADING_SCHEMES,
    HANDLING_CODES_WITH_CONDITIONS,
    RED_SCOPES,
    TLP,
    GradingSchemeChoice,
    HandlingCode,
    Scope,
    grading_errors,
)


class SharedRecord(models.Model):
    """Abstract base of every record contributed by a state and protected by `SharedRecordPolicy`.
    The dissemination fields are written only through `sharing.services`, by the originator."""

    originator = models.ForeignKey(
        Organisation,
        verbose_name=_("originator"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The organisation that contributed the record."),
    )
    originator_state = models.ForeignKey(
        State, verbose_name=_("originator state"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    tlp = models.CharField(
        _("TLP marking"), max_length=16, choices=TLP.choices, default=TLP.AMBER, db_index=True
    )
    handling_code = models.CharField(
        _("handling code"), max_length=2, choices=HandlingCode.choices, default=HandlingCode.H0
    )
    handling_conditions = models.TextField(
        _("handling conditions"), blank=True, help_text=_("Required with handling code H3.")
    )
    scope = models.CharField(
        _("dissemination"), max_length=16, choices=Scope.choices, default=Scope.ORIGINATOR, db_index=True
    )
    shared_with_states = models.ManyToManyField(
        State, verbose_name=_("shared with states"), blank=True, related_name="+"
    )
    shared_with_organisations = models.ManyToManyField(
        Organisation, verbose_name=_("shared with organisations"), blank=True, related_name="+"
    )
    grading_scheme = models.CharField(
        _("grading scheme"),
        max_length=16,
        choices=GradingSchemeChoice.choices,
        default=DEFAULT_GRADING_SCHEME,
    )
    source_reliability = models.CharField(_("source reliability"), max_length=1)
    information_credibility = models.CharField(_("information credibility"), max_length=1)

    #: Fields only `shared_record_set_dissemination` may change once the record exists.
    DISSEMINATION_FIELDS = ("tlp", "handling_code", "handling_conditions", "scope")

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.originator_id is not None:
            state_id = self.originator.state_id
            if state_id is None:
                errors["originator"] = _("The originator must be an organisation of a member state.")
            else:
                self.originator_state_id = state_id
        if self.handling_code in HANDLING_CODES_WITH_CONDITIONS and not self.handling_conditions.strip():
            errors["handling_conditions"] = _("Handling code H3 needs its conditions written out.")
        if self.tlp == TLP.RED and self.scope not in RED_SCOPES:
            errors["scope"] = _(
                "A TLP:RED record goes to named recipients only: choose the secretariat or named "
                "states and organisations."
            )
        errors.update(
            grading_errors(self.grading_scheme, self.source_reliability, self.information_credibility)
        )
        if errors:
            raise ValidationError(errors)

    @property
    def grading(self) -> str:
        """The grading as analysts write it, e.g. "B2"."""
        return f"{self.source_reliability}{self.information_credibility}"

    def get_source_reliability_display(self) -> str:
        scheme = GRADING_SCHEMES.get(self.grading_scheme)
        return scheme.reliability_label(self.source_reliability) if scheme else self.source_reliability

    def get_information_credibility_display(self) -> str:
        scheme = GRADING_SCHEMES.get(self.grading_scheme)
        return (
            scheme.credibility_label(self.information_credibility) if scheme else self.information_credibility
        )
