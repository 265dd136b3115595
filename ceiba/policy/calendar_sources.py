"""Dated events of the policy cycle in the iCalendar feed (`/policy/calendar.ics`), besides meetings:
operational actions' end dates (for the committee's members) and their next progress report due
dates (for their leaders and the secretariat), and recommendations' deadlines (per the viewer's
access). Every source reads through the access policy; see committee_calendar.register_calendar_source."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ceiba.common.access import Action, is_secretariat, principal_for, restrict

from . import progress_services
from .choices import ActionStatus
from .committee_calendar import CalendarEvent, register_calendar_source, uid_for
from .models import OperationalAction, Recommendation
from .policies import is_member

#: Actions in these states have no more end date or report to come.
CLOSED_ACTION_STATUSES = (ActionStatus.CANCELLED,)


def _one_day(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=1)


def action_events(user: Any, base_url: str) -> Iterable[CalendarEvent]:
    """For members: the end date of each operational action they may see. Its next progress report
    due date goes to whom reports on it (its leaders, as the deadline notifications do) and to the
    secretariat, who follows every report up; other members would only get noise."""
    principal = principal_for(user)
    if not is_member(principal):
        return []
    today = timezone.localdate()
    visible = restrict(OperationalAction, user, Action.VIEW).exclude(status__in=CLOSED_ACTION_STATUSES)
    reported: set[int] | None = None  # None: every visible action's due dates (the secretariat)
    if not is_secretariat(principal):
        reported = set(visible.filter(progress_services.led_actions_q(user)).values_list("pk", flat=True))
    actions = progress_services.with_latest_report(visible.select_related("plan").order_by("ends_on", "pk"))
    events: list[CalendarEvent] = []
    for action in actions:
        url = base_url + reverse("policy:action_detail", args=[action.pk])
        events.append(
            CalendarEvent(
                uid=uid_for("action-end", action.pk),
                summary=_("Action ends: %(code)s %(title)s") % {"code": action.code, "title": action.title},
                starts=action.ends_on,
                ends=_one_day(action.ends_on),
                description=str(action.plan),
                url=url,
                stamp=action.updated_at,
            )
        )
        if reported is not None and action.pk not in reported:
            continue
        due = progress_services.action_schedule(action, today, action.latest_period_end).next_due
        if due is not None:
            events.append(
                CalendarEvent(
                    uid=uid_for("progress-due", action.pk),
                    summary=_("Progress report due: %(code)s") % {"code": action.code},
                    starts=due,
                    ends=_one_day(due),
                    description=action.title,
                    url=base_url + reverse("policy:progress_action", args=[action.pk]),
                    stamp=action.updated_at,
                )
            )
    return events


def recommendation_events(user: Any, base_url: str) -> Iterable[CalendarEvent]:
    """The deadline of each recommendation the viewer may read."""
    recommendations = restrict(Recommendation, user, Action.VIEW).order_by("deadline", "pk")
    return [
        CalendarEvent(
            uid=uid_for("recommendation-deadline", recommendation.pk),
            summary=_("Recommendation deadline: %(code)s") % {"code": recommendation.code},
            starts=recommendation.deadline,
            ends=_one_day(recommendation.deadline),
            description=recommendation.title,
            url=base_url + reverse("policy:recommendation_detail", args=[recommendation.pk]),
            stamp=recommendation.updated_at,
        )
        for recommendation in recommendations
    ]


def register() -> None:
    register_calendar_source(action_events)
    register_calendar_source(recommendation_events)
