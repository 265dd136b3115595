"""Pages of the committee: its member states and presidencies, its meetings (agenda, documents,
participants, minutes) and decisions (texts, positions, closing, publication), and the iCalendar
exports.

Reads go through the access policy (a meeting or decision one may not see is "not found"); writes go
through `committee_services`, whose services check the role again. Write pages ask anonymous
visitors to sign in, answer 404 for what they may not see and 403 to anyone but the secretariat."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ceiba.common.access import Action, access_object, is_secretariat, restrict
from ceiba.common.locking import StaleEdit
from ceiba.documentation.attachment_services import safe_file_name
from ceiba.documentation.rendering import render_markdown

from . import committee_calendar
from . import committee_services as services
from .choices import DecisionStatus, MeetingFormat, MeetingLevel, MeetingStatus, Position
from .committee_forms import (
    AgendaItemForm,
    CloseForm,
    DecisionForm,
    DecisionTextForm,
    DocumentForm,
    MeetingForm,
    MemberEditForm,
    MemberForm,
    MinutesForm,
    ParticipantForm,
    PositionForm,
    PresidencyForm,
    PublishForm,
)
from .models import (
    AgendaItem,
    Committee,
    Decision,
    Meeting,
    MeetingDocument,
    OperationalActionPlan,
    Priority,
    Recommendation,
)

PAGE_SIZE = 50
SIGN_IN = "sign-in"


def _apply_error(form: Any, error: ValidationError | StaleEdit) -> None:
    if isinstance(error, StaleEdit):
        form.add_error(None, str(error))
    elif hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _form_page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    form = context.get("form")
    status = 400 if form is not None and form.errors else 200
    return render(request, template, context, status=status)


def _for_secretariat(request: HttpRequest, source: Any, **lookup: Any) -> Any:
    """The record a secretariat page acts on: sign-in first, then 404 for what the user may not
    see, then 403 for anyone but the secretariat."""
    if not request.user.is_authenticated:
        return SIGN_IN
    obj = access_object(source, request.user, Action.VIEW, **lookup)
    if not is_secretariat(request.user):
        raise PermissionDenied
    return obj


def _for_administrator(request: HttpRequest, pk: int) -> Any:
    if not request.user.is_authenticated:
        return SIGN_IN
    committee = access_object(Committee, request.user, Action.VIEW, pk=pk)
    if not services.may_manage_committee(request.user):
        raise PermissionDenied
    return committee


def _login(request: HttpRequest) -> HttpResponse:
    return redirect_to_login(request.get_full_path())


# --- the committee ----------------------------------------------------------------------------------


def committee_list(request: HttpRequest) -> HttpResponse:
    """The committees (usually one: then its page)."""
    committees = list(restrict(Committee.objects.select_related("secretariat"), request.user))
    if len(committees) == 1:
        return redirect("policy:committee_detail", pk=committees[0].pk)
    return render(request, "policy/committee/committee_list.html", {"committees": committees})


def committee_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Name, member states (since when), current and past presidencies, the secretariat."""
    committee = access_object(
        Committee.objects.select_related("secretariat"), request.user, Action.VIEW, pk=pk
    )
    today = timezone.localdate()
    members = committee.members.select_related("state").order_by("state__english_name")
    presidencies = list(committee.presidencies.select_related("state").order_by("-starts_on"))
    current = next((p for p in presidencies if p.starts_on <= today < p.ends_on or p.ends_on == today), None)
    return render(
        request,
        "policy/committee/committee_detail.html",
        {
            "committee": committee,
            "current_members": [m for m in members if m.left_on is None or m.left_on > today],
            "former_members": [m for m in members if m.left_on is not None and m.left_on <= today],
            "current_presidency": current,
            "past_presidencies": [p for p in presidencies if p.ends_on < today and p is not current],
            "future_presidencies": [p for p in presidencies if p.starts_on > today],
            "can_manage": services.may_manage_committee(request.user),
            "can_schedule": is_secretariat(request.user),
        },
    )


