"""The search page and its API twin: `?q=…&crime_area=…&state=…&year=…&tlp=…&kind=…&page=…`.
Both read `search.search_documents`, which filters by the access policy before counting."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ceiba.core.models import State
from ceiba.sharing.choices import TLP

from .models import CrimeArea, SearchDocument
from .search import Filters, count_and_rank, documents_by_id, registered_kinds, search_documents, snippet
from .views import members_only

PAGE_SIZE = 20
MAX_QUERY_LENGTH = 300
FACET_PARAMETERS = ("kind", "crime_area", "state", "year", "tlp")
FACET_TITLES = {
    "kind": _("Kind"),
    "crime_area": _("Crime area"),
    "state": _("State"),
    "year": _("Year"),
    "tlp": _("Marking"),
}


def filters_from(params: QueryDict | dict[str, Any]) -> tuple[str, Filters]:
    """The query and chosen facets from request parameters; unusable values are ignored."""
    query = str(params.get("q", ""))[:MAX_QUERY_LENGTH]
    year_text = str(params.get("year", "")).strip()
    year = int(year_text) if year_text.isdigit() and len(year_text) == 4 else None
    tlp = str(params.get("tlp", ""))
    kind = str(params.get("kind", ""))
    return query, Filters(
        crime_area=str(params.get("crime_area", ""))[:64],
        state=str(params.get("state", "")).upper()[:3],
        year=year,
        tlp=tlp if tlp in TLP.values else "",
        kind=kind if kind in registered_kinds() else "",
    )


@dataclass
class Hit:
    document: SearchDocument
    kind_label: str
    url: str
    snippet: list[tuple[str, bool]]


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool
    query: str


@dataclass
class SearchOutcome:
    query: str
    terms: list[str]
    page: Page[SearchDocument]
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]


def _labels(facets: dict[str, list[tuple[Any, int]]]) -> dict[str, dict[str, str]]:
    areas = CrimeArea.objects.filter(code__in=[code for code, _n in facets["crime_area"]])
    states = State.objects.filter(iso3__in=[iso3 for iso3, _n in facets["state"]])
    return {
        "kind": {kind: str(spec.label) for kind, spec in registered_kinds().items()},
        "crime_area": {area.code: area.name for area in areas},
        "state": {state.iso3: str(state.name) for state in states},
        "tlp": {value: str(label) for value, label in TLP.choices},
        "year": {},
    }


class _RankedResults:
    """What the paginator pages through: `total` results, of which the requested page's documents
    were fetched already (the paginator asks for exactly that slice)."""

    def __init__(self, total: int, offset: int, documents: list[SearchDocument]) -> None:
        self.total = total
        self.offset = offset
        self.documents = documents

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index: slice) -> list[SearchDocument]:
        if index.start != self.offset:
            raise IndexError(index)
        return self.documents


def _page_number(value: Any) -> int:
    text = str(value or "1").strip()
    return int(text) if text.isdigit() and 0 < int(text) < 1_000_000 else 1


def run_search(user: Any, params: QueryDict | dict[str, Any], page_number: Any = 1) -> SearchOutcome:
    """The query, one page of results and the facets: one statement counts the matches, their
    facets and picks the page's ids; a second reads those twenty documents."""
    query, filters = filters_from(params)
    documents, terms = search_documents(user, query, filters)
    number = _page_number(page_number)
    counted = count_and_rank(documents, offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    last = max(1, -(-counted.total // PAGE_SIZE))
    ids = counted.ids
    if number > last:  # past the end: the last page, as Paginator.get_page does (its ids only)
        number = last
        start = (number - 1) * PAGE_SIZE
        ids = list(documents.values_list("id", flat=True)[start : start + PAGE_SIZE])
    offset = (number - 1) * PAGE_SIZE
    results = _RankedResults(counted.total, offset, documents_by_id(ids))
    paginator: Paginator[SearchDocument] = Paginator(cast(Any, results), PAGE_SIZE)
    page = paginator.page(number)
    counts = counted.facets
    kinds = registered_kinds()
    hits = [
        Hit(
            document=document,
            kind_label=str(kinds[document.kind].label) if document.kind in kinds else document.kind,
            url=kinds[document.kind].url(document.object_id) if document.kind in kinds else "",
            snippet=snippet(document.text, terms),
        )
        for document in page
    ]
    labels = _labels(counts)
    chosen = {name: str(getattr(filters, name) or "") for name in FACET_PARAMETERS}
    base = {"q": query, **chosen}
    facets: dict[str, list[FacetValue]] = {}
    for name in FACET_PARAMETERS:
        values = []
        for value, count in counts[name]:
            selected = chosen[name] == str(value)
            target = {**base, name: "" if selected else str(value)}
            values.append(
                FacetValue(
                    value=str(value),
                    label=labels[name].get(str(value), str(value)),
                    count=count,
                    selected=selected,
                    query=urlencode({k: v for k, v in target.items() if v}),
                )
            )
        facets[name] = values
    return SearchOutcome(query=query, terms=terms, page=page, hits=hits, facets=facets)


@members_only
def search_page(request: HttpRequest) -> HttpResponse:
    outcome = run_search(request.user, request.GET, request.GET.get("page"))
    return render(
        request,
        "documentation/search.html",
        {"outcome": outcome, "facet_titles": FACET_TITLES, "searched": bool(request.GET)},
    )


class SearchAPIView(APIView):
    """Search threat reports and criminal networks shared with the caller; results and facet counts
    are computed on what the caller may see only."""

    @extend_schema(
        parameters=[
            OpenApiParameter(name, OpenApiTypes.STR, required=False)
            for name in ("q", *FACET_PARAMETERS, "page")
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        outcome = run_search(request.user, request.query_params, request.query_params.get("page"))
        page = outcome.page
        return Response(
            {
                "query": outcome.query,
                "terms": outcome.terms,
                "count": page.paginator.count,
                "page": page.number,
                "pages": page.paginator.num_pages,
                "results": [
                    {
                        "kind": hit.document.kind,
                        "id": hit.document.object_id,
                        "title": hit.document.title,
                        "url": request.build_absolute_uri(hit.url) if hit.url else None,
                        "crime_area": hit.document.crime_area.code if hit.document.crime_area else None,
                        "originator_state": (
                            hit.document.originator_state.iso3 if hit.document.originator_state else None
                        ),
                        "period_start": hit.document.period_start,
                        "period_end": hit.document.period_end,
                        "tlp": hit.document.tlp,
                        "snippet": "".join(part for part, _match in hit.snippet),
                    }
                    for hit in outcome.hits
                ],
                "facets": {
                    name: [{"value": v.value, "label": v.label, "count": v.count} for v in values]
                    for name, values in outcome.facets.items()
                },
            }
        )
