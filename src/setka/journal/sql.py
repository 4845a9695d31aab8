"""The journal's hand-written SQL, in one place and one style (``docs/architecture.md``).

Only the reads that a benchmark in ``bench/`` showed the ORM too slow for are here: the
diary's week (what students and parents open every day) and the pieces the busy intervals
(``journal.busy``) share with it. The style:

- table names from the models (``Model._meta.db_table``), aliases of one or two letters;
- named parameters (``%(student)s``), run through ``core.sqlrows.rows``; rows are tuples read
  by position, in the order of the ``SELECT``;
- a business rule that the SQL must repeat is written here once, next to the ORM rule it
  copies: :func:`active_on` (``DatedQuerySet.active``) and :data:`LESSON_BELL` (the bell a
  lesson takes, ``bells.BellSlots``).

Each statement has a test against an ORM reference on SQLite and PostgreSQL
(``tests/journal/test_sql.py``): a migration that breaks one fails there."""

from __future__ import annotations

import datetime as dt

from setka.core.sqlrows import as_time
from setka.events.models.event import Event, Status
from setka.network.models import Institution, Person

from .models import (
    Attendance,
    Bell,
    GroupMember,
    Homework,
    HomeworkAttachment,
    Lesson,
    Mark,
    MarkKind,
    StudyGroup,
    Subject,
)

LESSON = Lesson._meta.db_table
GROUP = StudyGroup._meta.db_table
MEMBER = GroupMember._meta.db_table
SUBJECT = Subject._meta.db_table


def active_on(alias: str, day: str) -> str:
    """A dated row (``starts_on``, ``ends_on``: a membership, an assignment) in force on
    ``day`` (an SQL expression): the SQL form of ``DatedQuerySet.active(day)``."""
    return f"{alias}.starts_on <= {day} AND ({alias}.ends_on IS NULL OR {alias}.ends_on >= {day})"


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
JOIN {Person._meta.db_table} t ON t.id = l.teacher_id
LEFT JOIN {Person._meta.db_table} st ON st.id = l.substitute_id
LEFT JOIN {Event._meta.db_table} ev ON ev.lesson_id = l.id
     AND ev.status IN ('{Status.PUBLISHED.value}', '{Status.FINISHED.value}')
WHERE l.date >= %(start)s AND l.date <= %(end)s
ORDER BY l.date, l.number, s."order", s.name, l.id
"""  # noqa: S608

# Homework due in the range in the student's groups, one row per attachment.
DIARY_HOMEWORK = f"""
SELECT h.id, h.due_on, h.group_id, l.subject_id, s.name, h.text, h.links, h.minutes,
       h.lesson_id, a.id, a.name
FROM {Homework._meta.db_table} h
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
FROM {Mark._meta.db_table} m
JOIN {SUBJECT} s ON s.id = m.subject_id
JOIN {MarkKind._meta.db_table} k ON k.id = m.kind_id
WHERE m.student_id = %(student)s AND m.date >= %(start)s AND m.date <= %(end)s
  AND NOT m.is_deleted
ORDER BY m.date, m.id
"""  # noqa: S608

# The student's attendance of the range that says something (a code).
DIARY_ATTENDANCE = f"""
SELECT a.lesson_id, a.code FROM {Attendance._meta.db_table} a
WHERE a.student_id = %(student)s AND a.date >= %(start)s AND a.date <= %(end)s
  AND a.code <> ''
"""  # noqa: S608
