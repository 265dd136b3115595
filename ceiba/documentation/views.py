"""Pages of threat documentation: cycles, contribution dashboards, threat reports, crime areas.
Views stay thin: reads through selectors and the access policy, writes through services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ceiba.common.access import Action, NotShared, access_object, can, principal_for, restrict
from ceiba.core.choices import SECRETARIAT_ROLES, Role
from ceiba.core.views import role_required
from ceiba.sharing.choices import TLP_DESCRIPTIONS
from ceiba.sharing.services import shared_record_set_dissemination

from . import selectors, services, statistics_selectors
from .choices import EDITABLE_STATUSES, ContributionStatus
from .filtersets import CriminalNetworkFilterSet, CycleFilterSet, ThreatReportFilterSet
from .forms import (
    CriminalNetworkForm,
    CycleForm,
    DisseminationForm,
    IndicatorFormSet,
    ReviewForm,
    RouteFormSet,
    ThreatReportForm,
    indicator_initial,
    indicators_from,
    route_initial,
    routes_from,
)
from .models import AssessmentCycle, Contribution, CriminalNetwork, ThreatReport
from .rendering import render_markdown

PAGE_SIZE = 50
#: Every role that may reach member data (forum participants may not).
MEMBER_ROLES = [role for role in Role if role != Role.FORUM_PARTICIPANT]
members_only = role_required(*MEMBER_ROLES)
drafters_only = role_required(Role.NATIONAL_ANALYST, Role.NATIONAL_FOCAL_POINT)


def _apply_validation_error(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _for_change(source: Any, user: Any, **lookup: Any) -> Any:
    """A record the user may change; 403 if they may only see it, 404 if they may not even see it."""
    try:
        return access_object(source, user, Action.CHANGE, **lookup)
    except NotShared:
        queryset = source if isinstance(source, QuerySet) else source._default_manager.all()
        if restrict(queryset, user, Action.VIEW).filter(**lookup).exists():
            raise PermissionDenied from None
        raise


def _flash_error(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# --- crime areas ----------------------------------------------------------------------------------


def crime_area_list(request: HttpRequest) -> HttpResponse:
    return render(request, "documentation/crime_area_list.html", {"areas": selectors.crime_areas()})


# --- cycles -----------------------------------------------------------------------------------------


@members_only
def cycle_list(request: HttpRequest) -> HttpResponse:
    base = selectors.visible_cycles(request.user)
    filterset = CycleFilterSet(request.GET or None, queryset=base)
    cycles = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    return render(
        request,
        "documentation/cycle_list.html",
        {
            "filter": filterset,
            "cycles": cycles,
            "can_open": principal_for(request.user).has_role(Role.SECRETARIAT_ADMIN),
        },
    )


@role_required(Role.SECRETARIAT_ADMIN)
def cycle_create(request: HttpRequest) -> HttpResponse:
    form = CycleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cycle = services.cycle_open(
                actor=request.user,
                name=data["name"],
                description=data["description"],
                contribution_deadline=data["contribution_deadline"],
                crime_areas=data["crime_areas"],
            )
        except ValidationError as error:
            _apply_validation_error(form, error)
        else:
            messages.success(request, _("The cycle is open for contributions."))
            return redirect("documentation:cycle_detail", pk=cycle.pk)
    return render(
        request,
        "core/form.html",
        {"form": form, "title": _("Open an assessment cycle"), "cancel": reverse("documentation:cycle_list")},
        status=400 if form.errors else 200,
    )


@members_only
def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = access_object(AssessmentCycle, request.user, Action.VIEW, pk=pk)
    principal = principal_for(request.user)
    own = {c.state_id: c for c in selectors.visible_contributions(request.user).filter(cycle=cycle)}
    own_states = [(state, own.get(state.pk)) for state in selectors.contributing_states(request.user)]
    return render(
        request,
        "documentation/cycle_detail.html",
        {
            "cycle": cycle,
            "crime_areas": cycle.crime_areas.select_related("parent").order_by("position"),
            "own_states": own_states,
            "state_rows": selectors.cycle_states(cycle, request.user) if principal.secretariat else None,
        },
    )


@drafters_only
def cycle_contribution(request: HttpRequest, pk: int) -> HttpResponse:
    """The contribution dashboard of the user's state for a cycle; POST starts the contribution."""
    cycle = access_object(AssessmentCycle, request.user, Action.VIEW, pk=pk)
    states = selectors.contributing_states(request.user)
    if not states:
        raise PermissionDenied
    state = next((s for s in states if s.iso3 == request.GET.get("state", "").upper()), states[0])
    contribution = selectors.visible_contributions(request.user).filter(cycle=cycle, state=state).first()
    if request.method == "POST":
        try:
            contribution = services.contribution_start(cycle=cycle, state=state, actor=request.user)
        except ValidationError as error:
            _flash_error(request, error)
            return redirect("documentation:cycle_detail", pk=cycle.pk)
        return redirect("documentation:contribution_detail", pk=contribution.pk)
    if contribution is not None:
        return redirect("documentation:contribution_detail", pk=contribution.pk)
    dashboard = selectors.contribution_dashboard(
        cycle=cycle, state=state, contribution=None, user=request.user
    )
    return render(
        request,
        "documentation/contribution_detail.html",
        {"dashboard": dashboard, "is_own_state": True, "can_start": cycle.is_open},
    )


