"""Reads of the resource centres, shared by the pages, the API, the feeds, «Сегодня» and
other modules (the map of the network reads :func:`booking_links`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet, Window

from setka.core.clock import now
from setka.network.models import Institution, Municipality
from setka.network.roles import UserRoles

from .models import ACTIVE, Booking, Resource, Status
from .rules import municipal_roles
from .timing import day_bounds, zone


def booking_links(
    municipality_id: int, first: dt.date, last: dt.date
) -> list[tuple[int, int, int]]:
    """Who uses whose resources: (booking institution id, owner institution id, number of
    confirmed bookings starting from ``first`` to ``last``, inclusive, local days of the
    municipality), for the map of the network. An institution's bookings of its own
    resources are no link and are left out. One aggregate query (after the municipality's
    time zone, read once)."""
    tz_name = (
        Municipality.objects.filter(pk=municipality_id).values_list("time_zone", flat=True).first()
    )
    if tz_name is None:
        return []
    start, end = day_bounds(first, last, zone(tz_name))
    rows = (
        Booking.objects.filter(
            owner__municipality_id=municipality_id,
            status=Status.CONFIRMED,
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .exclude(institution_id=F("owner_id"))
        .values_list("institution_id", "owner_id")
        .annotate(n=Count("id"))
        .order_by("institution_id", "owner_id")
    )
    return [(a, b, n) for a, b, n in rows]


def resources_visible(roles: UserRoles) -> QuerySet[Resource]:
    """The catalogue a person sees: active public resources of every municipality, every
    active resource of their own municipality, and all of the centres they administer."""
    visible = Q(is_active=True, is_public=True)
    if roles.municipality_id is not None:
        visible |= Q(is_active=True, institution__municipality_id=roles.municipality_id)
    if municipal_roles(roles):
        visible |= Q(is_active=True, institution__municipality_id__in=municipal_roles(roles))
    if roles.admin_of:
        visible |= Q(institution_id__in=roles.admin_of)
    return Resource.objects.filter(visible)


def catalogue(
    roles: UserRoles, *, kind: str = "", institution_id: int | None = None, text: str = ""
) -> QuerySet[Resource]:
    qs = resources_visible(roles).select_related("institution")
    if kind:
        qs = qs.filter(kind=kind)
    if institution_id:
        qs = qs.filter(institution_id=institution_id)
    if text:
        qs = qs.filter(Q(name__icontains=text) | Q(description__icontains=text))
    return qs.order_by("institution__short_name", "name", "id")


def centres(roles: UserRoles) -> list[Institution]:
    """The institutions with a resource in the person's catalogue (for the filter)."""
    ids = resources_visible(roles).values("institution_id")
    return list(Institution.objects.filter(pk__in=ids).order_by("short_name"))


@dataclass(frozen=True)
class CalendarBooking:
    """What a calendar shows of a booking (read without model instances: a month of a
    busy resource has a hundred of them)."""

    pk: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    status: str
    purpose: str
    institution_id: int
    institution_name: str
    owner_id: int
    booked_by_id: int | None

    @classmethod
    def of(cls, booking: Booking) -> CalendarBooking:
        return cls(booking.pk, booking.starts_at, booking.ends_at, booking.status,
                   booking.purpose, booking.institution_id, booking.institution.short_name,
                   booking.owner_id, booking.booked_by_id)  # fmt: skip


def bookings_between(
    resource: Resource, start: dt.datetime, end: dt.datetime
) -> list[CalendarBooking]:
    """The active bookings of a resource that meet [start, end), in time order, with what a
    calendar shows of them (one query)."""
    rows = (
        Booking.objects.active()
        .filter(resource=resource)
        .overlapping(start, end)
        .order_by("starts_at", "id")
        .values_list(
            "id", "starts_at", "ends_at", "status", "purpose", "institution_id",
            "institution__short_name", "owner_id", "booked_by_id",
        )
    )  # fmt: skip
    return [CalendarBooking(*row) for row in rows]


