"""The floors of the programmes' benchmark (``bench/programs.py``): what each page cannot go
below. Each reads the page's rows in ONE query and renders the same information as a plain
Jinja2 table in a minimal page: no sign-in, no permission checks, no base layout.

- The catalogue floor takes the ids of the offers a catalogue page shows (``?ids=1,2,…``, in
  the page's order) and reads them with their provider, host and times.
- The offer floor reads one offer with its provider, times and teachers.
- The map floor reads every pair of institutions that cooperate in a school year with its
  counts of agreements, enrolments, bookings and shared offers, and the institutions with no
  link, from one statement (the page's selector asks a handful of aggregate queries)."""

from __future__ import annotations

import datetime as dt

import jinja2
from django.db import connection
from django.http import HttpRequest, HttpResponse

ENV = jinja2.Environment(autoescape=True)

OFFERS_SQL = """
SELECT o.id, o.title, i.short_name, o.kind, o.area, o.grade_min, o.grade_max, o.age_min,
       o.age_max, o.form, o.venue, v.short_name, o.capacity, o.places_taken,
       o.applications_open_on, o.applications_close_on, o.agreement_id,
       s.weekday, s.date, s.starts_at, s.ends_at
FROM programs_offer o
JOIN network_institution i ON i.id = o.institution_id
LEFT JOIN network_institution v ON v.id = o.venue_institution_id
LEFT JOIN programs_offerslot s ON s.offer_id = o.id
WHERE o.id = ANY(%(ids)s)
ORDER BY array_position(%(ids)s, o.id), s.date, s.weekday, s.starts_at
"""

CATALOGUE = ENV.from_string(
    """<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>floor</title></head>
<body><main><h1>Каталог</h1><p>{{ offers|length }}</p><table>
<tbody>{% for o in offers %}<tr><td><a href="/programs/offers/{{ o.id }}/">{{ o.title }}</a></td>
<td>{{ o.provider }}</td><td>{{ o.kind }} {{ o.area }}</td><td>{{ o.grades }}</td>
<td>{{ o.form }} {{ o.venue }} {{ o.host or "" }}</td>
<td>{% for t in o.times %}{{ t }} {% endfor %}</td>
<td>{{ o.free }} / {{ o.capacity }}</td><td>{{ o.window }}</td>
<td>{{ "network" if o.agreement else "" }}</td></tr>{% endfor %}</tbody></table></main>
</body></html>"""
)


def _time(weekday, date, starts, ends) -> str:
    when = str(weekday) if weekday else f"{date:%d.%m}"
    return f"{when} {starts:%H:%M}–{ends:%H:%M}"


def catalogue_floor(request: HttpRequest) -> HttpResponse:
    ids = [int(i) for i in request.GET.get("ids", "").split(",") if i.isdigit()]
    with connection.cursor() as cursor:
        cursor.execute(OFFERS_SQL, {"ids": ids})
        rows = cursor.fetchall()
    offers: dict[int, dict] = {}
    today = dt.date.today()  # noqa: DTZ011 - the floor mirrors the page, not the clock's rules
    for (pk, title, provider, kind, area, gmin, gmax, amin, amax, form, venue, host, capacity,
         taken, opens, closes, agreement, weekday, date, starts, ends) in rows:  # fmt: skip
        offer = offers.get(pk)
        if offer is None:
            offer = offers[pk] = {
                "id": pk, "title": title, "provider": provider, "kind": kind, "area": area,
                "grades": f"{gmin or amin or ''}–{gmax or amax or ''}", "form": form,
                "venue": venue, "host": host, "capacity": capacity,
                "free": max(0, capacity - taken), "agreement": agreement,
                "window": "open" if opens <= today <= closes else f"{opens}–{closes}",
                "times": [],
            }  # fmt: skip
        if starts is not None:
            offer["times"].append(_time(weekday, date, starts, ends))
    return HttpResponse(CATALOGUE.render(offers=list(offers.values())))


OFFER_SQL = """
SELECT o.title, o.description, i.short_name, o.kind, o.area, o.grade_min, o.grade_max,
       o.form, o.venue, o.room, o.starts_on, o.ends_on, o.hours, o.capacity, o.places_taken,
       o.applications_open_on, o.applications_close_on, s.weekday, s.date, s.starts_at,
       s.ends_at, p.surname, p.given_name, p.patronymic
FROM programs_offer o
JOIN network_institution i ON i.id = o.institution_id
LEFT JOIN programs_offerslot s ON s.offer_id = o.id
LEFT JOIN programs_offer_teachers t ON t.offer_id = o.id
LEFT JOIN network_person p ON p.id = t.person_id
WHERE o.id = %(offer)s
"""

OFFER = ENV.from_string(
    """<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>floor</title></head>
<body><main><h1>{{ o[0] }}</h1><p>{{ o[2] }} · {{ o[3] }}</p><div>{{ o[1] }}</div><dl>
<dt>area</dt><dd>{{ o[4] }}</dd><dt>grades</dt><dd>{{ o[5] }}–{{ o[6] }}</dd>
<dt>form</dt><dd>{{ o[7] }} {{ o[8] }} {{ o[9] }}</dd><dt>when</dt><dd>{{ o[10] }}–{{ o[11] }}
<ul>{% for t in times %}<li>{{ t }}</li>{% endfor %}</ul></dd><dt>hours</dt><dd>{{ o[12] }}</dd>
<dt>teachers</dt><dd>{{ teachers|join(", ") }}</dd>
<dt>places</dt><dd>{{ o[13] - o[14] }} / {{ o[13] }}</dd>
<dt>applications</dt><dd>{{ o[15] }}–{{ o[16] }}</dd></dl></main></body></html>"""
)


