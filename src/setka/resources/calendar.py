"""The week and month calendars of a resource: its bookings laid out on local days, each
with what the viewer may see of it (everything, the booking institution, or "busy")."""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.dates import MONTHS, MONTHS_ALT, WEEKDAYS, WEEKDAYS_ABBR
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from setka.network.roles import UserRoles

from . import selectors
from .models import Booking, Resource, Status
from .rules import municipal_roles
from .selectors import CalendarBooking
from .timing import day_bounds, local, windows_text, zone

FULL, INSTITUTION, BUSY = "full", "institution", "busy"


def detail(roles: UserRoles, booking: Booking | CalendarBooking, municipality_id: int) -> str:
    """How much of ``booking`` the viewer sees on a calendar."""
    if (
        booking.owner_id in roles.admin_of
        or booking.institution_id in roles.admin_of
        or (roles.person_id is not None and booking.booked_by_id == roles.person_id)
        or municipality_id in municipal_roles(roles)
    ):
        return FULL
    if roles.municipality_id == municipality_id:
        return INSTITUTION
    return BUSY


@dataclass
class Slot:
    booking: CalendarBooking
    starts: dt.datetime  # local
    ends: dt.datetime
    detail: str

    @property
    def start_text(self) -> str:
        return f"{self.starts:%H:%M}"

    @property
    def end_text(self) -> str:
        return f"{self.ends:%H:%M}"

    @property
    def pending(self) -> bool:
        return self.booking.status == Status.PENDING


@dataclass
class Day:
    date: dt.date
    hours: str  # bookable hours, "08:00–17:00"
    slots: list[Slot] = field(default_factory=list)
    in_month: bool = True
    is_today: bool = False
    is_past: bool = False

    @property
    def hours_text(self) -> str:
        if not self.hours:
            return _("Not bookable")
        return _("Bookable %(hours)s") % {"hours": self.hours}


def _days(
    resource: Resource, roles: UserRoles, first: dt.date, last: dt.date, today: dt.date
) -> list[Day]:
    municipality = resource.institution.municipality
    tz = zone(municipality.time_zone)
    by_weekday: dict[int, list[tuple[dt.time, dt.time]]] = {}
    for w in resource.windows.all():
        by_weekday.setdefault(w.weekday, []).append((w.starts_at, w.ends_at))
    days = {}
    day = first
    while day <= last:
        days[day] = Day(
            day,
            windows_text(by_weekday.get(day.weekday(), [])),
            is_today=day == today,
            is_past=day < today,
        )
        day += dt.timedelta(days=1)
    start, end = day_bounds(first, last, tz)
    for booking in selectors.bookings_between(resource, start, end):
        starts = local(booking.starts_at, tz)
        shown = detail(roles, booking, municipality.pk)
        slot = Slot(booking, starts, local(booking.ends_at, tz), shown)
        if starts.date() in days:
            days[starts.date()].slots.append(slot)
    return list(days.values())


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def week(resource: Resource, roles: UserRoles, monday: dt.date, today: dt.date) -> list[Day]:
    return _days(resource, roles, monday, monday + dt.timedelta(days=6), today)


def month(
    resource: Resource, roles: UserRoles, year: int, month_number: int, today: dt.date
) -> list[list[Day]]:
    """The weeks (Monday to Sunday) that cover the month; days of the months around it are
    marked ``in_month=False``."""
    first = dt.date(year, month_number, 1)
    last = dt.date(year, month_number, pycalendar.monthrange(year, month_number)[1])
    days = _days(resource, roles, monday_of(first), monday_of(last) + dt.timedelta(days=6), today)
    for d in days:
        d.in_month = d.date.month == month_number
    return [days[i : i + 7] for i in range(0, len(days), 7)]


def parse_week(value: str | None, today: dt.date) -> dt.date:
    try:
        day = dt.date.fromisoformat(value) if value else today
    except ValueError:
        day = today
    if not 1900 <= day.year <= 2100:
        day = today
    return monday_of(day)


def parse_month(value: str | None, today: dt.date) -> tuple[int, int]:
    try:
        year, number = (int(x) for x in (value or "").split("-"))
        if 1900 <= year <= 2100 and 1 <= number <= 12:
            return year, number
    except ValueError:
        pass
    return today.year, today.month


def shift_month(year: int, number: int, delta: int) -> str:
    index = year * 12 + number - 1 + delta
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _labels(resource: Resource) -> dict[str, Any]:
    """The words of a calendar, translated once per page (not once per day)."""
    return {
        "busy": _("busy"),
        "waiting": _("waits for approval"),
        "today_text": _("today"),
        "free": _("free"),
        "book_on": _("Book on"),
        "weekdays": [str(WEEKDAYS[d]) for d in range(7)],
        "weekdays_abbr": [str(WEEKDAYS_ABBR[d]) for d in range(7)],
        "months": {m: str(MONTHS[m]) for m in MONTHS},
        "months_alt": {m: str(MONTHS_ALT[m]) for m in MONTHS_ALT},
        "bookings_url": reverse("resources:bookings"),
        "week_url": reverse("resources:resource", args=[resource.pk]) + "?week=",
    }


def render_week(resource: Resource, days: list[Day], *, may_book: bool) -> SafeString:
    """The week's days as HTML (Jinja2: the calendars are the large grids of this module)."""
    context = {
        "t": _labels(resource),
        "days": days,
        "book_url": reverse("resources:book", args=[resource.pk]) if may_book else "",
    }
    return SafeString(render_to_string("resources/week_days.html", context, using="jinja2"))


def render_month(resource: Resource, weeks: list[list[Day]]) -> SafeString:
    context = {"t": _labels(resource), "weeks": weeks}
    return SafeString(render_to_string("resources/month_table.html", context, using="jinja2"))