def committee_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _for_administrator(request, pk)
    if committee == SIGN_IN:
        return _login(request)
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.committee_member_add(actor=request.user, committee=committee, **form.cleaned_data)
        except ValidationError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("The member state was added."))
            return redirect("policy:committee_detail", pk=committee.pk)
    return _form_page(
        request,
        "policy/committee/form.html",
        {
            "form": form,
            "title": _("Add a member state"),
            "back": reverse("policy:committee_detail", args=[committee.pk]),
        },
    )


def committee_member_edit(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    committee = _for_administrator(request, pk)
    if committee == SIGN_IN:
        return _login(request)
    member = get_object_or_404(committee.members.select_related("state"), pk=member_pk)
    form = MemberEditForm(
        request.POST or None, initial={"joined_on": member.joined_on, "left_on": member.left_on}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.committee_member_update(actor=request.user, member=member, **form.cleaned_data)
        except ValidationError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("The membership was saved."))
            return redirect("policy:committee_detail", pk=committee.pk)
    return _form_page(
        request,
        "policy/committee/form.html",
        {
            "form": form,
            "title": member.state,
            "back": reverse("policy:committee_detail", args=[committee.pk]),
        },
    )


def presidency_add(request: HttpRequest, pk: int) -> HttpResponse:
    committee = _for_administrator(request, pk)
    if committee == SIGN_IN:
        return _login(request)
    form = PresidencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.presidency_add(actor=request.user, committee=committee, **form.cleaned_data)
        except ValidationError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("The presidency was recorded."))
            return redirect("policy:committee_detail", pk=committee.pk)
    return _form_page(
        request,
        "policy/committee/form.html",
        {
            "form": form,
            "title": _("Record a pro tempore presidency"),
            "back": reverse("policy:committee_detail", args=[committee.pk]),
        },
    )


def _confirm_remove(request: HttpRequest, title: Any, what: Any, back: str) -> HttpResponse:
    return render(
        request, "policy/committee/confirm_remove.html", {"title": title, "what": what, "back": back}
    )


def presidency_remove(request: HttpRequest, pk: int, term_pk: int) -> HttpResponse:
    """Remove a presidency recorded by mistake (the secretariat administrator): a confirmation page,
    then the removal (POST)."""
    committee = _for_administrator(request, pk)
    if committee == SIGN_IN:
        return _login(request)
    term = get_object_or_404(committee.presidencies.select_related("state"), pk=term_pk)
    back = reverse("policy:committee_detail", args=[committee.pk])
    if request.method == "POST":
        services.presidency_remove(actor=request.user, term=term)
        messages.success(request, _("The presidency was removed."))
        return redirect(back)
    what = _("%(state)s: %(starts)s – %(ends)s") % {
        "state": term.state,
        "starts": date_format(term.starts_on),
        "ends": date_format(term.ends_on),
    }
    return _confirm_remove(request, _("Remove a pro tempore presidency"), what, back)


# --- meetings ---------------------------------------------------------------------------------------


def visible_meetings(user: Any) -> QuerySet[Meeting]:
    return restrict(Meeting.objects.select_related("committee"), user, Action.VIEW)


