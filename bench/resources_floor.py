"""The floors of the resource centres' benchmark (``bench/resources.py``): what the month
calendar of a resource and its iCalendar feed cannot go below.

- The month floor reads the same bookings of the same weeks in ONE query (with the
  institution that holds each and its purpose) and renders the same information — each day
  of the weeks with its bookings' times, institution, purpose and status — as a plain Jinja2
  table in a minimal page: no sign-in, no permission checks, no base layout.
- The feed floor reads the same events in ONE query and writes them with the ``icalendar``
  library, as the feed does, without anything else."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import jinja2
from django.db import connection
from django.http import HttpRequest, HttpResponse
from icalendar import Calendar, Event

SQL = """
SELECT b.id, b.starts_at, b.ends_at, b.status, b.purpose, i.short_name, b.updated_at
FROM resources_booking b JOIN network_institution i ON i.id = b.institution_id
WHERE b.resource_id = %(resource)s AND b.status IN ('pending', 'confirmed')
  AND b.starts_at < %(end)s AND b.ends_at > %(start)s
ORDER BY b.starts_at, b.id
"""

TABLE = jinja2.Environment(autoescape=True).from_string(
    """<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>floor</title></head>
<body><main><h1>{{ month }}</h1><table>
<thead><tr>{% for d in days[:7] %}<th>{{ d.date.strftime('%a') }}</th>{% endfor %}</tr></thead>
<tbody>{% for week in weeks %}<tr>{% for d in week %}<td><span>{{ d.date.day }}</span>
<ul>{% for b in d.bookings %}
<li>{{ b[1] }}–{{ b[2] }} {{ b[5] }} {{ b[4] }} {{ b[3] }}</li>{% endfor %}</ul>
</td>{% endfor %}</tr>{% endfor %}</tbody></table></main></body></html>"""
)


def _weeks(year: int, month: int) -> tuple[dt.date, dt.date]:
    first = dt.date(year, month, 1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return first - dt.timedelta(days=first.weekday()), last + dt.timedelta(days=6 - last.weekday())


def month_floor(request: HttpRequest, resource_id: int, year: int, month: int) -> HttpResponse:
    tz = zoneinfo.ZoneInfo("Asia/Irkutsk")
    monday, sunday = _weeks(year, month)
    start = dt.datetime.combine(monday, dt.time(0), tzinfo=tz)
    end = dt.datetime.combine(sunday + dt.timedelta(days=1), dt.time(0), tzinfo=tz)
    with connection.cursor() as cursor:
        cursor.execute(SQL, {"resource": resource_id, "start": start, "end": end})
        rows = cursor.fetchall()
    days = {
        monday + dt.timedelta(days=i): {"date": monday + dt.timedelta(days=i), "bookings": []}
        for i in range((sunday - monday).days + 1)
    }
    for pk, starts, ends, status, purpose, name, _updated in rows:
        a, b = starts.astimezone(tz), ends.astimezone(tz)
        days[a.date()]["bookings"].append((pk, f"{a:%H:%M}", f"{b:%H:%M}", status, purpose, name))
    ordered = list(days.values())
    html = TABLE.render(
        month=f"{month:02d}.{year}",
        days=ordered,
        weeks=[ordered[i : i + 7] for i in range(0, len(ordered), 7)],
    )
    return HttpResponse(html)


def feed_floor(request: HttpRequest, resource_id: int) -> HttpResponse:
    now = dt.datetime.now(dt.UTC)
    with connection.cursor() as cursor:
        cursor.execute(
            SQL,
            {
                "resource": resource_id,
                "start": now - dt.timedelta(days=31),
                "end": now + dt.timedelta(days=366),
            },
        )
        rows = cursor.fetchall()
    cal = Calendar()
    cal.add("prodid", "-//floor//")
    cal.add("version", "2.0")
    for pk, starts, ends, status, _purpose, _name, updated in rows:
        event = Event()
        event.add("uid", f"booking-{pk}@floor")
        event.add("dtstamp", updated.astimezone(dt.UTC))
        event.add("dtstart", starts.astimezone(dt.UTC))
        event.add("dtend", ends.astimezone(dt.UTC))
        event.add("summary", "Занято")
        event.add("status", "TENTATIVE" if status == "pending" else "CONFIRMED")
        event.add("transp", "OPAQUE")
        event.add("class", "PUBLIC")
        cal.add_component(event)
    return HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
