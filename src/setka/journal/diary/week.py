"""The diary of a student for a range of days: four queries whatever the range. The week page
reads Monday to Saturday (:func:`diary_week`), the API any range up to a month
(:func:`diary_days`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.urls import reverse

from setka.core.sqlrows import as_bool, as_date, as_decimal, required, rows

from ..marktext import mark_text
from ..models import Lesson, MarkKind
from ..sql import DIARY_ATTENDANCE, DIARY_HOMEWORK, DIARY_LESSONS, DIARY_MARKS, bell_times
from .common import DAYS_IN_WEEK, short_name, week_start


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
    open_event_id: int | None = None  # an open lesson of the municipal calendar


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


# The four queries of the diary are hand-written SQL (``journal.sql``): the week is what
# students and parents open every day.

WEIGHT_PLACES = MarkKind._meta.get_field("weight").decimal_places


def _rows(sql: str, student_id: int, start: dt.date, end: dt.date) -> list[tuple]:
    return rows(sql, {"student": student_id, "start": start, "end": end})


def _homework(student_id: int, start: dt.date, end: dt.date) -> list[DiaryHomework]:
    """Homework due in the range, with its attachments joined in (one row per attachment).
    Overlapping memberships of one student in one group would repeat a row: skipped."""
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
    ) in _rows(DIARY_HOMEWORK, student_id, start, end):
        hw = by_id.get(hw_id)
        if hw is None:
            hw = by_id[hw_id] = DiaryHomework(
                id=hw_id,
                lesson_id=lesson_id,
                due_on=required(as_date(due_on)),
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


def by_the_clock(lesson: DiaryLesson) -> tuple[dt.time, int, str]:
    """The order of a day's lessons: by their bells' start (a school's 1st lesson at 08:00
    before a ДДТ's 1st at 15:00 and the school's 2nd at 08:50 between them), then number;
    a lesson without a bell after those with one."""
    return (lesson.starts_at or dt.time.max, lesson.number, lesson.subject)


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
    for (
        lesson_id,
        date,
        number,
        room,
        topic,
        kind,
        status,
        moved_from,
        subject_id,
        subject,
        group_id,
        group,
        group_kind,
        institution_id,
        institution,
        t_surname,
        t_given,
        t_patronymic,
        substitute_id,
        s_surname,
        s_given,
        s_patronymic,
        bell,
        open_event_id,
    ) in _rows(DIARY_LESSONS, student_id, start, end):
        if lesson_id in lessons:  # a repeat: overlapping memberships in one group
            continue
        starts_at, ends_at = bell_times(bell)
        lesson = DiaryLesson(
            id=lesson_id,
            number=number,
            starts_at=starts_at,
            ends_at=ends_at,
            subject_id=subject_id,
            subject=subject,
            group_id=group_id,
            group=group,
            group_kind=group_kind,
            institution_id=institution_id,
            institution=institution,
            room=room,
            teacher=short_name(t_surname, t_given, t_patronymic),
            substitute=short_name(
                s_surname or "",
                s_given or "",
                s_patronymic or "",
            )
            if substitute_id
            else "",
            topic=topic,
            kind=kind,
            is_cancelled=status == Lesson.Status.CANCELLED,
            moved_from=as_date(moved_from),
            open_event_id=open_event_id,
        )
        lessons[lesson.id] = lesson
        days[required(as_date(date))].lessons.append(lesson)
    for day in days.values():  # two institutions in a day: by the clock, not by number
        day.lessons.sort(key=by_the_clock)

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

    for (
        m_id,
        lesson_id,
        raw_date,
        subject_id,
        subject,
        value,
        raw_passed,
        kind,
        short,
        weight,
        comment,
    ) in _rows(DIARY_MARKS, student_id, start, end):
        date, passed = as_date(raw_date), as_bool(raw_passed)
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
            weight=required(as_decimal(weight, WEIGHT_PLACES)),
            comment=comment,
        )
        if lesson_id in lessons:
            lessons[lesson_id].marks.append(mark)
        elif date in days:
            days[date].other_marks.append(mark)

    for lesson_id, code in _rows(DIARY_ATTENDANCE, student_id, start, end):
        if lesson_id in lessons:
            lessons[lesson_id].attendance = code
    return list(days.values())
