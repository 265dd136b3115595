"""The abstract base of what a member state contributes to an assessment cycle: threat reports,
criminal network profiles, entity records and statistics datasets."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ceiba.common.models import TimeStampedModel
from ceiba.sharing.models import SharedRecord


class ContributedRecord(SharedRecord, TimeStampedModel):
    """A shared record of one contribution (each model declares its `contribution` key, with its own
    related name). Validation collects every field's error at once: the model's own, the
    originator's state, then the subclass's `contribution_errors()`."""

    contribution: Any
    contribution_id: int | None

    class Meta:
        abstract = True

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        try:
            super().clean()
        except ValidationError as error:
            errors.update(error.message_dict)
        if (
            self.contribution_id is not None
            and self.originator_id is not None
            and self.originator.state_id != self.contribution.state_id
        ):
            errors["originator"] = _("The originator must be an organisation of the contributing state.")
        errors.update(self.contribution_errors())
        if errors:
            raise ValidationError(errors)

    def contribution_errors(self) -> dict[str, Any]:
        """The checks of one kind of record beyond the originator's state (by field name)."""
        return {}
