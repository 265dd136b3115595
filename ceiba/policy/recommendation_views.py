"""Pages of recommendations and their follow-up: the list (filtered by source, state, status, overdue),
a recommendation with its addressees and the history of their reports, recording and editing (the
secretariat), an addressee's implementation report, validation or return by the secretariat, the
evidence download and the follow-up reports (per state and hemispheric; HTML and PDF).

Reads go through the access policy (a recommendation one may not read is "not found"); writes go
through `recommendation_services`, whose services check who may act."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ceiba.common import audit
from ceiba.common.access import Action, NotShared, access_object, can, is_secretariat
from ceiba.common.locking import StaleEdit
from ceiba.common.problems import problem_response
from ceiba.core.choices import SECRETARIAT_ROLES
from ceiba.core.models import State
from ceiba.core.views import role_required
from ceiba.documentation.attachment_services import safe_file_name

from . import recommendation_followup as followup
from . import recommendation_services as services
from .choices import ImplementationStatus, RecommendationSource, Visibility
from .models import Addressee, ImplementationReport, Recommendation
from .recommendation_forms import ImplementationReportForm, RecommendationForm, ReturnForm

PAGE_SIZE = 50
secretariat_only = role_required(*SECRETARIAT_ROLES)


def _apply_validation_error(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _or_login(request: HttpRequest, fetch: Any) -> Any:
    """`fetch()`, or the sign-in page for an anonymous visitor asking for what is not public."""
    try:
        return fetch()
    except NotShared:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise


def recommendation_list(request: HttpRequest) -> HttpResponse:
    """Recommendations the viewer may read, filtered."""
    filters = {name: request.GET.get(name, "") for name in ("source", "cycle", "state", "status", "overdue")}
    queryset = services.filter_recommendations(services.visible_recommendations(request.user), filters)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for recommendation in page:
        recommendation.overdue_addressees = [  # type: ignore[attr-defined]
            a for a in recommendation.addressees.all() if services.is_overdue(a, today)
        ]
    return render(
        request,
        "policy/recommendations/list.html",
        {
            "page": page,
            "filters": filters,
            "sources": RecommendationSource.choices,
            "statuses": ImplementationStatus.choices,
            "states": State.objects.filter(committee_member_since__isnull=False).order_by("english_name"),
            "can_manage": is_secretariat(request.user),
        },
    )


def recommendation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = _or_login(
        request,
        lambda: access_object(
            services.visible_recommendations(request.user), request.user, Action.VIEW, pk=pk
        ),
    )
    if isinstance(recommendation, HttpResponse):
        return recommendation
    # The meeting or decision it comes from is named only to those who may read it (a public
    # recommendation may come from a restricted meeting or a draft decision). Not saved.
    for source in ("meeting", "decision"):
        record = getattr(recommendation, source)
        if record is not None and not can(request.user, record, Action.VIEW):
            setattr(recommendation, source, None)
    today = timezone.localdate()
    reportable = services.reportable_addressee_ids(request.user)
    reports = list(
        services.visible_reports(request.user)
        .filter(addressee__recommendation=recommendation)
        .order_by("-created_at", "-pk")
    )
    addressees = [
        {
            "addressee": addressee,
            "overdue": services.is_overdue(addressee, today),
            "can_report": addressee.pk in reportable,
            "reports": [r for r in reports if r.addressee_id == addressee.pk],
        }
        for addressee in recommendation.addressees.all()
    ]
    return render(
        request,
        "policy/recommendations/detail.html",
        {
            "recommendation": recommendation,
            "addressees": addressees,
            # A source the viewer may not open was removed above, so what is left is linked.
            "meeting_visible": recommendation.meeting_id is not None,
            "decision_visible": recommendation.decision_id is not None,
            "can_manage": is_secretariat(request.user),
            "return_form": ReturnForm(),
        },
    )


def _save_recommendation(
    request: HttpRequest, form: RecommendationForm, instance: Recommendation | None
) -> Any:
    data = form.cleaned_data
    states = list(data.get("states") or [])
    organisations = list(data.get("organisations") or [])
    if instance is None:
        return services.recommendation_create(
            actor=request.user, data=data, states=states, organisations=organisations
        )
    return services.recommendation_update(
        actor=request.user,
        recommendation=instance,
        expected_version=data.get("lock_version"),
        data=data,
        states=states,
        organisations=organisations,
    )


def _recommendation_form(request: HttpRequest, instance: Recommendation | None) -> HttpResponse:
    form = RecommendationForm(request.POST or None, instance=instance)
    if instance is not None and request.method == "POST":
        # The form binds to a fresh copy: a refused edit shows what the editor typed.
        form.instance = Recommendation.objects.get(pk=instance.pk)
    stale = False
    if request.method == "POST" and form.is_valid():
        try:
            saved = _save_recommendation(request, form, form.instance if instance else None)
        except StaleEdit as error:
            stale = True
            form.add_error(None, str(error))
        except ValidationError as error:
            _apply_validation_error(form, error)
        else:
            messages.success(request, _("The recommendation is saved."))
            return redirect("policy:recommendation_detail", pk=saved.pk)
    status = 409 if stale else 400 if form.errors else 200
    return render(
        request,
        "policy/recommendations/form.html",
        {"form": form, "recommendation": instance},
        status=status,
    )


@secretariat_only
def recommendation_create(request: HttpRequest) -> HttpResponse:
    return _recommendation_form(request, None)


@secretariat_only
def recommendation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = access_object(Recommendation, request.user, Action.VIEW, pk=pk)
    if not is_secretariat(request.user):
        raise PermissionDenied
    return _recommendation_form(request, recommendation)


def recommendation_report(request: HttpRequest, pk: int) -> HttpResponse:
    """An addressee's implementation report: its focal point, delegate or members file it."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    addressee = access_object(
        Addressee.objects.select_related("recommendation", "state", "organisation"),
        request.user,
        Action.VIEW,
        pk=pk,
    )
    if not services.may_report(request.user, addressee):
        return problem_response(
            request,
            status=403,
            title=_("Not allowed"),
            detail=_(
                "You do not report for %(addressee)s: its national focal point or committee delegate "
                "(for a state) or its members (for a body) do."
            )
            % {"addressee": addressee},
        )
    form = ImplementationReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.implementation_report_submit(
                actor=request.user,
                addressee=addressee,
                status=data["status"],
                narrative=data["narrative"],
                evidence_url=data.get("evidence_url") or "",
                evidence_file=data.get("evidence_file"),
            )
        except ValidationError as error:
            _apply_validation_error(form, error)
        else:
            messages.success(request, _("Your report is filed; the secretariat will validate it."))
            return redirect("policy:recommendation_detail", pk=addressee.recommendation_id)
    return render(
        request,
        "policy/recommendations/report_form.html",
        {"form": form, "addressee": addressee, "recommendation": addressee.recommendation},
        status=400 if form.errors else 200,
    )


