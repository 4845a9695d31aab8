"""The week and month calendars of a resource: its bookings laid out on local days, each
with what the viewer may see of it (everything, the booking institution, or "busy")."""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
from dataclasses import dataclass, field

from setka.network.roles import UserRoles

from . import selectors
from .models import Booking, Resource, Status
from .rules import municipal_roles
from .timing import day_bounds, local, windows_text, zone

FULL, INSTITUTION, BUSY = "full", "institution", "busy"


def detail(roles: UserRoles, booking: Booking, municipality_id: int) -> str:
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
    booking: Booking
    starts: dt.datetime  # local
    ends: dt.datetime
    detail: str

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
