"""Filling the journal of a demo year: topics, homework, marks, attendance and the marks of
the periods that are over — written as plain rows (see ``writer.py``), with every invariant of
the services kept: marks 1–5 or pass/fail by the subject, only for members of the group on the
lesson's date and not absent, no marks in the 1st grade (and in the 2nd before its 2nd
quarter), the group, subject, date and institution copied from the lesson, nothing on a
cancelled lesson."""

from __future__ import annotations

import datetime as dt
import random
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import groupby
from typing import NamedTuple

from ..models import Attendance, Homework, Lesson, Mark, PeriodMark
from . import writer
from .curriculum import KIND_MIX, SubjectSpec
from .period_marks import period_marks
from .profiles import Profiles
from .topics import CONTROL, REGULAR, PlannedLesson, homework, year_plan

MARK_FIELDS = ["institution", "lesson", "student", "group", "subject", "date", "value",
               "passed", "kind", "comment", "created_at", "created_by", "updated_at",
               "is_deleted"]  # fmt: skip
ATTENDANCE_FIELDS = ["institution", "lesson", "student", "group", "date", "code", "comment",
                     "updated_at", "updated_by"]  # fmt: skip
HOMEWORK_FIELDS = ["institution", "lesson", "group", "due_on", "text", "links", "minutes",
                   "is_late", "created_at", "updated_at", "created_by"]  # fmt: skip
PERIOD_MARK_FIELDS = ["institution", "group", "subject", "student", "period", "value", "passed",
                      "not_certified", "average", "suggested", "is_override", "updated_at",
                      "updated_by"]  # fmt: skip
COMMENTS = [
    "Не готов к уроку", "Отличный ответ", "Работа над ошибками",
    "Не сдана тетрадь", "Активная работа на уроке", "Исправлено после консультации",
]  # fmt: skip
LINKS = "https://resh.edu.ru/"
NO_TOPIC = 0.03  # share of past lessons whose topic was never entered
LATE_ENTRY = 0.03  # share of lessons whose marks were entered days later


@dataclass
class GroupInfo:
    grade: int  # for the plans and the homework (7 for a network group)
    members: list[tuple[int, dt.date]]  # (student, member since)
    shift: int = 1  # whose bells time the lessons


@dataclass
class Lessons:
    """What the filler needs about the lessons of one institution's year."""

    rows: list[tuple]  # (id, group, subject, teacher, date, number, period), by group, subject
    hours: dict[tuple[int, int], int]  # (group, subject) -> hours a week
    substitutes: dict[int, int] = field(default_factory=dict)  # lesson -> substitute person
    cancelled: set[int] = field(default_factory=set)


class Entry(NamedTuple):
    """Where a mark goes: the lesson's copied fields, when and by whom it was entered."""

    lesson: int
    group: int
    subject: int
    date: str
    entered: str
    user: int | None
    period: int
    hard: bool  # a control work or a test: lower and more spread marks
    closing: bool  # in a period that is over: its marks make the period mark


class Sequence:
    """The held lessons of one group in one subject, in order, with their plan."""

    def __init__(self, spec: SubjectSpec, info: GroupInfo, plan, held: list[tuple]) -> None:
        self.spec, self.info, self.plan, self.held = spec, info, plan, held
        self.count: dict[tuple[int, int], int] = defaultdict(int)  # (student, period) -> marks
        self.catch_up: set[int] = set()
        for i, row in enumerate(held):  # the last two lessons of each period
            if i + 2 >= len(held) or held[i + 2][6] != row[6]:
                self.catch_up.add(i)

    def due(self, index: int) -> dt.date:
        """The next lesson on a later day (homework is due then), or a week later."""
        day = self.held[index][4]
        for row in self.held[index + 1 :]:
            if row[4] > day:
                return row[4]
        return day + dt.timedelta(days=7)


@dataclass
class Counts:
    lessons: int = 0
    topics: int = 0
    homework: int = 0
    marks: int = 0
    absences: int = 0
    period_marks: int = 0
    unplaced: int = 0  # weekly lessons the timetable could not place

    def add(self, other: Counts) -> None:
        for name in vars(self):
            setattr(self, name, getattr(self, name) + getattr(other, name))


