"""The student's and the parent's day.

- The student: today's lessons and the next school day's (by the clock), the homework due
  then with its minutes, the marks entered since the last visit, and the next lesson of a
  network course — read through the diary's own selector (:func:`..diary.diary_days`, four
  queries for the coming fortnight) and one query for the new marks.
- The parent, for every child at once: the new marks and absences since the last visit, the
  next school day's homework load and the averages of the current period — six queries
  whatever the number of children (:func:`children_day`).

Callers pass only students the user may read (themself, their children: ``roles``)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from setka.core.clock import localnow
from setka.network.models import Person

from ..averages import weighted_average
from ..diary import DiaryDay, DiaryHomework, DiaryLesson, diary_days
from ..diary.common import ABSENCE_CODES
from ..marktext import mark_text
from ..models import Attendance, GroupMember, Homework, Mark, StudyGroup

AHEAD_DAYS = 14  # how far the next school day and the next network lesson are looked for
SHOWN_MARKS = 12


@dataclass
class NewMark:
    id: int
    student_id: int
    date: dt.date
    subject: str
    text: str
    kind: str
    entered: dt.datetime


@dataclass
class NewAbsence:
    student_id: int
    date: dt.date
    number: int
    subject: str
    code: str


@dataclass
class SchoolDay:
    date: dt.date
    lessons: list[DiaryLesson]
    homework: list[DiaryHomework]

    @property
    def minutes(self) -> int:
        return sum(h.minutes for h in self.homework)


@dataclass
class StudentDay:
    student_id: int
    date: dt.date
    now: dt.datetime
    since: dt.datetime
    today: SchoolDay
    next_day: SchoolDay | None  # the next day with lessons (tomorrow on a school day)
    new_marks: list[NewMark]
    network_lesson: tuple[dt.date, DiaryLesson] | None


@dataclass
class SubjectAverage:
    subject: str
    average: Decimal | None
    count: int


@dataclass
class ChildDay:
    id: int
    name: str
    given_name: str
    new_marks: list[NewMark] = field(default_factory=list)
    absences: list[NewAbsence] = field(default_factory=list)
    next_day: dt.date | None = None  # the next school day
    homework_minutes: int = 0
    homework_count: int = 0
    averages: list[SubjectAverage] = field(default_factory=list)

    @property
    def news(self) -> int:
        return len(self.new_marks) + len(self.absences)


def _by_clock(lessons: list[DiaryLesson]) -> list[DiaryLesson]:
    return sorted(lessons, key=lambda ls: (ls.starts_at or dt.time.max, ls.number, ls.id))


def _school_day(day: DiaryDay) -> SchoolDay:
    lessons = _by_clock(day.lessons)
    homework = [h for ls in lessons for h in ls.homework] + day.other_homework
    return SchoolDay(day.date, lessons, homework)


def marks_since(student_ids: list[int], since: dt.datetime) -> list[NewMark]:
    """Marks entered (or changed) after ``since``, newest first: one query."""
    rows = (
        Mark.objects.filter(student_id__in=student_ids, is_deleted=False, updated_at__gt=since)
        .order_by("-updated_at", "-id")
        .values_list(
            "pk", "student_id", "date", "subject__name", "value", "passed", "kind__short_name",
            "updated_at",
        )
    )  # fmt: skip
    return [
        NewMark(pk, student_id, date, subject, mark_text(value, passed), kind, entered)
        for pk, student_id, date, subject, value, passed, kind, entered in rows
    ]


def student_day(student_id: int, since: dt.datetime) -> StudentDay:
    moment = localnow()
    day = moment.date()
    days = diary_days(student_id, day, day + dt.timedelta(days=AHEAD_DAYS))
    later = [d for d in days[1:] if any(not ls.is_cancelled for ls in d.lessons)]
    network = None
    for d in days:
        for lesson in _by_clock(d.lessons):
            if lesson.group_kind != StudyGroup.Kind.NETWORK or lesson.is_cancelled:
                continue
            if d.date == day and lesson.ends_at is not None and lesson.ends_at <= moment.time():
                continue  # over already
            network = (d.date, lesson)
            break
        if network:
            break
    return StudentDay(
        student_id=student_id,
        date=day,
        now=moment,
        since=since,
        today=_school_day(days[0]),
        next_day=_school_day(later[0]) if later else None,
        new_marks=marks_since([student_id], since)[:SHOWN_MARKS],
        network_lesson=network,
    )


# --- the parent: every child at once ---------------------------------------------------------


def _absences_since(student_ids: list[int], since: dt.datetime) -> list[NewAbsence]:
    rows = (
        Attendance.objects.filter(
            student_id__in=student_ids, code__in=ABSENCE_CODES, updated_at__gt=since
        )
        .order_by("-date", "-lesson__number")
        .values_list("student_id", "date", "lesson__number", "lesson__subject__name", "code")
    )
    return [NewAbsence(*row) for row in rows]


def next_school_day(day: dt.date) -> dt.date:
    """Tomorrow; Monday after a Saturday (schools work Monday to Saturday)."""
    following = day + dt.timedelta(days=1)
    return following + dt.timedelta(days=1) if following.isoweekday() == 7 else following


def _homework_due(student_ids: list[int], day: dt.date) -> list[tuple[int, int]]:
    """(student, minutes) of the homework due on ``day`` in the groups each student is a
    member of then: two queries (the memberships, the homework)."""
    groups: dict[int, list[int]] = defaultdict(list)
    for student_id, group_id in (
        GroupMember.objects.active(day)
        .filter(student_id__in=student_ids)
        .values_list("student_id", "group_id")
        .distinct()
    ):
        groups[group_id].append(student_id)
    if not groups:
        return []
    return [
        (student_id, minutes)
        for group_id, minutes in Homework.objects.filter(
            due_on=day, group_id__in=list(groups)
        ).values_list("group_id", "minutes")
        for student_id in groups[group_id]
    ]


def _averages(student_ids: list[int], day: dt.date) -> dict[int, list[SubjectAverage]]:
    """Per student and subject, the weighted average of the latest period begun (of the
    school year holding ``day``) that has marks of that subject: one query."""
    rows = (
        Mark.objects.filter(
            student_id__in=student_ids,
            is_deleted=False,
            value__isnull=False,
            lesson__year__starts_on__lte=day,
            lesson__year__ends_on__gte=day,
            lesson__period__starts_on__lte=day,
        )
        .order_by("subject__order", "subject__name")
        .values_list(
            "student_id", "subject_id", "subject__name", "lesson__period__starts_on", "value",
            "kind__weight",
        )
    )  # fmt: skip
    latest: dict[tuple[int, int], dt.date] = {}
    marks: dict[tuple[int, int], list] = defaultdict(list)
    names: dict[int, str] = {}
    for student_id, subject_id, subject, starts_on, value, weight in rows:
        key = (student_id, subject_id)
        names[subject_id] = subject
        if key not in latest or starts_on > latest[key]:
            latest[key], marks[key] = starts_on, []
        if starts_on == latest[key]:
            marks[key].append((value, weight))
    out: dict[int, list[SubjectAverage]] = defaultdict(list)
    for (student_id, subject_id), values in marks.items():
        out[student_id].append(
            SubjectAverage(names[subject_id], weighted_average(values), len(values))
        )
    return out


def children_day(child_ids: list[int], since: dt.datetime) -> list[ChildDay]:
    """The parent's view of each child: six queries whatever the number of children."""
    if not child_ids:
        return []
    day = localnow().date()
    children = {
        pk: ChildDay(pk, f"{given} {surname}", given)
        for pk, surname, given in Person.objects.filter(pk__in=child_ids)
        .order_by("birth_date", "given_name", "pk")
        .values_list("pk", "surname", "given_name")
    }
    ids = list(children)
    for mark in marks_since(ids, since):
        if len(children[mark.student_id].new_marks) < SHOWN_MARKS:
            children[mark.student_id].new_marks.append(mark)
    for absence in _absences_since(ids, since):
        children[absence.student_id].absences.append(absence)
    following = next_school_day(day)
    for child in children.values():
        child.next_day = following
    for student_id, minutes in _homework_due(ids, following):
        children[student_id].homework_minutes += minutes
        children[student_id].homework_count += 1
    for student_id, averages in _averages(ids, day).items():
        children[student_id].averages = averages
    return list(children.values())
