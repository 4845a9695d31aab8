"""Reads of the journal used by pages, the API and exports: the grid of a group × subject ×
period, and the diary of a student. Each is a fixed, small number of queries whatever the
size of the class."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from .averages import suggest_mark, weighted_average
from .models import (
    Attendance,
    GroupMember,
    Homework,
    Lesson,
    Mark,
    Period,
    PeriodMark,
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


def journal_grid(group: StudyGroup, subject: Subject, period: Period) -> Grid:
    year = group.year
    lessons = list(
        Lesson.objects.filter(group=group, subject=subject, period=period)
        .order_by("date", "number")
        .only(
            "id",
            "date",
            "number",
            "topic",
            "status",
            "kind",
            "teacher_id",
            "substitute_id",
            "period_id",
        )
    )
    students = [
        GridStudent(id=pid, name=name, left_on=left)
        for pid, name, left in group_students(group, period.starts_on, period.ends_on)
    ]
    by_id = {s.id: s for s in students}
    lesson_ids = {lesson.pk for lesson in lessons}
    weights: dict[int, list[tuple[int, Decimal]]] = {}
    marks = (
        Mark.objects.filter(
            group=group,
            subject=subject,
            date__gte=period.starts_on,
            date__lte=period.ends_on,
            is_deleted=False,
        )
        .order_by("id")
        .values_list(
            "id", "lesson_id", "student_id", "value", "passed", "kind__short_name", "kind__weight"
        )
    )
    for mark_id, lesson_id, student_id, value, passed, kind, weight in marks:
        s = by_id.get(student_id)
        if s is None or lesson_id not in lesson_ids:
            continue
        text = str(value) if value is not None else ("зач" if passed else "нз")
        s.cells.setdefault(lesson_id, []).append((mark_id, text, kind))
        if value is not None:
            weights.setdefault(student_id, []).append((value, weight))
    for lesson_id, student_id, code in (
        Attendance.objects.filter(lesson_id__in=lesson_ids, student_id__in=list(by_id))
        .exclude(code="")
        .values_list("lesson_id", "student_id", "code")
    ):
        by_id[student_id].absences[lesson_id] = code
    for student_id, value, passed, not_certified in PeriodMark.objects.filter(
        group=group, subject=subject, period=period
    ).values_list("student_id", "value", "passed", "not_certified"):
        if student_id in by_id:
            by_id[student_id].period_mark = (
                "н/а"
                if not_certified
                else str(value)
                if value is not None
                else ("зач" if passed else "нз")
            )
    for s in students:
        marks_of = weights.get(s.id, [])
        s.count = len(marks_of)
        s.average = weighted_average(marks_of)
        s.suggested = suggest_mark(
            s.average, s.count, rounding=year.rounding, min_marks=year.min_marks_for_period
        )
    homework = {h.lesson_id: h for h in Homework.objects.filter(lesson_id__in=lesson_ids)}
    return Grid(
        group=group,
        subject=subject,
        period=period,
        lessons=lessons,
        students=students,
        homework=homework,
    )
