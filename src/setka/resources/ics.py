"""The iCalendar (RFC 5545) feed of a resource: its busy time, nothing personal, for calendar
applications to subscribe to (``webcal://``)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .models import Resource, Status

#: The feed covers a month back and a year ahead.
PAST = dt.timedelta(days=31)
AHEAD = dt.timedelta(days=366)


def feed(resource: Resource, rows: list[tuple], *, host: str) -> bytes:
    """``rows``: (id, starts_at, ends_at, status, updated_at) from ``selectors.feed_bookings``."""
    cal = Calendar()
    cal.add("prodid", "-//Setka//Resource centres//RU")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"{resource.name} — {resource.institution.short_name}")
    cal.add("x-wr-timezone", resource.institution.municipality.time_zone)
    cal.add("refresh-interval", dt.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    busy, waiting = _("Busy"), _("Busy (waits for approval)")
    for pk, starts_at, ends_at, status, updated_at in rows:
        event = Event()
        event.add("uid", f"booking-{pk}@{host}")
        event.add("dtstamp", updated_at.astimezone(dt.UTC))
        event.add("dtstart", starts_at.astimezone(dt.UTC))
        event.add("dtend", ends_at.astimezone(dt.UTC))
        pending = status == Status.PENDING
        event.add("summary", waiting if pending else busy)
        event.add("status", "TENTATIVE" if pending else "CONFIRMED")
        event.add("transp", "OPAQUE")
        event.add("class", "PUBLIC")
        cal.add_component(event)
    return cal.to_ical()
