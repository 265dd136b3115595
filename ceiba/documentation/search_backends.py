"""The database-specific half of the search (ARCHITECTURE.md §2: PostgreSQL full-text search, SQLite
FTS5 fallback, no search server). Both read the folded text the indexer stores (lower case, accents
removed: `search.fold`), so the two databases find the same records for the same words.

- PostgreSQL: `SearchDocument.search_vector` = to_tsvector('simple', folded title) weighted A and
  folded text weighted B, a GIN index (migration 0004), `to_tsquery` of prefix terms, `ts_rank`.
- SQLite: the FTS5 table `documentation_searchfts` (rowid = document id; tokenizer `unicode61
  remove_diacritics 2`), queried with MATCH once; ranked by the words found in the title.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Case, F, FloatField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL

from .models import SearchDocument

FTS_TABLE = "documentation_searchfts"
GIN_INDEX = "documentation_searchdocument_vector_gin"
# The statements on the FTS5 table, spelled out (no string building around SQL).
FTS_DELETE = "DELETE FROM documentation_searchfts WHERE rowid = %s"
FTS_INSERT = "INSERT INTO documentation_searchfts (rowid, folded_title, folded_text) VALUES (%s, %s, %s)"
FTS_CLEAR = "DELETE FROM documentation_searchfts"
FTS_FILL = (
    "INSERT INTO documentation_searchfts (rowid, folded_title, folded_text) "
    "SELECT id, folded_title, folded_text FROM documentation_searchdocument"
)
FTS_MATCH = "SELECT rowid FROM documentation_searchfts WHERE documentation_searchfts MATCH %s"


def vendor() -> str:
    return connection.vendor


def create_index(conn: BaseDatabaseWrapper | None = None) -> None:
    """Create the vendor's index structure if missing (the migration does it; `reindex` repeats it)."""
    conn = conn or connection
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [GIN_INDEX])
            if cursor.fetchone() is None:
                cursor.execute(
                    f"CREATE INDEX IF NOT EXISTS {GIN_INDEX} ON documentation_searchdocument "
                    "USING gin (search_vector)"
                )
        elif conn.vendor == "sqlite":
            cursor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
                "folded_title, folded_text, tokenize = 'unicode61 remove_diacritics 2')"
            )


def _vector() -> Any:
    return SearchVector("folded_title", weight="A", config="simple") + SearchVector(
        "folded_text", weight="B", config="simple"
    )


def store(documents: Sequence[SearchDocument]) -> None:
    """Bring the vendor's index up to date for these (saved) documents."""
    ids = [document.pk for document in documents]
    if not ids:
        return
    if vendor() == "postgresql":
        SearchDocument.objects.filter(pk__in=ids).update(search_vector=_vector())
    elif vendor() == "sqlite":
        with connection.cursor() as cursor:
            cursor.executemany(FTS_DELETE, [(pk,) for pk in ids])
            cursor.executemany(FTS_INSERT, [(d.pk, d.folded_title, d.folded_text) for d in documents])


def forget(ids: Iterable[int]) -> None:
    """Remove deleted documents from the vendor's index (PostgreSQL: the row carries its vector)."""
    ids = list(ids)
    if ids and vendor() == "sqlite":
        with connection.cursor() as cursor:
            cursor.executemany(FTS_DELETE, [(pk,) for pk in ids])


def rebuild() -> None:
    """Rebuild the whole vendor index from the stored documents (idempotent; `create_index` first,
    before writing, as PostgreSQL creates no index in a transaction that has pending writes)."""
    if vendor() == "postgresql":
        SearchDocument.objects.update(search_vector=_vector())
    elif vendor() == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(FTS_CLEAR)
            cursor.execute(FTS_FILL)


def _title_rank(terms: Sequence[str]) -> Any:
    hits = [
        Case(
            When(folded_title__contains=term, then=Value(1.0)), default=Value(0.0), output_field=FloatField()
        )
        for term in terms
    ]
    total: Any = hits[0]
    for hit in hits[1:]:
        total = total + hit
    return total


def match(queryset: QuerySet[SearchDocument], terms: Sequence[str]) -> QuerySet[SearchDocument]:
    """Documents containing every term (as a word or the start of one), annotated with `rank`
    (higher is better). `terms` are already folded and hold only letters and digits."""
    if not terms:
        return queryset.annotate(rank=Value(0.0, output_field=FloatField()))
    if vendor() == "postgresql":
        query = SearchQuery(" & ".join(f"{term}:*" for term in terms), search_type="raw", config="simple")
        return queryset.filter(search_vector=query).annotate(rank=SearchRank(F("search_vector"), query))
    if vendor() == "sqlite":
        expression = " ".join(f'"{term}"*' for term in terms)
        # Constant SQL; the (sanitised) expression is a bound parameter. The match runs once (a
        # subquery); the rank is the number of words found in the title (bm25 per row would repeat
        # the match for every row: seconds on a few thousand matches).
        matching = RawSQL(FTS_MATCH, [expression])  # noqa: S611
        return queryset.filter(pk__in=matching).annotate(rank=_title_rank(terms))
    # Another database: a plain containment filter (slow, but correct).
    for term in terms:
        queryset = queryset.filter(Q(folded_title__contains=term) | Q(folded_text__contains=term))
    return queryset.annotate(rank=Value(0.0, output_field=FloatField()))
