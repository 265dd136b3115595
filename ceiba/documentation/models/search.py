"""The search index: one denormalised `SearchDocument` per searchable record (threat report,
criminal network, and whatever else registers with `documentation.search.search_register`).

Documents carry no access decision: the search filters them by the access policy of the record each
one describes, live, before counting (docs/decisions/0033-search-and-attachments.md)."""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from ceiba.core.models import State
from ceiba.sharing.choices import TLP

from .records import CrimeArea


class SearchDocument(models.Model):
    """What the search reads of one record: its words (as written, and folded: lower case without
    accents) and the facets (crime area, states, period, marking). Written only by the indexer."""

    kind = models.CharField(_("kind"), max_length=32)
    object_id = models.PositiveBigIntegerField(_("record"))
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"), blank=True)
    folded_title = models.CharField(max_length=300, editable=False)
    folded_text = models.TextField(blank=True, editable=False)
    crime_area = models.ForeignKey(
        CrimeArea,
        verbose_name=_("crime area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    originator_state = models.ForeignKey(
        State,
        verbose_name=_("originator state"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    states = models.ManyToManyField(State, verbose_name=_("states"), blank=True, related_name="+")
    period_start = models.DateField(_("period from"), null=True, blank=True)
    period_end = models.DateField(_("period until"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True, db_index=True)
    tlp = models.CharField(_("TLP marking"), max_length=16, choices=TLP.choices, db_index=True)
    #: PostgreSQL only (the GIN index is created by a migration there); SQLite uses an FTS5 table.
    search_vector = SearchVectorField(null=True, editable=False)
    indexed_at = models.DateTimeField(_("indexed"), auto_now=True)

    class Meta:
        ordering = ["-period_end", "kind", "object_id"]
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_once_per_record"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}: {self.title}"