def _review_target(request: HttpRequest, pk: int) -> ImplementationReport | HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    report = access_object(
        ImplementationReport.objects.select_related("addressee"), request.user, Action.VIEW, pk=pk
    )
    if not is_secretariat(request.user):
        raise PermissionDenied
    return report


@require_POST
def recommendation_report_validate(request: HttpRequest, pk: int) -> HttpResponse:
    report = _review_target(request, pk)
    if isinstance(report, HttpResponse):
        return report
    try:
        services.implementation_report_validate(actor=request.user, report=report)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The report is validated: the addressee's status is updated."))
    return redirect("policy:recommendation_detail", pk=report.addressee.recommendation_id)


@require_POST
def recommendation_report_return(request: HttpRequest, pk: int) -> HttpResponse:
    report = _review_target(request, pk)
    if isinstance(report, HttpResponse):
        return report
    form = ReturnForm(request.POST)
    try:
        services.implementation_report_return(
            actor=request.user, report=report, note=form.data.get("note", "")
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The report is returned to the addressee with your note."))
    return redirect("policy:recommendation_detail", pk=report.addressee.recommendation_id)


def recommendation_evidence(request: HttpRequest, pk: int) -> HttpResponse | FileResponse:
    """A report's evidence file, to those who may read the report (audited)."""
    report = _or_login(
        request,
        lambda: access_object(
            ImplementationReport.objects.select_related("addressee"), request.user, Action.VIEW, pk=pk
        ),
    )
    if isinstance(report, HttpResponse):
        return report
    if not report.evidence_file:
        raise NotShared
    services.evidence_downloaded(report=report, actor=request.user)
    name = safe_file_name(report.evidence_file.name.rsplit("/", 1)[-1])
    response = FileResponse(
        report.evidence_file.open("rb"),
        as_attachment=True,
        filename=name,
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


# --------------------------------------------------------------------------------------------------
# Follow-up reports


def _languages() -> list[tuple[str, str]]:
    return [(code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES]


def _followup_page(request: HttpRequest, template: str, build: Any, title: Any) -> HttpResponse:
    language = followup.report_language(request.GET.get("lang"))
    with translation.override(language):
        context = {**build(), "title": title(), "language": language, "languages": _languages()}
        response = render(request, template, context)
    response["Content-Language"] = language
    return response


def _followup_pdf(request: HttpRequest, kind: str, build: Any, title: Any, filename: str) -> HttpResponse:
    language = followup.report_language(request.GET.get("lang"))
    with translation.override(language):
        context = build()
        html = followup.render_print_html(kind, context, language, title())
    # Exporting restricted recommendations is audited (as the evaluation's PDF is).
    rows = [row["recommendation"] for row in context.get("recommendations", context.get("rows", []))]
    if any(recommendation.visibility != Visibility.PUBLIC for recommendation in rows):
        audit.record(
            audit.AuditAction.EXPORT,
            object_type="policy.recommendation",
            object_id=f"follow-up:{filename}",
            actor=request.user,
            changes={"format": "pdf", "language": language, "recommendations": len(rows)},
        )
    response = HttpResponse(followup.pdf_for(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}-{language}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def recommendation_followup(request: HttpRequest) -> HttpResponse:
    """The hemispheric summary (validated statuses of the recommendations the viewer may read)."""
    return _followup_page(
        request,
        "policy/recommendations/followup_summary.html",
        lambda: followup.summary(request.user),
        followup.summary_title,
    )


def recommendation_followup_pdf(request: HttpRequest) -> HttpResponse:
    return _followup_pdf(
        request,
        "summary",
        lambda: followup.summary(request.user),
        followup.summary_title,
        "ceiba-recommendations-summary",
    )


def recommendation_followup_state(request: HttpRequest, iso3: str) -> HttpResponse:
    state = get_object_or_404(State, iso3=iso3.upper())
    return _followup_page(
        request,
        "policy/recommendations/followup_state.html",
        lambda: followup.state_report(state, request.user),
        lambda: followup.state_title(state),
    )


def recommendation_followup_state_pdf(request: HttpRequest, iso3: str) -> HttpResponse:
    state = get_object_or_404(State, iso3=iso3.upper())
    return _followup_pdf(
        request,
        "state",
        lambda: followup.state_report(state, request.user),
        lambda: followup.state_title(state),
        f"ceiba-recommendations-{state.iso3.lower()}",
    )