# --- contributions ------------------------------------------------------------------------------------


@members_only
def contribution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contribution = access_object(
        Contribution.objects.select_related("cycle", "state", "submitted_by", "reviewed_by"),
        request.user,
        Action.VIEW,
        pk=pk,
    )
    user = request.user
    principal = principal_for(user)
    is_own_state = can(user, contribution, Action.CHANGE)
    editable = contribution.status in EDITABLE_STATUSES
    dashboard = selectors.contribution_dashboard(
        cycle=contribution.cycle, state=contribution.state, contribution=contribution, user=user
    )
    return render(
        request,
        "documentation/contribution_detail.html",
        {
            "dashboard": dashboard,
            "contribution": contribution,
            "is_own_state": is_own_state,
            "can_edit": is_own_state and editable,
            "can_submit": is_own_state and editable and principal.has_role(Role.NATIONAL_FOCAL_POINT),
            "can_review": principal.has_role(*SECRETARIAT_ROLES)
            and contribution.status == ContributionStatus.SUBMITTED,
            "networks": selectors.visible_networks(user).filter(contribution=contribution),
            "datasets": statistics_selectors.visible_datasets(user).filter(contribution=contribution),
            "import_runs": statistics_selectors.visible_runs(user).filter(contribution=contribution)[:10],
        },
    )


@members_only
@require_POST
def contribution_submit(request: HttpRequest, pk: int) -> HttpResponse:
    contribution = access_object(Contribution, request.user, Action.VIEW, pk=pk)
    try:
        services.contribution_submit(contribution=contribution, actor=request.user)
    except ValidationError as error:
        _flash_error(request, error)
    else:
        messages.success(request, _("The contribution was submitted to the secretariat."))
    return redirect("documentation:contribution_detail", pk=contribution.pk)


@role_required(*SECRETARIAT_ROLES)
@require_POST
def contribution_validate(request: HttpRequest, pk: int) -> HttpResponse:
    contribution = access_object(Contribution, request.user, Action.VIEW, pk=pk)
    try:
        services.contribution_validate(
            contribution=contribution, actor=request.user, comments=request.POST.get("comments", "")
        )
    except ValidationError as error:
        _flash_error(request, error)
    else:
        messages.success(request, _("The contribution was validated."))
    return redirect("documentation:contribution_detail", pk=contribution.pk)


@role_required(*SECRETARIAT_ROLES)
def contribution_return(request: HttpRequest, pk: int) -> HttpResponse:
    contribution = access_object(Contribution, request.user, Action.VIEW, pk=pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.contribution_return(
                contribution=contribution, actor=request.user, comments=form.cleaned_data["comments"]
            )
        except ValidationError as error:
            _apply_validation_error(form, error)
        else:
            messages.success(request, _("The contribution was returned to the state with your comments."))
            return redirect("documentation:contribution_detail", pk=contribution.pk)
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "title": _("Return the contribution of %(state)s") % {"state": contribution.state.name},
            "cancel": reverse("documentation:contribution_detail", args=[contribution.pk]),
        },
        status=400 if form.errors else 200,
    )


# --- threat reports ----------------------------------------------------------------------------------------


@members_only
def report_list(request: HttpRequest) -> HttpResponse:
    base = selectors.visible_threat_reports(request.user)
    filterset = ThreatReportFilterSet(request.GET or None, queryset=base)
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "documentation/report_list.html", {"filter": filterset, "page": page})


@members_only
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    source = ThreatReport.objects.select_related(
        "crime_area", "originator", "originator_state", "contribution", "contribution__cycle", "created_by"
    ).prefetch_related(
        "affected_states", "shared_with_states", "shared_with_organisations", "routes__transit", "attachments"
    )
    report = access_object(source, request.user, Action.VIEW, pk=pk)
    may_change = can(request.user, report, Action.CHANGE)
    return render(
        request,
        "documentation/report_detail.html",
        {
            "report": report,
            "narrative": render_markdown(report.narrative),
            "tlp_description": TLP_DESCRIPTIONS.get(report.tlp, ""),
            "can_edit": may_change and report.contribution.status in EDITABLE_STATUSES,
            "can_disseminate": may_change,
            "can_attach": may_change and report.contribution.status in EDITABLE_STATUSES,
            "can_see_contribution": can(request.user, report.contribution, Action.VIEW),
        },
    )


