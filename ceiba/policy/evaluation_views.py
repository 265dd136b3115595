"""Pages of a cycle's evaluation (under /policy/cycles/<id>/evaluation/): the figures computed from
the data (frozen once final), the lessons, the PDF in four languages; the secretariat records lessons
and finalises. Members read a draft; everyone reads a final evaluation; others get "not found"."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ceiba.common import audit
from ceiba.common.access import Action, NotShared, access_object, is_secretariat, restrict
from ceiba.common.models import AuditAction

from . import evaluation_report, evaluation_selectors, evaluation_services
from .evaluation_forms import FinaliseForm, LessonForm
from .models import Lesson, PolicyCycle


def _cycle(request: HttpRequest, pk: int) -> PolicyCycle | HttpResponse:
    try:
        return evaluation_selectors.visible_cycle(request.user, pk)
    except NotShared:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise


def _secretariat_cycle(request: HttpRequest, pk: int) -> PolicyCycle | HttpResponse:
    cycle = _cycle(request, pk)
    if isinstance(cycle, PolicyCycle) and not is_secretariat(request.user):
        raise PermissionDenied
    return cycle


def _page_url(cycle: PolicyCycle) -> str:
    return reverse("policy:evaluation", args=[cycle.pk])


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def evaluation_page(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _cycle(request, pk)
    if isinstance(cycle, HttpResponse):
        return cycle
    return _render(request, cycle)


def _render(
    request: HttpRequest, cycle: PolicyCycle, lesson_form: LessonForm | None = None, status: int = 200
) -> HttpResponse:
    data = evaluation_selectors.evaluation_data(cycle, request.user)
    context: dict[str, Any] = evaluation_report.layout(data)
    can_edit = is_secretariat(request.user) and not data["final"]
    lessons: list[Any] = (
        data["figures"].get("lessons", [])
        if data["final"]
        else list(restrict(Lesson.objects.filter(cycle=cycle), request.user).order_by("created_at", "pk"))
    )
    context.update(
        lessons=lessons,
        can_edit=can_edit,
        lesson_form=lesson_form or LessonForm(),
        finalise_form=FinaliseForm(),
        report_languages=evaluation_report.report_languages(),
    )
    return render(request, "policy/evaluation/page.html", context, status=status)


def evaluation_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _cycle(request, pk)
    if isinstance(cycle, HttpResponse):
        return cycle
    language = evaluation_report.report_language(request.GET.get("lang"))
    data = evaluation_selectors.evaluation_data(cycle, request.user)
    if not data["final"]:
        audit.record(
            AuditAction.EXPORT,
            obj=cycle,
            actor=request.user,
            changes={"evaluation": "pdf", "language": language},
        )
    response = HttpResponse(
        evaluation_report.evaluation_pdf(cycle, data, language), content_type="application/pdf"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{evaluation_report.pdf_filename(cycle, language)}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def lesson_create(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _secretariat_cycle(request, pk)
    if isinstance(cycle, HttpResponse):
        return cycle
    form = LessonForm(request.POST)
    if not form.is_valid():
        return _render(request, cycle, lesson_form=form, status=400)
    try:
        evaluation_services.lesson_create(actor=request.user, cycle=cycle, **form.cleaned_data)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("The lesson is recorded."))
    return redirect(_page_url(cycle))


def _lesson(request: HttpRequest, pk: int) -> Lesson | HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    lesson = access_object(Lesson.objects.select_related("cycle"), request.user, Action.VIEW, pk=pk)
    if not is_secretariat(request.user):
        raise PermissionDenied
    return lesson


def lesson_edit(request: HttpRequest, pk: int) -> HttpResponse:
    lesson = _lesson(request, pk)
    if isinstance(lesson, HttpResponse):
        return lesson
    form = LessonForm(request.POST or None, initial={"title": lesson.title, "text": lesson.text})
    if request.method == "POST" and form.is_valid():
        try:
            evaluation_services.lesson_update(actor=request.user, lesson=lesson, **form.cleaned_data)
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("The lesson is saved."))
        return redirect(_page_url(lesson.cycle))
    return render(
        request,
        "policy/evaluation/lesson_form.html",
        {"form": form, "lesson": lesson, "cycle": lesson.cycle},
        status=400 if form.errors else 200,
    )


@require_POST
def lesson_delete(request: HttpRequest, pk: int) -> HttpResponse:
    lesson = _lesson(request, pk)
    if isinstance(lesson, HttpResponse):
        return lesson
    cycle = lesson.cycle
    try:
        evaluation_services.lesson_delete(actor=request.user, lesson=lesson)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("The lesson is removed."))
    return redirect(_page_url(cycle))


@require_POST
def evaluation_finalise(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _secretariat_cycle(request, pk)
    if isinstance(cycle, HttpResponse):
        return cycle
    form = FinaliseForm(request.POST)
    summary = form.cleaned_data["summary"] if form.is_valid() else ""
    try:
        evaluation_services.evaluation_finalise(actor=request.user, cycle=cycle, summary=summary)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(
            request, _("The evaluation is final: its figures are frozen and everyone may read it.")
        )
    return redirect(_page_url(cycle))
