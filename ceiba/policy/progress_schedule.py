"""When progress reports are due and which are overdue (pure: no Django, no database;
docs/decisions/0053-progress-reporting.md).

An action owes a report every `months` months from its start (the plan's reporting rhythm) and a
final one at its end. A due date is met by any report whose period ends on or after it; a due date
before today that no report meets is overdue. A cancelled action owes nothing."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` months later (the month's last day when it is shorter)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_dates(start: dt.date, end: dt.date, months: int) -> list[dt.date]:
    """Every `months` months after `start` while before `end`, then `end` itself (the final
    report). Nothing when the action ends before it starts; `months` below 1 counts as 1."""
    if end < start:
        return []
    months = max(1, months)
    dates: list[dt.date] = []
    step = 1
    while True:
        day = add_months(start, months * step)
        if day >= end:
            break
        dates.append(day)
        step += 1
    dates.append(end)
    return dates


@dataclass(frozen=True)
class Schedule:
    """An action's reporting position on a given day."""

    due: list[dt.date]
    overdue: list[dt.date]
    next_due: dt.date | None

    @property
    def is_overdue(self) -> bool:
        return bool(self.overdue)


def schedule(
    *,
    start: dt.date,
    end: dt.date,
    months: int,
    period_ends: Iterable[dt.date],
    today: dt.date,
    cancelled: bool = False,
) -> Schedule:
    """The due dates of an action, the passed ones no report meets, and the next one to come that
    no report meets yet."""
    if cancelled:
        return Schedule([], [], None)
    dates = due_dates(start, end, months)
    latest = max(period_ends, default=None)

    def met(day: dt.date) -> bool:
        return latest is not None and latest >= day

    overdue = [day for day in dates if day < today and not met(day)]
    upcoming = [day for day in dates if day >= today and not met(day)]
    return Schedule(dates, overdue, upcoming[0] if upcoming else None)