def _report_form_page(request: HttpRequest, form: Any, routes: Any, title: str, cancel: str) -> HttpResponse:
    return render(
        request,
        "documentation/report_form.html",
        {"form": form, "routes": routes, "title": title, "cancel": cancel},
        status=400 if request.method == "POST" else 200,
    )


@members_only
def report_create(request: HttpRequest, pk: int) -> HttpResponse:
    contribution = _for_change(Contribution.objects.select_related("cycle", "state"), request.user, pk=pk)
    cancel = reverse("documentation:contribution_detail", args=[contribution.pk])
    if contribution.status not in EDITABLE_STATUSES:
        messages.error(request, _("This contribution has been submitted: it takes no new reports."))
        return redirect(cancel)
    initial = {
        "crime_area": contribution.cycle.crime_areas.filter(code=request.GET.get("crime_area")).first()
    }
    form = ThreatReportForm(
        request.POST or None,
        cycle=contribution.cycle,
        initial=initial,
        instance=ThreatReport(contribution=contribution),
    )
    routes = RouteFormSet(request.POST or None, prefix="routes")
    if request.method == "POST" and form.is_valid() and routes.is_valid():
        dissemination = form.dissemination()
        try:
            report = services.threat_report_create(
                contribution=contribution,
                actor=request.user,
                affected_states=form.cleaned_data["affected_states"],
                routes=routes_from(routes),
                shared_with_states=dissemination.pop("states"),
                shared_with_organisations=dissemination.pop("organisations"),
                **form.content(),
                **dissemination,
            )
        except ValidationError as error:
            _apply_validation_error(form, error)
        else:
            messages.success(request, _("The threat report was saved as part of the draft."))
            return redirect("documentation:report_detail", pk=report.pk)
    return _report_form_page(request, form, routes, _("New threat report"), cancel)


@members_only
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _for_change(ThreatReport.objects.select_related("contribution__cycle"), request.user, pk=pk)
    cancel = reverse("documentation:report_detail", args=[report.pk])
    if report.contribution.status not in EDITABLE_STATUSES:
        messages.error(
            request, _("This contribution has been submitted: its reports can no longer be edited.")
        )
        return redirect(cancel)
    # Named before the form binds: a model form applies what was typed to its instance.
    heading = _("Edit: %(title)s") % {"title": report.title}
    initial = {
        "shared_with_states": list(report.shared_with_states.all()),
        "shared_with_organisations": list(report.shared_with_organisations.all()),
    }
    form = ThreatReportForm(
        request.POST or None, cycle=report.contribution.cycle, instance=report, initial=initial
    )
    routes = RouteFormSet(request.POST or None, prefix="routes", initial=route_initial(report))
    if request.method == "POST" and form.is_valid() and routes.is_valid():
        try:
            services.threat_report_update(
                report=report,
                actor=request.user,
                affected_states=form.cleaned_data["affected_states"],
                routes=routes_from(routes),
                dissemination=form.dissemination(),
                **form.content(),
            )
        except ValidationError as error:
            _apply_validation_error(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("documentation:report_detail", pk=report.pk)
    return _report_form_page(request, form, routes, heading, cancel)


def dissemination_page(
    request: HttpRequest,
    record: Any,
    form_class: type[DisseminationForm],
    *,
    title: str,
    detail: str,
    changed: str,
) -> HttpResponse:
    """The originator's page to widen or narrow who receives `record` (already checked for change):
    the form, the change through `shared_record_set_dissemination`, back to the `detail` page."""
    form = form_class(request.POST or None, instance=record)
    if request.method == "POST" and form.is_valid():
        try:
            shared_record_set_dissemination(record=record, actor=request.user, **form.dissemination())
        except ValidationError as error:
            _apply_validation_error(form, error)
        else:
            messages.success(request, changed)
            return redirect(detail, pk=record.pk)
    return render(
        request,
        "core/form.html",
        {
            "form": form,
            "title": _("Dissemination: %(title)s") % {"title": title},
            "cancel": reverse(detail, args=[record.pk]),
        },
        status=400 if form.errors else 200,
    )


@members_only
def report_dissemination(request: HttpRequest, pk: int) -> HttpResponse:
    """The originator widens or narrows who receives a report, at any time."""
    report = _for_change(ThreatReport, request.user, pk=pk)
    return dissemination_page(
        request,
        report,
        DisseminationForm,
        title=report.title,
        detail="documentation:report_detail",
        changed=_("The dissemination of the report was changed."),
    )


# --- criminal networks -------------------------------------------------------------------------------


@members_only
def network_list(request: HttpRequest) -> HttpResponse:
    base = selectors.network_list_queryset(request.user)
    filterset = CriminalNetworkFilterSet(request.GET or None, queryset=base)
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "documentation/network_list.html", {"filter": filterset, "page": page})


