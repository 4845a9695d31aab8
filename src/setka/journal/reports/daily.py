"""The daily attendance summary («сводка посещаемости за день»): what a class teacher hands in
every morning, and the same figures for every class of a school.

The rules, documented once:

- the students of a class on a day are its members on that day;
- a student's lessons of the day are the held (not cancelled) lessons of the class and of the
  subgroups the student belongs to on that day;
- a lesson is *missed* when its code is Н (absent), Б (ill) or УП (excused); ОП (late) is
  present;
- a student is *absent the whole day* when they had lessons and missed every one of them; the
  reason of such a day is the code met most often among its absences (on a tie: Б, then УП,
  then Н);
- the share present of a class is (students − absent the whole day) / students, on a day with
  lessons.

Each summary is a fixed number of queries whatever the number of classes and students: the
groups, the members, the lessons and the attendance of the day.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q

from ..models import Attendance, GroupMember, Lesson, StudyGroup

MISSED = ("Н", "Б", "УП")  # the codes of a missed lesson
LATE = "ОП"
CODES = (*MISSED, LATE)
REASONS = ("Б", "УП", "Н")  # the reasons of a whole day, in the order that breaks ties


@dataclass
class DayLesson:
    id: int
    number: int
    group_id: int
    group_name: str
    subject_name: str
    subject_short: str
    subgroup: bool  # a lesson of a subgroup, not of the whole class
    missed: int = 0  # students who missed it
    late: int = 0


@dataclass
class DayStudent:
    id: int
    name: str
    # per lesson of the class: the code ("" present) or None (not this student's lesson)
    cells: list[str | None] = field(default_factory=list)
    lessons: int = 0  # the student's lessons of the day
    missed: int = 0
    late: int = 0
    reason: str = ""  # the reason of a whole day's absence, "" when not absent all day

    @property
    def all_day(self) -> bool:
        return bool(self.reason)


@dataclass
class ClassDay:
    group: StudyGroup
    day: dt.date
    lessons: list[DayLesson]
    students: list[DayStudent]
    codes: dict[str, int]  # code -> lessons marked with it
    students_by_code: dict[str, int]  # code -> students with that code at least once

    @property
    def absent_all_day(self) -> list[DayStudent]:
        return [s for s in self.students if s.all_day]

    @property
    def missed(self) -> int:
        return sum(self.codes[c] for c in MISSED)


@dataclass
class ClassRow:
    """One class in the school's summary."""

    group: StudyGroup
    students: int = 0
    lessons: int = 0
    all_day: dict[str, int] = field(default_factory=lambda: dict.fromkeys(REASONS, 0))
    late: int = 0  # students late at least once
    in_session: int | None = None  # the school's total: students of the classes with lessons

    @property
    def absent(self) -> int:
        return sum(self.all_day.values())

    @property
    def reason_counts(self) -> list[int]:
        return [self.all_day[r] for r in REASONS]

    @property
    def present_share(self) -> Decimal | None:
        base = self.students if self.in_session is None else self.in_session
        return share(base - self.absent, base) if self.lessons else None


@dataclass
class SchoolDay:
    day: dt.date
    rows: list[ClassRow]
    total: ClassRow


