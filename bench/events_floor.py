"""The floors of the events benchmark (``bench/events.py``): what each page of the municipal
calendar cannot go below. Each reads the same rows in ONE query and renders the same
information as a plain Jinja2 table in a minimal page (no sign-in, no permission checks, no
base layout); a feed's floor writes the same events with the ``icalendar`` library.

- month: the events of the month's weeks (time, title, kind, status) by day;
- list: the page of upcoming events for teachers (time, kind, title, organiser, venue,
  subject, online);
- event: the event with its organiser, venue, subject, hosts and taken places;
- feed: the municipal feed's events (the same window) as VEVENTs;
- personal: one person's registered and hosted events as VEVENTs."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import jinja2
from django.db import connection
from django.http import HttpRequest, HttpResponse
from icalendar import Calendar, Event

TZ = zoneinfo.ZoneInfo("Asia/Irkutsk")
VISIBLE = "('published', 'cancelled', 'finished')"
ENV = jinja2.Environment(autoescape=True)
PAGE = """<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>floor</title></head>
<body><main>{body}</main></body></html>"""

MONTH_SQL = f"""
SELECT e.id, e.title, e.kind, e.status, e.starts_at, e.ends_at
FROM events_event e
WHERE e.status IN {VISIBLE} AND e.starts_at < %(end)s AND e.ends_at > %(start)s
ORDER BY e.starts_at, e.id
"""  # noqa: S608
MONTH = ENV.from_string(
    PAGE.format(
        body="""<h1>{{ month }}</h1><table><tbody>
{% for week in weeks %}<tr>{% for d in week %}<td><span>{{ d.date.day }}</span><ul>
{% for e in d.events %}<li><time>{{ e[4] }}</time> <a href="/events/{{ e[0] }}/">{{ e[1] }}</a>
{{ e[3] }}</li>{% endfor %}</ul></td>{% endfor %}</tr>{% endfor %}</tbody></table>"""
    )
)

LIST_SQL = f"""
SELECT e.id, e.title, e.kind, e.status, e.starts_at, e.ends_at, i.short_name, v.short_name,
       s.name, e.provider, e.capacity_remote
FROM events_event e
JOIN network_institution i ON i.id = e.institution_id
LEFT JOIN network_institution v ON v.id = e.venue_id
LEFT JOIN journal_subject s ON s.id = e.subject_id
WHERE e.status IN {VISIBLE} AND e.for_teachers AND e.ends_at >= %(now)s
ORDER BY e.starts_at, e.id LIMIT 30
"""  # noqa: S608
LIST = ENV.from_string(
    PAGE.format(
        body="""<h1>Events</h1><table><tbody>
{% for e in rows %}<tr><td>{{ e[4] }}–{{ e[5] }}</td><td>{{ e[2] }}</td>
<td><a href="/events/{{ e[0] }}/">{{ e[1] }}</a></td><td>{{ e[6] }}</td><td>{{ e[7] or "" }}</td>
<td>{{ e[8] or "" }}</td><td>{{ "online" if e[9] and e[10] else "" }}</td></tr>{% endfor %}
</tbody></table>"""
    )
)

EVENT_SQL = """
SELECT e.id, e.title, e.kind, e.status, e.starts_at, e.ends_at, e.description, e.room,
       i.short_name, v.short_name, v.address, s.name, e.capacity_in_person, e.capacity_remote,
       p.surname, p.given_name, p.patronymic,
       (SELECT count(*) FROM events_registration r
        WHERE r.event_id = e.id AND r.status = 'registered' AND r.mode = 'in_person'),
       (SELECT count(*) FROM events_registration r
        WHERE r.event_id = e.id AND r.status = 'registered' AND r.mode = 'remote')
FROM events_event e
JOIN network_institution i ON i.id = e.institution_id
LEFT JOIN network_institution v ON v.id = e.venue_id
LEFT JOIN journal_subject s ON s.id = e.subject_id
LEFT JOIN events_event_hosts h ON h.event_id = e.id
LEFT JOIN network_person p ON p.id = h.person_id
WHERE e.id = %(event)s
"""
EVENT = ENV.from_string(
    PAGE.format(
        body="""{% set e = rows[0] %}<h1>{{ e[1] }}</h1><table>
