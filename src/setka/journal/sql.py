"""The journal's hand-written SQL, in one place and one style (``docs/architecture.md``).

Only the reads that a benchmark in ``bench/`` showed the ORM too slow for are here: the
diary's week (what students and parents open every day), the grid of a journal page (what
teachers open all day), the group and the lesson with the user's access to them (every
journal page, every mark entered: ``journal.access``) and the busy intervals
(``journal.busy``). The style:

- table names from the models (``Model._meta.db_table``), aliases of one or two letters;
- named parameters (``%(student)s``), run through ``core.sqlrows.rows``; rows are tuples read
  by position, in the order of the ``SELECT``;
- a business rule that the SQL must repeat is written once, next to the ORM rule it copies:
  :data:`LESSON_BELL` here (the bell a lesson takes, ``bells.BellSlots``); ``active_on`` in
  ``network.sql`` (a dated row in force on a day, ``ActiveQuerySet.active``: the network's
  rule, which the journal's memberships and assignments share); "teaches this group and
  subject" in ``journal.rules`` (``teaches_sql``, beside ``teaching_assignments``).

Each statement has a test against an ORM reference on SQLite and PostgreSQL
(``tests/journal/test_sql*.py``, ``tests/journal/test_access_rule.py``): a migration that
breaks one fails there."""

from __future__ import annotations

import datetime as dt

from setka.core.sqlrows import as_time, columns
from setka.events.models.event import Event, Status
from setka.network.models import Institution, Person
from setka.network.sql import active_on

from .models import (
    AcademicYear,
    Attendance,
    Bell,
    GroupMember,
    Homework,
    HomeworkAttachment,
    Lesson,
    Mark,
    MarkKind,
    Period,
    PeriodMark,
    StudyGroup,
    Subject,
    TeachingAssignment,
)
from .rules import teaches_sql

LESSON = Lesson._meta.db_table
GROUP = StudyGroup._meta.db_table
MEMBER = GroupMember._meta.db_table
SUBJECT = Subject._meta.db_table
PERSON = Person._meta.db_table
MARK = Mark._meta.db_table
KIND = MarkKind._meta.db_table
ATTENDANCE = Attendance._meta.db_table
HOMEWORK = Homework._meta.db_table


# The bell a lesson takes: the bell of the lesson's year (``l``, a row of the lessons) for its
# group's shift (``g``, the lesson's group: a subgroup's shift is its class's, set when it is
# made and moved with the class) and its number, as ``"08:50:00|09:30:00"``; NULL when that
# shift has no bell of that number (``BellSlots.get`` gives None). The diary and the busy
# intervals both read a lesson's times through this and :func:`bell_times`.
LESSON_BELL = f"""(SELECT CAST(b.starts_at AS VARCHAR) || '|' || CAST(b.ends_at AS VARCHAR)
        FROM {Bell._meta.db_table} b
        WHERE b.year_id = l.year_id AND b.shift = g.shift AND b.number = l.number)"""  # noqa: S608


def bell_times(value: str | None) -> tuple[dt.time | None, dt.time | None]:
    """The value of :data:`LESSON_BELL` (``"08:50:00|09:30:00"``) → the two times; a lesson
    without a bell has none (the diary shows no times)."""
    if not value:
        return None, None
    starts, _sep, ends = value.partition("|")
    return as_time(starts), as_time(ends)


# --- the diary of a student over a range of days (``diary.week``) ------------------------------

# The lessons of the groups the student is a member of on each lesson's day, with the open
# lesson (a published or finished event) that shows it to the network.
DIARY_LESSONS = f"""
SELECT l.id, l.date, l.number, l.room, l.topic, l.kind, l.status, l.moved_from,
       l.subject_id, s.name, l.group_id, g.name, g.kind, l.institution_id, i.short_name,
       t.surname, t.given_name, t.patronymic,
       l.substitute_id, st.surname, st.given_name, st.patronymic,
       {LESSON_BELL},
       ev.id
FROM {LESSON} l
JOIN {MEMBER} gm ON gm.group_id = l.group_id AND gm.student_id = %(student)s
     AND {active_on("gm", "l.date")}
JOIN {GROUP} g ON g.id = l.group_id
JOIN {SUBJECT} s ON s.id = l.subject_id
JOIN {Institution._meta.db_table} i ON i.id = l.institution_id
JOIN {PERSON} t ON t.id = l.teacher_id
LEFT JOIN {PERSON} st ON st.id = l.substitute_id
LEFT JOIN {Event._meta.db_table} ev ON ev.lesson_id = l.id
     AND ev.status IN ('{Status.PUBLISHED.value}', '{Status.FINISHED.value}')
WHERE l.date >= %(start)s AND l.date <= %(end)s
ORDER BY l.date, l.number, s."order", s.name, l.id
"""  # noqa: S608

