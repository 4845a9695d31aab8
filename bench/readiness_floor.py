"""The floors of the readiness benchmark (``bench/readiness.py``): what each page of the survey
cannot go below. Each reads the same rows in ONE query (PostgreSQL: the aggregates as CTEs
cross-joined to the rows) and renders the same information as plain Jinja2 tables in a
minimal page (no sign-in, no permission checks, no layout, no charts); the API's floor writes
the same data as JSON.

- dashboard: the institutions of a campaign with status, index, dimension scores, readiness per
  network form and connection; the teachers' levels per skill; the trend across campaigns;
- institution: an institution's results in every campaign, its latest gaps and
  recommendations, and its teachers' levels per skill in the latest campaign."""

from __future__ import annotations

import json

import jinja2
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse

from setka.readiness.gaps import describe

ENV = jinja2.Environment(autoescape=True)
PAGE = """<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>floor</title></head>
<body><main>{body}</main></body></html>"""
SKILLS = ["office", "internet", "distance", "video", "journal", "content"]
LEVELS = [
    f"count(*) FILTER (WHERE {s} = {lv}) AS {s}_{lv}" for s in SKILLS for lv in range(4)
]  # fmt: skip
SCORES = "r.index, r.infrastructure, r.connectivity, r.videoconferencing, r.staff, r.participation"

DASHBOARD_SQL = f"""
WITH comp AS (
    SELECT count(*) AS total, {", ".join(LEVELS)}
    FROM readiness_selfassessment
    WHERE campaign_id = %(campaign)s AND status = 'submitted'
), trend AS (
    SELECT json_agg(t ORDER BY t.starts_on) AS points FROM (
        SELECT c.title, c.starts_on, count(*) AS n, avg(r.index) AS index,
               avg(r.infrastructure) AS infrastructure, avg(r.connectivity) AS connectivity,
               avg(r.videoconferencing) AS videoconferencing, avg(r.staff) AS staff,
               avg(r.participation) AS participation
        FROM readiness_response r JOIN readiness_campaign c ON c.id = r.campaign_id
        WHERE c.municipality_id = (SELECT municipality_id FROM readiness_campaign
                                   WHERE id = %(campaign)s) AND r.index IS NOT NULL
        GROUP BY c.id, c.title, c.starts_on
    ) t
)
SELECT r.id, i.short_name, i.kind, r.status, {SCORES}, r.join_remote, r.host_lesson,
       r.host_course, r.bandwidth_mbps, i.latitude, i.longitude, r.can_join, r.can_host,
       comp.*, trend.points
FROM readiness_response r
JOIN network_institution i ON i.id = r.institution_id
CROSS JOIN comp CROSS JOIN trend
WHERE r.campaign_id = %(campaign)s
ORDER BY i.short_name, r.id
"""  # noqa: S608
DASHBOARD = ENV.from_string(
    PAGE.format(
        body="""<h1>{{ title }}</h1>
<table><thead><tr><th>Учреждение</th><th>Статус</th><th>Индекс</th><th>Инфр.</th><th>Подкл.</th>
<th>ВКС</th><th>Кадры</th><th>Участие</th><th>Участвовать</th><th>Проводить урок</th>
<th>Вести курс</th><th>Мбит/с</th><th>Карта</th></tr></thead><tbody>
{% for r in rows %}<tr><th><a href="/readiness/responses/{{ r[0] }}/">{{ r[1] }}</a></th>
<td>{{ r[3] }}</td>{% for v in r[4:10] %}<td>{{ "%.1f"|format(v) if v is not none else "—" }}</td>
{% endfor %}<td>{{ r[10] }}</td><td>{{ r[11] }}</td><td>{{ r[12] }}</td>
<td>{{ r[13] or "—" }}</td><td>{{ r[14] }}, {{ r[15] }}: {{ "host" if r[17] else "join" if r[16]
else "not" }}</td></tr>{% endfor %}</tbody></table>
<table><tbody>{% for skill, counts in skills %}<tr><th>{{ skill }}</th>{% for n in counts %}
<td>{{ n }}</td>{% endfor %}</tr>{% endfor %}</tbody></table>
<table><tbody>{% for t in trend %}<tr><th>{{ t.title }}</th><td>{{ t.n }}</td>
<td>{{ "%.1f"|format(t.index) }}</td><td>{{ "%.1f"|format(t.infrastructure) }}</td>
<td>{{ "%.1f"|format(t.connectivity) }}</td><td>{{ "%.1f"|format(t.videoconferencing) }}</td>
<td>{{ "%.1f"|format(t.staff) }}</td><td>{{ "%.1f"|format(t.participation) }}</td></tr>
{% endfor %}</tbody></table>"""
    )
)

