"""The journal's hand-written SQL (``journal.sql``) against ORM references, on SQLite and
PostgreSQL alike: the diary's four statements over the filled diary week and the month, the
bell a lesson takes, and the "in force on a day" rule the statements repeat."""

from __future__ import annotations

import datetime as dt

import pytest

from setka.core.sqlrows import rows
from setka.journal import sql
from setka.journal.bells import BellSlots
from setka.journal.models import Attendance, GroupMember, Homework, Lesson, Mark

from ..clock import d
from .test_diary import MON, dw, filled  # noqa: F401 - fixtures

RANGES = {
    "week": (MON, MON + dt.timedelta(days=6)),
    "month": (d(2026, 11, 1), d(2026, 11, 30)),
    "one day": (MON, MON),
    "none": (MON, MON - dt.timedelta(days=1)),
}


def _params(student, span: str) -> dict:
    start, end = RANGES[span]
    return {"student": student.pk, "start": start, "end": end}


def _is_member(lesson_group_id: int, student_id: int, day: dt.date) -> bool:
    return (
        GroupMember.objects.active(day).filter(group_id=lesson_group_id, student_id=student_id)
    ).exists()


@pytest.fixture(params=["student", "second_child"])
def student(request, filled, world):
    return world.people["student"] if request.param == "student" else filled.second_child


@pytest.mark.parametrize("span", RANGES)
def test_diary_lessons_are_the_orm_lessons_of_the_students_groups(filled, student, span):
    start, end = RANGES[span]
    found = rows(sql.DIARY_LESSONS, _params(student, span))

    lessons = Lesson.objects.filter(date__gte=start, date__lte=end).select_related(
        "subject", "group"
    )
    expected = sorted(
        (ls for ls in lessons if _is_member(ls.group_id, student.pk, ls.date)),
        key=lambda ls: (ls.date, ls.number, ls.subject.order, ls.subject.name, ls.id),
    )
    assert [r[0] for r in found] == [ls.pk for ls in expected]
    assert [(r[8], r[10], r[18]) for r in found] == [
        (ls.subject_id, ls.group_id, ls.substitute_id) for ls in expected
    ]
    if span != "none":
        assert found


@pytest.mark.parametrize("span", RANGES)
def test_the_bell_of_a_lesson_is_the_bell_slots_bell(filled, student, span):
    found = rows(sql.DIARY_LESSONS, _params(student, span))

    lessons = Lesson.objects.in_bulk([r[0] for r in found])
    for r in found:
        lesson = lessons[r[0]]
        bell = BellSlots.of_year(lesson.year_id).get(lesson.group.shift, lesson.number)
        expected = (bell.starts_at, bell.ends_at) if bell else (None, None)
        assert sql.bell_times(r[22]) == expected


@pytest.mark.parametrize("span", RANGES)
def test_diary_homework_is_the_orm_homework_of_the_students_groups(filled, student, span):
    start, end = RANGES[span]
    found = rows(sql.DIARY_HOMEWORK, _params(student, span))

    expected = [
        (h.pk, a.pk if a else None)
        for h in Homework.objects.filter(due_on__gte=start, due_on__lte=end)
        .select_related("lesson__subject")
        .order_by("due_on", "lesson__subject__order", "lesson__subject__name", "id")
        if _is_member(h.group_id, student.pk, h.due_on)
        for a in (list(h.attachments.order_by("id")) or [None])
    ]
    assert [(r[0], r[9]) for r in found] == expected


@pytest.mark.parametrize("span", RANGES)
def test_diary_marks_are_the_orm_marks_not_deleted(filled, student, span):
    start, end = RANGES[span]
    first = Mark.objects.filter(student=student).order_by("id").first()
    if first is not None:
        Mark.objects.filter(pk=first.pk).update(is_deleted=True)
    found = rows(sql.DIARY_MARKS, _params(student, span))

    expected = Mark.objects.filter(
        student=student, date__gte=start, date__lte=end, is_deleted=False
    ).order_by("date", "id")
    assert [(r[0], r[1], r[5], r[6]) for r in found] == [
        (m.pk, m.lesson_id, m.value, m.passed) for m in expected
    ]


@pytest.mark.parametrize("span", RANGES)
def test_diary_attendance_is_the_orm_attendance_with_a_code(filled, student, span):
    start, end = RANGES[span]
    found = rows(sql.DIARY_ATTENDANCE, _params(student, span))

    expected = (
        Attendance.objects.filter(student=student, date__gte=start, date__lte=end)
        .exclude(code="")
        .values_list("lesson_id", "code")
    )
    assert sorted(found) == sorted(expected)


@pytest.mark.parametrize(
    ("starts", "ends"),
    [(-5, None), (-5, -1), (-5, 0), (0, None), (0, 0), (1, None), (1, 5), (-5, 5)],
)
def test_active_on_is_the_orm_rule_for_a_dated_row(filled, world, starts, ends):
    day = MON
    member = GroupMember.objects.filter(student=world.people["student"]).first()
    GroupMember.objects.filter(pk=member.pk).update(
        starts_on=day + dt.timedelta(days=starts),
        ends_on=None if ends is None else day + dt.timedelta(days=ends),
    )
    statement = (
        f"SELECT gm.id FROM {sql.MEMBER} gm "  # noqa: S608 - names from the models
        f"WHERE gm.id = %(id)s AND {sql.active_on('gm', '%(day)s')}"
    )

    found = bool(rows(statement, {"id": member.pk, "day": day}))

    assert found == GroupMember.objects.active(day).filter(pk=member.pk).exists()
