"""The SQL of the reports: everything is aggregated in the database (GROUP BY over marks,
period marks, attendance and lessons), so that a municipal report reads a few hundred rows of
sums, never the marks themselves. Portable: runs on SQLite and PostgreSQL alike.

The unit is a *result*: one student in one subject of one class (a class with its subgroups)
over the chosen window (a period, or the whole year):

- the period mark (the year mark for the year) when the teacher has set one: 1–5; "н/а" and
  "незачёт" count as a failing result (coded 0); "зачёт" is neutral (no result);
- otherwise the mark suggested from the weighted average of the window's current marks, by the
  year's rounding rule and minimum number of marks (see ``averages``) — computed here in exact
  integer arithmetic: with weights ×10 as integers, S = Σ mark × weight, W = Σ weight, the
  two-place average reaches ``k + t/100`` exactly when ``200·S ≥ (200·k + 2·t − 1)·W``;
- no result when there is neither.

The style is ``journal.sql``'s (table names from the models, named parameters, the "in force
on a day" rule from ``network.sql.active_on``), but rows come back as dicts by column name:
the reports read them so. ``tests/journal/test_sql_reports.py`` compares the statements with
ORM references, ``tests/journal/test_reports.py`` with a data set worked out by hand.
"""

from __future__ import annotations

from typing import Any

from django.db import connection

from setka.network.sql import active_on

from ..models import (
    AcademicYear,
    Attendance,
    AttendanceCode,
    GroupMember,
    Lesson,
    Mark,
    MarkKind,
    Period,
    PeriodMark,
    StudyGroup,
)

T = {
    "year": AcademicYear._meta.db_table,
    "period": Period._meta.db_table,
    "group": StudyGroup._meta.db_table,
    "member": GroupMember._meta.db_table,
    "lesson": Lesson._meta.db_table,
    "mark": Mark._meta.db_table,
    "kind": MarkKind._meta.db_table,
    "pm": PeriodMark._meta.db_table,
    "att": Attendance._meta.db_table,
}

KEYS = ("institution_id", "class_id", "student_id", "subject_id")


def _base(window: Any) -> tuple[str, dict[str, Any]]:
    """The ``win`` (the window of each year) and ``grp`` (each group with its class) CTEs."""
    params: dict[str, Any] = {
        "sixty": AcademicYear.Rounding.SIXTY,
        "k_class": StudyGroup.Kind.CLASS,
        "dmin": window.starts_on,
        "dmax": window.ends_on,
    }
    ids = []
    for i, year_id in enumerate(window.year_ids):
        params[f"y{i}"] = year_id
        ids.append(f"%(y{i})s")
    year_list = ", ".join(ids) or "NULL"
    if window.number is None:
        win = f"""win AS (
            SELECT y.id AS year_id, NULL AS period_id, y.starts_on AS d0, y.ends_on AS d1,
                   CASE WHEN y.rounding = %(sixty)s THEN 60 ELSE 50 END AS t,
                   y.min_marks_for_period AS mm
            FROM {T["year"]} y WHERE y.id IN ({year_list}))"""  # noqa: S608
    else:
        params["number"] = window.number
        win = f"""win AS (
            SELECT y.id AS year_id, p.id AS period_id, p.starts_on AS d0, p.ends_on AS d1,
                   CASE WHEN y.rounding = %(sixty)s THEN 60 ELSE 50 END AS t,
                   y.min_marks_for_period AS mm
            FROM {T["year"]} y JOIN {T["period"]} p ON p.year_id = y.id AND p.number = %(number)s
            WHERE y.id IN ({year_list}))"""  # noqa: S608
    # PostgreSQL would materialise these CTEs (they are used several times) and then misjudge
    # their size; inlined, the planner joins the marks to the small groups table in parallel.
    inline = " NOT MATERIALIZED" if connection.vendor == "postgresql" else ""
    win = win.replace("win AS (", f"win AS{inline} (", 1)
    class_filter = ""
    if window.class_id is not None:
        params["class_id"] = window.class_id
        class_filter = "AND COALESCE(g.parent_id, g.id) = %(class_id)s"
    grp = f"""grp AS{inline} (
        SELECT g.id AS group_id, COALESCE(g.parent_id, g.id) AS class_id,
               g.institution_id AS institution_id, w.period_id, w.d0, w.d1, w.t, w.mm
        FROM {T["group"]} g JOIN win w ON w.year_id = g.year_id
        WHERE (g.kind = %(k_class)s OR g.parent_id IS NOT NULL) {class_filter})"""  # noqa: S608
    return f"WITH {win},\n{grp}", params


