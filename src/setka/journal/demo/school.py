"""The structure of a demo school's year: the year with its quarters and holidays, the bell
schedule, the classes (from the class labels of the students' memberships) with their class
teachers and language subgroups, the teaching assignments (by the teachers' subject
positions and loads) and a weekly timetable without clashes (a greedy placement)."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from setka.network.models import Institution, Membership

from ..models import (
    AcademicYear,
    Bell,
    GroupMember,
    Holiday,
    Period,
    StudyGroup,
    Subject,
    TeachingAssignment,
)
from ..services.timetable import PERIOD_NAMES
from .calendar import Calendar
from .curriculum import PRIMARY, SubjectSpec, curriculum
from .timetable import place

CAP = 30  # the most lessons a week a subject teacher is given
DAYS = (1, 2, 3, 4, 5)
DEMO_TEACHER_CLASS = ("school-3", "7Б")  # the `teacher` login leads it and teaches it maths
# The schools work in two shifts, as many do: grades 2–4 in the second (the 1st, 5th, 9th and
# 11th grades must study in the first).
SECOND_SHIFT_GRADES = frozenset({2, 3, 4})

Slot = tuple[int, int]  # (shift, lesson number)


@dataclass
class Klass:
    group: StudyGroup
    grade: int
    letter: str
    students: list[int]  # person ids, by name
    primary_teacher: int | None = None
    subgroups: list[StudyGroup] = field(default_factory=list)
    halves: list[list[int]] = field(default_factory=list)  # the students of each subgroup


@dataclass
class Teacher:
    person_id: int
    position: str
    user_id: int | None
    room: str
    load: int = 0


@dataclass
class Unit:
    """One lesson a week of a class to place: one entry, or two (the subgroups)."""

    klass: int  # index in School.classes
    key: str  # subject key: not twice a day if it can be helped
    entries: list[tuple[StudyGroup, Subject, int, str]]  # group, subject, teacher, room


@dataclass
class School:
    institution: Institution
    year: AcademicYear
    periods: list[Period]
    bells: dict[int, dict[int, tuple[dt.time, dt.time]]]  # shift -> number -> times
    classes: list[Klass] = field(default_factory=list)
    teachers: dict[int, Teacher] = field(default_factory=dict)
    units: list[Unit] = field(default_factory=list)
    shift_of: dict[int, int] = field(default_factory=dict)  # group id -> shift
    # (teacher, weekday, slot) -> group id: who teaches where and when
    busy: dict[tuple[int, int, Slot], int] = field(default_factory=dict)
    unplaced: int = 0
    _at_once: dict[Slot, list[Slot]] = field(default_factory=dict)

    def at_once(self, slot: Slot) -> list[Slot]:
        """The slots whose lessons overlap this one's in time (itself included)."""
        if slot not in self._at_once:
            times = self.bells.get(slot[0], {}).get(slot[1])
            self._at_once[slot] = [slot] + [
                (shift, number)
                for shift, numbers in self.bells.items()
                if shift != slot[0] and times is not None
                for number, (start, end) in numbers.items()
                if start < times[1] and times[0] < end
            ]
        return self._at_once[slot]

    def is_free(self, teacher: int, day: int, slot: Slot) -> bool:
        return all((teacher, day, s) not in self.busy for s in self.at_once(slot))


def create_year(
    institution: Institution,
    cal: Calendar,
    bells: list[tuple[int, dt.time, dt.time]],
    scheme: str = AcademicYear.PeriodScheme.QUARTERS,
    second_shift: list[tuple[int, dt.time, dt.time]] = (),  # type: ignore[assignment]
    **settings: object,
) -> tuple[AcademicYear, list[Period]]:
    year = AcademicYear(
        institution=institution,
        name=cal.name,
        starts_on=cal.starts_on,
        ends_on=cal.ends_on,
        period_scheme=scheme,
        **settings,
    )
    year.full_clean()
    year.save()
    names = PERIOD_NAMES[AcademicYear.PeriodScheme(scheme)]
    periods = Period.objects.bulk_create(
        Period(year=year, number=i + 1, name=names[i], starts_on=s, ends_on=e)
        for i, (s, e) in enumerate(cal.periods)
    )
    Holiday.objects.bulk_create(
        Holiday(year=year, name=n, starts_on=s, ends_on=e) for n, s, e in cal.holidays
    )
    Bell.objects.bulk_create(
        Bell(year=year, shift=shift, number=n, starts_at=s, ends_at=e)
        for shift, rows in ((1, bells), (2, second_shift))
        for n, s, e in rows
    )
    return year, periods


