"""The diary of a student for a range of days: four queries whatever the range. The week page
reads Monday to Saturday (:func:`diary_week`), the API any range up to a month
(:func:`diary_days`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from django.db.models import F, OuterRef, Q, Subquery
from django.urls import reverse

from ..models import Attendance, Bell, Homework, Lesson, Mark
from .common import DAYS_IN_WEEK, mark_text, short_name, week_start


@dataclass
class DiaryMark:
    id: int
    lesson_id: int | None
    subject_id: int
    subject: str
    value: int | None
    passed: bool | None
    text: str
    kind: str
    kind_short: str
    weight: Decimal
    comment: str = ""


class DiaryAttachment(NamedTuple):
    name: str
    url: str


@dataclass
class DiaryHomework:
    id: int
    lesson_id: int  # the lesson it was given at
    due_on: dt.date
    subject_id: int
    subject: str
    group_id: int
    text: str
    links: list[str]
    minutes: int
    attachments: list[DiaryAttachment] = field(default_factory=list)


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


def _member_on(student_id: int, day_field: str, prefix: str = "group__members__") -> Q:
    """The student is a member of the row's group on the row's ``day_field``, as a join (for
    one ``filter()`` call, so that every condition is on the same membership): PostgreSQL plans
    it in half the time of an ``EXISTS``. Overlapping memberships of one student in one group
    would repeat a row: the callers skip repeats."""
    return Q(**{f"{prefix}student_id": student_id, f"{prefix}starts_on__lte": F(day_field)}) & (
        Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": F(day_field)})
    )


def _lessons(student_id: int, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    return list(
        Lesson.objects.filter(_member_on(student_id, "date"), date__gte=start, date__lte=end)
        .annotate(bell_starts=_bell("starts_at"), bell_ends=_bell("ends_at"))
        .order_by("date", "number", "subject__order", "subject__name", "id")
        .values(*LESSON_FIELDS, "bell_starts", "bell_ends")
    )


def _homework(student_id: int, start: dt.date, end: dt.date) -> list[DiaryHomework]:
    """Homework due in the range, with its attachments joined in (one row per attachment)."""
    rows = (
        Homework.objects.filter(
            _member_on(student_id, "due_on"), due_on__gte=start, due_on__lte=end
        )
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
    by_id: dict[int, DiaryHomework] = {}
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
        hw = by_id.get(hw_id)
        if hw is None:
            hw = by_id[hw_id] = DiaryHomework(
                id=hw_id,
                lesson_id=lesson_id,
                due_on=due_on,
                subject_id=subject_id,
                subject=subject,
                group_id=group_id,
                text=text,
                links=[line.strip() for line in links.splitlines() if line.strip()],
                minutes=minutes,
            )
        # Served by the journal's file view, which lets the group's students and parents in.
        url = reverse("journal:attachment", args=[lesson_id, a_id]) if a_id is not None else ""
        if url and all(a.url != url for a in hw.attachments):
            hw.attachments.append(DiaryAttachment(a_name, url))
    return list(by_id.values())


def diary_week(student_id: int, monday: dt.date) -> DiaryWeek:
    """The week of ``monday`` (any day of it will do), Monday to Saturday."""
    monday = week_start(monday)
    saturday = monday + dt.timedelta(days=DAYS_IN_WEEK - 1)
    days = diary_days(student_id, monday, saturday)
    return DiaryWeek(student_id=student_id, monday=monday, days=days)


def diary_days(student_id: int, start: dt.date, end: dt.date) -> list[DiaryDay]:
    """The days from ``start`` to ``end``: the lessons of every group the student is in on the
    lesson's day, with times, topics, marks, attendance and the homework due at them."""
    days = {start + dt.timedelta(days=i): DiaryDay(start + dt.timedelta(days=i))
            for i in range((end - start).days + 1)}  # fmt: skip
    lessons: dict[int, DiaryLesson] = {}
    for row in _lessons(student_id, start, end):
        if row["id"] in lessons:
            continue
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

    for hw in _homework(student_id, start, end):
        day = days[hw.due_on]
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

    for m_id, lesson_id, date, subject_id, subject, value, passed, kind, short, weight, comment in (
        Mark.objects.filter(student_id=student_id, date__gte=start, date__lte=end, is_deleted=False)
        .order_by("date", "id")
        .values_list(
            "id",
            "lesson_id",
            "date",
            "subject_id",
            "subject__name",
            "value",
            "passed",
            "kind__name",
            "kind__short_name",
            "kind__weight",
            "comment",
        )
    ):
        mark = DiaryMark(
            id=m_id,
            lesson_id=lesson_id,
            subject_id=subject_id,
            subject=subject,
            value=value,
            passed=passed,
            text=mark_text(value, passed),
            kind=kind,
            kind_short=short,
            weight=weight,
            comment=comment,
        )
        if lesson_id in lessons:
            lessons[lesson_id].marks.append(mark)
        elif date in days:
            days[date].other_marks.append(mark)

    for lesson_id, code in (
        Attendance.objects.filter(student_id=student_id, date__gte=start, date__lte=end)
        .exclude(code="")
        .values_list("lesson_id", "code")
    ):
        if lesson_id in lessons:
            lessons[lesson_id].attendance = code
    return list(days.values())