def share(part: int, whole: int) -> Decimal | None:
    """A percentage with one decimal place, None for an empty whole."""
    if not whole:
        return None
    return (Decimal(100 * part) / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def whole_day_reason(codes: Iterable[str]) -> str:
    counts = Counter(c for c in codes if c in MISSED)
    if not counts:
        return ""
    return max(REASONS, key=lambda c: (counts[c], -REASONS.index(c)))


# --- the reads ----------------------------------------------------------------------------------


def _members(group_ids: list[int], day: dt.date) -> list[tuple[int, int, str, str]]:
    """(group, student, surname, given name) of the groups' members on the day."""
    return list(
        GroupMember.objects.active(day)
        .filter(group_id__in=group_ids)
        .order_by("student__surname", "student__given_name", "student_id")
        .values_list("group_id", "student_id", "student__surname", "student__given_name")
    )


def _lessons(group_ids: list[int], day: dt.date, names: dict[int, str]) -> list[DayLesson]:
    rows = (
        Lesson.objects.filter(group_id__in=group_ids, date=day, status=Lesson.Status.HELD)
        .order_by("number", "group_id", "subject__order", "subject__name")
        .values_list("pk", "number", "group_id", "subject__name", "subject__short_name")
    )
    return [
        DayLesson(pk, number, group_id, names.get(group_id, ""), name, short or name, False)
        for pk, number, group_id, name, short in rows
    ]


def _attendance(group_ids: list[int], day: dt.date) -> dict[tuple[int, int], str]:
    """(lesson, student) -> code, for the marked absences and latenesses of the day."""
    return {
        (lesson_id, student_id): code
        for lesson_id, student_id, code in Attendance.objects.filter(
            group_id__in=group_ids, date=day
        )
        .exclude(code="")
        .values_list("lesson_id", "student_id", "code")
    }


def _students(
    class_id: int,
    lessons: list[DayLesson],
    members: list[tuple[int, int, str, str]],
    codes: dict[tuple[int, int], str],
) -> list[DayStudent]:
    """The class's students with their day, in the order of ``members`` (by name)."""
    in_groups: dict[int, set[int]] = {}
    students: dict[int, DayStudent] = {}
    for group_id, student_id, surname, given in members:
        in_groups.setdefault(student_id, set()).add(group_id)
        if group_id == class_id:
            students[student_id] = DayStudent(student_id, f"{surname} {given}")
    for s in students.values():
        day_codes = []
        for lesson in lessons:
            code = codes.get((lesson.id, s.id), "")
            if lesson.group_id not in in_groups[s.id]:
                s.cells.append(code or None)  # not their lesson (a mark there is still shown)
                continue
            s.cells.append(code)
            s.lessons += 1
            day_codes.append(code)
            if code in MISSED:
                s.missed += 1
                lesson.missed += 1
            elif code == LATE:
                s.late += 1
                lesson.late += 1
        if s.lessons and s.missed == s.lessons:
            s.reason = whole_day_reason(day_codes)
    return list(students.values())


def class_day(group: StudyGroup, day: dt.date) -> ClassDay:
    """The class (and its subgroups) on the day: four queries."""
    subgroups = dict(StudyGroup.objects.filter(parent_id=group.pk).values_list("pk", "name"))
    ids = [group.pk, *subgroups]
    members = _members(ids, day)
    lessons = _lessons(ids, day, {group.pk: group.name, **subgroups})
    for lesson in lessons:
        lesson.subgroup = lesson.group_id != group.pk
    codes = _attendance(ids, day)
    students = _students(group.pk, lessons, members, codes)
    totals = dict.fromkeys(CODES, 0)
    with_code: dict[str, set[int]] = {c: set() for c in CODES}
    for s in students:
        for code in s.cells:
            if code:
                totals[code] += 1
                with_code[code].add(s.id)
    return ClassDay(
        group=group,
        day=day,
        lessons=lessons,
        students=students,
        codes=totals,
        students_by_code={c: len(ids) for c, ids in with_code.items()},
    )


def school_day(classes: list[StudyGroup], subgroups: dict[int, int], day: dt.date) -> SchoolDay:
    """Every class of a school on the day: three queries (the caller has fetched the classes
    and ``subgroups``, a map of subgroup -> class)."""
    ids = [g.pk for g in classes] + list(subgroups)
    members = _members(ids, day)
    lessons = _lessons(ids, day, {})
    codes = _attendance(ids, day)
    class_of = {g.pk: g.pk for g in classes} | subgroups
    lessons_by_class: dict[int, list[DayLesson]] = {}
    for lesson in lessons:
        lessons_by_class.setdefault(class_of[lesson.group_id], []).append(lesson)
    members_by_class: dict[int, list[tuple[int, int, str, str]]] = {}
    for member in members:
        members_by_class.setdefault(class_of[member[0]], []).append(member)
    rows: list[ClassRow] = []
    total = ClassRow(group=StudyGroup(), in_session=0)
    for group in classes:
        own = lessons_by_class.get(group.pk, [])
        row = ClassRow(group=group, lessons=len(own))
        for s in _students(group.pk, own, members_by_class.get(group.pk, []), codes):
            row.students += 1
            row.late += s.late > 0
            if s.reason:
                row.all_day[s.reason] += 1
        rows.append(row)
        total.students += row.students
        total.lessons += row.lessons
        total.late += row.late
        for reason, n in row.all_day.items():
            total.all_day[reason] += n
        if row.lessons:  # the school's share counts the classes that had lessons
            total.in_session = (total.in_session or 0) + row.students
    return SchoolDay(day=day, rows=rows, total=total)


def school_groups(year_id: int) -> tuple[list[StudyGroup], dict[int, int]]:
    """The classes of a year and its subgroups of classes (subgroup -> class): one query."""
    classes: list[StudyGroup] = []
    subgroups: dict[int, int] = {}
    for group in StudyGroup.objects.filter(year_id=year_id).filter(
        Q(kind=StudyGroup.Kind.CLASS) | Q(parent__isnull=False)
    ):
        if group.kind == StudyGroup.Kind.CLASS:
            classes.append(group)
        if group.parent_id is not None:
            subgroups[group.pk] = group.parent_id
    known = {g.pk for g in classes}
    return classes, {k: v for k, v in subgroups.items() if v in known and k not in known}
