"""The busy-intervals seam (journal.busy): when a teacher, a student or a class is busy — a
teacher's own lesson, a substituted lesson, an ended teaching assignment, cancelled and moved
lessons, a subgroup, a network group at the ДДТ with the ДДТ's bells, the second shift, a
student who left a group, a lesson without a bell; the same times as the diary; bad ranges;
one query whatever the range and the number of ids."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import pytest
from django.conf import settings
from django.utils import timezone

from setka.journal.busy import Busy, groups_busy, overlaps, students_busy, teachers_busy
from setka.journal.diary import diary_days
from setka.journal.models import (
    Bell,
    GroupMember,
    Lesson,
    StudyGroup,
    Subject,
    TeachingAssignment,
)
from setka.journal.services import planning, structure, timetable
from setka.network.models import Membership

from .. import factories as f
from ..clock import d

WEEK = d(2026, 11, 23)  # a Monday of the second quarter
MON, TUE, WED, THU, FRI, SAT = (WEEK + dt.timedelta(days=i) for i in range(6))


def at(day: dt.date, hhmm: str) -> dt.datetime:
    """An aware moment in the municipality's time zone."""
    return dt.datetime.combine(
        day, dt.time.fromisoformat(hhmm), tzinfo=timezone.get_default_timezone()
    )


@dataclass
class BusyWorld:
    jw: object
    teacher: object
    substitute: object
    english: Subject
    sub1: StudyGroup  # 7Б англ. 1: the world's student; English on Tuesdays, 4th lesson
    sub2: StudyGroup  # 7Б англ. 2: another student of 7Б; English on Wednesdays, 5th lesson
    robotics: Subject
    network: StudyGroup  # Роботы-1 at the ДДТ: the world's student and a student of school №5
    ddt_year: object

    def lesson(self, subject, day, group=None) -> Lesson:
        return Lesson.objects.get(group=group or self.jw.klass, subject=subject, date=day)

    def busy(self, lesson: Lesson, start: str, end: str, day: dt.date | None = None) -> Busy:
        day = day or lesson.date
        return Busy(
            start=at(day, start),
            end=at(day, end),
            lesson_id=lesson.pk,
            institution_id=lesson.institution_id,
            group_id=lesson.group_id,
            subject_id=lesson.subject_id,
        )


@pytest.fixture
def bw(world, jw) -> BusyWorld:
    """The usual bells of both shifts at school №3 (the first shift's 2nd lesson 08:50–09:30,
    3rd 09:50–10:30, 4th 10:50–11:30, 5th 11:40–12:20, 7th 13:20–14:00; the second shift's 2nd
    14:20–15:00, 4th 16:20–17:00), two English subgroups of 7Б, and a network group at the ДДТ
    whose 7th lesson rings at 15:00–15:45."""
    director = world.users["director"]
    teacher = world.people["teacher"]
    planning.bells_fill_default(actor=director, year=jw.year, shift=1)
    planning.bells_fill_default(actor=director, year=jw.year, shift=2)

    substitute = f.PersonFactory(
        municipality=world.municipality, surname="Заменова", given_name="Ирина"
    )
    f.MembershipFactory(person=substitute, institution=world.school, role=Membership.Role.TEACHER)

    english = structure.subject_get_or_create(world.municipality, "Английский язык", "англ")
    subgroups = []
    for n, (student, weekday, number) in enumerate(
        [(world.people["student"], 2, 4), (jw.students[1], 3, 5)], start=1
    ):
        sub = structure.group_create(
            actor=director,
            year=jw.year,
            name=f"7Б англ. {n}",
            kind=StudyGroup.Kind.SUBGROUP,
            parent=jw.klass,
        )
        structure.group_member_add(
            actor=director, group=sub, student=student, starts_on=jw.year.starts_on
        )
        structure.assignment_create(actor=director, group=sub, subject=english, teacher=teacher)
        structure.timetable_entry_create(
            actor=director,
            group=sub,
            subject=english,
            teacher=teacher,
            weekday=weekday,
            number=number,
        )
        subgroups.append(sub)
    timetable.generate_lessons(jw.year, groups=subgroups)

    ddt_head = f.PersonFactory(municipality=world.municipality, with_user=True)
    f.MembershipFactory(
        person=ddt_head, institution=world.ddt, role=Membership.Role.INSTITUTION_ADMIN
    )
    ddt_year = timetable.year_create(
        actor=ddt_head.user,
        institution=world.ddt,
        name="2026/2027",
        starts_on=d(2026, 9, 1),
        ends_on=d(2027, 5, 31),
        periods=[(d(2026, 9, 1), d(2026, 12, 28)), (d(2027, 1, 12), d(2027, 5, 31))],
        period_scheme="semesters",
    )
    structure.bell_set(
        actor=ddt_head.user,
        year=ddt_year,
        number=7,
        starts_at=dt.time(15, 0),
        ends_at=dt.time(15, 45),
    )
    robotics = structure.subject_get_or_create(world.municipality, "Робототехника", "робот")
    network = structure.group_create(
        actor=ddt_head.user, year=ddt_year, name="Роботы-1", kind=StudyGroup.Kind.NETWORK
    )
    for student in (world.people["student"], world.people["other_student"]):
        structure.group_member_add(
            actor=ddt_head.user, group=network, student=student, starts_on=ddt_year.starts_on
        )
    structure.assignment_create(
        actor=ddt_head.user, group=network, subject=robotics, teacher=world.people["partner"]
    )
    structure.timetable_entry_create(
        actor=ddt_head.user,
        group=network,
        subject=robotics,
        teacher=world.people["partner"],
        weekday=4,
        number=7,
    )
    timetable.generate_lessons(ddt_year)
    return BusyWorld(
        jw=jw,
        teacher=teacher,
        substitute=substitute,
        english=english,
        sub1=subgroups[0],
        sub2=subgroups[1],
        robotics=robotics,
        network=network,
        ddt_year=ddt_year,
    )