INSTITUTION_SQL = f"""
WITH latest AS (
    SELECT r.campaign_id FROM readiness_response r JOIN readiness_campaign c
    ON c.id = r.campaign_id WHERE r.institution_id = %(institution)s AND r.index IS NOT NULL
    ORDER BY c.starts_on DESC LIMIT 1
), comp AS (
    SELECT count(DISTINCT a.id) AS total, {", ".join(LEVELS)}
    FROM readiness_selfassessment a
    JOIN network_membership m ON m.person_id = a.person_id
    WHERE a.campaign_id = (SELECT campaign_id FROM latest) AND a.status = 'submitted'
      AND m.institution_id = %(institution)s AND m.role = 'teacher'
      AND m.starts_on <= %(day)s AND (m.ends_on IS NULL OR m.ends_on >= %(day)s)
)
SELECT r.id, c.title, c.starts_on, r.status, {SCORES}, r.join_remote, r.host_lesson,
       r.host_course, r.gaps, i.short_name, comp.*
FROM readiness_response r
JOIN readiness_campaign c ON c.id = r.campaign_id
JOIN network_institution i ON i.id = r.institution_id
CROSS JOIN comp
WHERE r.institution_id = %(institution)s
ORDER BY c.starts_on DESC, c.id DESC
"""  # noqa: S608
INSTITUTION = ENV.from_string(
    PAGE.format(
        body="""<h1>{{ name }}</h1>
<table><tbody>{% for r in rows %}<tr><th>{{ r[1] }}</th><td>{{ r[3] }}</td>
{% for v in r[4:10] %}<td>{{ "%.1f"|format(v) if v is not none else "—" }}</td>{% endfor %}
<td>{{ r[10] }}</td><td>{{ r[11] }}</td><td>{{ r[12] }}</td></tr>{% endfor %}</tbody></table>
<ul>{% for g in gaps %}<li>{{ g.severity }}: {{ g.problem }} {{ g.advice }}</li>{% endfor %}</ul>
<table><tbody>{% for skill, counts in skills %}<tr><th>{{ skill }}</th>{% for n in counts %}
<td>{{ n }}</td>{% endfor %}</tr>{% endfor %}</tbody></table>"""
    )
)


def _json(value):
    """Django reads json(b) as text from a raw cursor."""
    return json.loads(value) if isinstance(value, str) else (value or [])


def _rows(sql: str, params: dict) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _skills(row: tuple, start: int) -> list[tuple[str, list[int]]]:
    counts = row[start + 1 : start + 1 + 4 * len(SKILLS)]
    return [(s, list(counts[i * 4 : i * 4 + 4])) for i, s in enumerate(SKILLS)]


def dashboard_floor(request: HttpRequest, campaign_id: int) -> HttpResponse:
    rows = _rows(DASHBOARD_SQL, {"campaign": campaign_id})
    first = rows[0] if rows else None
    context = {
        "title": f"campaign {campaign_id}",
        "rows": rows,
        "skills": _skills(first, 18) if first else [],
        "trend": _json(first[-1]) if first else [],
    }
    return HttpResponse(DASHBOARD.render(context))


def dashboard_api_floor(request: HttpRequest, campaign_id: int) -> JsonResponse:
    rows = _rows(DASHBOARD_SQL, {"campaign": campaign_id})
    first = rows[0] if rows else None
    keys = ["id", "institution", "kind", "status", "index", "infrastructure", "connectivity",
            "videoconferencing", "staff", "participation", "join_remote", "host_lesson",
            "host_course", "bandwidth_mbps", "latitude", "longitude", "can_join",
            "can_host"]  # fmt: skip
    body = {
        "institutions": [
            {
                k: (float(v) if k in ("latitude", "longitude") and v is not None else v)
                for k, v in zip(keys, r[: len(keys)], strict=True)
            }
            for r in rows
        ],
        "competence": {"total": first[18], "skills": _skills(first, 18)} if first else {},
        "trend": _json(first[-1]) if first else [],
    }
    return JsonResponse(json.loads(json.dumps(body, default=str)))


def institution_floor(request: HttpRequest, institution_id: int) -> HttpResponse:
    from setka.core.clock import today

    rows = _rows(INSTITUTION_SQL, {"institution": institution_id, "day": today()})
    first = rows[0] if rows else None
    latest = next((r for r in rows if r[4] is not None), None)
    context = {
        "name": first[14] if first else "",
        "rows": rows,
        "gaps": [describe(g) for g in _json(latest[13])] if latest else [],
        "skills": _skills(first, 15) if first else [],
    }
    return HttpResponse(INSTITUTION.render(context))