class Filler:
    def __init__(
        self,
        *,
        institution_id: int,
        year,
        periods: list,
        bells: dict[int, dict[int, tuple[dt.time, dt.time]]],  # shift -> number -> times
        kinds: list,
        specs: dict[int, SubjectSpec],
        groups: dict[int, GroupInfo],
        users: dict[int, int | None],
        profiles: Profiles,
        rng: random.Random,
        today: dt.date,
        until: dt.date,
        time_zone: str,
    ) -> None:
        self.institution_id = institution_id
        self.year = year
        self.periods = {p.pk: p for p in periods}
        self.first_period = min(periods, key=lambda p: p.number).pk
        # Periods that are over: their marks are set and they are closed.
        self.closing = {p.pk for p in periods if p.ends_on < today}
        self.bells = bells
        # The default kinds (services.structure.DEFAULT_MARK_KINDS); any other set works too.
        self.kinds = {k.short_name: k for k in kinds}
        for short in {"кр", "дикт", "пров", *(k for mix in KIND_MIX.values() for k in mix)}:
            if short not in self.kinds:
                control = [k for k in kinds if k.is_control]
                self.kinds[short] = (control if short in ("кр", "дикт") and control else kinds)[0]
        self.specs, self.groups, self.users = specs, groups, users
        self.profiles, self.rng = profiles, rng
        self.today, self.until = today, until
        self.tz = zoneinfo.ZoneInfo(time_zone)
        self.adapt = writer.Adapt()
        self.mixes = {
            style: ([self.kinds[k] for k in mix], list(_cumulative(mix.values())))
            for style, mix in KIND_MIX.items()
        }
        self.marks: list[tuple] = []
        self.attendance: list[tuple] = []
        self.homework: list[tuple] = []
        self.updates: list[tuple] = []
        # (group, subject, student, period) -> [(value, weight)] or [passed]
        self.period_values: dict[tuple[int, int, int, int], list] = defaultdict(list)

    def moment(self, day: dt.date, at: dt.time, minutes: int = 0) -> str:
        when = dt.datetime.combine(day, at, tzinfo=self.tz) + dt.timedelta(minutes=minutes)
        return self.adapt.moment(when)

    # --- the loop ------------------------------------------------------------------------

    def run(self, lessons: Lessons) -> Counts:
        counts = Counts(lessons=len(lessons.rows))
        for (group_id, subject_id), rows in groupby(lessons.rows, key=lambda r: (r[1], r[2])):
            spec = self.specs[subject_id]
            info = self.groups[group_id]
            hours = lessons.hours.get((group_id, subject_id), 1)
            held = [r for r in rows if r[0] not in lessons.cancelled]
            seq = Sequence(spec, info, year_plan(spec, info.grade, hours), held)
            for index, row in enumerate(held):
                self.lesson(seq, index, row, lessons.substitutes)
        counts.topics = sum(1 for u in self.updates if u[1])
        counts.homework = len(self.homework)
        counts.marks = len(self.marks)
        counts.absences = len(self.attendance)
        return counts

    def lesson(self, seq: Sequence, index: int, row: tuple, substitutes: dict) -> None:
        lesson_id, group_id, subject_id, teacher_id, day, number, period_id = row
        rng = self.rng
        spec, info = seq.spec, seq.info
        planned = seq.plan[index] if index < len(seq.plan) else PlannedLesson("Повторение", REGULAR)
        bells = self.bells.get(info.shift) or self.bells[min(self.bells)]
        start, end = bells.get(number) or bells[max(bells)]
        past = day < self.today
        if day < self.today + dt.timedelta(days=8):
            keep = planned.kind != REGULAR or not past or rng.random() >= NO_TOPIC
            if keep:
                set_at = (
                    self.moment(day, start, 5)
                    if past
                    else self.moment(self.today - dt.timedelta(days=1), dt.time(16, 0))
                )
                self.updates.append((lesson_id, planned.topic, planned.kind, set_at))
        if day >= self.until:
            return
        teacher = substitutes.get(lesson_id, teacher_id)
        user = self.users.get(teacher)
        date = self.adapt.date(day)
        if info.grade >= 2 and rng.random() < spec.homework_rate * (
            0.4 if planned.kind == CONTROL else 1
        ):
            self.add_homework(seq, index, row, start, user)
        graded = info.grade >= 2 and not (info.grade == 2 and period_id == self.first_period)
        catch_up = index in seq.catch_up  # the last lessons of a period: marks for those short
        late = rng.random() < LATE_ENTRY and day + dt.timedelta(days=3) < self.today
        entered = (
            self.moment(day + dt.timedelta(days=rng.randint(1, 3)), dt.time(19, rng.randint(0, 59)))
            if late
            else self.moment(day, end, rng.randint(5, 240))
        )
        at = Entry(lesson_id, group_id, subject_id, date, entered, user, period_id,
                   planned.everyone != "", period_id in self.closing)  # fmt: skip
        minimum = self.year.min_marks_for_period
        for student, since in info.members:
            if since > day:
                continue
            profile = self.profiles.get(student)
            code = profile.absences.get(day)
            r = rng.random()
            if code is None and r < 0.004:
                code = "Н"
            came_late = code is None and r < (0.025 if number == 1 else 0.006)
            if code is not None or came_late:
                comment = "справка" if code == "Б" and r < 0.3 else ""
                self.attendance.append(
                    (
                        self.institution_id,
                        lesson_id,
                        student,
                        group_id,
                        date,
                        code or "ОП",
                        comment,
                        entered,
                        user,
                    )
                )
            if code is not None:
                continue  # absent: no marks; a late student is graded as usual
            if not graded:
                continue
            population, cumulative = self.mixes[spec.style]
            if planned.everyone:
                kinds = [self.kinds[planned.everyone]]
            elif rng.random() < spec.mark_rate or (
                catch_up and seq.count[student, period_id] < minimum
            ):
                kinds = rng.choices(population, cum_weights=cumulative, k=2 if r > 0.96 else 1)
            else:
                continue
            seq.count[student, period_id] += len(kinds)
            for kind in kinds:
                self.add_mark(at, student, spec, profile, kind)

    def add_mark(self, at: Entry, student: int, spec: SubjectSpec, profile, kind) -> None:
        rng = self.rng
        value: int | None = None
        passed: bool | None = None
        if spec.pass_fail:
            passed = rng.random() < 0.95
        else:
            hard = at.hard
            x = profile.level(spec) + rng.gauss(-0.2 if hard else 0.0, 0.9 if hard else 0.7)
            value = min(5, int(x + 0.5))
            if value <= 1:
                value = 1 if rng.random() < 0.15 else 2
        comment = rng.choice(COMMENTS) if rng.random() < 0.01 else ""
        self.marks.append(
            (
                self.institution_id,
                at.lesson,
                student,
                at.group,
                at.subject,
                at.date,
                value,
                passed,
                kind.pk,
                comment,
                at.entered,
                at.user,
                at.entered,
                False,
            )
        )
        if at.closing:
            key = (at.group, at.subject, student, at.period)
            self.period_values[key].append(passed if value is None else (value, kind.weight))

    def add_homework(self, seq: Sequence, index: int, row: tuple, start, user) -> None:
        lesson_id, group_id, day = row[0], row[1], row[4]
        rng = self.rng
        text, minutes = homework(seq.spec, seq.info.grade, index, rng)
        late = rng.random() < 0.04
        if late:  # entered in the evening, after the end of the school day
            created = self.moment(day, dt.time(19, 0), rng.randint(0, 200))
        else:
            created = self.moment(day, start, rng.randint(10, 35))
        due = seq.due(index)
        self.homework.append(
            (
                self.institution_id,
                lesson_id,
                group_id,
                self.adapt.date(due),
                text,
                LINKS if rng.random() < 0.03 else "",
                minutes,
                late,
                created,
                created,
                user,
            )
        )

    # --- writing -------------------------------------------------------------------------

    def write(self, teacher_of: dict[tuple[int, int], int]) -> int:
        writer.update(Lesson, ["topic", "kind", "topic_set_at"], self.updates)
        writer.insert(Homework, HOMEWORK_FIELDS, self.homework)
        writer.insert(Attendance, ATTENDANCE_FIELDS, self.attendance)
        writer.insert(Mark, MARK_FIELDS, self.marks)
        rows = period_marks(self, teacher_of)
        writer.insert(PeriodMark, PERIOD_MARK_FIELDS, rows)
        return len(rows)


def _cumulative(weights) -> list[int]:
    total = 0
    out = []
    for w in weights:
        total += w
        out.append(total)
    return out