@members_only
def network_detail(request: HttpRequest, pk: int) -> HttpResponse:
    source = selectors.network_detail_queryset(request.user).select_related("created_by")
    network = access_object(source, request.user, Action.VIEW, pk=pk)
    may_change = can(request.user, network, Action.CHANGE)
    return render(
        request,
        "documentation/network_detail.html",
        {
            "network": network,
            "tlp_description": TLP_DESCRIPTIONS.get(network.tlp, ""),
            "can_edit": may_change and network.contribution.status in EDITABLE_STATUSES,
            "can_disseminate": may_change,
            "can_see_contribution": can(request.user, network.contribution, Action.VIEW),
        },
    )


def _network_form_page(
    request: HttpRequest, form: Any, indicators: Any, title: str, cancel: str
) -> HttpResponse:
    return render(
        request,
        "documentation/network_form.html",
        {"form": form, "indicators": indicators, "title": title, "cancel": cancel},
        status=400 if request.method == "POST" else 200,
    )


def _indicator_errors_to_form(form: Any, indicators: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict") and "indicators" in error.error_dict:
        for message in error.error_dict.pop("indicators"):
            indicators._non_form_errors = indicators.non_form_errors() + list(message.messages)
    _apply_validation_error(form, error)


@members_only
def network_create(request: HttpRequest, pk: int) -> HttpResponse:
    contribution = _for_change(Contribution.objects.select_related("cycle", "state"), request.user, pk=pk)
    cancel = reverse("documentation:contribution_detail", args=[contribution.pk])
    if contribution.status not in EDITABLE_STATUSES:
        messages.error(request, _("This contribution has been submitted: it takes no new network profiles."))
        return redirect(cancel)
    form = CriminalNetworkForm(request.POST or None, instance=CriminalNetwork(contribution=contribution))
    indicators = IndicatorFormSet(request.POST or None, prefix="indicators", initial=indicator_initial())
    if request.method == "POST" and form.is_valid() and indicators.is_valid():
        dissemination = form.dissemination()
        try:
            network = services.network_create(
                contribution=contribution,
                actor=request.user,
                secondary_crime_areas=form.cleaned_data["secondary_crime_areas"],
                countries=form.cleaned_data["countries"],
                indicators=indicators_from(indicators),
                shared_with_states=dissemination.pop("states"),
                shared_with_organisations=dissemination.pop("organisations"),
                **form.content(),
                **dissemination,
            )
        except ValidationError as error:
            _indicator_errors_to_form(form, indicators, error)
        else:
            messages.success(request, _("The network profile was saved as part of the draft."))
            return redirect("documentation:network_detail", pk=network.pk)
    return _network_form_page(request, form, indicators, _("New criminal network profile"), cancel)


@members_only
def network_edit(request: HttpRequest, pk: int) -> HttpResponse:
    network = _for_change(
        CriminalNetwork.objects.select_related("contribution__cycle").prefetch_related("indicator_scores"),
        request.user,
        pk=pk,
    )
    cancel = reverse("documentation:network_detail", args=[network.pk])
    if network.contribution.status not in EDITABLE_STATUSES:
        messages.error(
            request, _("This contribution has been submitted: its network profiles can no longer be edited.")
        )
        return redirect(cancel)
    # Named before the form binds: a model form applies what was typed to its instance.
    heading = _("Edit: %(title)s") % {"title": network.alias}
    initial = {
        "shared_with_states": list(network.shared_with_states.all()),
        "shared_with_organisations": list(network.shared_with_organisations.all()),
    }
    form = CriminalNetworkForm(request.POST or None, instance=network, initial=initial)
    indicators = IndicatorFormSet(
        request.POST or None, prefix="indicators", initial=indicator_initial(network)
    )
    if request.method == "POST" and form.is_valid() and indicators.is_valid():
        try:
            services.network_update(
                network=network,
                actor=request.user,
                secondary_crime_areas=form.cleaned_data["secondary_crime_areas"],
                countries=form.cleaned_data["countries"],
                indicators=indicators_from(indicators),
                dissemination=form.dissemination(),
                **form.content(),
            )
        except ValidationError as error:
            _indicator_errors_to_form(form, indicators, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("documentation:network_detail", pk=network.pk)
    return _network_form_page(request, form, indicators, heading, cancel)
