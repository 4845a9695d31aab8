"""iCalendar (RFC 5545) feeds of events, written with the ``icalendar`` library.

A series is written as one recurring event (RRULE from its first occurrence in the feed),
with EXDATE for the occurrences that are cancelled or not published, and an overriding
VEVENT (RECURRENCE-ID) for an occurrence that was moved or changed, so a calendar client
expands it to exactly the occurrences Setka has. A single event is one VEVENT; a cancelled
one stays with STATUS:CANCELLED so that subscribed calendars remove it. SEQUENCE counts the
changes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as VEvent

from .models import Event, Series, Status
from .services.events import occurrence_start

PRODID = "-//Setka//Municipal calendar//RU"


def _domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "setka"


def uid_of(event: Event) -> str:
    return f"event-{event.pk}@{_domain()}"


def series_uid(series_id: int) -> str:
    return f"series-{series_id}@{_domain()}"


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def location_of(event: Event) -> str:
    parts = []
    if event.venue_id and event.venue is not None:
        parts.append(event.venue.short_name)
        if event.venue.address:
            parts.append(event.venue.address)
    if event.room:
        parts.append(event.room)
    if event.provider:
        parts.append("онлайн" if parts else "Онлайн")
    return ", ".join(parts)


def _fill(vevent: VEvent, event: Event) -> None:
    tz = timezone.get_current_timezone()
    vevent.add("summary", event.title)
    vevent.add("dtstart", timezone.localtime(event.starts_at, tz))
    vevent.add("dtend", timezone.localtime(event.ends_at, tz))
    vevent.add("dtstamp", event.updated_at)
    vevent.add("last-modified", event.updated_at)
    vevent.add("sequence", event.sequence)
    vevent.add("categories", [event.get_kind_display()])
    url = _absolute(event.get_absolute_url())
    vevent.add("url", url)
    description = event.description.strip()
    vevent.add("description", f"{description}\n\n{url}".strip())
    location = location_of(event)
    if location:
        vevent.add("location", location)
    vevent.add("organizer", _absolute(event.institution.get_absolute_url()),
               parameters={"cn": event.institution.short_name})  # fmt: skip
    vevent.add("status", "CANCELLED" if event.status == Status.CANCELLED else "CONFIRMED")


def _single(event: Event) -> VEvent:
    vevent = VEvent()
    vevent.add("uid", uid_of(event))
    _fill(vevent, event)
    return vevent


def _same_as_rule(event: Event, master: Event, series: Series) -> bool:
    length = series.ends_at - series.starts_at
    start = occurrence_start(series, event.occurrence)
    return (
        event.starts_at == start
        and event.ends_at == start + length
        and (event.title, event.description, location_of(event), event.kind)
        == (master.title, master.description, location_of(master), master.kind)
    )


def _series(series: Series, events: list[Event]) -> list[VEvent]:
    """The occurrences of one series present in the feed, as a master and its exceptions."""
    tz = timezone.get_current_timezone()
    by_index = {e.occurrence: e for e in events}
    first = min(by_index)
    shown = [e for e in events if e.status != Status.CANCELLED]
    if not shown:
        return [_single(e) for e in events]
    master_event = by_index[first] if by_index[first].status != Status.CANCELLED else shown[0]
    length = series.ends_at - series.starts_at
    master = VEvent()
    master.add("uid", series_uid(series.pk))
    _fill(master, master_event)
    start = occurrence_start(series, first)
    master.pop("dtstart")
    master.pop("dtend")
    master.add("dtstart", timezone.localtime(start, tz))
    master.add("dtend", timezone.localtime(start + length, tz))
    master.pop("sequence")
    master.add("sequence", max(e.sequence for e in events))
    master.add(
        "rrule",
        {"freq": series.frequency.lower(), "interval": series.interval,
         "count": series.count - first},
    )  # fmt: skip
    out = [master]
    excluded = []
    for index in range(first, series.count):
        event = by_index.get(index)
        rule_start = timezone.localtime(occurrence_start(series, index), tz)
        if event is None or event.status == Status.CANCELLED:
            excluded.append(rule_start)
        elif not _same_as_rule(event, master_event, series):
            override = VEvent()
            override.add("uid", series_uid(series.pk))
            override.add("recurrence-id", rule_start)
            _fill(override, event)
            out.append(override)
    if excluded:
        master.add("exdate", excluded)
    return out


def calendar(events: Iterable[Event], name: str, *, series: dict[int, Series] | None = None,
             group_series: bool = True) -> Calendar:  # fmt: skip
    """A VCALENDAR of ``events`` (with ``institution`` and ``venue`` selected). With
    ``group_series``, occurrences of a series become one recurring event."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", str(timezone.get_current_timezone()))
    grouped: dict[int, list[Event]] = defaultdict(list)
    for event in events:
        if group_series and event.series_id and series and event.series_id in series:
            grouped[event.series_id].append(event)
        else:
            cal.add_component(_single(event))
    for series_id, members in grouped.items():
        for component in _series(series[series_id], members):  # type: ignore[index]
            cal.add_component(component)
    cal.add_missing_timezones()
    return cal