# Homework due in the range in the student's groups, one row per attachment.
DIARY_HOMEWORK = f"""
SELECT h.id, h.due_on, h.group_id, l.subject_id, s.name, h.text, h.links, h.minutes,
       h.lesson_id, a.id, a.name
FROM {HOMEWORK} h
JOIN {MEMBER} gm ON gm.group_id = h.group_id AND gm.student_id = %(student)s
     AND {active_on("gm", "h.due_on")}
JOIN {LESSON} l ON l.id = h.lesson_id
JOIN {SUBJECT} s ON s.id = l.subject_id
LEFT JOIN {HomeworkAttachment._meta.db_table} a ON a.homework_id = h.id
WHERE h.due_on >= %(start)s AND h.due_on <= %(end)s
ORDER BY h.due_on, s."order", s.name, h.id, a.id
"""  # noqa: S608

# The student's marks of the range that are not deleted.
DIARY_MARKS = f"""
SELECT m.id, m.lesson_id, m.date, m.subject_id, s.name, m.value, m.passed,
       k.name, k.short_name, k.weight, m.comment
FROM {MARK} m
JOIN {SUBJECT} s ON s.id = m.subject_id
JOIN {KIND} k ON k.id = m.kind_id
WHERE m.student_id = %(student)s AND m.date >= %(start)s AND m.date <= %(end)s
  AND NOT m.is_deleted
ORDER BY m.date, m.id
"""  # noqa: S608

# The student's attendance of the range that says something (a code).
DIARY_ATTENDANCE = f"""
SELECT a.lesson_id, a.code FROM {ATTENDANCE} a
WHERE a.student_id = %(student)s AND a.date >= %(start)s AND a.date <= %(end)s
  AND a.code <> ''
"""  # noqa: S608


# --- the grid of a journal page: a group × subject × period (``selectors.journal_grid``) ------

# The lessons of the grid with their homework (a lesson has at most one).
GRID_LESSONS = f"""
SELECT l.id, l.date, l.number, l.status, l.kind, l.topic, l.teacher_id, l.substitute_id,
       l.room, l.moved_from, h.id, h.text, h.minutes, h.due_on, h.is_late, h.links
FROM {LESSON} l
LEFT JOIN {HOMEWORK} h ON h.lesson_id = l.id
WHERE l.group_id = %(group)s AND l.subject_id = %(subject)s AND l.period_id = %(period)s
ORDER BY l.date, l.number
"""  # noqa: S608

# The members of the group at any time of the period (a row per membership), with their
# period marks.
GRID_STUDENTS = f"""
SELECT gm.student_id, p.surname, p.given_name, gm.ends_on, pm.value, pm.passed,
       pm.not_certified
FROM {MEMBER} gm
JOIN {PERSON} p ON p.id = gm.student_id
LEFT JOIN {PeriodMark._meta.db_table} pm ON pm.group_id = gm.group_id
     AND pm.subject_id = %(subject)s AND pm.period_id = %(period)s
     AND pm.student_id = gm.student_id
WHERE gm.group_id = %(group)s AND gm.starts_on <= %(end)s
  AND (gm.ends_on IS NULL OR gm.ends_on >= %(start)s)
ORDER BY p.surname, p.given_name, gm.student_id, gm.starts_on
"""  # noqa: S608

# The marks of the group and subject dated in the period that are not deleted.
GRID_MARKS = f"""
SELECT m.id, m.lesson_id, m.student_id, m.value, m.passed, k.short_name, k.weight, k.name
FROM {MARK} m
JOIN {KIND} k ON k.id = m.kind_id
WHERE m.group_id = %(group)s AND m.subject_id = %(subject)s
  AND m.date >= %(start)s AND m.date <= %(end)s AND NOT m.is_deleted
ORDER BY m.id
"""  # noqa: S608

# The attendance at the grid's lessons that says something (a code).
GRID_ATTENDANCE = f"""
SELECT a.lesson_id, a.student_id, a.code
FROM {ATTENDANCE} a
JOIN {LESSON} l ON l.id = a.lesson_id
WHERE l.group_id = %(group)s AND l.subject_id = %(subject)s AND l.period_id = %(period)s
  AND a.code <> ''
"""  # noqa: S608


# --- the group and the lesson with the user's access (``journal.access``) ---------------------
# Read into model instances (``sqlrows.instance``): the ``*_SIZES`` are the numbers of columns
# of each model in the row, in order; "teaches" comes right after them.

# The group of a journal page with its year, institution and class, whether the user
# (``%(person)s``) teaches it the subject on ``%(today)s``, and the subject.
ACCESS = f"""
SELECT {columns(StudyGroup, "g")}, {columns(AcademicYear, "y")},
       {columns(Institution, "i")}, {columns(StudyGroup, "pg")},
       {teaches_sql("g.id", "%(subject)s")},
       {columns(Subject, "s")}
FROM {GROUP} g
JOIN {AcademicYear._meta.db_table} y ON y.id = g.year_id
JOIN {Institution._meta.db_table} i ON i.id = g.institution_id
LEFT JOIN {GROUP} pg ON pg.id = g.parent_id
LEFT JOIN {SUBJECT} s ON s.id = %(subject)s
WHERE g.id = %(group)s
"""  # noqa: S608
ACCESS_SIZES = [
    len(m._meta.concrete_fields) for m in (StudyGroup, AcademicYear, Institution, StudyGroup)
]

