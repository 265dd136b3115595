"""The inbox and notification preferences of the signed-in person. Everyone sees only their own
notifications: another person's answers "not found"."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ceiba.common.access import Action, access_object, restrict

from . import notifications as service
from .choices import NotificationChannel
from .models import Notification, User

INBOX_PAGE_SIZE = 25


class NotificationPreferencesForm(forms.Form):
    """One choice of channel per registered kind of notification."""

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kinds = service.preferences_for(user)
        for kind, channel in self.kinds:
            self.fields[kind.key] = forms.ChoiceField(
                label=str(kind.label),
                help_text=str(kind.description),
                choices=NotificationChannel.choices,
                initial=channel,
                widget=forms.RadioSelect,
            )


def _next_or(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """The inbox, newest first; `?unread=1` shows only unread notifications."""
    only_unread = request.GET.get("unread") == "1"
    inbox = Notification.objects.inbox()
    queryset = restrict(inbox.unread() if only_unread else inbox, request.user, Action.VIEW)
    paginator = Paginator(queryset.order_by("-created_at", "-id"), INBOX_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "core/notification_list.html", {"page": page, "only_unread": only_unread})


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = access_object(Notification.objects.inbox(), request.user, Action.CHANGE, pk=pk)
    service.notification_mark_read(actor=request.user, notification=notification)  # type: ignore[arg-type]
    return redirect(_next_or(request, reverse("core:notification_list")))


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    count = service.notifications_mark_all_read(actor=request.user)  # type: ignore[arg-type]
    if count:
        messages.success(request, _("All notifications are marked read."))
    return redirect("core:notification_list")


@login_required
def notification_preferences(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = NotificationPreferencesForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        for kind, channel in form.kinds:
            if form.cleaned_data[kind.key] != channel:
                service.notification_preference_set(
                    actor=user, kind=kind.key, channel=form.cleaned_data[kind.key]
                )
        messages.success(request, _("Your notification preferences are saved."))
        return redirect("core:notification_preferences")
    return render(
        request,
        "core/notification_preferences.html",
        {"form": form, "title": gettext_lazy("Notification preferences")},
        status=400 if form.errors else 200,
    )