def meeting_list(request: HttpRequest) -> HttpResponse:
    """Upcoming and past meetings the user may see, filtered by level and format."""
    meetings = visible_meetings(request.user)
    level, fmt = request.GET.get("level", ""), request.GET.get("format", "")
    if level in MeetingLevel.values:
        meetings = meetings.filter(level=level)
    if fmt in MeetingFormat.values:
        meetings = meetings.filter(format=fmt)
    now = timezone.now()
    upcoming = list(meetings.filter(ends_at__gte=now).order_by("starts_at")[:PAGE_SIZE])
    past = Paginator(meetings.filter(ends_at__lt=now).order_by("-starts_at"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "policy/committee/meeting_list.html",
        {
            "upcoming": upcoming,
            "page": past,
            "levels": MeetingLevel.choices,
            "formats": MeetingFormat.choices,
            "level": level,
            "format": fmt,
            "can_schedule": is_secretariat(request.user),
        },
    )


def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A meeting's agenda (with the decisions the user may see), documents, participants, minutes."""
    user = request.user
    decisions = restrict(Decision.objects.all(), user, Action.VIEW)
    meeting = access_object(visible_meetings(user), user, Action.VIEW, pk=pk)
    items = meeting.agenda_items.prefetch_related(
        Prefetch("decisions", queryset=decisions.order_by("reference")),
        Prefetch("documents", queryset=MeetingDocument.objects.order_by("title")),
    )
    return render(
        request,
        "policy/committee/meeting_detail.html",
        {
            "meeting": meeting,
            "items": items,
            "documents": meeting.documents.filter(agenda_item__isnull=True),
            "participants": meeting.participants.select_related("state", "organisation"),
            "other_decisions": decisions.filter(meeting=meeting, agenda_item__isnull=True),
            "minutes": render_markdown(meeting.minutes) if meeting.minutes else "",
            "can_edit": is_secretariat(user),
            "open": meeting.status != MeetingStatus.CANCELLED,
        },
    )


def meeting_create(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return _login(request)
    if not is_secretariat(request.user):
        raise PermissionDenied
    form = MeetingForm(request.POST or None, initial={"committee": Committee.objects.first()})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("lock_version", None)
        try:
            meeting = services.meeting_create(actor=request.user, **data)
        except ValidationError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("The meeting is scheduled."))
            return redirect("policy:meeting_detail", pk=meeting.pk)
    return _form_page(
        request,
        "policy/committee/form.html",
        {"form": form, "title": _("Schedule a meeting"), "back": reverse("policy:meeting_list")},
    )


def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _for_secretariat(request, Meeting, pk=pk)
    if meeting == SIGN_IN:
        return _login(request)
    initial = {name: getattr(meeting, name) for name in services.MEETING_FIELDS}
    initial["lock_version"] = meeting.lock_version
    form = MeetingForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("lock_version")
        try:
            services.meeting_update(actor=request.user, meeting=meeting, expected_version=version, **data)
        except (ValidationError, StaleEdit) as error:
            _apply_error(form, error)
            meeting.refresh_from_db()  # the service applied the typed values before refusing them
        else:
            messages.success(request, _("The meeting was saved."))
            return redirect("policy:meeting_detail", pk=meeting.pk)
    return _form_page(
        request,
        "policy/committee/form.html",
        {"form": form, "title": meeting.title, "back": reverse("policy:meeting_detail", args=[meeting.pk])},
    )


@require_POST
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _for_secretariat(request, Meeting, pk=pk)
    if meeting == SIGN_IN:
        return _login(request)
    try:
        version = int(request.POST.get("lock_version", ""))
        services.meeting_cancel(actor=request.user, meeting=meeting, expected_version=version)
    except ValueError:
        messages.error(request, _("The form is incomplete: reload the page."))
    except (ValidationError, StaleEdit) as error:
        for message in getattr(error, "messages", [str(error)]):
            messages.error(request, message)
    else:
        messages.success(request, _("The meeting is cancelled."))
    return redirect("policy:meeting_detail", pk=meeting.pk)


def meeting_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _for_secretariat(request, Meeting, pk=pk)
    if meeting == SIGN_IN:
        return _login(request)
    initial = {
        "minutes": meeting.minutes,
        "approved_on": meeting.minutes_approved_on,
        "lock_version": meeting.lock_version,
    }
    form = MinutesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.meeting_minutes(
                actor=request.user,
                meeting=meeting,
                expected_version=data["lock_version"],
                minutes=data["minutes"],
                approved_on=data["approved_on"],
            )
        except (ValidationError, StaleEdit) as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("The minutes were saved."))
            return redirect("policy:meeting_detail", pk=meeting.pk)
    return _form_page(
        request,
        "policy/committee/form.html",
        {
            "form": form,
            "title": _("Minutes of %(meeting)s") % {"meeting": meeting.title},
            "back": reverse("policy:meeting_detail", args=[meeting.pk]),
        },
    )


