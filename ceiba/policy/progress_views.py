"""Pages of progress reporting: an action's progress (schedule, KPIs, reports), filing a report,
one report, uploading a progress file (and its template), the leader's "my actions" and the
dashboards of a cycle and of an operational action plan."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ceiba.common.access import Action, access_object, principal_for, restrict
from ceiba.common.locking import StaleEdit
from ceiba.common.problems import problem_response
from ceiba.documentation.interchange.tabular import csv_lines

from . import progress_selectors as selectors
from . import progress_services as services
from .models import OperationalAction, OperationalActionPlan, PolicyCycle, ProgressReport
from .policies import is_member
from .progress_forms import ProgressImportForm, ProgressReportEditForm, ProgressReportForm

FORM_FIELDS = {
    "period_start",
    "period_end",
    "status",
    "progress",
    "narrative",
    "tlp",
    "scope",
    "shared_with_states",
    "shared_with_organisations",
    "organisation",
}


def _signed_in(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


def _action(request: HttpRequest, pk: int) -> OperationalAction:
    return access_object(
        OperationalAction.objects.select_related(
            "plan", "plan__priority", "leader_state", "leader_organisation"
        ),
        request.user,
        Action.VIEW,
        pk=pk,
    )


def action_progress(request: HttpRequest, pk: int) -> HttpResponse:
    refused = _signed_in(request)
    if refused:
        return refused
    action = _action(request, pk)
    today = timezone.localdate()
    latest = action.progress_reports.order_by("-period_end").values_list("period_end", flat=True).first()
    reports = (
        restrict(ProgressReport, request.user, Action.VIEW)
        .filter(action=action)
        .select_related("organisation", "created_by")
        .order_by("-period_end")
    )
    return render(
        request,
        "policy/progress/action.html",
        {
            "action": action,
            "schedule": services.action_schedule(action, today, latest),
            "kpis": selectors.visible_kpis(request.user, [action]),
            "reports": reports,
            "results": restrict(action.results.all(), request.user, Action.VIEW),
            "can_report": services.may_report(request.user, action),
            "today": today,
        },
    )


def report_create(request: HttpRequest, pk: int) -> HttpResponse:
    refused = _signed_in(request)
    if refused:
        return refused
    action = _action(request, pk)
    organisations = services.leading_organisations(request.user, action)
    if not organisations:
        return problem_response(
            request, status=403, title=_("Not allowed"), detail=str(services.NotLeader().args[0])
        )
    form = ProgressReportForm(request.POST or None, action=action, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        results = form.results()
        if form.is_valid():
            data = form.cleaned_data
            try:
                report = services.progress_report_file(
                    actor=request.user,  # type: ignore[arg-type]
                    action=action,
                    organisation=data["organisation"],
                    period_start=data["period_start"],
                    period_end=data["period_end"],
                    status=data["status"],
                    progress=data["progress"],
                    narrative=data["narrative"],
                    kpi_values=form.kpi_values(),
                    results=results,
                    tlp=data["tlp"],
                    scope=data["scope"],
                    shared_with_states=data["shared_with_states"],
                    shared_with_organisations=data["shared_with_organisations"],
                )
            except ValidationError as error:
                for name, errors in error.message_dict.items():
                    for message in errors:
                        form.add_error(name if name in FORM_FIELDS else None, message)
            else:
                messages.success(request, _("Progress report filed."))
                return redirect(reverse("policy:progress_report_detail", args=[report.pk]))
    return render(request, "policy/progress/report_form.html", {"action": action, "form": form})


def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    refused = _signed_in(request)
    if refused:
        return refused
    report = access_object(
        ProgressReport.objects.select_related("action", "organisation", "created_by", "state"),
        request.user,
        Action.VIEW,
        pk=pk,
    )
    return render(
        request,
        "policy/progress/report_detail.html",
        {
            "report": report,
            "kpi_values": report.kpi_values.select_related("kpi"),
            "states": report.shared_with_states.all(),
            "organisations": report.shared_with_organisations.all(),
            "can_correct": services.may_correct(request.user, report),
        },
    )


def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a filed report (its agency's action leaders, the state's focal point): the action's
    status, progress and KPI actuals follow the latest report again."""
    refused = _signed_in(request)
    if refused:
        return refused
    report = access_object(
        ProgressReport.objects.select_related("action", "organisation"), request.user, Action.VIEW, pk=pk
    )
    if not services.may_correct(request.user, report):
        return problem_response(
            request, status=403, title=_("Not allowed"), detail=str(services.NotCorrector().args[0])
        )
    form = ProgressReportEditForm(request.POST or None, report=report)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.progress_report_update(
                actor=request.user,  # type: ignore[arg-type]
                report=report,
                expected_version=data["lock_version"],
                kpi_values=form.kpi_values(),
                shared_with_states=data["shared_with_states"],
                shared_with_organisations=data["shared_with_organisations"],
                **{name: data[name] for name in services.CORRECTABLE_FIELDS},
            )
        except StaleEdit as error:
            form.add_error(None, str(error))
            report.refresh_from_db()  # the service applied the typed values before refusing them
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(name if name in form.fields else None, message)
            report.refresh_from_db()
        else:
            messages.success(request, _("Progress report corrected."))
            return redirect(reverse("policy:progress_report_detail", args=[report.pk]))
    return render(
        request,
        "policy/progress/report_edit.html",
        {"action": report.action, "report": report, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


def may_import(user: Any) -> bool:
    return services.leader_memberships(user).exists()


def report_import(request: HttpRequest) -> HttpResponse:
    refused = _signed_in(request)
    if refused:
        return refused
    if not may_import(request.user):
        raise PermissionDenied(_("Only the people who lead actions report their progress."))
    issues: list[services.Issue] = []
    form = ProgressImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.progress_import(actor=request.user, upload=form.cleaned_data["file"])  # type: ignore[arg-type]
        except services.ProgressImportError as error:
            issues = error.issues
            form.add_error(
                "file",
                _("The file has %(count)d problem(s), listed below; nothing was saved.")
                % {"count": len(issues)},
            )
        else:
            messages.success(
                request,
                _("%(count)d progress report(s) filed (batch %(batch)s).")
                % {"count": len(result.reports), "batch": result.batch},
            )
            return redirect(reverse("policy:progress_my_actions"))
    return render(request, "policy/progress/import.html", {"form": form, "issues": issues})


def report_template(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    refused = _signed_in(request)
    if refused:
        return refused
    response = StreamingHttpResponse(csv_lines(services.template_rows()), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="progress-reports-template.csv"'
    return response


def my_actions(request: HttpRequest) -> HttpResponse:
    refused = _signed_in(request)
    if refused:
        return refused
    today = timezone.localdate()
    actions = services.with_latest_report(
        services.visible_actions(request.user)
        .filter(services.led_actions_q(request.user))
        .select_related("plan", "plan__priority", "leader_state", "leader_organisation")
        .order_by("ends_on", "code")
    )
    rows = [
        {"action": a, "schedule": services.action_schedule(a, today, a.latest_period_end)} for a in actions
    ]
    return render(
        request,
        "policy/progress/my_actions.html",
        {"rows": rows, "can_import": may_import(request.user), "today": today},
    )


def _members_only(request: HttpRequest) -> HttpResponse | None:
    refused = _signed_in(request)
    if refused:
        return refused
    if not is_member(principal_for(request.user)):
        raise PermissionDenied(_("Progress dashboards are for the committee's members."))
    return None


def _render_dashboard(
    request: HttpRequest, title: str, board: selectors.Dashboard, **extra: Any
) -> HttpResponse:
    return render(
        request,
        "policy/progress/dashboard.html",
        {
            "title": title,
            "board": board,
            "tree": selectors.flat_tree(board.tree, board.labels),
            "chart_width": selectors.CHART_WIDTH,
            "row_height": selectors.ROW_HEIGHT,
            "today": timezone.localdate(),
            **extra,
        },
    )


def cycle_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    refused = _members_only(request)
    if refused:
        return refused
    cycle = access_object(PolicyCycle, request.user, Action.VIEW, pk=pk)
    priorities = list(cycle.priorities.order_by("code"))
    plans = list(
        restrict(OperationalActionPlan, request.user, Action.VIEW)
        .filter(priority__cycle=cycle)
        .select_related("priority")
        .order_by("priority__code", "starts_on")
    )
    board = selectors.dashboard(
        request.user, key=str(cycle), priorities=priorities, plans=plans, today=timezone.localdate()
    )
    return _render_dashboard(request, str(cycle), board, cycle=cycle)


def plan_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    refused = _signed_in(request)
    if refused:
        return refused
    plan = access_object(
        OperationalActionPlan.objects.select_related("priority__cycle"), request.user, Action.VIEW, pk=pk
    )
    board = selectors.dashboard(
        request.user, key=str(plan), priorities=[plan.priority], plans=[plan], today=timezone.localdate()
    )
    return _render_dashboard(request, str(plan), board, plan=plan, cycle=plan.priority.cycle)
