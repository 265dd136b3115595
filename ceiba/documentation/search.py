"""Search across threat documentation: the registry of searchable kinds, the indexer that keeps one
`SearchDocument` per record, and the query that filters documents by the access policy BEFORE
counting results or facets, so counts never reveal a record the user may not see.

Another part of Ceiba makes its records searchable with `search_register` (see docs/search.md) and
calls `search_index(record)` from the services that write them. Attachments are not indexed.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from django.db import connections, models, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.signals import post_delete, post_save
from django.urls import reverse

from ceiba.common.access import NOTHING, Action, policy_for, restrict
from ceiba.core.models import State
from ceiba.sharing.choices import TLP

from . import search_backends
from .models import SearchDocument

#: At most this many words of a query are searched (the rest is ignored).
MAX_TERMS = 12
#: Longer words are cut (nobody types them; they only cost time).
MAX_TERM_LENGTH = 40


@dataclass(frozen=True)
class DocumentData:
    """What a registered kind says about one record: the words to find and the facets."""

    title: str
    text: str = ""
    #: Words that find the record but are not shown in snippets (names of its crime areas and states).
    keywords: str = ""
    crime_area_id: int | None = None
    originator_state_id: int | None = None
    state_ids: Sequence[int] = ()
    period_start: date | None = None
    period_end: date | None = None
    #: The record's marking; unknown means the most restrictive.
    tlp: str = TLP.RED


@dataclass(frozen=True)
class SearchKind:
    """A searchable model: its kind code, label, detail page and how to build its document."""

    kind: str
    model: type[models.Model]
    build_document: Callable[[Any], DocumentData]
    label: Any
    url_name: str
    queryset: Callable[[], QuerySet[Any]] | None = None

    def url(self, object_id: int) -> str:
        return reverse(self.url_name, args=[object_id])

    def records(self) -> QuerySet[Any]:
        return self.queryset() if self.queryset is not None else self.model._default_manager.all()


_KINDS: dict[str, SearchKind] = {}


def search_register(
    kind: str,
    model: type[models.Model],
    build_document: Callable[[Any], DocumentData],
    *,
    label: Any,
    url_name: str,
    queryset: Callable[[], QuerySet[Any]] | None = None,
) -> SearchKind:
    """Make `model` searchable as `kind` (called in the app's `ready()`). The model must have an
    access policy: results are filtered through it. Deleting a record removes its document; a
    record's marking follows it on every save; everything else is indexed by `search_index`."""
    policy_for(model)  # fail early: no policy, no search
    spec = SearchKind(kind, model, build_document, label, url_name, queryset)
    _KINDS[kind] = spec
    post_save.connect(_marking_follows, sender=model, dispatch_uid=f"search-marking-{kind}")
    post_delete.connect(_deleted, sender=model, dispatch_uid=f"search-delete-{kind}")
    return spec


def registered_kinds() -> dict[str, SearchKind]:
    return dict(_KINDS)


def kind_of(model: type[models.Model]) -> SearchKind | None:
    concrete = model._meta.concrete_model or model
    return next((spec for spec in _KINDS.values() if spec.model is concrete), None)


# --- text ------------------------------------------------------------------------------------------


@lru_cache(maxsize=8192)
def _fold_char(char: str) -> str:
    base = unicodedata.normalize("NFD", char)[0]
    lower = base.lower()
    return lower if len(lower) == 1 else base


def fold(text: str) -> str:
    """Lower case without accents, one character for one ("Policía" → "policia"), so positions in
    the folded text are positions in the original (used for snippets). ASCII text is only lowered
    (the same result, without looking at each character)."""
    if text.isascii():
        return text.lower()
    return "".join(map(_fold_char, text))


_WORD = re.compile(r"[^\W_]+")


def query_terms(query: str) -> list[str]:
    """The words of a user's query, folded, as letters and digits only: quotes, operators, stars,
    parentheses and other syntax of either database never reach it."""
    terms: list[str] = []
    for word in _WORD.findall(fold(query or "")):
        word = word[:MAX_TERM_LENGTH]
        if word not in terms:
            terms.append(word)
    return terms[:MAX_TERMS]


def snippet(text: str, terms: Sequence[str], width: int = 220) -> list[tuple[str, bool]]:
    """A passage of `text` around the first match, as (part, is_match) pairs to render escaped."""
    text = " ".join(text.split())
    if not text:
        return []
    folded = fold(text)
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(t) for t in terms) + r")\w*") if terms else None
    first = pattern.search(folded) if pattern else None
    start = max(0, (first.start() if first else 0) - width // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 20 else start
    end = min(len(text), start + width)
    parts: list[tuple[str, bool]] = [("… ", False)] if start else []
    cursor = start
    for hit in pattern.finditer(folded, start, end) if pattern else ():
        if hit.start() > cursor:
            parts.append((text[cursor : hit.start()], False))
        parts.append((text[hit.start() : hit.end()], True))
        cursor = hit.end()
    if cursor < end:
        parts.append((text[cursor:end], False))
    if end < len(text):
        parts.append((" …", False))
    return parts


# --- writing the index ---------------------------------------------------------------------------------


def _save_document(spec: SearchKind, record: models.Model) -> SearchDocument:
    data = spec.build_document(record)
    year = (
        data.period_end.year if data.period_end else (data.period_start.year if data.period_start else None)
    )
    document, _created = SearchDocument.objects.update_or_create(
        kind=spec.kind,
        object_id=record.pk,
        defaults={
            "title": data.title[:300],
            "text": data.text,
            "folded_title": fold(data.title[:300]),
            "folded_text": fold(f"{data.text}\n{data.keywords}" if data.keywords else data.text),
            "crime_area_id": data.crime_area_id,
            "originator_state_id": data.originator_state_id,
            "period_start": data.period_start,
            "period_end": data.period_end,
            "year": year,
            "tlp": data.tlp,
        },
    )
    states = set(data.state_ids)
    if data.originator_state_id is not None:
        states.add(data.originator_state_id)
    document.states.set(sorted(states))
    return document


@transaction.atomic
def search_index(record: models.Model) -> SearchDocument | None:
    """(Re)index one record of a registered kind; called by the services that write it."""
    spec = kind_of(type(record))
    if spec is None:
        return None
    # Read afresh (with the kind's prefetches): the caller's instance may hold stale related rows.
    document = _save_document(spec, spec.records().get(pk=record.pk))
    search_backends.store([document])
    return document


@transaction.atomic
def search_unindex(model: type[models.Model], object_id: Any) -> None:
    spec = kind_of(model)
    if spec is None:
        return
    ids = list(
        SearchDocument.objects.filter(kind=spec.kind, object_id=object_id).values_list("pk", flat=True)
    )
    search_backends.forget(ids)
    SearchDocument.objects.filter(pk__in=ids).delete()


@dataclass
class ReindexReport:
    indexed: dict[str, int] = field(default_factory=dict)
    removed: int = 0


@transaction.atomic
def search_reindex(kinds: Iterable[str] | None = None) -> ReindexReport:
    """Rebuild the documents of every registered kind (or of `kinds`): idempotent, removes the
    documents of records that no longer exist or kinds no longer registered."""
    report = ReindexReport()
    search_backends.create_index()
    chosen = [_KINDS[k] for k in kinds] if kinds is not None else list(_KINDS.values())
    for spec in chosen:
        seen: list[int] = []
        for record in spec.records().iterator(chunk_size=500):
            _save_document(spec, record)
            seen.append(record.pk)
        report.indexed[spec.kind] = len(seen)
        stale = SearchDocument.objects.filter(kind=spec.kind).exclude(object_id__in=seen)
        report.removed += stale.delete()[1].get(SearchDocument._meta.label, 0)
    if kinds is None:
        orphans = SearchDocument.objects.exclude(kind__in=list(_KINDS))
        report.removed += orphans.delete()[1].get(SearchDocument._meta.label, 0)
    search_backends.rebuild()
    return report


def _marking_follows(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    """Dissemination changes (made in `sharing`, which knows nothing of search) keep the marking."""
    spec = kind_of(sender)
    tlp = getattr(instance, "tlp", None)
    if spec is not None and tlp is not None:
        SearchDocument.objects.filter(kind=spec.kind, object_id=instance.pk).update(tlp=tlp)


def _deleted(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    search_unindex(sender, instance.pk)


# --- reading -----------------------------------------------------------------------------------------


def visible_documents(user: Any) -> QuerySet[SearchDocument]:
    """The documents of records `user` may see, by the access policy of each kind (the same rule as
    every list of those records). Each kind's rule is a correlated `EXISTS` on the record: the
    database checks the matching documents' records one by one through their primary key, or builds
    the set of visible records once when most documents match (its choice, by the numbers), instead of
    always listing every visible record of every kind (100,000 entities) before the first match."""
    condition = NOTHING
    for spec in _KINDS.values():
        records = restrict(spec.model, user, Action.VIEW)
        if records.query.is_empty():
            continue
        condition |= Q(kind=spec.kind) & Q(Exists(records.filter(pk=OuterRef("object_id"))))
    if condition == NOTHING:
        return SearchDocument.objects.none()
    return SearchDocument.objects.filter(condition)


@dataclass(frozen=True)
class Filters:
    """The facets chosen: crime-area code, state ISO3, year, TLP, kind."""

    crime_area: str = ""
    state: str = ""
    year: int | None = None
    tlp: str = ""
    kind: str = ""

    def apply(self, queryset: QuerySet[SearchDocument]) -> QuerySet[SearchDocument]:
        if self.crime_area:
            queryset = queryset.filter(crime_area__code=self.crime_area)
        if self.state:
            queryset = queryset.filter(
                pk__in=SearchDocument.states.through.objects.filter(state__iso3=self.state).values(
                    "searchdocument_id"
                )
            )
        if self.year is not None:
            queryset = queryset.filter(year=self.year)
        if self.tlp:
            queryset = queryset.filter(tlp=self.tlp)
        if self.kind:
            queryset = queryset.filter(kind=self.kind)
        return queryset


#: The order of results: best rank first, then the newest, then a stable tie-break. The queryset
#: orders by it, and the SQL of `count_and_rank` by the same columns (each database's own NULL order).
ORDER = ("-rank", "-period_end", "kind", "object_id")
ORDER_SQL = ", ".join(f"{name[1:]} DESC" if name.startswith("-") else name for name in ORDER)


def search_documents(user: Any, query: str, filters: Filters) -> tuple[QuerySet[SearchDocument], list[str]]:
    """The documents the user may see that match the query and facets, best first (each annotated
    with `rank`; without words every rank is 0 and the newest come first)."""
    terms = query_terms(query)
    queryset = filters.apply(visible_documents(user))
    queryset = search_backends.match(queryset, terms)
    return queryset.select_related("crime_area", "originator_state").order_by(*ORDER), terms


FACET_NAMES = ("kind", "crime_area", "state", "year", "tlp")
# One pass over the matches for the total, all five facets and the ids of one page of results: the
# matching, visible documents' narrow columns are materialised once (never their text), then grouped
# per facet, and the page is cut from the same set by rank. Constant SQL around the queryset's own
# compiled SQL (its parameters stay bound; the page's limit and offset are two more).
FACETS_SQL = (
    "WITH matched AS MATERIALIZED ({matched}) "
    "SELECT 'total', CAST(NULL AS VARCHAR(64)), CAST(NULL AS BIGINT), COUNT(*) FROM matched "
    "UNION ALL SELECT 'kind', kind, NULL, COUNT(*) FROM matched GROUP BY kind "
    "UNION ALL SELECT 'crime_area', area, NULL, COUNT(*) FROM matched GROUP BY area "
    "UNION ALL SELECT 'year', NULL, year, COUNT(*) FROM matched GROUP BY year "
    "UNION ALL SELECT 'tlp', tlp, NULL, COUNT(*) FROM matched GROUP BY tlp "
    "UNION ALL SELECT 'state', state.iso3, NULL, COUNT(*) FROM {link} link "
    "JOIN matched ON matched.id = link.searchdocument_id JOIN {state} state ON state.id = link.state_id "
    "GROUP BY state.iso3 "
    "UNION ALL SELECT 'hit', NULL, id, ROW_NUMBER() OVER (ORDER BY {order}) FROM ("
    "SELECT id, rank, period_end, kind, object_id FROM matched ORDER BY {order} LIMIT %s OFFSET %s) page"
)


@dataclass(frozen=True)
class Counted:
    """What one pass over the matches gives: their number, the counts per facet value, and the ids
    of the requested slice of results, best first."""

    total: int
    facets: dict[str, list[tuple[Any, int]]]
    ids: list[int]


def count_and_rank(queryset: QuerySet[SearchDocument], *, offset: int = 0, limit: int = 0) -> Counted:
    """The number of documents in `queryset` (the access-filtered, matched documents of
    `search_documents`), the counts per kind, crime area (code), state (ISO3), year and marking over
    it, and the ids of results `offset` to `offset + limit` in `ORDER`. One query over the matches
    whatever their number (it reads their narrow columns and vectors, never their text)."""
    if queryset.query.is_empty():
        return Counted(0, {name: [] for name in FACET_NAMES}, [])
    matched = queryset.order_by().values(  # type: ignore[misc]  # `rank` is the match's annotation
        "id", "kind", "year", "tlp", "rank", "period_end", "object_id", area=F("crime_area__code")
    )
    compiler = matched.query.get_compiler(using=matched.db)
    matched_sql, params = compiler.as_sql()
    link = SearchDocument.states.through._meta.db_table
    counted: dict[str, Counter[Any]] = {name: Counter() for name in FACET_NAMES}
    total = 0
    hits: list[tuple[int, int]] = []
    connection = connections[matched.db]
    with connection.cursor() as cursor:
        cursor.execute(
            FACETS_SQL.format(
                matched=matched_sql,
                link=connection.ops.quote_name(link),
                state=connection.ops.quote_name(State._meta.db_table),
                order=ORDER_SQL,
            ),
            (*params, max(0, limit), max(0, offset)),
        )
        for facet, text, number, n in cursor.fetchall():
            value = text if text is not None else number
            if facet == "total":
                total = n
            elif facet == "hit":
                hits.append((n, number))
            elif value is not None:
                counted[facet][value] = n

    def ranked(values: Counter[Any]) -> list[tuple[Any, int]]:
        return sorted(values.items(), key=lambda item: (-item[1], str(item[0])))

    facets = {
        "kind": ranked(counted["kind"]),
        "crime_area": ranked(counted["crime_area"]),
        "state": ranked(counted["state"]),
        "year": sorted(ranked(counted["year"]), key=lambda item: -int(item[0])),
        "tlp": ranked(counted["tlp"]),
    }
    return Counted(total, facets, [pk for _position, pk in sorted(hits)])


def documents_by_id(ids: Sequence[int]) -> list[SearchDocument]:
    """The documents `ids` (from `count_and_rank`, which applied the access policy), in that order,
    with what a result shows (never the folded copies or the vector)."""
    found = (
        SearchDocument.objects.select_related("crime_area", "originator_state")
        .defer("folded_title", "folded_text", "search_vector")
        .in_bulk(list(ids))
    )
    return [found[pk] for pk in ids if pk in found]