def agenda_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _for_secretariat(request, Meeting, pk=pk)
    if meeting == SIGN_IN:
        return _login(request)
    form = AgendaItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_item_add(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("The item was added to the agenda."))
            return redirect("policy:meeting_detail", pk=meeting.pk)
    return _form_page(
        request,
        "policy/committee/form.html",
        {"form": form, "title": _("Add an agenda item"), "back": reverse("policy:meeting_detail", args=[pk])},
    )


def agenda_item_edit(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = _for_secretariat(request, Meeting, pk=pk)
    if meeting == SIGN_IN:
        return _login(request)
    item = get_object_or_404(meeting.agenda_items, pk=item_pk)
    form = AgendaItemForm(
        request.POST or None, initial={"title": item.title, "description": item.description}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_item_update(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("The agenda item was saved."))
            return redirect("policy:meeting_detail", pk=meeting.pk)
    return _form_page(
        request,
        "policy/committee/form.html",
        {"form": form, "title": str(item), "back": reverse("policy:meeting_detail", args=[pk])},
    )


@require_POST
def agenda_item_move(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """Move an agenda item one place up or down."""
    meeting = _for_secretariat(request, Meeting, pk=pk)
    if meeting == SIGN_IN:
        return _login(request)
    order = list(meeting.agenda_items.order_by("number").values_list("pk", flat=True))
    if item_pk not in order:
        raise PermissionDenied
    index = order.index(item_pk)
    target = index - 1 if request.POST.get("direction") == "up" else index + 1
    if 0 <= target < len(order):
        order[index], order[target] = order[target], order[index]
        services.agenda_reorder(actor=request.user, meeting=meeting, order=order)
    return redirect(reverse("policy:meeting_detail", args=[meeting.pk]) + "#agenda")


def meeting_document_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _for_secretariat(request, Meeting, pk=pk)
    if meeting == SIGN_IN:
        return _login(request)
    form = DocumentForm(request.POST or None, request.FILES or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.meeting_document_add(
                actor=request.user,
                meeting=meeting,
                upload=data["file"],
                title=data["title"],
                language=data["language"],
                agenda_item=data["agenda_item"],
            )
        except ValidationError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("The document was added."))
            return redirect("policy:meeting_detail", pk=meeting.pk)
    return _form_page(
        request,
        "policy/committee/form.html",
        {
            "form": form,
            "title": _("Add a document"),
            "back": reverse("policy:meeting_detail", args=[pk]),
            "multipart": True,
        },
    )


def meeting_document_download(request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
    """A meeting's document, for whoever may see the meeting (never served from MEDIA_URL)."""
    document = access_object(
        MeetingDocument.objects.filter(meeting_id=pk), request.user, Action.VIEW, pk=document_pk
    )
    services.meeting_document_downloaded(document=document, actor=request.user)
    name = (document.file.name or "").rsplit("/", 1)[-1]
    response = FileResponse(document.file.open("rb"), as_attachment=True, filename=safe_file_name(name))
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def meeting_document_remove(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    """Remove a meeting's document and its stored file (the secretariat): a confirmation page, then
    the removal (POST)."""
    meeting = _for_secretariat(request, Meeting, pk=pk)
    if meeting == SIGN_IN:
        return _login(request)
    document = get_object_or_404(meeting.documents.all(), pk=document_pk)
    back = reverse("policy:meeting_detail", args=[meeting.pk])
    if request.method == "POST":
        services.meeting_document_remove(actor=request.user, document=document)
        messages.success(request, _("The document was removed."))
        return redirect(back)
    return _confirm_remove(request, _("Remove a document"), document.title, back)


def participant_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _for_secretariat(request, Meeting, pk=pk)
    if meeting == SIGN_IN:
        return _login(request)
    form = ParticipantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.participant_add(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("The participant was added."))
            return redirect("policy:meeting_detail", pk=meeting.pk)
    return _form_page(
        request,
        "policy/committee/form.html",
        {"form": form, "title": _("Add a participant"), "back": reverse("policy:meeting_detail", args=[pk])},
    )


ATTENDANCE_VALUES = {"yes": True, "no": False, "": None}


def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """Record who attended, one choice per participant."""
    meeting = _for_secretariat(request, Meeting, pk=pk)
    if meeting == SIGN_IN:
        return _login(request)
    participants = list(meeting.participants.select_related("state", "organisation"))
    errors: list[str] = []
    if request.method == "POST":
        marks = {p.pk: ATTENDANCE_VALUES.get(request.POST.get(f"attended-{p.pk}", "")) for p in participants}
        try:
            services.attendance_record(actor=request.user, meeting=meeting, attended=marks)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("The attendance was recorded."))
            return redirect("policy:meeting_detail", pk=meeting.pk)
    return render(
        request,
        "policy/committee/attendance.html",
        {"meeting": meeting, "participants": participants, "errors": errors},
        status=400 if errors else 200,
    )


def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    """One meeting as an iCalendar file."""
    meeting = access_object(visible_meetings(request.user), request.user, Action.VIEW, pk=pk)
    body = committee_calendar.to_ical(
        [committee_calendar.meeting_event(meeting, request.build_absolute_uri("/")[:-1])], name=meeting.title
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


def calendar_feed(request: HttpRequest) -> HttpResponse:
    """Every meeting (and registered deadline) the user may see; public ones without signing in."""
    body = committee_calendar.feed(
        request.user, request.build_absolute_uri("/")[:-1], name=_("Ceiba policy cycle")
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="ceiba-policy.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- decisions --------------------------------------------------------------------------------------


def decision_create(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = _for_secretariat(request, Meeting, pk=pk)
    if meeting == SIGN_IN:
        return _login(request)
    item = get_object_or_404(
        AgendaItem.objects.select_related("meeting__committee"), meeting=meeting, pk=item_pk
    )
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.decision_create(actor=request.user, agenda_item=item, **form.cleaned_data)
        except ValidationError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("The draft decision was saved."))
            return redirect("policy:decision_detail", pk=decision.pk)
    return _form_page(
        request,
        "policy/committee/form.html",
        {
            "form": form,
            "title": _("Decision on item %(item)s") % {"item": item},
            "back": reverse("policy:meeting_detail", args=[pk]),
        },
    )


def _decision(request: HttpRequest, pk: int) -> Decision:
    return access_object(
        Decision.objects.select_related("meeting__committee", "agenda_item"), request.user, Action.VIEW, pk=pk
    )


def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A decision: its current text, the history of its versions with what changed, the positions of
    the member states, the outcome; the secretariat's forms while it is a draft."""
    decision = _decision(request, pk)
    texts = list(decision.texts.select_related("created_by").order_by("number"))
    history = []
    previous = ""
    for text in texts:
        history.append({"text": text, "changes": services.text_changes(previous, text.text)})
        previous = text.text
    history.reverse()
    positions = list(decision.positions.select_related("state"))
    can_edit = is_secretariat(request.user)
    draft = decision.status == DecisionStatus.DRAFT
    context: dict[str, Any] = {
        "decision": decision,
        "current": texts[-1] if texts else None,
        "current_html": render_markdown(texts[-1].text) if texts else "",
        "history": history,
        "positions": positions,
        "reservations": [p for p in positions if p.position == Position.RESERVATION],
        "can_edit": can_edit and draft,
        "can_publish": can_edit and not draft,
        "meeting_visible": restrict(Meeting, request.user).filter(pk=decision.meeting_id).exists(),
        # What the decision led to, as far as the viewer may see it.
        "adopted_priorities": restrict(Priority.objects.filter(decision=decision), request.user)
        .select_related("cycle")
        .order_by("code"),
        "adopted_plans": restrict(OperationalActionPlan.objects.filter(decision=decision), request.user)
        .select_related("priority")
        .order_by("starts_on", "pk"),
        "made_recommendations": restrict(
            Recommendation.objects.filter(decision=decision), request.user
        ).order_by("code"),
    }
    if can_edit and draft:
        members = decision.meeting.committee.member_state_ids(decision.meeting.starts_at.date())
        position_form = PositionForm()
        position_form.fields["state"].queryset = position_form.fields["state"].queryset.filter(  # type: ignore[attr-defined]
            pk__in=members
        )
        context.update(
            text_form=DecisionTextForm(
                initial={"text": texts[-1].text if texts else "", "lock_version": decision.lock_version}
            ),
            position_form=position_form,
            close_form=CloseForm(initial={"lock_version": decision.lock_version}),
        )
    if can_edit and not draft:
        context["publish_form"] = PublishForm(
            initial={"lock_version": decision.lock_version, "public": decision.published_at is not None}
        )
    return render(request, "policy/committee/decision_detail.html", context)


def _decision_action(request: HttpRequest, pk: int) -> Decision | HttpResponse:
    if not request.user.is_authenticated:
        return _login(request)
    decision = _decision(request, pk)
    if not is_secretariat(request.user):
        raise PermissionDenied
    return decision


def _report(request: HttpRequest, form: Any, error: Exception | None, done: str) -> None:
    if error is None and form.is_valid():
        messages.success(request, done)
        return
    if isinstance(error, ValidationError):
        for message in error.messages:
            messages.error(request, message)
    elif error is not None:
        messages.error(request, str(error))
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)


@require_POST
def decision_text(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _decision_action(request, pk)
    if isinstance(decision, HttpResponse):
        return decision
    form = DecisionTextForm(request.POST)
    error: Exception | None = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.decision_text_add(
                actor=request.user,
                decision=decision,
                expected_version=data["lock_version"],
                text=data["text"],
                note=data["note"],
            )
        except (ValidationError, StaleEdit) as caught:
            error = caught
    _report(request, form, error, _("A new version of the text was saved."))
    return redirect("policy:decision_detail", pk=decision.pk)


@require_POST
def decision_position(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _decision_action(request, pk)
    if isinstance(decision, HttpResponse):
        return decision
    form = PositionForm(request.POST)
    error: Exception | None = None
    if form.is_valid():
        try:
            services.position_record(actor=request.user, decision=decision, **form.cleaned_data)
        except ValidationError as caught:
            error = caught
    _report(request, form, error, _("The position was recorded."))
    return redirect(reverse("policy:decision_detail", args=[decision.pk]) + "#positions")


@require_POST
def decision_close(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _decision_action(request, pk)
    if isinstance(decision, HttpResponse):
        return decision
    form = CloseForm(request.POST)
    error: Exception | None = None
    if form.is_valid():
        try:
            services.decision_close(
                actor=request.user,
                decision=decision,
                expected_version=form.cleaned_data["lock_version"],
                decided_on=form.cleaned_data["decided_on"],
            )
        except (ValidationError, StaleEdit) as caught:
            error = caught
    _report(request, form, error, _("The decision is closed."))
    return redirect("policy:decision_detail", pk=decision.pk)


@require_POST
def decision_publish(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _decision_action(request, pk)
    if isinstance(decision, HttpResponse):
        return decision
    form = PublishForm(request.POST)
    error: Exception | None = None
    if form.is_valid():
        try:
            services.decision_publish(
                actor=request.user,
                decision=decision,
                expected_version=form.cleaned_data["lock_version"],
                public=form.cleaned_data["public"],
            )
        except (ValidationError, StaleEdit) as caught:
            error = caught
    _report(request, form, error, _("The decision's visibility was saved."))
    return redirect("policy:decision_detail", pk=decision.pk)