def build_school(
    *,
    institution: Institution,
    year: AcademicYear,
    periods: list[Period],
    bells: dict[int, list[tuple[int, dt.time, dt.time]]],
    subjects: dict[str, Subject],
    rng: random.Random,
    demo_teacher_id: int | None,
) -> School:
    by_shift = {shift: {n: (s, e) for n, s, e in rows} for shift, rows in bells.items() if rows}
    school = School(institution, year, periods, by_shift)
    _teachers(school)
    _classes(school)
    _assign(school, subjects, rng, demo_teacher_id)
    place(school, rng)
    return school


def _teachers(school: School) -> None:
    rows = (
        Membership.objects.active(school.year.starts_on)
        .filter(institution=school.institution, role=Membership.Role.TEACHER)
        .order_by("id")
        .values_list("person_id", "position", "person__user_id")
    )
    primary = subject = 0
    for person_id, position, user_id in rows:
        if position == PRIMARY:
            primary += 1
            room = str(100 + primary)
        elif "физической" in position:
            room = "спортзал"
        else:
            subject += 1
            room = str(200 + subject)
        school.teachers[person_id] = Teacher(person_id, position, user_id, room)


def _classes(school: School) -> None:
    rows = (
        Membership.objects.active(school.year.starts_on)
        .filter(institution=school.institution, role=Membership.Role.STUDENT)
        .order_by("person__surname", "person__given_name", "person_id")
        .values_list("person_id", "position")
    )
    labels: dict[str, list[int]] = defaultdict(list)
    for person_id, label in rows:
        if label[:-1].isdigit() and 1 <= int(label[:-1]) <= 11:
            labels[label].append(person_id)
    ordered = sorted(labels, key=lambda lb: (int(lb[:-1]), lb[-1]))
    groups = StudyGroup.objects.bulk_create(
        StudyGroup(
            institution=school.institution,
            year=school.year,
            kind=StudyGroup.Kind.CLASS,
            name=label,
            grade=int(label[:-1]),
            letter=label[-1],
            shift=2 if int(label[:-1]) in SECOND_SHIFT_GRADES and 2 in school.bells else 1,
        )
        for label in ordered
    )
    school.classes = [
        Klass(g, g.grade, g.letter, labels[g.name])  # type: ignore[arg-type]
        for g in groups
    ]
    primary = [t.person_id for t in school.teachers.values() if t.position == PRIMARY]
    for i, klass in enumerate(k for k in school.classes if k.grade <= 4):
        if primary:
            klass.primary_teacher = primary[i % len(primary)]
    # Two subgroups for the foreign language from the 2nd grade.
    subgroups = []
    for klass in school.classes:
        if klass.grade >= 2 and len(klass.students) >= 2:
            for n in (1, 2):
                subgroups.append(
                    StudyGroup(
                        institution=school.institution,
                        year=school.year,
                        kind=StudyGroup.Kind.SUBGROUP,
                        name=f"{klass.group.name} (англ., {n} гр.)",
                        grade=klass.grade,
                        letter=klass.letter,
                        parent=klass.group,
                        shift=klass.group.shift,
                    )
                )
    created = StudyGroup.objects.bulk_create(subgroups)
    by_parent: dict[int, list[StudyGroup]] = defaultdict(list)
    for g in created:
        by_parent[g.parent_id].append(g)  # type: ignore[index]
    school.shift_of = {g.pk: g.shift for g in [*groups, *created]}
    members = []
    start = school.year.starts_on
    for klass in school.classes:
        klass.subgroups = by_parent.get(klass.group.pk, [])
        half = (len(klass.students) + 1) // 2
        if klass.subgroups:
            klass.halves = [klass.students[:half], klass.students[half:]]
        for student in klass.students:
            members.append(_member(klass.group, student, school.institution, start))
        for sub, students in zip(klass.subgroups, klass.halves, strict=True):
            members += [_member(sub, s, school.institution, start) for s in students]
    GroupMember.objects.bulk_create(members, batch_size=2000)


