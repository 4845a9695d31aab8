"""The diary week of a student: four queries whatever the size of the week."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import reverse

from ..models import Attendance, Bell, GroupMember, Homework, Lesson, Mark
from .common import DAYS_IN_WEEK, groups_of, mark_text, short_name, week_start


@dataclass
class DiaryMark:
    text: str
    kind: str
    kind_short: str
    weight: Decimal
    comment: str = ""
    subject: str = ""


@dataclass
class DiaryHomework:
    id: int
    subject_id: int
    subject: str
    group_id: int
    text: str
    links: list[str]
    minutes: int
    attachments: list[tuple[str, str]] = field(default_factory=list)  # (name, url)


@dataclass
class DiaryLesson:
    id: int
    number: int
    starts_at: dt.time | None
    ends_at: dt.time | None
    subject_id: int
    subject: str
    group_id: int
    group: str
    group_kind: str
    institution_id: int
    institution: str
    room: str
    teacher: str
    substitute: str
    topic: str
    kind: str
    is_cancelled: bool
    moved_from: dt.date | None
    marks: list[DiaryMark] = field(default_factory=list)
    attendance: str = ""
    homework: list[DiaryHomework] = field(default_factory=list)


@dataclass
class DiaryDay:
    date: dt.date
    lessons: list[DiaryLesson] = field(default_factory=list)
    other_homework: list[DiaryHomework] = field(default_factory=list)
    other_marks: list[DiaryMark] = field(default_factory=list)
    homework_minutes: int = 0

    @property
    def is_empty(self) -> bool:
        return not (self.lessons or self.other_homework or self.other_marks)


@dataclass
class DiaryWeek:
    student_id: int
    monday: dt.date
    days: list[DiaryDay]
    home_institution_ids: frozenset[int] = frozenset()

    @property
    def saturday(self) -> dt.date:
        return self.monday + dt.timedelta(days=DAYS_IN_WEEK - 1)

    @property
    def previous(self) -> dt.date:
        return self.monday - dt.timedelta(days=7)

    @property
    def next(self) -> dt.date:
        return self.monday + dt.timedelta(days=7)

    @property
    def lesson_count(self) -> int:
        return sum(len(d.lessons) for d in self.days)


def _member_on(student_id: int, day_field: str) -> Exists:
    """The student is a member of the row's group on the row's ``day_field``."""
    return Exists(
        GroupMember.objects.filter(
            student_id=student_id,
            group_id=OuterRef("group_id"),
            starts_on__lte=OuterRef(day_field),
        ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=OuterRef(day_field)))
    )


def _bell(field_name: str) -> Subquery:
    return Subquery(
        Bell.objects.filter(year_id=OuterRef("year_id"), number=OuterRef("number"))
        .order_by("shift")
        .values(field_name)[:1]
    )


LESSON_FIELDS = (
    "id",
    "date",
    "number",
    "room",
    "topic",
    "kind",
    "status",
    "moved_from",
    "subject_id",
    "subject__name",
    "group_id",
    "group__name",
    "group__kind",
    "institution_id",
    "institution__short_name",
    "teacher__surname",
    "teacher__given_name",
    "teacher__patronymic",
    "substitute_id",
    "substitute__surname",
    "substitute__given_name",
    "substitute__patronymic",
)


def _week_lessons(student_id: int, monday: dt.date, saturday: dt.date) -> list[dict[str, Any]]:
    return list(
        Lesson.objects.filter(
            group_id__in=groups_of(student_id, monday, saturday),
            date__gte=monday,
            date__lte=saturday,
        )
        .filter(_member_on(student_id, "date"))
        .annotate(bell_starts=_bell("starts_at"), bell_ends=_bell("ends_at"))
        .order_by("date", "number", "subject__order", "subject__name", "id")
        .values(*LESSON_FIELDS, "bell_starts", "bell_ends")
    )


def _week_homework(
    student_id: int, monday: dt.date, saturday: dt.date
) -> list[tuple[dt.date, DiaryHomework]]:
    """Homework due in the week, with its attachments joined in (one row per attachment)."""
    rows = (
        Homework.objects.filter(
            group_id__in=groups_of(student_id, monday, saturday),
            due_on__gte=monday,
            due_on__lte=saturday,
        )
        .filter(_member_on(student_id, "due_on"))
        .order_by(
            "due_on", "lesson__subject__order", "lesson__subject__name", "id", "attachments__id"
        )
        .values_list(
            "id",
            "due_on",
            "group_id",
            "lesson__subject_id",
            "lesson__subject__name",
            "text",
            "links",
            "minutes",
            "lesson_id",
            "attachments__id",
            "attachments__name",
        )
    )
    by_id: dict[int, tuple[dt.date, DiaryHomework]] = {}
    for (
        hw_id,
        due_on,
        group_id,
        subject_id,
        subject,
        text,
        links,
        minutes,
        lesson_id,
        a_id,
        a_name,
    ) in rows:
        if hw_id not in by_id:
            by_id[hw_id] = (
                due_on,
                DiaryHomework(
                    id=hw_id,
                    subject_id=subject_id,
                    subject=subject,
                    group_id=group_id,
                    text=text,
                    links=[line.strip() for line in links.splitlines() if line.strip()],
                    minutes=minutes,
                ),
            )
        if a_id is not None:
            # Served by the journal's file view, which lets the group's students and parents in.
            url = reverse("journal:attachment", args=[lesson_id, a_id])
            by_id[hw_id][1].attachments.append((a_name, url))
    return list(by_id.values())


def diary_week(student_id: int, monday: dt.date) -> DiaryWeek:
    monday = week_start(monday)
    saturday = monday + dt.timedelta(days=DAYS_IN_WEEK - 1)
    days = {monday + dt.timedelta(days=i): DiaryDay(monday + dt.timedelta(days=i))
            for i in range(DAYS_IN_WEEK)}  # fmt: skip
    lessons: dict[int, DiaryLesson] = {}
    for row in _week_lessons(student_id, monday, saturday):
        lesson = DiaryLesson(
            id=row["id"],
            number=row["number"],
            starts_at=row["bell_starts"],
            ends_at=row["bell_ends"],
            subject_id=row["subject_id"],
            subject=row["subject__name"],
            group_id=row["group_id"],
            group=row["group__name"],
            group_kind=row["group__kind"],
            institution_id=row["institution_id"],
            institution=row["institution__short_name"],
            room=row["room"],
            teacher=short_name(
                row["teacher__surname"], row["teacher__given_name"], row["teacher__patronymic"]
            ),
            substitute=short_name(
                row["substitute__surname"] or "",
                row["substitute__given_name"] or "",
                row["substitute__patronymic"] or "",
            )
            if row["substitute_id"]
            else "",
            topic=row["topic"],
            kind=row["kind"],
            is_cancelled=row["status"] == Lesson.Status.CANCELLED,
            moved_from=row["moved_from"],
        )
        lessons[lesson.id] = lesson
        days[row["date"]].lessons.append(lesson)

    for due_on, hw in _week_homework(student_id, monday, saturday):
        day = days[due_on]
        day.homework_minutes += hw.minutes
        # Shown at the first lesson of the subject in the group that day, else at the day's end.
        target = next(
            (
                ls
                for ls in day.lessons
                if ls.group_id == hw.group_id and ls.subject_id == hw.subject_id
            ),
            None,
        )
        (target.homework if target else day.other_homework).append(hw)

    for lesson_id, date, subject, value, passed, kind, kind_short, weight, comment in (
        Mark.objects.filter(
            student_id=student_id, date__gte=monday, date__lte=saturday, is_deleted=False
        )
        .order_by("date", "id")
        .values_list(
            "lesson_id",
            "date",
            "subject__name",
            "value",
            "passed",
            "kind__name",
            "kind__short_name",
            "kind__weight",
            "comment",
        )
    ):
        mark = DiaryMark(mark_text(value, passed), kind, kind_short, weight, comment, subject)
        if lesson_id in lessons:
            lessons[lesson_id].marks.append(mark)
        elif date in days:
            days[date].other_marks.append(mark)

    for lesson_id, code in (
        Attendance.objects.filter(student_id=student_id, date__gte=monday, date__lte=saturday)
        .exclude(code="")
        .values_list("lesson_id", "code")
    ):
        if lesson_id in lessons:
            lessons[lesson_id].attendance = code
    return DiaryWeek(student_id=student_id, monday=monday, days=list(days.values()))