<tr><th>kind</th><td>{{ e[2] }} {{ e[3] }}</td></tr>
<tr><th>when</th><td>{{ e[4] }}–{{ e[5] }}</td></tr>
<tr><th>organiser</th><td>{{ e[8] }}</td></tr>
<tr><th>where</th><td>{{ e[9] or "" }} {{ e[10] or "" }} {{ e[7] }}</td></tr>
<tr><th>subject</th><td>{{ e[11] or "" }}</td></tr>
<tr><th>hosts</th><td>{% for r in rows %}{{ r[14] or "" }} {{ r[15] or "" }} {{ r[16] or "" }}
{% endfor %}</td></tr><tr><th>places</th><td>{{ e[12] - e[17] }} / {{ e[12] }},
{{ e[13] - e[18] }} / {{ e[13] }}</td></tr></table><p>{{ e[6] }}</p>"""
    )
)

FEED_SQL = f"""
SELECT e.id, e.title, e.description, e.kind, e.status, e.starts_at, e.ends_at, e.updated_at,
       e.sequence, e.room, v.short_name, v.address, i.short_name, i.slug, e.provider
FROM events_event e
JOIN network_institution i ON i.id = e.institution_id
LEFT JOIN network_institution v ON v.id = e.venue_id
WHERE e.status IN {VISIBLE} AND e.ends_at >= %(since)s {{person}}
ORDER BY e.starts_at, e.id
"""  # noqa: S608
PERSON = """AND (e.id IN (SELECT r.event_id FROM events_registration r
                   WHERE r.person_id = %(person)s AND r.status IN ('registered', 'waiting'))
     OR e.id IN (SELECT h.event_id FROM events_event_hosts h WHERE h.person_id = %(person)s))"""


def _rows(sql: str, params: dict) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def month_floor(request: HttpRequest, year: int, month: int) -> HttpResponse:
    first = dt.date(year, month, 1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    monday = first - dt.timedelta(days=first.weekday())
    sunday = last + dt.timedelta(days=6 - last.weekday())
    start = dt.datetime.combine(monday, dt.time(0), tzinfo=TZ)
    end = dt.datetime.combine(sunday + dt.timedelta(days=1), dt.time(0), tzinfo=TZ)
    days = {monday + dt.timedelta(days=i): {"date": monday + dt.timedelta(days=i), "events": []}
            for i in range((sunday - monday).days + 1)}  # fmt: skip
    for pk, title, kind, status, starts, _ends in _rows(MONTH_SQL, {"start": start, "end": end}):
        a = starts.astimezone(TZ)
        if a.date() in days:
            days[a.date()]["events"].append((pk, title, kind, status, f"{a:%H:%M}"))
    ordered = list(days.values())
    weeks = [ordered[i : i + 7] for i in range(0, len(ordered), 7)]
    return HttpResponse(MONTH.render(month=f"{month:02d}.{year}", weeks=weeks))


def list_floor(request: HttpRequest) -> HttpResponse:
    rows = [
        (r[0], r[1], r[2], r[3], f"{r[4].astimezone(TZ):%a %d.%m %H:%M}",
         f"{r[5].astimezone(TZ):%H:%M}", *r[6:])
        for r in _rows(LIST_SQL, {"now": dt.datetime.now(dt.UTC)})
    ]  # fmt: skip
    return HttpResponse(LIST.render(rows=rows))


def event_floor(request: HttpRequest, event_id: int) -> HttpResponse:
    return HttpResponse(EVENT.render(rows=_rows(EVENT_SQL, {"event": event_id})))


def _calendar(rows: list[tuple]) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//floor//")
    cal.add("version", "2.0")
    for (pk, title, description, kind, status, starts, ends, updated, sequence, room, venue,
         address, organiser, slug, provider) in rows:  # fmt: skip
        event = Event()
        event.add("uid", f"event-{pk}@floor")
        event.add("summary", title)
        event.add("dtstart", starts.astimezone(TZ))
        event.add("dtend", ends.astimezone(TZ))
        event.add("dtstamp", updated)
        event.add("last-modified", updated)
        event.add("sequence", sequence)
        event.add("categories", [kind])
        event.add("url", f"http://floor/events/{pk}/")
        event.add("description", f"{description}\n\nhttp://floor/events/{pk}/")
        event.add("location", ", ".join(x for x in (venue, address, room, provider) if x))
        event.add("organizer", f"http://floor/institutions/{slug}/", parameters={"cn": organiser})
        event.add("status", "CANCELLED" if status == "cancelled" else "CONFIRMED")
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()


def feed_floor(request: HttpRequest) -> HttpResponse:
    since = dt.datetime.now(dt.UTC) - dt.timedelta(days=60)
    rows = _rows(FEED_SQL.format(person=""), {"since": since})
    return HttpResponse(_calendar(rows), content_type="text/calendar; charset=utf-8")


def personal_floor(request: HttpRequest, person_id: int) -> HttpResponse:
    since = dt.datetime.now(dt.UTC) - dt.timedelta(days=60)
    rows = _rows(FEED_SQL.format(person=PERSON), {"since": since, "person": person_id})
    return HttpResponse(_calendar(rows), content_type="text/calendar; charset=utf-8")