def _member(group: StudyGroup, student: int, home: Institution, start: dt.date) -> GroupMember:
    return GroupMember(group=group, student_id=student, home_institution=home, starts_on=start)


def _assign(
    school: School, subjects: dict[str, Subject], rng: random.Random, demo_teacher: int | None
) -> None:
    slug = school.institution.slug
    by_position: dict[str, list[Teacher]] = defaultdict(list)
    for t in school.teachers.values():
        by_position[t.position].append(t)
    everyone = [t for t in school.teachers.values() if t.position != PRIMARY]
    rows: list[TeachingAssignment] = []
    leads: set[int] = set()

    def choose(spec: SubjectSpec, hours: int, klass: Klass, exclude: set[int]) -> Teacher:
        for position in (spec.position, *spec.fallback):
            pool = [t for t in by_position.get(position, []) if t.person_id not in exclude]
            if position == PRIMARY:  # another class's primary teacher never
                pool = [t for t in pool if t.person_id == klass.primary_teacher]
            free = [t for t in pool if t.load + hours <= CAP]
            if free:
                return min(free, key=lambda t: t.load)
        if klass.primary_teacher and klass.primary_teacher not in exclude:
            return school.teachers[klass.primary_teacher]
        free = [t for t in everyone if t.person_id not in exclude and t.load + hours <= CAP]
        pool = free or [t for t in everyone if t.person_id not in exclude] or everyone
        return min(pool, key=lambda t: t.load)

    def order(i: int) -> tuple[bool, int]:  # the demo login's class first, then the seniors
        return (
            (slug, school.classes[i].group.name) != DEMO_TEACHER_CLASS,
            -school.classes[i].grade,
        )

    for index in sorted(range(len(school.classes)), key=order):
        klass = school.classes[index]
        bundles: dict[str, list[tuple[SubjectSpec, int]]] = defaultdict(list)
        for spec, hours in curriculum(slug, klass.grade, klass.letter).subjects:
            bundles[spec.bundle or spec.key].append((spec, hours))
        taught: dict[int, int] = defaultdict(int)
        for key, items in sorted(bundles.items(), key=lambda kv: -sum(h for _, h in kv[1])):
            spec, total = items[0][0], sum(h for _, h in items)
            if klass.grade <= 4 and spec.primary_by_class and klass.primary_teacher:
                teachers = [school.teachers[klass.primary_teacher]]
            elif (slug, klass.group.name) == DEMO_TEACHER_CLASS and key == "math" and demo_teacher:
                teachers = [school.teachers[demo_teacher]]
            elif spec.split and klass.subgroups:
                first = choose(spec, total, klass, set())
                first.load += total  # so that the second one is somebody else
                second = choose(spec, total, klass, {first.person_id})
                first.load -= total
                teachers = [first, second]
            else:
                teachers = [choose(spec, total, klass, set())]
            groups = klass.subgroups if len(teachers) == 2 else [klass.group]
            for teacher, group in zip(teachers, groups, strict=True):
                teacher.load += total
                taught[teacher.person_id] += total
                for item, hours in items:
                    rows.append(
                        TeachingAssignment(
                            institution=school.institution,
                            group=group,
                            subject=subjects[item.key],
                            teacher_id=teacher.person_id,
                            hours_per_week=Decimal(hours),
                            starts_on=school.year.starts_on,
                        )
                    )
            for item, hours in items:
                for _ in range(hours):
                    school.units.append(
                        Unit(
                            index,
                            item.key,
                            [
                                (g, subjects[item.key], t.person_id, t.room)
                                for t, g in zip(teachers, groups, strict=True)
                            ],
                        )
                    )
        klass.group.class_teacher_id = _class_teacher(school, klass, taught, leads, demo_teacher)
    TeachingAssignment.objects.bulk_create(rows, batch_size=2000)
    StudyGroup.objects.bulk_update([k.group for k in school.classes], ["class_teacher"])


def _class_teacher(school, klass: Klass, taught: dict[int, int], leads: set[int], demo) -> int:
    if (school.institution.slug, klass.group.name) == DEMO_TEACHER_CLASS and demo:
        choice = demo
    elif klass.primary_teacher:
        choice = klass.primary_teacher
    else:
        ranked = sorted(taught, key=lambda t: (t in leads, t == demo, -taught[t], t))
        choice = ranked[0]
    leads.add(choice)
    return choice