# The lesson of a write with its group, year, subject and period, whether the user teaches
# it, the student's name when in its group on its day, and the lesson's default mark kind
# (``records.default_kind``: the first active control kind for a control lesson, else the
# first active kind of the institution).
LESSON_WRITE = f"""
SELECT {columns(Lesson, "l")}, {columns(StudyGroup, "g")},
       {columns(AcademicYear, "y")}, {columns(Subject, "s")},
       {columns(Period, "p")},
       {teaches_sql("l.group_id", "l.subject_id")},
       st.surname, st.given_name, st.patronymic, {columns(MarkKind, "k")}
FROM {LESSON} l
JOIN {GROUP} g ON g.id = l.group_id
JOIN {AcademicYear._meta.db_table} y ON y.id = g.year_id
JOIN {SUBJECT} s ON s.id = l.subject_id
JOIN {Period._meta.db_table} p ON p.id = l.period_id
LEFT JOIN {PERSON} st ON st.id = %(student)s AND EXISTS(
     SELECT 1 FROM {MEMBER} gm
     WHERE gm.group_id = l.group_id AND gm.student_id = %(student)s
       AND {active_on("gm", "l.date")})
LEFT JOIN {KIND} k ON k.id = COALESCE(
     (SELECT k2.id FROM {KIND} k2
      WHERE k2.institution_id = l.institution_id AND k2.is_active AND k2.is_control
        AND l.kind = '{Lesson.Kind.CONTROL.value}'
      ORDER BY k2."order", k2.name LIMIT 1),
     (SELECT k3.id FROM {KIND} k3
      WHERE k3.institution_id = l.institution_id AND k3.is_active
      ORDER BY k3."order", k3.name LIMIT 1))
WHERE l.id = %(lesson)s
"""  # noqa: S608
LESSON_WRITE_SIZES = [
    len(m._meta.concrete_fields) for m in (Lesson, StudyGroup, AcademicYear, Subject, Period)
]


# --- the busy intervals (``journal.busy``): one statement per question -----------------------
# ``{ids}`` is replaced by one placeholder per id asked; the first column is the id the row
# answers for, then the held lesson's id, date, institution, group, subject and bell.

_BUSY_LESSON = f"""l.id, l.date, l.institution_id, l.group_id, l.subject_id, {LESSON_BELL}
FROM {LESSON} l JOIN {GROUP} g ON g.id = l.group_id"""
_HELD = "l.status = %(held)s AND l.date >= %(first)s AND l.date <= %(last)s"

# The teacher's assignment of the lesson's group and subject holds on the lesson's day, or
# none of theirs ended before it (lessons generated without an assignment still count).
_ASSIGNMENT = TeachingAssignment._meta.db_table
_STILL_TEACHES = f"""(
    EXISTS (SELECT 1 FROM {_ASSIGNMENT} a
            WHERE a.teacher_id = l.teacher_id AND a.group_id = l.group_id
              AND a.subject_id = l.subject_id
              AND {active_on("a", "l.date")})
    OR NOT EXISTS (SELECT 1 FROM {_ASSIGNMENT} a
            WHERE a.teacher_id = l.teacher_id AND a.group_id = l.group_id
              AND a.subject_id = l.subject_id AND a.ends_on < l.date))"""  # noqa: S608

# A substitute's lessons, and a teacher's lessons that nobody substitutes.
BUSY_TEACHERS = f"""
SELECT l.substitute_id, {_BUSY_LESSON}
WHERE {_HELD} AND l.substitute_id IN ({{ids}})
UNION ALL
SELECT l.teacher_id, {_BUSY_LESSON}
WHERE {_HELD} AND l.substitute_id IS NULL AND l.teacher_id IN ({{ids}}) AND {_STILL_TEACHES}
"""

# The lessons of the groups a student is a member of on each lesson's day (a row per
# membership: overlapping ones repeat a lesson).
BUSY_STUDENTS = f"""
SELECT gm.student_id, {_BUSY_LESSON}
JOIN {MEMBER} gm ON gm.group_id = l.group_id AND gm.student_id IN ({{ids}})
     AND {active_on("gm", "l.date")}
WHERE {_HELD}
"""

# A group's own lessons and its subgroups'.
BUSY_GROUPS = f"""
SELECT l.group_id, {_BUSY_LESSON}
WHERE {_HELD} AND l.group_id IN ({{ids}})
UNION ALL
SELECT g.parent_id, {_BUSY_LESSON}
WHERE {_HELD} AND g.parent_id IN ({{ids}})
"""
