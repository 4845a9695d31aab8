"""The reports' SQL (``journal.reports.sql``) against ORM references, on SQLite and PostgreSQL
alike: every result of a window (``result_rows``: the period or year mark, else the mark
suggested from the weighted average by ``averages``, with the sums and count of the marks)
and the attendance (``attendance_rows``: absences by code up to today and the seats, held
lessons × the members on the lesson's day), for a class, a school and two schools, over the
second quarter and the year. The data set is ``test_reports.py``'s, with a subgroup, a year
mark, a class and a subgroup mark for one student, a leaver and a cancelled lesson added."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db.models import Q

from setka.journal import reports
from setka.journal.averages import suggest_mark, weighted_average
from setka.journal.models import (
    AcademicYear,
    Attendance,
    GroupMember,
    Lesson,
    Mark,
    MarkKind,
    Period,
    PeriodMark,
    StudyGroup,
)
from setka.journal.reports import sql
from setka.journal.reports.windows import Window

from .test_reports import ON, _absence, _lesson, _mark, _period_mark, build_report_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(world, jw):
    rd = build_report_data(world, jw)
    s, teacher = rd.s, world.people["teacher"]
    answer = MarkKind.objects.get(institution=world.school, name="Ответ на уроке")
    half = StudyGroup.objects.create(
        institution=world.school, year=jw.year, kind=StudyGroup.Kind.SUBGROUP, name="7Б 1",
        parent=jw.klass,
    )  # fmt: skip
    GroupMember.objects.create(
        group=half, student=s[0], home_institution=world.school, starts_on=jw.year.starts_on
    )
    lesson = _lesson(half, rd.russian, teacher, period=jw.q2, day=ON - dt.timedelta(days=1))
    _mark(lesson, s[0], 2, kind=answer)  # counts for 7Б with the class's Russian marks
    _absence(lesson, s[0], "Б")
    _period_mark(half, jw.maths, s[0], jw.q2, value=3)  # beside nothing in 7Б: a result
    _period_mark(jw.klass, jw.maths, s[2], None, value=4)  # the year mark
    _period_mark(jw.klass, rd.russian, s[2], jw.q2, not_certified=True)
    _period_mark(half, rd.russian, s[2], jw.q2, passed=False)  # two period marks: the higher
    cancelled = jw.lessons(period=jw.q2).filter(date__lte=ON).last()
    Lesson.objects.filter(pk=cancelled.pk).update(status=Lesson.Status.CANCELLED)
    GroupMember.objects.filter(group=jw.klass, student=s[4]).update(ends_on=ON - dt.timedelta(3))
    return rd


def _windows(rd) -> dict[str, Window]:
    jw = rd.jw
    both = (jw.year.pk, rd.other_year.pk)
    return {
        "class, quarter": reports.window_for(jw.year, jw.q2, jw.klass),
        "class, year": reports.window_for(jw.year, None, jw.klass),
        "school, quarter": reports.window_for(jw.year, jw.q2),
        "two schools, quarter": Window(both, 2, jw.q2.starts_on, jw.q2.ends_on, ""),
        "two schools, year": Window(both, None, jw.year.starts_on, jw.year.ends_on, ""),
    }


def _scope(window: Window) -> tuple[dict, dict]:
    """The window of each year (period id, first and last day, the year) and the groups
    counted (classes and subgroups) with their class."""
    bounds = {}
    for year in AcademicYear.objects.filter(pk__in=window.year_ids):
        if window.number is None:
            bounds[year.pk] = (None, year.starts_on, year.ends_on, year)
        else:
            period = Period.objects.filter(year=year, number=window.number).first()
            if period is not None:
                bounds[year.pk] = (period.pk, period.starts_on, period.ends_on, year)
    groups = {
        g.pk: g
        for g in StudyGroup.objects.filter(year_id__in=bounds).filter(
            Q(kind=StudyGroup.Kind.CLASS) | Q(parent__isnull=False)
        )
        if window.class_id is None or (g.parent_id or g.pk) == window.class_id
    }
    return bounds, groups


def _in(window: Window, bounds: tuple, day: dt.date) -> bool:
    return window.starts_on <= day <= window.ends_on and bounds[1] <= day <= bounds[2]


def _key(group: StudyGroup, *rest) -> tuple:
    return (group.institution_id, group.parent_id or group.pk, *rest)


def _orm_results(window: Window) -> list[tuple]:
    bounds, groups = _scope(window)
    marks, period_marks, years = defaultdict(list), defaultdict(list), {}
    for m in Mark.objects.filter(
        group_id__in=groups, is_deleted=False, value__isnull=False
    ).select_related("kind"):
        group = groups[m.group_id]
        if _in(window, bounds[group.year_id], m.date):
            key = _key(group, m.student_id, m.subject_id)
            marks[key].append((m.value, m.kind.weight))
            years[key] = bounds[group.year_id][3]
    for pm in PeriodMark.objects.filter(group_id__in=groups):
        group = groups[pm.group_id]
        if pm.period_id != bounds[group.year_id][0]:
            continue
        if pm.not_certified or pm.value is not None or pm.passed is not None:
            key = _key(group, pm.student_id, pm.subject_id)
            r = 0 if pm.not_certified else pm.value if pm.value is not None else None
            period_marks[key].append(-1 if r is None and pm.passed is False else r)
            years[key] = bounds[group.year_id][3]
    out = []
    for key in marks.keys() | period_marks.keys():
        found = marks.get(key, [])
        tenths = [(v, int((w * 10).quantize(Decimal(1), ROUND_HALF_UP))) for v, w in found]
        if key in period_marks:
            given = [r for r in period_marks[key] if r is not None]
            r = max(given) if given else None
        else:
            year = years[key]
            r = suggest_mark(
                weighted_average(found), len(found), rounding=year.rounding,
                min_marks=year.min_marks_for_period,
            )  # fmt: skip
        out.append(
            (*key, int(key in period_marks), r, sum(v * t for v, t in tenths),
             sum(t for _v, t in tenths), len(found))
        )  # fmt: skip
    return sorted(out)


@pytest.mark.parametrize(
    "window",
    ["class, quarter", "class, year", "school, quarter", "two schools, quarter",
     "two schools, year"],
)  # fmt: skip
def test_result_rows_are_the_orm_results(data, window):
    chosen = _windows(data)[window]

    found = sql.result_rows(chosen)

    assert sorted(
        (r["institution_id"], r["class_id"], r["student_id"], r["subject_id"], r["has_pm"],
         r["r"], r["s"], r["w"], r["n"])
        for r in found
    ) == _orm_results(chosen)  # fmt: skip
    assert found


CODES = {"Н": "absent", "Б": "ill", "УП": "excused", "ОП": "late"}


def _orm_attendance(window: Window, by: tuple[str, ...], today: dt.date) -> list[tuple]:
    bounds, groups = _scope(window)
    per_student: dict[tuple, Counter] = defaultdict(Counter)
    for a in Attendance.objects.filter(group_id__in=groups).exclude(code=""):
        group = groups[a.group_id]
        if _in(window, bounds[group.year_id], a.date) and a.date <= today:
            per_student[_key(group, a.student_id)][CODES[a.code]] += 1
    held = Lesson.objects.filter(group_id__in=groups, status=Lesson.Status.HELD)
    for lesson in held:
        group = groups[lesson.group_id]
        if _in(window, bounds[group.year_id], lesson.date) and lesson.date <= today:
            for m in GroupMember.objects.active(lesson.date).filter(group_id=lesson.group_id):
                per_student[_key(group, m.student_id)]["seats"] += 1
    names = ("institution_id", "class_id", "student_id")
    totals: dict[tuple, Counter] = defaultdict(Counter)
    for key, counts in per_student.items():
        group_key = tuple(value for name, value in zip(names, key, strict=True) if name in by)
        totals[group_key]["students"] += 1
        totals[group_key].update(counts)
    fields = ("students", "absent", "ill", "excused", "late", "seats")
    return sorted((*k, *(c[f] for f in fields)) for k, c in totals.items())


@pytest.mark.parametrize("by", [(), ("class_id",), ("institution_id",), ("student_id",)])
@pytest.mark.parametrize("window", ["class, quarter", "school, quarter", "two schools, year"])
def test_attendance_rows_are_the_orm_absences_and_seats(data, window, by):
    chosen = _windows(data)[window]

    found = sql.attendance_rows(chosen, by, ON)

    fields = (*by, "students", "absent", "ill", "excused", "late", "seats")
    assert sorted(tuple(r[f] for f in fields) for r in found) == _orm_attendance(chosen, by, ON)
    assert found