def _results_cte(window: Any) -> tuple[str, dict[str, Any]]:
    """Adds ``res``: one row per (institution, class, student, subject) with the result ``r``,
    whether it is a period mark (``has_pm``), the weighted sums ``s``/``w`` and the count ``n``."""
    base, params = _base(window)
    params["deleted"] = False
    params["failed"] = False
    pm_period = "p.period_id IS NULL" if window.number is None else "p.period_id = gr.period_id"
    sql = f"""{base},
    mk AS (
        SELECT gr.institution_id, gr.class_id, m.student_id, m.subject_id,
               SUM(m.value * CAST(ROUND(k.weight * 10) AS INTEGER)) AS s,
               SUM(CAST(ROUND(k.weight * 10) AS INTEGER)) AS w,
               COUNT(*) AS n, MAX(gr.t) AS t, MAX(gr.mm) AS mm
        FROM {T["mark"]} m
        JOIN grp gr ON gr.group_id = m.group_id
        JOIN {T["kind"]} k ON k.id = m.kind_id
        WHERE m.is_deleted = %(deleted)s AND m.value IS NOT NULL
          AND m.date >= %(dmin)s AND m.date <= %(dmax)s
          AND m.date >= gr.d0 AND m.date <= gr.d1
        GROUP BY gr.institution_id, gr.class_id, m.student_id, m.subject_id),
    pm AS (
        SELECT gr.institution_id, gr.class_id, p.student_id, p.subject_id,
               CASE WHEN p.not_certified THEN 0 WHEN p.value IS NOT NULL THEN p.value
                    WHEN p.passed = %(failed)s THEN -1 ELSE NULL END AS r,
               gr.t, gr.mm
        FROM {T["pm"]} p JOIN grp gr ON gr.group_id = p.group_id
        WHERE {pm_period}
          AND (p.not_certified OR p.value IS NOT NULL OR p.passed IS NOT NULL)),
    u AS (
        SELECT institution_id, class_id, student_id, subject_id, 1 AS has_pm, r,
               0 AS s, 0 AS w, 0 AS n, t, mm FROM pm
        UNION ALL
        SELECT institution_id, class_id, student_id, subject_id, 0 AS has_pm, NULL AS r,
               s, w, n, t, mm FROM mk),
    agg AS (
        SELECT institution_id, class_id, student_id, subject_id, MAX(has_pm) AS has_pm,
               MAX(r) AS pm_r, SUM(s) AS s, SUM(w) AS w, SUM(n) AS n, MAX(t) AS t, MAX(mm) AS mm
        FROM u GROUP BY institution_id, class_id, student_id, subject_id),
    res AS (
        SELECT institution_id, class_id, student_id, subject_id, has_pm, s, w, n,
            CASE WHEN has_pm = 1 THEN pm_r
                 WHEN n > 0 AND n >= mm THEN 1
                    + CASE WHEN 200 * s >= (199 + 2 * t) * w THEN 1 ELSE 0 END
                    + CASE WHEN 200 * s >= (399 + 2 * t) * w THEN 1 ELSE 0 END
                    + CASE WHEN 200 * s >= (599 + 2 * t) * w THEN 1 ELSE 0 END
                    + CASE WHEN 200 * s >= (799 + 2 * t) * w THEN 1 ELSE 0 END
                 ELSE NULL END AS r
        FROM agg)"""  # noqa: S608
    return sql, params


def _check_keys(by: tuple[str, ...], allowed: tuple[str, ...]) -> None:
    """The grouping keys go into the SQL text: only our own column names may."""
    if not set(by) <= set(allowed):
        raise ValueError(f"cannot group by {by}")


