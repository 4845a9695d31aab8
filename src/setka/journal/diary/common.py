"""What the week and the summary share: weeks, names, mark texts, the membership subquery."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet

from setka.core import dates

from ..models import GroupMember

DAYS_IN_WEEK = 6  # Monday to Saturday
ABSENCE_CODES = ("Н", "Б", "УП")


def week_start(day: dt.date) -> dt.date:
    """The Monday of the week of ``day``."""
    return day - dt.timedelta(days=day.weekday())


def parse_week(value: str | None, today: dt.date) -> dt.date:
    """The Monday of ``?week=2026-11-23`` (any day of the week will do); the current week
    for an empty or unreadable value."""
    day = dates.parse_date(value)  # None for a bad value or a year outside 1900–2100
    return week_start(day or today)


def short_name(surname: str, given: str, patronymic: str) -> str:
    initials = "".join(f"{p[0]}." for p in (given, patronymic) if p)
    return f"{surname} {initials}".strip()


def groups_of(student_id: int, start: dt.date, end: dt.date) -> QuerySet[GroupMember, Any]:
    """The student's group memberships that overlap ``start``…``end`` (for an IN subquery)."""
    return (
        GroupMember.objects.filter(student_id=student_id, starts_on__lte=end)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start))
        .values("group_id")
    )
