"""iCalendar export (RFC 5545) of the committee's meetings and, through `register_calendar_source`, of
other dated events of the policy cycle (action deadlines, reporting due dates, recommendation
deadlines) that other parts register. docs/decisions/0052-icalendar.md.

Every event has a stable UID (`<kind>-<id>@<CEIBA_CALENDAR_DOMAIN>`) so that calendar programs update
it instead of duplicating it, and its times are written in UTC."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from ceiba.common.access import Action, restrict

from .choices import MeetingStatus
from .models import Meeting


@dataclass(frozen=True)
class CalendarEvent:
    """One event of a feed: `starts` is a datetime (converted to UTC) or a date (all day)."""

    uid: str
    summary: str
    starts: dt.datetime | dt.date
    ends: dt.datetime | dt.date | None = None
    description: str = ""
    location: str = ""
    url: str = ""
    cancelled: bool = False
    stamp: dt.datetime | None = None


#: A source yields the events a user may see (`user`, `request_base_url`) -> events.
CalendarSource = Callable[[Any, str], Iterable[CalendarEvent]]
_SOURCES: list[CalendarSource] = []


def register_calendar_source(source: CalendarSource) -> CalendarSource:
    """Add a source of events to the calendar feed (usable as a decorator). A source must apply the
    access policy to the user itself."""
    if source not in _SOURCES:
        _SOURCES.append(source)
    return source


def calendar_sources() -> list[CalendarSource]:
    return [meeting_events, *_SOURCES]


def uid_for(kind: str, pk: object) -> str:
    domain = getattr(settings, "CEIBA_CALENDAR_DOMAIN", "ceiba.invalid")
    return f"{kind}-{pk}@{domain}"


def visible_meetings(user: Any) -> QuerySet[Meeting]:
    """Meetings the user may read (public ones only without signing in)."""
    return restrict(Meeting.objects.select_related("committee"), user, Action.VIEW).order_by(
        "starts_at", "pk"
    )


def meeting_event(meeting: Meeting, base_url: str = "") -> CalendarEvent:
    link = meeting.online_url or ""
    description = meeting.description
    if link:
        description = f"{description}\n\n{link}".strip()
    return CalendarEvent(
        uid=uid_for("meeting", meeting.pk),
        summary=meeting.title,
        starts=meeting.starts_at,
        ends=meeting.ends_at,
        description=description,
        location=meeting.location or link,
        url=base_url + reverse("policy:meeting_detail", args=[meeting.pk]),
        cancelled=meeting.status == MeetingStatus.CANCELLED,
        stamp=meeting.updated_at,
    )


def meeting_events(user: Any, base_url: str) -> Iterable[CalendarEvent]:
    return (meeting_event(meeting, base_url) for meeting in visible_meetings(user))


def _utc(value: dt.datetime | dt.date) -> dt.datetime | dt.date:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC) if timezone.is_aware(value) else value.replace(tzinfo=dt.UTC)
    return value


def to_ical(events: Iterable[CalendarEvent], *, name: str) -> bytes:
    """An iCalendar document of `events` (sorted by start, then UID, so the output is stable)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Ceiba//Policy cycle//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)

    def key(event: CalendarEvent) -> tuple[str, str]:
        return (_utc(event.starts).isoformat(), event.uid)

    for item in sorted(events, key=key):
        event = Event()
        event.add("uid", item.uid)
        event.add("summary", item.summary)
        event.add("dtstart", _utc(item.starts))
        if item.ends is not None:
            event.add("dtend", _utc(item.ends))
        event.add("dtstamp", _utc(item.stamp or timezone.now()))
        if item.description:
            event.add("description", item.description)
        if item.location:
            event.add("location", item.location)
        if item.url:
            event.add("url", item.url)
        event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()


def feed(user: Any, base_url: str, *, name: str) -> bytes:
    """Every event of every registered source that the user may see."""
    events: list[CalendarEvent] = []
    for source in calendar_sources():
        events.extend(source(user, base_url))
    return to_ical(events, name=name)
