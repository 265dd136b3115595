"""Entities (issue 3 item 5): persons, organisations, companies, vessels, vehicles, aircraft,
addresses, bank accounts and the links between them, stored as FollowTheMoney entities.

An `Entity` is one FtM id and nothing else, so that nothing about it leaks to a user who sees none of
its records. What states say about it lives in `EntityRecord` (one per contribution that mentions it,
a `SharedRecord` with its own marking, grading and dissemination) and in the record's
`EntityStatement` rows (one per property value, with when it was first and last seen), which follow
their record's access policy. See docs/decisions/0030-entities.md."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ceiba.common.models import TimeStampedModel

from .contributed import ContributedRecord
from .records import Contribution, CriminalNetwork


class Entity(TimeStampedModel):
    """One FollowTheMoney entity, known by its stable id (the source's, or one Ceiba made). Its schema
    and caption are read from the records the user may see, never stored here."""

    ftm_id = models.CharField(_("entity id"), max_length=255, unique=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("entity")
        verbose_name_plural = _("entities")

    def __str__(self) -> str:
        return self.ftm_id


class EntityRecord(ContributedRecord):
    """What one contribution says about one entity: its schema, its property values (statements) and,
    for an organisation, the criminal network profile it stands for. Marked, graded and disseminated
    as a SharedRecord; released with its contribution."""

    contribution = models.ForeignKey(
        Contribution, verbose_name=_("contribution"), on_delete=models.PROTECT, related_name="entity_records"
    )
    entity = models.ForeignKey(
        Entity, verbose_name=_("entity"), on_delete=models.PROTECT, related_name="records"
    )
    schema = models.CharField(_("schema"), max_length=64, db_index=True)
    caption = models.CharField(_("caption"), max_length=500, blank=True, db_index=True)
    network = models.ForeignKey(
        CriminalNetwork,
        verbose_name=_("criminal network"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="entity_records",
        help_text=_("The network profile this organisation stands for, if any."),
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("entity record")
        verbose_name_plural = _("entity records")
        constraints = [
            models.UniqueConstraint(
                fields=["contribution", "entity"], name="entity_record_once_per_contribution"
            )
        ]

    def __str__(self) -> str:
        return self.caption or self.entity.ftm_id


class EntityStatement(models.Model):
    """One property value of an entity as one record states it, with its provenance: the record
    (hence state and contribution) and when it was first and last seen."""

    record = models.ForeignKey(
        EntityRecord, verbose_name=_("entity record"), on_delete=models.CASCADE, related_name="statements"
    )
    prop = models.CharField(_("property"), max_length=64)
    prop_type = models.CharField(_("property type"), max_length=32)
    value = models.TextField(_("value"))
    first_seen = models.DateTimeField(_("first seen"))
    last_seen = models.DateTimeField(_("last seen"))

    class Meta:
        ordering = ["record", "prop", "pk"]
        verbose_name = _("entity statement")
        verbose_name_plural = _("entity statements")
        indexes = [
            models.Index(fields=["record", "prop"], name="entity_statement_prop"),
            models.Index(
                fields=["value"], condition=models.Q(prop_type="entity"), name="entity_statement_reference"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.prop}: {self.value}"