# --- teachers ------------------------------------------------------------------------------


def test_teacher_is_busy_during_own_lesson_and_a_free_teacher_is_asked_too(world, bw):
    other = world.people["other_teacher"]

    answer = teachers_busy([bw.teacher.pk, other.pk], MON, MON)

    maths = bw.lesson(bw.jw.maths, MON)
    assert answer == {bw.teacher.pk: [bw.busy(maths, "08:50", "09:30")], other.pk: []}
    [busy] = answer[bw.teacher.pk]
    assert str(busy.start.tzinfo) == settings.TIME_ZONE
    assert busy.institution_id == world.school.pk


def test_substituted_lesson_frees_the_teacher_and_busies_the_substitute(world, bw):
    maths = bw.lesson(bw.jw.maths, MON)
    timetable.lesson_substitute(
        actor=world.users["director"], lesson=maths, substitute=bw.substitute
    )

    answer = teachers_busy([bw.teacher.pk, bw.substitute.pk], MON, TUE)

    assert [b.subject_id for b in answer[bw.teacher.pk]] == [bw.jw.pe.pk, bw.english.pk]
    assert answer[bw.substitute.pk] == [bw.busy(maths, "08:50", "09:30")]


def test_teacher_whose_assignment_ended_is_free_after_its_end(world, bw):
    director = world.users["director"]
    assignment = TeachingAssignment.objects.get(
        group=bw.jw.klass, subject=bw.jw.maths, teacher=bw.teacher
    )
    planning.assignment_end(actor=director, assignment=assignment, ends_on=TUE)
    friday = bw.lesson(bw.jw.maths, FRI)
    timetable.lesson_substitute(actor=director, lesson=friday, substitute=bw.substitute)

    answer = teachers_busy([bw.teacher.pk, bw.substitute.pk], MON, FRI)

    # Maths on Monday still hers; on Wednesday and Friday no longer (PE and English stay).
    assert [(b.start.date(), b.subject_id) for b in answer[bw.teacher.pk]] == [
        (MON, bw.jw.maths.pk),
        (TUE, bw.jw.pe.pk),
        (TUE, bw.english.pk),
        (WED, bw.english.pk),
    ]
    assert answer[bw.substitute.pk] == [bw.busy(friday, "08:50", "09:30")]
    # The class still has its maths lessons.
    class_maths = [b.start.date() for b in groups_busy([bw.jw.klass.pk], MON, FRI)[bw.jw.klass.pk]
                   if b.subject_id == bw.jw.maths.pk]  # fmt: skip
    assert class_maths == [MON, WED, FRI]


def test_lessons_of_a_timetable_without_an_assignment_keep_their_teacher_busy(world, bw):
    director = world.users["director"]
    history = structure.subject_get_or_create(world.municipality, "История", "ист")
    structure.timetable_entry_create(
        actor=director, group=bw.jw.klass, subject=history, teacher=bw.teacher, weekday=4, number=1
    )
    timetable.generate_lessons(bw.jw.year, groups=[bw.jw.klass])

    answer = teachers_busy([bw.teacher.pk], THU, THU)

    assert answer == {bw.teacher.pk: [bw.busy(bw.lesson(history, THU), "08:00", "08:40")]}


