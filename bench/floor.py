"""The floor of the journal page's throughput benchmark (issue 3, "Speed"): a bare view that
reads the marks of a group × subject × period in ONE query and renders the same grid with the
same Jinja2 template (``journal/grid_table.html``) in a minimal HTML page. No sign-in, no
permission checks, no period list, no base layout: what is left is the cost of one query and
of rendering the grid, which the real page cannot go below."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from markupsafe import Markup, escape

from setka.journal.averages import weighted_average
from setka.journal.views import fmt_average
from setka.journal.views.grid import (
    KIND_LABELS,
    PERIOD_MARK_VALUES,
    cell_inner,
    cell_td,
    period_mark_choices,
)

# Every student of the period × every lesson of the period, with the marks and the attendance
# of each cell (a cell with two marks gives two rows). Ordered as the page orders them.
SQL = """
WITH per AS (
    SELECT id, name, starts_on, ends_on FROM journal_period WHERE id = %(period)s
), les AS (
    SELECT l.id, l.date, l.number, l.kind, l.status, l.topic
    FROM journal_lesson l
    WHERE l.group_id = %(group)s AND l.subject_id = %(subject)s AND l.period_id = %(period)s
), stu AS (
    SELECT DISTINCT ON (gm.student_id) gm.student_id, p.surname, p.given_name
    FROM journal_groupmember gm
    JOIN network_person p ON p.id = gm.student_id
    JOIN per ON gm.starts_on <= per.ends_on AND (gm.ends_on IS NULL OR gm.ends_on >= per.starts_on)
    WHERE gm.group_id = %(group)s
    ORDER BY gm.student_id
)
SELECT stu.student_id, stu.surname, stu.given_name,
       les.id, les.date, les.kind, les.status, les.topic,
       m.value, m.passed, k.short_name, k.name, k.weight, COALESCE(a.code, ''),
       g.name, s.name, s.grading, per.name
FROM stu
CROSS JOIN les
CROSS JOIN per
JOIN journal_studygroup g ON g.id = %(group)s
JOIN journal_subject s ON s.id = %(subject)s
LEFT JOIN journal_mark m
       ON m.lesson_id = les.id AND m.student_id = stu.student_id AND NOT m.is_deleted
LEFT JOIN journal_markkind k ON k.id = m.kind_id
LEFT JOIN journal_attendance a
       ON a.lesson_id = les.id AND a.student_id = stu.student_id AND a.code <> ''
ORDER BY stu.surname, stu.given_name, stu.student_id, les.date, les.number, m.id
"""


def _grid(rows: list[tuple], group_id: int, subject_id: int, period_id: int) -> dict[str, Any]:
    columns: dict[int, Any] = {}
    students: dict[int, dict[str, Any]] = {}
    for (sid, surname, given, lid, date, kind, status, topic, value, passed, short, kname,
         weight, code, *_names) in rows:  # fmt: skip
        if lid not in columns:
            label = f"{date:%d.%m}"
            columns[lid] = SimpleNamespace(
                lesson=SimpleNamespace(pk=lid),
                label=label,
                kind_label=KIND_LABELS.get(kind, ""),
                title=f"{date:%d.%m.%Y}\n{topic}",
                cancelled=status == "cancelled",
                has_homework=False,
                missing_topic=not topic,
            )
        student = students.get(sid)
        if student is None:
            student = students[sid] = {"name": f"{surname} {given}", "cells": {}, "w": []}
        cell = student["cells"].setdefault(lid, {"code": code, "marks": []})
        if short is not None:
            text = str(value) if value is not None else ("зач" if passed else "нз")
            cell["marks"].append((text, kname))
            if value is not None:
                student["w"].append((value, weight or Decimal(1)))
    out_rows = []
    for sid, st in students.items():
        name = escape(st["name"])
        html = []
        for lid, col in columns.items():
            cell = st["cells"][lid]
            text = " ".join([cell["code"]] * bool(cell["code"]) + [t for t, _k in cell["marks"]])
            inner = cell_inner(cell["code"], [(t, escape(k)) for t, k in cell["marks"]])
            label = f"{name}, {col.label}"
            html.append(cell_td(label, lid, str(escape(text)), inner, not col.cancelled))
        average = weighted_average(st["w"])
        out_rows.append(
            SimpleNamespace(
                student=SimpleNamespace(
                    id=sid,
                    name=st["name"],
                    left_on=None,
                    count=len(st["w"]),
                    suggested=round(average) if average is not None else None,
                    period_mark="",
                ),
                average=fmt_average(average),
                cells_html=Markup("\n".join(html)),  # noqa: S704 (escaped as in build_rows)
            )
        )
    first = rows[0] if rows else None
    pass_fail = bool(first and first[16] == "pass_fail")
    return {
        "group": SimpleNamespace(pk=group_id, name=first[14] if first else ""),
        "subject": SimpleNamespace(pk=subject_id, name=first[15] if first else ""),
        "period": SimpleNamespace(pk=period_id, name=first[17] if first else ""),
        "columns": list(columns.values()),
        "rows": out_rows,
        "pass_fail": pass_fail,
        "writes": True,
        "can_set_period_marks": True,
        "period_mark_choices": period_mark_choices(pass_fail),
        "period_mark_values": PERIOD_MARK_VALUES,
        "today": dt.date.today(),  # noqa: DTZ011 (unused by the template; kept for symmetry)
    }


def floor(request: HttpRequest, group_id: int, subject_id: int, period_id: int) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute(SQL, {"group": group_id, "subject": subject_id, "period": period_id})
        rows = cursor.fetchall()
    context = _grid(rows, group_id, subject_id, period_id)
    table = render_to_string("journal/grid_table.html", context, using="jinja2")
    html = (
        '<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>floor</title>'
        f"</head><body><main>{table}</main></body></html>"
    )
    return HttpResponse(html)
