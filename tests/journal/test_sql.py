"""The journal's hand-written SQL (``journal.sql``) against ORM references, on SQLite and
PostgreSQL alike: the diary's four statements over the filled diary week and the month, the
bell a lesson takes, the "in force on a day" rule the statements repeat, and the grid's four
statements over a class with members who left, came back or came late, deleted marks,
cleared attendance and the marks of other subjects, groups and periods. The access and the
busy statements: ``test_sql_access.py`` and ``test_sql_busy.py``."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Q

from setka.core.sqlrows import as_bool, as_date, as_decimal, rows
from setka.journal import sql
from setka.journal.bells import BellSlots
from setka.journal.models import (
    Attendance,
    GroupMember,
    Homework,
    Lesson,
    Mark,
    MarkKind,
    PeriodMark,
    StudyGroup,
)

from .. import factories as f
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


# --- the grid ----------------------------------------------------------------------------------

ONE_DAY = dt.timedelta(days=1)


@pytest.fixture
def grid(world, jw):
    """7Б in the first two quarters, maths and PE, with what the grid's statements filter on:
    members who left in the second quarter, left before it, came back, or came after it; a
    namesake (ordered by id); a subgroup; period marks of other periods, subjects and the
    year; marks deleted, of PE, of the subgroup and of both quarters; attendance cleared or
    coded; homework; a substituted, a cancelled and a moved lesson."""
    q1, q2, klass, school = jw.q1, jw.q2, jw.klass, world.school
    student, left, gone, back, stays = jw.students
    GroupMember.objects.filter(group=klass, student=left).update(ends_on=q2.starts_on + 9 * ONE_DAY)
    GroupMember.objects.filter(group=klass, student=gone).update(ends_on=q2.starts_on - ONE_DAY)
    GroupMember.objects.filter(group=klass, student=back).update(ends_on=q2.starts_on + 2 * ONE_DAY)
    for person, starts_on, ends_on in [
        (back, q2.starts_on + 4 * ONE_DAY, None),
        (f.PersonFactory(municipality=world.municipality, surname="Ученик0", given_name="Иван"),
         q2.starts_on, q2.ends_on),  # a namesake of a member
        (f.PersonFactory(municipality=world.municipality), q2.ends_on + ONE_DAY, None),
    ]:  # fmt: skip
        GroupMember.objects.create(
            group=klass, student=person, home_institution=school, starts_on=starts_on,
            ends_on=ends_on,
        )  # fmt: skip
    subgroup = StudyGroup.objects.create(
        institution=school, year=jw.year, kind=StudyGroup.Kind.SUBGROUP, name="7Б мат 1",
        parent=klass,
    )  # fmt: skip
    GroupMember.objects.create(
        group=subgroup, student=student, home_institution=school, starts_on=jw.year.starts_on
    )
    for group, subject, period, who, values in [
        (klass, jw.maths, q2, student, {"value": 5}),
        (klass, jw.maths, q2, back, {"not_certified": True}),
        (klass, jw.maths, q2, left, {"value": 3}),
        (klass, jw.maths, q1, stays, {"value": 4}),
        (klass, jw.maths, None, stays, {"value": 4}),  # the year mark
        (klass, jw.pe, q2, student, {"passed": True}),
        (klass, jw.pe, q2, stays, {"passed": False}),
        (subgroup, jw.maths, q2, stays, {"value": 2}),
    ]:
        PeriodMark.objects.create(
            institution=school, group=group, subject=subject, period=period, student=who,
            **values,
        )  # fmt: skip

    kinds = list(MarkKind.objects.filter(institution=school).order_by("order", "id"))
    teacher = world.people["teacher"]
    lessons = list(Lesson.objects.filter(group=klass, period__in=[q1, q2]).order_by("id"))
    for n, lesson in enumerate(lessons[::3]):  # every third lesson gets marks and attendance
        for i, who in enumerate(jw.students):
            mark = (
                {"passed": n % 2 == 0}
                if lesson.subject_id == jw.pe.pk
                else {"value": 1 + (n + i) % 5}
            )
            Mark.objects.create(
                institution=school, lesson=lesson, student=who, group=klass,
                subject_id=lesson.subject_id, date=lesson.date, kind=kinds[(n + i) % len(kinds)],
                is_deleted=(n + i) % 4 == 0, **mark,
            )  # fmt: skip
            if (n + i) % 3:
                Attendance.objects.create(
                    institution=school, lesson=lesson, student=who, group=klass,
                    date=lesson.date, code=["", "Н", "Б", "УП", "ОП"][(n + i) % 5],
                )  # fmt: skip
    sub_lesson = Lesson.objects.create(
        institution=school, year=jw.year, period=q2, group=subgroup, subject=jw.maths,
        teacher=teacher, date=q2.starts_on + ONE_DAY, number=6,
    )  # fmt: skip
    Mark.objects.create(
        institution=school, lesson=sub_lesson, student=student, group=subgroup,
        subject=jw.maths, date=sub_lesson.date, kind=kinds[0], value=2,
    )  # fmt: skip
    Attendance.objects.create(
        institution=school, lesson=sub_lesson, student=student, group=subgroup,
        date=sub_lesson.date, code="Н",
    )  # fmt: skip

    maths_q2 = list(jw.lessons(period=q2))
    for lesson, due in [(maths_q2[0], maths_q2[1].date), (jw.lessons(period=q1)[0], q1.ends_on)]:
        Homework.objects.create(
            institution=school, lesson=lesson, group=klass, due_on=due, text="№ 1–5",
            links="https://example.org/a", minutes=25, is_late=lesson.period_id == q1.pk,
        )  # fmt: skip
    substitute = f.PersonFactory(municipality=world.municipality)
    Lesson.objects.filter(pk=maths_q2[2].pk).update(substitute=substitute, topic="Дроби")
    Lesson.objects.filter(pk=maths_q2[3].pk).update(status=Lesson.Status.CANCELLED)
    Lesson.objects.filter(pk=maths_q2[4].pk).update(
        moved_from=maths_q2[4].date, date=maths_q2[4].date + ONE_DAY, number=5,
        kind=Lesson.Kind.CONTROL, room="",
    )  # fmt: skip
    return {"subgroup": subgroup}


def _grid_case(jw, grid, case: str) -> tuple:
    """(group, subject, period) of a grid."""
    return {
        "maths q2": (jw.klass, jw.maths, jw.q2),
        "maths q1": (jw.klass, jw.maths, jw.q1),
        "pe q2": (jw.klass, jw.pe, jw.q2),
        "subgroup maths q2": (grid["subgroup"], jw.maths, jw.q2),
    }[case]


def _grid_params(group, subject, period) -> dict:
    return {
        "group": group.pk,
        "subject": subject.pk,
        "period": period.pk,
        "start": period.starts_on,
        "end": period.ends_on,
    }


GRID_CASES = ["maths q2", "maths q1", "pe q2", "subgroup maths q2"]


@pytest.mark.parametrize("case", GRID_CASES)
def test_grid_lessons_are_the_orm_lessons_with_their_homework(jw, grid, case):
    group, subject, period = _grid_case(jw, grid, case)
    found = rows(sql.GRID_LESSONS, _grid_params(group, subject, period))

    lessons = Lesson.objects.filter(group=group, subject=subject, period=period).order_by(
        "date", "number"
    )
    homework = {h.lesson_id: h for h in Homework.objects.filter(lesson__in=lessons)}
    expected = []
    for ls in lessons:
        h = homework.get(ls.pk)
        expected.append(
            (ls.pk, ls.date, ls.number, ls.status, ls.kind, ls.topic, ls.teacher_id,
             ls.substitute_id, ls.room, ls.moved_from)
            + ((h.pk, h.text, h.minutes, h.due_on, h.is_late, h.links) if h else (None,) * 6)
        )  # fmt: skip
    assert [
        (r[0], as_date(r[1]), *r[2:9], as_date(r[9]), *r[10:13], as_date(r[13]),
         as_bool(r[14]), r[15])
        for r in found
    ] == expected  # fmt: skip
    assert (case == "subgroup maths q2") == (len(found) == 1)


@pytest.mark.parametrize("case", GRID_CASES)
def test_grid_students_are_the_orm_members_of_the_period_with_their_period_marks(jw, grid, case):
    group, subject, period = _grid_case(jw, grid, case)
    found = rows(sql.GRID_STUDENTS, _grid_params(group, subject, period))

    members = (
        GroupMember.objects.filter(group=group, starts_on__lte=period.ends_on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=period.starts_on))
        .select_related("student")
        .order_by("student__surname", "student__given_name", "student_id", "starts_on")
    )
    marks = {
        pm.student_id: (pm.value, pm.passed, pm.not_certified)
        for pm in PeriodMark.objects.filter(group=group, subject=subject, period=period)
    }
    expected = [
        (
            m.student_id,
            m.student.surname,
            m.student.given_name,
            m.ends_on,
            *marks.get(m.student_id, (None, None, None)),
        )
        for m in members
    ]
    assert [(*r[:3], as_date(r[3]), r[4], as_bool(r[5]), as_bool(r[6])) for r in found] == expected
    if case == "maths q2":  # the member who came back has a row per membership
        assert len(found) > len({r[0] for r in found})


@pytest.mark.parametrize("case", GRID_CASES)
def test_grid_marks_are_the_orm_marks_of_the_period_not_deleted(jw, grid, case):
    group, subject, period = _grid_case(jw, grid, case)
    found = rows(sql.GRID_MARKS, _grid_params(group, subject, period))

    expected = Mark.objects.filter(
        group=group,
        subject=subject,
        date__gte=period.starts_on,
        date__lte=period.ends_on,
        is_deleted=False,
    ).order_by("id")
    places = MarkKind._meta.get_field("weight").decimal_places
    assert [(*r[:4], as_bool(r[4]), r[5], as_decimal(r[6], places), r[7]) for r in found] == [
        (m.pk, m.lesson_id, m.student_id, m.value, m.passed, m.kind.short_name, m.kind.weight,
         m.kind.name)
        for m in expected.select_related("kind")
    ]  # fmt: skip
    assert found
    if group == jw.klass:  # there were deleted marks to leave out
        assert Mark.objects.filter(group=group, subject=subject, is_deleted=True).exists()


@pytest.mark.parametrize("case", GRID_CASES)
def test_grid_attendance_is_the_orm_attendance_at_the_grids_lessons_with_a_code(jw, grid, case):
    group, subject, period = _grid_case(jw, grid, case)
    found = rows(sql.GRID_ATTENDANCE, _grid_params(group, subject, period))

    expected = (
        Attendance.objects.filter(
            lesson__group=group, lesson__subject=subject, lesson__period=period
        )
        .exclude(code="")
        .values_list("lesson_id", "student_id", "code")
    )
    assert sorted(found) == sorted(expected)
    assert found