def offer_floor(request: HttpRequest, offer_id: int) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute(OFFER_SQL, {"offer": offer_id})
        rows = cursor.fetchall()
    times = sorted({_time(r[17], r[18], r[19], r[20]) for r in rows if r[19] is not None})
    teachers = sorted({f"{r[21]} {r[22]} {r[23]}" for r in rows if r[21]})
    return HttpResponse(OFFER.render(o=rows[0], times=times, teachers=teachers))


MAP_SQL = """
WITH parties AS (
    SELECT p.agreement_id, p.institution_id
    FROM programs_agreementparty p JOIN programs_agreement a ON a.id = p.agreement_id
    WHERE a.municipality_id = %(m)s AND a.status <> 'draft'
      AND a.starts_on <= %(last)s AND a.ends_on >= %(first)s
), links AS (
    SELECT LEAST(x.institution_id, y.institution_id) AS a,
           GREATEST(x.institution_id, y.institution_id) AS b, 'agreements' AS kind, 1 AS n
    FROM parties x JOIN parties y
      ON x.agreement_id = y.agreement_id AND x.institution_id < y.institution_id
    UNION ALL
    SELECT LEAST(ap.home_institution_id, ap.institution_id),
           GREATEST(ap.home_institution_id, ap.institution_id), 'enrolments', count(*)
    FROM programs_application ap JOIN programs_offer o ON o.id = ap.offer_id
    WHERE o.municipality_id = %(m)s AND ap.status = 'accepted'
      AND o.starts_on <= %(last)s AND o.ends_on >= %(first)s
      AND ap.home_institution_id <> ap.institution_id
    GROUP BY 1, 2
    UNION ALL
    SELECT LEAST(bk.institution_id, bk.owner_id), GREATEST(bk.institution_id, bk.owner_id),
           'bookings', count(*)
    FROM resources_booking bk JOIN network_institution oi ON oi.id = bk.owner_id
    WHERE oi.municipality_id = %(m)s AND bk.status = 'confirmed'
      AND bk.starts_at >= %(first)s AND bk.starts_at < %(after)s
      AND bk.institution_id <> bk.owner_id
    GROUP BY 1, 2
    UNION ALL
    SELECT LEAST(o.institution_id, other), GREATEST(o.institution_id, other), 'offers',
           count(DISTINCT o.id)
    FROM programs_offer o
    CROSS JOIN LATERAL (
        SELECT o.venue_institution_id AS other WHERE o.venue_institution_id IS NOT NULL
        UNION SELECT pa.institution_id FROM parties pa WHERE pa.agreement_id = o.agreement_id
    ) others
    WHERE o.municipality_id = %(m)s AND o.status <> 'draft' AND other <> o.institution_id
      AND o.starts_on <= %(last)s AND o.ends_on >= %(first)s
    GROUP BY 1, 2
), pairs AS (
    SELECT a, b, sum(n) FILTER (WHERE kind = 'agreements') AS agreements,
           sum(n) FILTER (WHERE kind = 'enrolments') AS enrolments,
           sum(n) FILTER (WHERE kind = 'bookings') AS bookings,
           sum(n) FILTER (WHERE kind = 'offers') AS offers, sum(n) AS total
    FROM links GROUP BY a, b
)
SELECT ia.short_name, ib.short_name, coalesce(agreements, 0), coalesce(enrolments, 0),
       coalesce(bookings, 0), coalesce(offers, 0), total
FROM pairs JOIN network_institution ia ON ia.id = a JOIN network_institution ib ON ib.id = b
UNION ALL
SELECT i.short_name, NULL, 0, 0, 0, 0, NULL FROM network_institution i
WHERE i.municipality_id = %(m)s AND i.is_active
  AND NOT EXISTS (SELECT 1 FROM links l WHERE l.a = i.id OR l.b = i.id)
ORDER BY 7 DESC NULLS LAST, 1, 2
"""  # the bookings counted by their local day would need the time zone: UTC days here

MAP = ENV.from_string(
    """<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>floor</title></head>
<body><main><h1>Карта сети</h1><table><tbody>{% for r in pairs %}<tr><td>{{ r[0] }}</td>
<td>{{ r[1] }}</td><td>{{ r[2] }}</td><td>{{ r[3] }}</td><td>{{ r[4] }}</td><td>{{ r[5] }}</td>
<td>{{ r[6] }}</td></tr>{% endfor %}</tbody></table>
<p>{% for r in outside %}{{ r[0] }}, {% endfor %}</p>
</main></body></html>"""
)


def map_floor(request: HttpRequest, municipality_id: int, year: int) -> HttpResponse:
    first, last = dt.date(year, 9, 1), dt.date(year + 1, 8, 31)
    params = {"m": municipality_id, "first": first, "last": last,
              "after": last + dt.timedelta(days=1)}  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(MAP_SQL, params)
        rows = cursor.fetchall()
    pairs = [r for r in rows if r[1] is not None]
    outside = [r for r in rows if r[1] is None]
    return HttpResponse(MAP.render(pairs=pairs, outside=outside))
