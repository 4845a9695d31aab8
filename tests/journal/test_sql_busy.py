"""The busy intervals' three statements (``sql.BUSY_TEACHERS``, ``BUSY_STUDENTS``,
``BUSY_GROUPS``) against ORM references of the rules ``journal.busy`` documents, on SQLite and
PostgreSQL alike: over a day, a week, a quarter and the year of the busy world of
``test_busy.py`` with a substituted, a cancelled and a moved lesson, an ended teaching
assignment, lessons without an assignment, a student who left a group and one with two
overlapping memberships of one group."""

from __future__ import annotations

import datetime as dt

import pytest

from setka.core.sqlrows import as_date, rows
from setka.journal import sql
from setka.journal.bells import BellSlots
from setka.journal.models import GroupMember, Lesson, TeachingAssignment
from setka.journal.services import planning, structure, timetable

from ..clock import d
from .test_busy import FRI, MON, SAT, THU, TUE, WED, bw  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_world(world, bw):
    """The busy world with everything the statements filter on."""
    director, jw = world.users["director"], bw.jw
    timetable.lesson_substitute(
        actor=director,
        lesson=bw.lesson(jw.maths, MON),
        substitute=bw.substitute,
    )
    timetable.lesson_cancel(actor=director, lesson=bw.lesson(jw.pe, TUE), reason="Карантин")
    timetable.lesson_move(actor=director, lesson=bw.lesson(jw.maths, WED), date=THU, number=5)
    maths = TeachingAssignment.objects.get(group=jw.klass, subject=jw.maths, teacher=bw.teacher)
    planning.assignment_end(actor=director, assignment=maths, ends_on=TUE)
    history = structure.subject_get_or_create(world.municipality, "История", "ист")
    structure.timetable_entry_create(
        actor=director, group=jw.klass, subject=history, teacher=bw.teacher, weekday=4, number=1
    )
    timetable.generate_lessons(jw.year, groups=[jw.klass])  # no assignment of history
    leaver = GroupMember.objects.get(group=jw.klass, student=jw.students[2])
    structure.group_member_remove(actor=director, member=leaver, ends_on=WED)
    GroupMember.objects.create(  # a second membership overlapping the first
        group=bw.sub1,
        student=world.people["student"],
        home_institution=world.school,
        starts_on=MON,
        ends_on=FRI,
    )
    return bw


RANGES = {
    "a day": (WED, WED),
    "the week": (MON, SAT),
    "the quarter": (d(2026, 11, 5), d(2026, 12, 28)),
    "the year": (d(2026, 9, 1), d(2027, 5, 31)),
}


def _held(first: dt.date, last: dt.date):
    return Lesson.objects.filter(
        status=Lesson.Status.HELD, date__gte=first, date__lte=last
    ).select_related("group")


def _run(statement: str, ids: list[int], first: dt.date, last: dt.date) -> list[tuple]:
    params = {"held": Lesson.Status.HELD.value, "first": first, "last": last}
    params |= {f"i{n}": i for n, i in enumerate(ids)}
    names = ", ".join(f"%(i{n})s" for n in range(len(ids)))
    return rows(statement.replace("{ids}", names), params)


def _check_lessons(found: list[tuple]) -> None:
    """Each row's lesson columns are the lesson's, and its bell is the ``BellSlots`` bell."""
    lessons = Lesson.objects.select_related("group").in_bulk([r[1] for r in found])
    for _owner, lesson_id, day, institution_id, group_id, subject_id, bell in found:
        lesson = lessons[lesson_id]
        assert (as_date(day), institution_id, group_id, subject_id) == (
            lesson.date,
            lesson.institution_id,
            lesson.group_id,
            lesson.subject_id,
        )
        slot = BellSlots.of_year(lesson.year_id).get(lesson.group.shift, lesson.number)
        assert sql.bell_times(bell) == ((slot.starts_at, slot.ends_at) if slot else (None, None))


def _still_teaches(lesson: Lesson) -> bool:
    """The teacher's assignment of the lesson holds on its day, or none of theirs ended
    before it."""
    theirs = TeachingAssignment.objects.filter(
        teacher_id=lesson.teacher_id, group_id=lesson.group_id, subject_id=lesson.subject_id
    )
    return (
        theirs.active(lesson.date).exists() or not theirs.filter(ends_on__lt=lesson.date).exists()
    )


@pytest.mark.parametrize("span", RANGES)
def test_busy_teachers_are_the_orm_teachers_and_substitutes_of_held_lessons(
    world, busy_world, span
):
    first, last = RANGES[span]
    people = [busy_world.teacher, busy_world.substitute, world.people["partner"]]
    ids = [p.pk for p in [*people, world.people["other_teacher"]]]

    found = _run(sql.BUSY_TEACHERS, ids, first, last)

    held = _held(first, last)
    expected = {(ls.substitute_id, ls.pk) for ls in held.filter(substitute_id__in=ids)} | {
        (ls.teacher_id, ls.pk)
        for ls in held.filter(substitute__isnull=True, teacher_id__in=ids)
        if _still_teaches(ls)
    }
    assert sorted((r[0], r[1]) for r in found) == sorted(expected)
    _check_lessons(found)
    if span != "a day":
        dropped = held.filter(substitute__isnull=True, teacher=busy_world.teacher)
        assert not all(_still_teaches(ls) for ls in dropped)  # the ended assignment counted


@pytest.mark.parametrize("span", RANGES)
def test_busy_students_are_the_orm_members_of_the_lessons_groups_on_the_day(
    world, busy_world, span
):
    first, last = RANGES[span]
    jw = busy_world.jw
    ids = [p.pk for p in [*jw.students, world.people["other_student"]]]

    found = _run(sql.BUSY_STUDENTS, ids, first, last)

    members = GroupMember.objects.filter(student_id__in=ids)
    expected = sorted(
        (m.student_id, ls.pk)
        for ls in _held(first, last)
        for m in members.active(ls.date).filter(group_id=ls.group_id)
    )
    assert sorted((r[0], r[1]) for r in found) == expected  # a row per membership
    _check_lessons(found)
    if span == "the week":
        assert len(expected) > len(set(expected))  # the overlapping memberships


@pytest.mark.parametrize("span", RANGES)
def test_busy_groups_are_the_orm_lessons_of_the_groups_and_their_subgroups(world, busy_world, span):
    first, last = RANGES[span]
    bw = busy_world
    groups = [bw.jw.klass, bw.sub1, bw.network]  # sub2 not asked: its class answers for it
    ids = [g.pk for g in groups]

    found = _run(sql.BUSY_GROUPS, ids, first, last)

    held = _held(first, last)
    expected = {(ls.group_id, ls.pk) for ls in held.filter(group_id__in=ids)} | {
        (ls.group.parent_id, ls.pk) for ls in held.filter(group__parent_id__in=ids)
    }
    assert sorted((r[0], r[1]) for r in found) == sorted(expected)
    _check_lessons(found)
    assert (bw.jw.klass.pk, bw.sub2.pk) in {(r[0], r[4]) for r in found}  # through its class
