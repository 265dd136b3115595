"""Pages of statistics (list with totals, dataset, exports, templates) and of imports (upload, column
mapping, the run with its progress, the error report)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ceiba.common import audit
from ceiba.common.access import Action, access_object, can
from ceiba.common.models import AuditAction
from ceiba.sharing.choices import TLP

from . import imports, statistics_selectors
from .choices import EDITABLE_STATUSES
from .interchange.base import ImportAborted
from .interchange.statistics import template_example, template_header
from .interchange.tabular import csv_lines, xlsx_bytes
from .models import Contribution, ImportRun, ImportStatus
from .statistics_filters import StatisticRowFilterSet
from .statistics_forms import ImportUploadForm, MappingForm
from .views import PAGE_SIZE, _apply_validation_error, _for_change, members_only

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: The most rows one export holds (a larger selection is refused: filter it first).
EXPORT_MAX_ROWS = 1_000_000


# --- statistics ------------------------------------------------------------------------------------


def _filtered_rows(request: HttpRequest, action: Action = Action.VIEW) -> tuple[Any, Any]:
    base = statistics_selectors.visible_rows(request.user, action)
    filterset = StatisticRowFilterSet(request.GET or None, queryset=base)
    rows = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    return filterset, rows


@members_only
def statistic_list(request: HttpRequest) -> HttpResponse:
    filterset, rows = _filtered_rows(request)
    valid = not filterset.is_bound or filterset.is_valid()
    from_table = (
        statistics_selectors.totals_from_table(
            request.user, filterset.form.cleaned_data if filterset.is_bound else None
        )
        if valid
        else None
    )
    if from_table is not None:
        totals, count = from_table
        paginator: Paginator = statistics_selectors.CountedPaginator(rows, PAGE_SIZE, count=count)
    else:
        totals = statistics_selectors.totals_by_unit(rows)
        paginator = Paginator(rows, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "documentation/statistic_list.html",
        {
            "filter": filterset,
            "page": page,
            "totals": totals,
            "query": query.urlencode(),
        },
    )


@members_only
def dataset_detail(request: HttpRequest, pk: int) -> HttpResponse:
    source = statistics_selectors.visible_datasets(request.user).prefetch_related(
        "shared_with_states", "shared_with_organisations"
    )
    dataset = access_object(source, request.user, Action.VIEW, pk=pk)
    rows = dataset.rows.select_related("state", "crime_area")
    totals = statistics_selectors.dataset_totals(request.user, dataset.pk)
    paginator = statistics_selectors.CountedPaginator(
        rows, PAGE_SIZE, count=sum(int(total["count"]) for total in totals)
    )
    return render(
        request,
        "documentation/dataset_detail.html",
        {
            "dataset": dataset,
            "page": paginator.get_page(request.GET.get("page")),
            "totals": totals,
            "can_see_contribution": can(request.user, dataset.contribution, Action.VIEW),
        },
    )


def export_header() -> list[str]:
    return [
        "source_id",
        "kind",
        "period_start",
        "period_end",
        "state",
        "subnational_area",
        "crime_area",
        "commodity",
        "quantity",
        "unit",
        "source",
        "dataset",
        "originator_state",
        "tlp",
        "handling_code",
    ]


def export_rows(rows: Any) -> Any:
    for row in rows.iterator(chunk_size=2000):
        dataset = row.dataset
        yield [
            row.source_id,
            row.kind,
            row.period_start,
            row.period_end,
            row.state.iso3,
            row.subnational_area,
            row.crime_area.code if row.crime_area else "",
            row.commodity,
            row.quantity,
            row.unit,
            row.source,
            dataset.title,
            dataset.originator_state.iso3,
            TLP(dataset.tlp).label,
            dataset.handling_code,
        ]


@members_only
def statistic_export(request: HttpRequest, fmt: str) -> HttpResponse | StreamingHttpResponse:
    """The statistics the user may export (with the list's filters), each row with its dataset's
    marking, under a first line giving the export's most restrictive marking. Audited."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    _filterset, rows = _filtered_rows(request, Action.EXPORT)
    count = rows.count()
    if count > EXPORT_MAX_ROWS:
        messages.error(request, _("Too many rows to export (%(n)s): filter the list first.") % {"n": count})
        return redirect(reverse("documentation:statistic_list") + "?" + request.GET.urlencode())
    marking = TLP(statistics_selectors.most_restrictive_tlp(rows)).label
    audit.record(
        AuditAction.EXPORT,
        object_type="documentation.statisticrow",
        actor=request.user,
        changes={"format": fmt, "rows": count, "filters": request.GET.dict(), "marking": str(marking)},
    )
    banner = [_("Most restrictive marking in this export: %(marking)s") % {"marking": marking}]
    content = [banner, export_header()]
    stamp = timezone.localdate().isoformat()
    name = f"ceiba-statistics-{stamp}.{fmt}"
    ordered = rows.order_by("pk")
    if fmt == "csv":

        def lines() -> Any:
            yield from csv_lines(content)
            yield from csv_lines(export_rows(ordered), bom=False)

        response: HttpResponse | StreamingHttpResponse = StreamingHttpResponse(
            lines(), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            xlsx_bytes([*content, *export_rows(ordered)], title="Statistics"), content_type=XLSX
        )
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@members_only
def statistic_template(request: HttpRequest, fmt: str) -> HttpResponse:
    """A template to fill in: headers in the user's language with their stable field codes."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    rows = [template_header(), template_example()]
    if fmt == "csv":
        response = HttpResponse("".join(csv_lines(rows)), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(xlsx_bytes(rows, title="Statistics"), content_type=XLSX)
    response.headers["Content-Disposition"] = f'attachment; filename="ceiba-statistics-template.{fmt}"'
    return response


# --- imports ---------------------------------------------------------------------------------------------


@members_only
def import_upload(request: HttpRequest, pk: int) -> HttpResponse:
    contribution = _for_change(Contribution.objects.select_related("cycle", "state"), request.user, pk=pk)
    cancel = reverse("documentation:contribution_detail", args=[contribution.pk])
    if contribution.status not in EDITABLE_STATUSES:
        messages.error(request, _("This contribution has been submitted: it takes no new data."))
        return redirect(cancel)
    form = ImportUploadForm(request.POST or None, request.FILES or None, initial={"kind": "statistics"})
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        options = {"dataset": form.cleaned_data["dataset"]} if form.cleaned_data["dataset"] else {}
        try:
            run = imports.import_create(
                contribution=contribution,
                actor=request.user,
                kind=form.cleaned_data["kind"],
                chunks=upload.chunks(),
                size=upload.size,
                file_name=upload.name,
                defaults=form.defaults(),
                options=options,
            )
        except ValidationError as error:
            _apply_validation_error(form, error)
        else:
            if run.status == ImportStatus.PENDING:
                return redirect("documentation:import_mapping", pk=run.pk)
            imports.import_start(run=run, actor=request.user)
            return redirect("documentation:import_detail", pk=run.pk)
    return render(
        request,
        "documentation/import_upload.html",
        {"form": form, "contribution": contribution, "cancel": cancel},
        status=400 if form.errors else 200,
    )


def _own_pending_run(request: HttpRequest, pk: Any) -> ImportRun:
    run = access_object(ImportRun.objects.select_related("contribution"), request.user, Action.VIEW, pk=pk)
    if run.user_id != request.user.pk:
        raise PermissionDenied
    return run


@members_only
def import_mapping(request: HttpRequest, pk: Any) -> HttpResponse:
    """Step two for CSV/XLSX: which column is which field (suggested from the headers)."""
    run = _own_pending_run(request, pk)
    if run.status != ImportStatus.PENDING:
        return redirect("documentation:import_detail", pk=run.pk)
    try:
        header_row, header, samples = imports.import_preview(run)
    except ImportAborted as aborted:
        imports.import_refuse(run=run, errors=aborted.errors)
        return redirect("documentation:import_detail", pk=run.pk)
    form = MappingForm(request.POST or None, header=header, samples=samples)
    if request.method == "POST" and form.is_valid():
        imports.import_set_options(run=run, actor=request.user, mapping=form.mapping(), fixed=form.fixed())
        imports.import_start(run=run, actor=request.user)
        return redirect("documentation:import_detail", pk=run.pk)
    return render(
        request,
        "documentation/import_mapping.html",
        {"form": form, "run": run, "header_row": header_row},
        status=400 if form.errors else 200,
    )


@members_only
def import_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    run = access_object(
        ImportRun.objects.select_related("contribution", "contribution__state", "user"),
        request.user,
        Action.VIEW,
        pk=pk,
    )
    context = {"run": run, "progress": imports.run_progress(run), "errors": run.errors[:200]}
    if request.headers.get("HX-Request"):
        return render(request, "documentation/_import_status.html", context)
    return render(request, "documentation/import_detail.html", context)


@members_only
def import_errors(request: HttpRequest, pk: Any) -> HttpResponse:
    """The error report of a run: row, column, message."""
    run = access_object(ImportRun, request.user, Action.VIEW, pk=pk)
    rows = [[_("row"), _("column"), _("message")], *imports.error_rows(run)]
    response = HttpResponse("".join(csv_lines(rows)), content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="import-{run.pk}-errors.csv"'
    return response


# --- threat reports and networks as tables -----------------------------------------------------------


def _table_response(fmt: str, name: str, rows: Any) -> HttpResponse | StreamingHttpResponse:
    if fmt == "csv":
        response: HttpResponse | StreamingHttpResponse = StreamingHttpResponse(
            csv_lines(rows), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(xlsx_bytes(rows, title=name), content_type=XLSX)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="ceiba-{name}-{timezone.localdate().isoformat()}.{fmt}"'
    )
    return response


def _most_restrictive(tlps: Any) -> str:
    from ceiba.sharing.choices import TLP_ORDER

    present = set(tlps)
    ranked = [tlp for tlp in TLP_ORDER if tlp in present]
    return str(TLP(ranked[-1] if ranked else TLP_ORDER[0]).label)


def _record_export(
    request: HttpRequest, fmt: str, *, name: str, queryset: Any, header: list[str], row: Any
) -> Any:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    count = queryset.count()
    marking = _most_restrictive(queryset.order_by().values_list("tlp", flat=True).distinct())
    audit.record(
        AuditAction.EXPORT,
        object_type=queryset.model._meta.label_lower,
        actor=request.user,
        changes={"format": fmt, "rows": count, "filters": request.GET.dict(), "marking": marking},
    )
    banner = [_("Most restrictive marking in this export: %(marking)s") % {"marking": marking}]
    records = (row(record) for record in queryset.order_by("pk").iterator(chunk_size=500))
    return _table_response(fmt, name, _chain([banner, header], records))


def _chain(first: list[Any], rest: Any) -> Any:
    yield from first
    yield from rest


@members_only
def report_export(request: HttpRequest, fmt: str) -> HttpResponse | StreamingHttpResponse:
    """The threat reports the user may export (with the list's filters), each with its marking."""
    from . import selectors
    from .filtersets import ThreatReportFilterSet

    base = selectors.visible_threat_reports(request.user, Action.EXPORT)
    filterset = ThreatReportFilterSet(request.GET or None, queryset=base)
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    header = ["id", "title", "crime_area", "originator_state", "originator", "period_start", "period_end",
              "scale", "trend", "tlp", "handling_code", "scope", "grading"]  # fmt: skip
    return _record_export(
        request,
        fmt,
        name="threat-reports",
        queryset=queryset,
        header=header,
        row=lambda r: [
            r.pk,
            r.title,
            r.crime_area.code,
            r.originator_state.iso3,
            str(r.originator),
            r.period_start,
            r.period_end,
            r.scale,
            r.trend,
            TLP(r.tlp).label,
            r.handling_code,
            r.scope,
            r.grading,
        ],
    )


@members_only
def network_export(request: HttpRequest, fmt: str) -> HttpResponse | StreamingHttpResponse:
    """The criminal network profiles the user may export (with the list's filters), with markings."""
    from . import selectors
    from .filtersets import CriminalNetworkFilterSet

    base = selectors.visible_networks(request.user, Action.EXPORT).prefetch_related("countries")
    filterset = CriminalNetworkFilterSet(request.GET or None, queryset=base)
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    header = ["id", "alias", "main_crime_area", "countries", "size_band", "structure", "originator_state",
              "tlp", "handling_code", "scope", "grading"]  # fmt: skip
    return _record_export(
        request,
        fmt,
        name="criminal-networks",
        queryset=queryset,
        header=header,
        row=lambda n: [
            n.pk,
            n.alias,
            n.main_crime_area.code,
            " ".join(s.iso3 for s in n.countries.all()),
            n.size_band,
            n.structure,
            n.originator_state.iso3,
            TLP(n.tlp).label,
            n.handling_code,
            n.scope,
            n.grading,
        ],
    )
