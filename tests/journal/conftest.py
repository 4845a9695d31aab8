"""A school year at school №3 of the ``world``: class 7Б (the world's student and four more),
maths taught by the world's teacher three times a week, lessons generated for the year."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from setka.journal.models import AcademicYear, GroupMember, Lesson, Period, StudyGroup, Subject
from setka.journal.services import structure, timetable
from setka.network.models import Membership

from .. import factories as f
from ..clock import d

QUARTERS = [
    (d(2026, 9, 1), d(2026, 10, 24)),
    (d(2026, 11, 5), d(2026, 12, 28)),
    (d(2027, 1, 12), d(2027, 3, 21)),
    (d(2027, 3, 31), d(2027, 5, 31)),
]
HOLIDAYS = [
    ("Осенние каникулы", d(2026, 10, 25), d(2026, 11, 4)),
    ("День народного единства", d(2026, 11, 4), d(2026, 11, 4)),
]


@dataclass
class JournalWorld:
    year: AcademicYear
    klass: StudyGroup
    maths: Subject
    pe: Subject
    students: list
    q1: Period
    q2: Period

    def lessons(self, subject=None, period=None):
        qs = Lesson.objects.filter(group=self.klass, subject=subject or self.maths)
        if period is not None:
            qs = qs.filter(period=period)
        return qs.order_by("date", "number")


@pytest.fixture
def jw(world) -> JournalWorld:
    director = world.users["director"]
    year = timetable.year_create(
        actor=director,
        institution=world.school,
        name="2026/2027",
        starts_on=d(2026, 9, 1),
        ends_on=d(2027, 5, 31),
        periods=QUARTERS,
        holidays=HOLIDAYS,
    )
    structure.mark_kinds_ensure(world.school)
    maths = structure.subject_get_or_create(world.municipality, "Математика", "мат")
    pe = structure.subject_get_or_create(
        world.municipality, "Физическая культура", "физ-ра", grading=Subject.Grading.PASS_FAIL
    )
    klass = structure.group_create(
        actor=director,
        year=year,
        name="7Б",
        grade=7,
        letter="Б",
        class_teacher=world.people["teacher"],
    )
    students = [world.people["student"]]
    for i in range(4):
        p = f.PersonFactory(
            municipality=world.municipality, surname=f"Ученик{i}", given_name="Иван"
        )
        f.MembershipFactory(person=p, institution=world.school, role=Membership.Role.STUDENT)
        students.append(p)
    GroupMember.objects.bulk_create(
        GroupMember(group=klass, student=s, home_institution=world.school, starts_on=year.starts_on)
        for s in students
    )
    for subject in (maths, pe):
        structure.assignment_create(
            actor=director, group=klass, subject=subject, teacher=world.people["teacher"]
        )
    for weekday in (1, 3, 5):
        structure.timetable_entry_create(
            actor=director,
            group=klass,
            subject=maths,
            teacher=world.people["teacher"],
            weekday=weekday,
            number=2,
            room="21",
        )
    structure.timetable_entry_create(
        actor=director,
        group=klass,
        subject=pe,
        teacher=world.people["teacher"],
        weekday=2,
        number=3,
    )
    timetable.generate_lessons(year)
    periods = list(year.periods.order_by("number"))
    return JournalWorld(
        year=year, klass=klass, maths=maths, pe=pe, students=students, q1=periods[0], q2=periods[1]
    )