def test_cancelled_lesson_makes_nobody_busy(world, bw):
    maths = bw.lesson(bw.jw.maths, MON)
    timetable.lesson_cancel(actor=world.users["director"], lesson=maths, reason="Карантин")
    student = world.people["student"]

    assert teachers_busy([bw.teacher.pk], MON, MON) == {bw.teacher.pk: []}
    assert students_busy([student.pk], MON, MON) == {student.pk: []}
    assert groups_busy([bw.jw.klass.pk], MON, MON) == {bw.jw.klass.pk: []}


def test_moved_lesson_counts_at_its_new_date_and_number(world, bw):
    maths = bw.lesson(bw.jw.maths, MON)
    timetable.lesson_move(actor=world.users["director"], lesson=maths, date=TUE, number=5)
    maths.refresh_from_db()
    student = world.people["student"]

    teacher = teachers_busy([bw.teacher.pk], MON, TUE)[bw.teacher.pk]
    pupil = students_busy([student.pk], MON, TUE)[student.pk]

    pe, english = bw.lesson(bw.jw.pe, TUE), bw.lesson(bw.english, TUE, bw.sub1)
    expected = [
        bw.busy(pe, "09:50", "10:30"),
        bw.busy(english, "10:50", "11:30"),
        bw.busy(maths, "11:40", "12:20", day=TUE),
    ]
    assert teacher == expected
    assert pupil == expected


# --- classes and subgroups -----------------------------------------------------------------


def test_subgroup_lesson_occupies_the_class_but_not_the_other_subgroup(world, bw, jw):
    other = jw.students[1]  # in the second subgroup
    student = world.people["student"]

    groups = groups_busy([jw.klass.pk, bw.sub1.pk, bw.sub2.pk], TUE, TUE)
    students = students_busy([student.pk, other.pk], TUE, TUE)

    pe = bw.busy(bw.lesson(jw.pe, TUE), "09:50", "10:30")
    english = bw.busy(bw.lesson(bw.english, TUE, bw.sub1), "10:50", "11:30")
    assert groups == {jw.klass.pk: [pe, english], bw.sub1.pk: [english], bw.sub2.pk: []}
    assert students == {student.pk: [pe, english], other.pk: [pe]}


def test_network_group_at_the_ddt_takes_the_ddt_bells(world, bw):
    student, other = world.people["student"], world.people["other_student"]
    partner = world.people["partner"]

    students = students_busy([student.pk, other.pk], THU, THU)
    teachers = teachers_busy([partner.pk], THU, THU)
    groups = groups_busy([bw.network.pk], THU, THU)

    robotics = bw.lesson(bw.robotics, THU, bw.network)
    expected = [bw.busy(robotics, "15:00", "15:45")]  # the school's 7th lesson is at 13:20
    assert students == {student.pk: expected, other.pk: expected}
    assert teachers == {partner.pk: expected}
    assert groups == {bw.network.pk: expected}
    assert expected[0].institution_id == world.ddt.pk


def test_second_shift_takes_its_bells_for_the_class_and_its_subgroups(world, bw, jw):
    planning.group_update(actor=world.users["director"], group=jw.klass, shift=2)

    answer = groups_busy([jw.klass.pk], MON, TUE)[jw.klass.pk]

    assert answer == [
        bw.busy(bw.lesson(jw.maths, MON), "14:20", "15:00"),
        bw.busy(bw.lesson(jw.pe, TUE), "15:20", "16:00"),
        bw.busy(bw.lesson(bw.english, TUE, bw.sub1), "16:20", "17:00"),
    ]


# --- students ------------------------------------------------------------------------------


def test_student_who_left_a_group_mid_range_is_busy_until_then(world, bw, jw):
    director = world.users["director"]
    leaver = jw.students[2]
    member = GroupMember.objects.get(group=jw.klass, student=leaver)
    structure.group_member_remove(actor=director, member=member, ends_on=WED)

    answer = students_busy([leaver.pk], MON, FRI)[leaver.pk]

    assert [(b.start.date(), b.subject_id) for b in answer] == [
        (MON, jw.maths.pk),
        (TUE, jw.pe.pk),
        (WED, jw.maths.pk),
    ]


def test_student_of_several_institutions_is_busy_in_order_of_the_clock(world, bw, jw):
    student = world.people["student"]

    answer = students_busy([student.pk], MON, SAT)[student.pk]

    assert [(b.start.date(), b.group_id) for b in answer] == [
        (MON, jw.klass.pk),
        (TUE, jw.klass.pk),
        (TUE, bw.sub1.pk),
        (WED, jw.klass.pk),
        (THU, bw.network.pk),
        (FRI, jw.klass.pk),
    ]


# --- bells ---------------------------------------------------------------------------------


