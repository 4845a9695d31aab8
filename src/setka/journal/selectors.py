"""Reads of the journal used by pages, the API and exports: the grid of a group × subject ×
period, and the diary of a student. Each is a fixed, small number of queries whatever the
size of the class."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from setka.core.sqlrows import as_bool, as_date, as_decimal, loaded, rows

from . import sql
from .averages import suggest_mark, weighted_average
from .marktext import mark_text
from .models import (
    GroupMember,
    Homework,
    Lesson,
    Mark,
    MarkKind,
    Period,
    StudyGroup,
    Subject,
)


@dataclass
class GridStudent:
    id: int
    name: str
    cells: dict[int, list[tuple[int, str, str]]] = field(
        default_factory=dict
    )  # lesson -> [(mark id, text, kind)]
    absences: dict[int, str] = field(default_factory=dict)  # lesson -> code
    average: Decimal | None = None
    count: int = 0
    suggested: int | None = None
    period_mark: str = ""
    left_on: dt.date | None = None


@dataclass
class Grid:
    group: StudyGroup
    subject: Subject
    period: Period
    lessons: list[Lesson]
    students: list[GridStudent]
    homework: dict[int, Homework]
    # mark kinds met in the grid: short name -> (name, weight), for titles and the legend
    kinds: dict[str, tuple[str, Decimal]] = field(default_factory=dict)


def group_students(
    group: StudyGroup, start: dt.date, end: dt.date
) -> list[tuple[int, str, dt.date | None]]:
    """Members at any time between ``start`` and ``end``: (person id, "Surname Given", left on)."""
    rows = (
        GroupMember.objects.filter(group=group, starts_on__lte=end)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start))
        .order_by("student__surname", "student__given_name", "student_id")
        .values_list("student_id", "student__surname", "student__given_name", "ends_on")
    )
    seen: dict[int, tuple[int, str, dt.date | None]] = {}
    for pid, surname, given, ends_on in rows:
        seen[pid] = (pid, f"{surname} {given}", ends_on if ends_on and ends_on < end else None)
    return list(seen.values())


def _period_mark_text(value: int | None, passed: bool | None, not_certified: bool | None) -> str:
    return mark_text(value, passed, bool(not_certified))


# The grid's four queries are hand-written SQL (``journal.sql``): the journal page is what
# teachers open all day.

WEIGHT_PLACES = MarkKind._meta.get_field("weight").decimal_places


def _grid_params(group: StudyGroup, subject: Subject, period: Period) -> dict:
    return {
        "group": group.pk,
        "subject": subject.pk,
        "period": period.pk,
        "start": period.starts_on,
        "end": period.ends_on,
    }


def _grid_lessons(
    group: StudyGroup, subject: Subject, period: Period, params: dict
) -> tuple[list[Lesson], dict[int, Homework]]:
    """The lessons of the grid (model instances with the fields the grid reads) and their
    homework."""
    lessons, homework = [], {}
    for (
        lesson_id,
        date,
        number,
        status,
        kind,
        topic,
        teacher_id,
        substitute_id,
        room,
        moved_from,
        hw_id,
        hw_text,
        hw_minutes,
        hw_due_on,
        hw_late,
        hw_links,
    ) in rows(sql.GRID_LESSONS, params):
        lesson = Lesson(
            id=lesson_id,
            institution_id=group.institution_id,
            year_id=group.year_id,
            period_id=period.pk,
            group_id=group.pk,
            subject_id=subject.pk,
            teacher_id=teacher_id,
            substitute_id=substitute_id,
            date=as_date(date) or dt.date.min,
            number=number,
            status=status,
            kind=kind,
            topic=topic,
            room=room,
            moved_from=as_date(moved_from),
        )
        lessons.append(loaded(lesson))
        if hw_id is not None:
            hw = Homework(
                id=hw_id,
                institution_id=group.institution_id,
                lesson_id=lesson_id,
                group_id=group.pk,
                due_on=as_date(hw_due_on) or dt.date.min,
                text=hw_text,
                links=hw_links,
                minutes=hw_minutes,
                is_late=bool(hw_late),
            )
            homework[lesson_id] = loaded(hw)
    return lessons, homework


def _grid_students(period: Period, params: dict) -> list[GridStudent]:
    """The members of the period with their period marks (one query)."""
    end = period.ends_on
    seen: dict[int, GridStudent] = {}
    for pid, surname, given, raw_ends_on, value, passed, not_certified in rows(
        sql.GRID_STUDENTS, params
    ):
        ends_on = as_date(raw_ends_on)
        seen[pid] = GridStudent(
            id=pid,
            name=f"{surname} {given}",
            left_on=ends_on if ends_on and ends_on < end else None,
            period_mark=_period_mark_text(value, as_bool(passed), as_bool(not_certified)),
        )
    return list(seen.values())


def journal_grid(group: StudyGroup, subject: Subject, period: Period) -> Grid:
    """Four queries: lessons (with their homework), students (with their period marks),
    marks, attendance."""
    year = group.year
    params = _grid_params(group, subject, period)
    lessons, homework = _grid_lessons(group, subject, period, params)
    students = _grid_students(period, params)
    by_id = {s.id: s for s in students}
    lesson_ids = {lesson.pk for lesson in lessons}
    weights: dict[int, list[tuple[int, Decimal]]] = {}
    kinds: dict[str, tuple[str, Decimal]] = {}
    for mark_id, lesson_id, student_id, value, passed, kind, raw_weight, kind_name in rows(
        sql.GRID_MARKS, params
    ):
        s = by_id.get(student_id)
        if s is None or lesson_id not in lesson_ids:
            continue
        weight = as_decimal(raw_weight, WEIGHT_PLACES) or Decimal(1)
        kinds[kind] = (kind_name, weight)
        text = mark_text(value, passed)
        s.cells.setdefault(lesson_id, []).append((mark_id, text, kind))
        if value is not None:
            weights.setdefault(student_id, []).append((value, weight))
    for lesson_id, student_id, code in rows(sql.GRID_ATTENDANCE, params):
        s = by_id.get(student_id)
        if s is not None:
            s.absences[lesson_id] = code
    for s in students:
        marks_of = weights.get(s.id, [])
        s.count = len(marks_of)
        s.average = weighted_average(marks_of)
        s.suggested = suggest_mark(
            s.average, s.count, rounding=year.rounding, min_marks=year.min_marks_for_period
        )
    return Grid(
        group=group,
        subject=subject,
        period=period,
        lessons=lessons,
        students=students,
        homework=homework,
        kinds=kinds,
    )


# --- one student's cell and summary (the grid page's and the API's cell saves) --------------


def cell_text(attendance: str, marks: list[str]) -> str:
    """A grid cell as it is shown and typed: the attendance code, then the marks (``ОП 5``)."""
    return " ".join([attendance] * bool(attendance) + marks)


@dataclass
class StudentSummary:
    average: Decimal | None
    count: int
    suggested: int | None


def student_summary(lesson: Lesson, student_id: int) -> StudentSummary:
    """The student's weighted average, number of marks and suggested mark in the lesson's
    period, in its subject and group (one query; ``lesson.period`` and ``lesson.group.year``
    loaded)."""
    period, year = lesson.period, lesson.group.year
    marks = [
        (value, weight)
        for value, weight in Mark.objects.filter(
            group_id=lesson.group_id,
            subject_id=lesson.subject_id,
            student_id=student_id,
            date__gte=period.starts_on,
            date__lte=period.ends_on,
            is_deleted=False,
            value__isnull=False,
        ).values_list("value", "kind__weight")
        if value is not None
    ]
    average = weighted_average(marks)
    suggested = suggest_mark(
        average, len(marks), rounding=year.rounding, min_marks=year.min_marks_for_period
    )
    return StudentSummary(average, len(marks), suggested)