def feed_bookings(resource: Resource, start: dt.datetime, end: dt.datetime) -> list[tuple]:
    """(id, starts_at, ends_at, status, updated_at) of the active bookings in [start, end):
    what the public feed tells (busy time, nothing personal). One query."""
    return list(
        Booking.objects.active()
        .filter(resource=resource)
        .overlapping(start, end)
        .order_by("starts_at", "id")
        .values_list("id", "starts_at", "ends_at", "status", "updated_at")
    )


def bookings_of(roles: UserRoles) -> QuerySet[Booking]:
    """Every booking a person may see in full: of the centres they administer, of the
    institutions they administer, their own, and the municipality's for its officials."""
    seen = Q(owner_id__in=roles.admin_of) | Q(institution_id__in=roles.admin_of)
    if roles.person_id is not None:
        seen |= Q(booked_by_id=roles.person_id)
    if municipal_roles(roles):
        seen |= Q(owner__municipality_id__in=municipal_roles(roles))
    return Booking.objects.filter(seen).select_related(
        "resource", "owner__municipality", "institution", "booked_by"
    )


def bookings_list(
    roles: UserRoles, *, side: str = "", status: str = "", upcoming: bool = False
) -> QuerySet[Booking]:
    """``side``: "owner" (of my centres' resources), "booker" (ours), or both."""
    qs = bookings_of(roles)
    if side == "owner":
        qs = qs.filter(owner_id__in=roles.admin_of)
    elif side == "booker":
        mine = Q(institution_id__in=roles.admin_of)
        if roles.person_id is not None:
            mine |= Q(booked_by_id=roles.person_id)
        qs = qs.filter(mine)
    if status:
        qs = qs.filter(status=status)
    if upcoming:
        qs = qs.filter(ends_at__gt=now())
        if not status:
            qs = qs.filter(status__in=ACTIVE)
        return qs.order_by("starts_at", "id")
    return qs.order_by("-starts_at", "-id")


def to_approve(roles: UserRoles, limit: int = 5) -> tuple[list[Booking], int]:
    """The first waiting bookings of the centres a person administers, and how many wait
    (one query: the total rides on each row)."""
    if not roles.admin_of:
        return [], 0
    rows = list(
        Booking.objects.filter(
            owner_id__in=roles.admin_of, status=Status.PENDING, starts_at__gt=now()
        )
        .annotate(total=Window(Count("id")))
        .select_related("resource", "institution", "owner__municipality")
        .order_by("starts_at", "id")[:limit]
    )
    return rows, (rows[0].total if rows else 0)


def next_bookings(roles: UserRoles, limit: int = 5) -> list[Booking]:
    """The coming bookings a person made or their institutions hold (not yet over)."""
    mine = Q(institution_id__in=roles.admin_of)
    if roles.person_id is not None:
        mine |= Q(booked_by_id=roles.person_id)
    return list(
        Booking.objects.filter(mine, status__in=ACTIVE, ends_at__gt=now())
        .select_related("resource", "owner__municipality", "institution")
        .order_by("starts_at", "id")[:limit]
    )


def booking_institutions(roles: UserRoles, resource: Resource) -> list[tuple[int, str]]:
    """The institutions a person may book ``resource`` for (``rules.may_book_for``): those
    they administer, those where they teach when teachers may book it, and every institution
    of the municipality for its officials. One query, none when there can be none."""
    municipality_id = resource.institution.municipality_id
    if not resource.is_active:
        return []
    qs = Institution.objects.filter(municipality_id=municipality_id, is_active=True)
    if municipality_id not in municipal_roles(roles):
        ids = set(roles.admin_of) | (set(roles.teacher_of) if resource.teachers_may_book else set())
        if not ids:
            return []
        qs = qs.filter(pk__in=ids)
    return list(qs.order_by("short_name").values_list("pk", "short_name"))