def test_lesson_without_a_bell_takes_its_whole_day(world, bw, jw):
    bell = Bell.objects.get(year=jw.year, shift=1, number=2)
    planning.bell_remove(actor=world.users["director"], bell=bell)

    answer = teachers_busy([bw.teacher.pk], MON, MON)[bw.teacher.pk]

    whole_day = replace(bw.busy(bw.lesson(jw.maths, MON), "00:00", "00:00"), end=at(TUE, "00:00"))
    assert answer == [whole_day]


def test_busy_times_are_the_diary_times(world, bw, jw):
    """The seam and the diary read a lesson's bell through one rule: the same times (and the
    whole day where the diary shows none)."""
    director = world.users["director"]
    planning.bell_remove(actor=director, bell=Bell.objects.get(year=jw.year, shift=1, number=3))
    timetable.lesson_cancel(actor=director, lesson=bw.lesson(jw.maths, WED), reason="Олимпиада")
    student = world.people["student"]

    busy = {
        b.lesson_id: (b.start, b.end) for b in students_busy([student.pk], MON, SAT)[student.pk]
    }

    zone = timezone.get_default_timezone()
    expected = {}
    for day in diary_days(student.pk, MON, SAT):
        for lesson in day.lessons:
            if lesson.is_cancelled:
                continue
            if lesson.starts_at is None:  # PE: its bell removed
                start = dt.datetime.combine(day.date, dt.time.min, tzinfo=zone)
                expected[lesson.id] = (start, start + dt.timedelta(days=1))
            else:
                expected[lesson.id] = (
                    dt.datetime.combine(day.date, lesson.starts_at, tzinfo=zone),
                    dt.datetime.combine(day.date, lesson.ends_at, tzinfo=zone),
                )
    assert busy == expected
    assert len(expected) == 5  # Mon, Tue ×2, Thu, Fri (Wednesday's maths cancelled)


# --- overlaps and bad input ----------------------------------------------------------------


def test_overlaps_keeps_the_intervals_that_share_time_with_the_window(world, bw, jw):
    week = teachers_busy([bw.teacher.pk], MON, FRI)[bw.teacher.pk]

    assert [b.start for b in overlaps(week, at(MON, "09:00"), at(MON, "10:00"))] == [
        at(MON, "08:50")
    ]
    assert overlaps(week, at(MON, "09:30"), at(MON, "09:50")) == []  # touching is not overlapping
    assert [b.subject_id for b in overlaps(week, at(TUE, "08:00"), at(TUE, "18:00"))] == [
        jw.pe.pk,
        bw.english.pk,
    ]


def test_overlaps_refuses_naive_times_and_a_window_that_ends_before_it_starts():
    with pytest.raises(ValueError, match="aware"):
        overlaps([], dt.datetime(2026, 11, 23, 9), at(MON, "10:00"))  # noqa: DTZ001
    with pytest.raises(ValueError, match="before"):
        overlaps([], at(MON, "10:00"), at(MON, "09:00"))


@pytest.mark.parametrize("function", [teachers_busy, students_busy, groups_busy])
@pytest.mark.parametrize(
    ("first", "last", "message"),
    [(TUE, MON, "before it starts"), (MON, MON + dt.timedelta(days=400), "400 days")],
    ids=["backwards", "401 days"],
)
def test_bad_ranges_are_refused(function, first, last, message):
    with pytest.raises(ValueError, match=message):
        function([1], first, last)


def test_a_range_of_400_days_and_no_ids_are_answered(bw, django_assert_num_queries):
    last = MON + dt.timedelta(days=399)

    assert teachers_busy([bw.teacher.pk], MON, last)[bw.teacher.pk]
    with django_assert_num_queries(0):
        assert groups_busy([], MON, last) == {}


# --- the query budget ----------------------------------------------------------------------


@pytest.mark.parametrize("days", [1, 120])
@pytest.mark.parametrize("many", [False, True], ids=["one", "many"])
@pytest.mark.parametrize("who", ["teachers", "students", "groups"])
def test_one_query_whatever_the_range_and_the_ids(
    world, bw, jw, django_assert_num_queries, who, many, days
):
    function, ids = {
        "teachers": (teachers_busy, [bw.teacher, world.people["partner"], bw.substitute]),
        "students": (students_busy, [*jw.students, world.people["other_student"]]),
        "groups": (groups_busy, [jw.klass, bw.sub1, bw.sub2, bw.network]),
    }[who]
    asked = [x.pk for x in (ids if many else ids[:1])]
    last = MON + dt.timedelta(days=days - 1)

    with django_assert_num_queries(1):
        answer = function(asked, MON, last)

    assert list(answer) == asked
    assert answer[asked[0]]  # the first of each has a lesson on Monday
    if days > 1:
        assert len(answer[asked[0]]) > 20