def _fetch(sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def result_rows(window: Any) -> list[dict[str, Any]]:
    """Every result of the window (for one class: a few hundred rows)."""
    sql, params = _results_cte(window)
    sql += """
    SELECT institution_id, class_id, student_id, subject_id, has_pm, r, s, w, n FROM res"""
    return _fetch(sql, params)


def summary_rows(window: Any, by: tuple[str, ...]) -> list[dict[str, Any]]:
    """One query, two kinds of rows grouped by ``by`` (a subset of institution_id, class_id):

    - ``kind='st'``: students with at least one result, those without a failing one
      (``passing``) and those with only 4 and 5 (``good``);
    - ``kind='sb'``: per subject as well: results, passing and good results, the distribution
      of results (``d2`` counts 2, 1, н/а and незачёт), the weighted sums and the count of marks.
    """
    _check_keys(by, KEYS[:2])
    sql, params = _results_cte(window)
    keys = ", ".join(by)
    sel = (keys + ", ") if by else ""
    group = f"GROUP BY {keys}" if by else ""
    sql += f""",
    st AS (
        SELECT institution_id, class_id, student_id, MIN(r) AS worst, COUNT(r) AS nr
        FROM res GROUP BY institution_id, class_id, student_id)
    SELECT 'st' AS kind, {sel}NULL AS subject_id, COUNT(*) AS students,
           SUM(CASE WHEN worst >= 3 THEN 1 ELSE 0 END) AS passing,
           SUM(CASE WHEN worst >= 4 THEN 1 ELSE 0 END) AS good,
           0 AS d2, 0 AS d3, 0 AS d4, 0 AS d5, 0 AS s, 0 AS w, 0 AS n
    FROM st WHERE nr > 0 {group}
    UNION ALL
    SELECT 'sb' AS kind, {sel}subject_id, COUNT(r) AS students,
           SUM(CASE WHEN r >= 3 THEN 1 ELSE 0 END) AS passing,
           SUM(CASE WHEN r >= 4 THEN 1 ELSE 0 END) AS good,
           SUM(CASE WHEN r <= 2 THEN 1 ELSE 0 END) AS d2,
           SUM(CASE WHEN r = 3 THEN 1 ELSE 0 END) AS d3,
           SUM(CASE WHEN r = 4 THEN 1 ELSE 0 END) AS d4,
           SUM(CASE WHEN r = 5 THEN 1 ELSE 0 END) AS d5,
           SUM(s) AS s, SUM(w) AS w, SUM(n) AS n
    FROM res GROUP BY {sel}subject_id"""  # noqa: S608
    return _fetch(sql, params)


def attendance_rows(window: Any, by: tuple[str, ...], today: Any) -> list[dict[str, Any]]:
    """Absences by code and the lessons the students were expected at ("seats": held lessons
    up to ``today`` × the members of the group on the lesson's day), grouped by ``by`` (a
    subset of institution_id, class_id, student_id); ``students`` counts the students."""
    _check_keys(by, KEYS[:3])
    base, params = _base(window)
    params.update(
        c_n=AttendanceCode.ABSENT,
        c_b=AttendanceCode.ILL,
        c_up=AttendanceCode.EXCUSED,
        c_op=AttendanceCode.LATE,
        held=Lesson.Status.HELD,
        today=today,
        blank="",
    )
    keys = ", ".join(by)
    sel = (keys + ", ") if by else ""
    group = f"GROUP BY {keys}" if by else ""
    sql = f"""{base},
    ab AS (
        SELECT gr.institution_id, gr.class_id, a.student_id,
               SUM(CASE WHEN a.code = %(c_n)s THEN 1 ELSE 0 END) AS absent,
               SUM(CASE WHEN a.code = %(c_b)s THEN 1 ELSE 0 END) AS ill,
               SUM(CASE WHEN a.code = %(c_up)s THEN 1 ELSE 0 END) AS excused,
               SUM(CASE WHEN a.code = %(c_op)s THEN 1 ELSE 0 END) AS late
        FROM {T["att"]} a JOIN grp gr ON gr.group_id = a.group_id
        WHERE a.code <> %(blank)s AND a.date >= %(dmin)s AND a.date <= %(dmax)s
          AND a.date >= gr.d0 AND a.date <= gr.d1 AND a.date <= %(today)s
        GROUP BY gr.institution_id, gr.class_id, a.student_id),
    ld AS (
        SELECT l.group_id, l.date, COUNT(*) AS k
        FROM {T["lesson"]} l JOIN grp gr ON gr.group_id = l.group_id
        WHERE l.status = %(held)s AND l.date >= %(dmin)s AND l.date <= %(dmax)s
          AND l.date >= gr.d0 AND l.date <= gr.d1 AND l.date <= %(today)s
        GROUP BY l.group_id, l.date),
    se AS (
        SELECT gr.institution_id, gr.class_id, gm.student_id, SUM(ld.k) AS seats
        FROM ld JOIN grp gr ON gr.group_id = ld.group_id
        JOIN {T["member"]} gm ON gm.group_id = ld.group_id AND {active_on("gm", "ld.date")}
        GROUP BY gr.institution_id, gr.class_id, gm.student_id),
    st AS (
        SELECT institution_id, class_id, student_id, SUM(absent) AS absent, SUM(ill) AS ill,
               SUM(excused) AS excused, SUM(late) AS late, SUM(seats) AS seats
        FROM (SELECT institution_id, class_id, student_id, absent, ill, excused, late,
                     0 AS seats FROM ab
              UNION ALL
              SELECT institution_id, class_id, student_id, 0, 0, 0, 0, seats FROM se) x
        GROUP BY institution_id, class_id, student_id)
    SELECT {sel}COUNT(*) AS students, SUM(absent) AS absent, SUM(ill) AS ill,
           SUM(excused) AS excused, SUM(late) AS late, SUM(seats) AS seats
    FROM st {group}"""  # noqa: S608
    return _fetch(sql, params)
