"""Reads of the journal used by pages, the API and exports: the grid of a group × subject ×
period, and the diary of a student. Each is a fixed, small number of queries whatever the
size of the class."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import OuterRef, Q, Subquery

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
    if not_certified:
        return "н/а"
    if value is not None:
        return str(value)
    if passed is None:
        return ""
    return "зач" if passed else "нз"


def _grid_students(group: StudyGroup, subject: Subject, period: Period) -> list[GridStudent]:
    """The members of the period with their period marks: one query (the period mark comes
    in through correlated subqueries on the unique (group, subject, student, period) key)."""
    start, end = period.starts_on, period.ends_on
    pm = PeriodMark.objects.filter(
        group=group, subject=subject, period=period, student_id=OuterRef("student_id")
    )
    rows = (
        GroupMember.objects.filter(group=group, starts_on__lte=end)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start))
        .annotate(
            pm_value=Subquery(pm.values("value")[:1]),
            pm_passed=Subquery(pm.values("passed")[:1]),
            pm_na=Subquery(pm.values("not_certified")[:1]),
        )
        .order_by("student__surname", "student__given_name", "student_id", "starts_on")
        .values_list(
            "student_id",
            "student__surname",
            "student__given_name",
            "ends_on",
            "pm_value",
            "pm_passed",
            "pm_na",
        )
    )
    seen: dict[int, GridStudent] = {}
    for pid, surname, given, ends_on, value, passed, not_certified in rows:
        seen[pid] = GridStudent(
            id=pid,
            name=f"{surname} {given}",
            left_on=ends_on if ends_on and ends_on < end else None,
            period_mark=_period_mark_text(value, passed, not_certified),
        )
    return list(seen.values())


def journal_grid(group: StudyGroup, subject: Subject, period: Period) -> Grid:
    """Four queries: lessons (with their homework), students (with their period marks),
    marks, attendance."""
    year = group.year
    lessons = list(
        Lesson.objects.filter(group=group, subject=subject, period=period)
        .select_related("homework")
        .order_by("date", "number")
    )
    students = _grid_students(group, subject, period)
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
            "id",
            "lesson_id",
            "student_id",
            "value",
            "passed",
            "kind__short_name",
            "kind__weight",
            "kind__name",
        )
    )
    kinds: dict[str, tuple[str, Decimal]] = {}
    for mark_id, lesson_id, student_id, value, passed, kind, weight, kind_name in marks:
        s = by_id.get(student_id)
        if s is None or lesson_id not in lesson_ids:
            continue
        kinds[kind] = (kind_name, weight)
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
    for s in students:
        marks_of = weights.get(s.id, [])
        s.count = len(marks_of)
        s.average = weighted_average(marks_of)
        s.suggested = suggest_mark(
            s.average, s.count, rounding=year.rounding, min_marks=year.min_marks_for_period
        )
    homework: dict[int, Homework] = {}
    for lesson in lessons:
        hw = getattr(lesson, "homework", None)  # None when the lesson has no homework
        if hw is not None:
            homework[lesson.pk] = hw
    return Grid(
        group=group,
        subject=subject,
        period=period,
        lessons=lessons,
        students=students,
        homework=homework,
        kinds=kinds,
    )
