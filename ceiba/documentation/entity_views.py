"""Pages of entities: the list, an entity with the provenance of every value and its graph, the FtM
export, and the forms that record an entity or a link in a contribution. Reads go through the
access policy (an entity no record of which the user may see is "not found")."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ceiba.common import audit
from ceiba.common.access import Action, access_object, restrict
from ceiba.common.models import AuditAction

from . import entity_selectors as selectors
from . import entity_services as services
from .choices import EDITABLE_STATUSES
from .entity_forms import EntityForm, EntityRecordEditForm, LinkForm, properties_text
from .entity_schema import SCHEMA_CHOICES
from .models import Contribution, CriminalNetwork, Entity, EntityRecord
from .views import _apply_validation_error, _for_change, members_only

PAGE_SIZE = 50
EXPORT_CONTENT_TYPE = "application/x-ndjson; charset=utf-8"


def _filters(request: HttpRequest) -> dict[str, str]:
    schema = request.GET.get("schema", "")
    return {
        "schema": schema if schema in dict(SCHEMA_CHOICES) else "",
        "state": request.GET.get("state", "").strip()[:3],
        "q": request.GET.get("q", "").strip()[:200],
    }


@members_only
def entity_list(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    queryset = selectors.entity_list_queryset(
        request.user, schema=filters["schema"], state=filters["state"], q=filters["q"]
    )
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "documentation/entity_list.html",
        {
            "page": page,
            "filters": filters,
            "schema_choices": SCHEMA_CHOICES,
            "export_query": request.GET.urlencode(),
        },
    )


@members_only
def entity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entity = access_object(Entity, request.user, Action.VIEW, pk=pk)
    view = selectors.entity_view(request.user, entity)
    return render(
        request,
        "documentation/entity_detail.html",
        {
            "view": view,
            "graph_url": reverse("documentation:entity_graph", args=[entity.pk]),
            "contributions": _contributions(request.user, view.records),
            "link_contributions": _link_contributions(request, view),
        },
    )


def _link_contributions(request: HttpRequest, view: selectors.EntityView) -> list[Contribution]:
    """Contributions the user drafts, where they could record a link from this entity."""
    return list(
        restrict(Contribution.objects.select_related("cycle", "state"), request.user, Action.CHANGE)
        .filter(status__in=EDITABLE_STATUSES)
        .order_by("-cycle__contribution_deadline")[:5]
    )


def _contributions(user: Any, records: list[Any]) -> list[tuple[Any, bool, bool]]:
    """(record, whether the user may open its contribution, whether they may edit the record now)
    for the records shown."""
    visible = set(
        restrict(Contribution, user)
        .filter(pk__in={r.contribution_id for r in records})
        .values_list("pk", flat=True)
    )
    changeable = set(
        restrict(EntityRecord, user, Action.CHANGE)
        .filter(pk__in=[r.pk for r in records], contribution__status__in=EDITABLE_STATUSES)
        .values_list("pk", flat=True)
    )
    return [(record, record.contribution_id in visible, record.pk in changeable) for record in records]


@members_only
def entity_graph(request: HttpRequest, pk: int) -> JsonResponse:
    entity = access_object(Entity, request.user, Action.VIEW, pk=pk)
    return JsonResponse(selectors.entity_graph(request.user, entity))


def export_response(user: Any, queryset: Any, filters: dict[str, Any]) -> StreamingHttpResponse:
    """The FtM JSON lines of the entities the user may export, streamed, after an audit event that
    says who exported how many with which filters."""
    exportable = queryset.filter(pk__in=restrict(Entity, user, Action.EXPORT).values("pk"))
    audit.record(
        AuditAction.EXPORT,
        object_type="documentation.entity",
        object_repr="FtM JSON lines",
        actor=user,
        changes={"format": "ftm", "filters": filters, "entities": exportable.count()},
    )
    response = StreamingHttpResponse(
        selectors.export_lines(user, exportable), content_type=EXPORT_CONTENT_TYPE
    )
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="ceiba-entities-{stamp}.ftm.json"'
    return response


@members_only
def entity_export(request: HttpRequest) -> StreamingHttpResponse:
    filters = _filters(request)
    queryset = selectors.entity_list_queryset(
        request.user, schema=filters["schema"], state=filters["state"], q=filters["q"], links=True
    )
    return export_response(request.user, queryset, filters)


def _form_page(request: HttpRequest, form: Any, title: str, cancel: str) -> HttpResponse:
    return render(
        request,
        "documentation/entity_form.html",
        {"form": form, "title": title, "cancel": cancel},
        status=400 if request.method == "POST" else 200,
    )


def _editable_contribution(request: HttpRequest, pk: int) -> tuple[Contribution, str, HttpResponse | None]:
    contribution = _for_change(Contribution.objects.select_related("cycle", "state"), request.user, pk=pk)
    cancel = reverse("documentation:contribution_detail", args=[contribution.pk])
    if contribution.status not in EDITABLE_STATUSES:
        messages.error(request, _("This contribution has been submitted: it takes no new entities."))
        return contribution, cancel, redirect(cancel)
    return contribution, cancel, None


@members_only
def entity_create(request: HttpRequest, pk: int) -> HttpResponse:
    contribution, cancel, stop = _editable_contribution(request, pk)
    if stop is not None:
        return stop
    networks = restrict(CriminalNetwork, request.user, Action.VIEW).filter(
        originator_state=contribution.state
    )
    form = EntityForm(request.POST or None, contribution=contribution, networks=networks)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record = services.entity_record_create(
                contribution=contribution,
                actor=request.user,
                schema=data["schema"],
                ftm_id=data["ftm_id"] or None,
                properties=data["properties"],
                network=data["network"],
                **form.marking(),
            )
        except ValidationError as error:
            _apply_validation_error(form, error)
        else:
            messages.success(request, _("The entity was recorded in the contribution."))
            return redirect("documentation:entity_detail", pk=record.entity_id)
    return _form_page(request, form, _("New entity"), cancel)


@members_only
def entity_link_create(request: HttpRequest, pk: int) -> HttpResponse:
    contribution, cancel, stop = _editable_contribution(request, pk)
    if stop is not None:
        return stop
    form = LinkForm(
        request.POST or None, contribution=contribution, initial={"source": request.GET.get("source", "")}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        visible = restrict(Entity, request.user)
        source = visible.filter(ftm_id=data["source"].strip()).first()
        target = visible.filter(ftm_id=data["target"].strip()).first()
        if source is None:
            form.add_error("source", _("No entity with this id."))
        if target is None:
            form.add_error("target", _("No entity with this id."))
        if source is not None and target is not None:
            try:
                record = services.entity_link_create(
                    contribution=contribution,
                    actor=request.user,
                    schema=data["schema"],
                    source=source,
                    target=target,
                    properties=data["properties"],
                    **form.marking(),
                )
            except ValidationError as error:
                _apply_validation_error(form, error)
            else:
                messages.success(request, _("The link was recorded in the contribution."))
                return redirect("documentation:entity_detail", pk=record.entity_id)
    return _form_page(request, form, _("New link between entities"), cancel)


@members_only
def entity_record_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The originator changes what its record states about an entity, while the contribution is a
    draft or returned (values kept keep their first-seen date)."""
    record = _for_change(
        EntityRecord.objects.select_related("entity", "contribution", "contribution__state"),
        request.user,
        pk=pk,
    )
    cancel = reverse("documentation:entity_detail", args=[record.entity_id])
    if record.contribution.status not in EDITABLE_STATUSES:
        messages.error(
            request, _("This contribution has been submitted: its entities can no longer be edited.")
        )
        return redirect(cancel)
    networks = restrict(CriminalNetwork, request.user, Action.VIEW).filter(
        originator_state_id=record.contribution.state_id
    )
    heading = _("Edit: %(title)s") % {"title": str(record)}  # the record as stored, whatever is typed
    initial = {"schema": record.schema, "properties": properties_text(record), "network": record.network_id}
    form = EntityRecordEditForm(request.POST or None, networks=networks, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.entity_record_update(
                record=record,
                actor=request.user,
                schema=data["schema"],
                properties=data["properties"],
                network=data["network"],
            )
        except ValidationError as error:
            _apply_validation_error(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(cancel)
    return _form_page(request, form, heading, cancel)


@members_only
def entity_record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """What one contribution says about an entity (a search result): shown on the entity's page."""
    record = access_object(EntityRecord, request.user, Action.VIEW, pk=pk)
    return redirect(f"{reverse('documentation:entity_detail', args=[record.entity_id])}#record-{record.pk}")
