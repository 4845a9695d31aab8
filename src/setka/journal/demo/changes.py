"""What happened to the demo journal besides the plain lessons: substitutions and a
cancelled lesson at school №3, marks corrected and deleted by their teachers, periods closed
by the administration — each with its audit entries (who, when, old → new, reason), so that
the history views have something to show."""

from __future__ import annotations

import datetime as dt
import json
import random
import zoneinfo
from dataclasses import dataclass, field

from setka.core.models import AuditEntry

from ..models import Lesson, Mark, Period
from . import writer
from .curriculum import MATHS
from .school import DEMO_TEACHER_CLASS, School

AUDIT_FIELDS = [
    "created_at",
    "actor",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "municipality_id",
    "institution_id",
    "changes",
    "reason",
]
CANCEL_REASON = "Учитель на курсах повышения квалификации, замена не найдена"


@dataclass
class Changes:
    substitutes: dict[int, int] = field(default_factory=dict)  # lesson -> substitute person
    cancelled: set[int] = field(default_factory=set)


def plan_changes(school: School, rows: list[tuple], today: dt.date, demo_teacher: int) -> Changes:
    """At school №3: the `teacher` login's lessons of a day two weeks ago taken by a
    colleague; one of a colleague's lessons next week taken by `teacher`; a music lesson of
    7Б last week cancelled. ``rows``: (id, group, subject, teacher, date, number, period)."""
    out = Changes()
    colleagues = [
        t.person_id
        for t in school.teachers.values()
        if t.position == MATHS and t.person_id != demo_teacher
    ]
    mine = [r for r in rows if r[3] == demo_teacher]
    window = (today - dt.timedelta(days=21), today - dt.timedelta(days=14))
    before = [r for r in mine if window[0] <= r[4] <= window[1]]
    if before:
        day = min(r[4] for r in before)
        for r in (r for r in before if r[4] == day):
            slot = (school.shift_of.get(r[1], 1), r[5])
            free = [c for c in colleagues if school.is_free(c, day.isoweekday(), slot)]
            if free:
                out.substitutes[r[0]] = free[0]
    busy_me = {(r[4], r[5]) for r in mine}
    soon = sorted(
        (r for r in rows if r[3] in colleagues and today < r[4] <= today + dt.timedelta(days=7)),
        key=lambda r: (r[4], r[5], r[0]),
    )
    for r in soon:
        if (r[4], r[5]) not in busy_me:
            out.substitutes[r[0]] = demo_teacher
            break
    klass = next((k for k in school.classes if k.group.name == DEMO_TEACHER_CLASS[1]), None)
    music = next((t for t in school.units if t.key == "music"), None)
    if klass is not None and music is not None:
        subject_id = music.entries[0][1].pk
        last_week = [
            r
            for r in rows
            if r[1] == klass.group.pk
            and r[2] == subject_id
            and today - dt.timedelta(days=10) <= r[4] < today
        ]
        if last_week:
            out.cancelled.add(max(last_week, key=lambda r: r[4])[0])
    return out


class History:
    """Audit entries written as rows, with the times they would have had."""

    def __init__(self, school: School, municipality_id: int, time_zone: str) -> None:
        self.school = school
        self.municipality_id = municipality_id
        self.tz = zoneinfo.ZoneInfo(time_zone)
        self.adapt = writer.Adapt()
        self.rows: list[tuple] = []

    def at(self, day: dt.date, hour: int, minute: int = 0) -> str:
        return self.adapt.moment(dt.datetime.combine(day, dt.time(hour, minute), tzinfo=self.tz))

    def add(self, when: str, actor, action: str, obj, changes: dict, *, reason: str = "") -> None:
        self.rows.append(
            (
                when,
                actor,
                action,
                obj._meta.label_lower,
                obj.pk,
                str(obj)[:255],
                self.municipality_id,
                self.school.institution.pk,
                json.dumps(changes, ensure_ascii=False),
                reason,
            )
        )

    def write(self) -> None:
        writer.insert(AuditEntry, AUDIT_FIELDS, self.rows)


def apply_changes(
    history: History, changes: Changes, director_user: int | None, today: dt.date
) -> None:
    lessons = Lesson.objects.filter(pk__in=[*changes.substitutes, *changes.cancelled])
    for lesson in lessons.select_related("subject", "group").order_by("date", "number"):
        day = min(lesson.date, today) - dt.timedelta(days=1)  # decided the day before
        when = history.at(day, 15, 30)
        if lesson.pk in changes.cancelled:
            Lesson.objects.filter(pk=lesson.pk).update(status=Lesson.Status.CANCELLED)
            history.add(
                when,
                director_user,
                "journal.lesson.cancel",
                lesson,
                {"status": ["held", "cancelled"]},
                reason=CANCEL_REASON,
            )
        else:
            substitute = changes.substitutes[lesson.pk]
            Lesson.objects.filter(pk=lesson.pk).update(substitute_id=substitute)
            history.add(
                when,
                director_user,
                "journal.lesson.substitute",
                lesson,
                {"substitute": [None, substitute]},
            )


def correct_marks(
    history: History,
    *,
    marks: list[tuple],
    open_from: dt.date,
    today: dt.date,
    rng: random.Random,
    demo_group: int | None,
    demo_user: int | None,
) -> None:
    """Two marks corrected and one deleted by their teachers (and one of each by the demo
    teacher in her class), a day after they were entered. ``marks`` are the filler's rows."""
    adapt = history.adapt
    first, last = adapt.date(open_from), adapt.date(today - dt.timedelta(days=2))
    # (institution, lesson, student, group, subject, date, value, passed, kind, …)
    pool = [m for m in marks if first <= m[5] < last and m[6] is not None]
    if not pool:
        return
    chosen = [("update", m) for m in rng.sample(pool, min(2, len(pool)))]
    chosen.append(("delete", rng.choice(pool)))
    own = [m for m in pool if m[3] == demo_group and m[11] == demo_user and demo_user]
    if own:
        chosen += [("update", rng.choice(own)), ("delete", rng.choice(own))]
    done: set[tuple[int, int]] = set()
    for action, row in chosen:
        if (row[1], row[2]) in done:
            continue
        done.add((row[1], row[2]))
        mark = (
            Mark.objects.filter(lesson_id=row[1], student_id=row[2], is_deleted=False)
            .select_related("student")
            .order_by("id")
            .first()
        )
        if mark is None:
            continue
        user = mark.created_by_id
        entered = dt.date.fromisoformat(row[5])
        later = history.at(entered + dt.timedelta(days=1), 8, rng.randint(0, 50))
        history.add(
            row[10],
            user,
            "journal.mark.create",
            mark,
            {
                "value": [None, mark.value],
                "passed": [None, None],
                "kind": [None, mark.kind_id],
                "comment": [None, mark.comment],
            },
        )
        if action == "update":
            new = mark.value + 1 if mark.value < 5 else mark.value - 1
            Mark.objects.filter(pk=mark.pk).update(value=new)
            history.add(
                later,
                user,
                "journal.mark.update",
                mark,
                {"value": [mark.value, new]},
                reason="Ошибка при вводе: исправлено по тетради",
            )
        else:
            Mark.objects.filter(pk=mark.pk).update(is_deleted=True)
            history.add(
                later,
                user,
                "journal.mark.delete",
                mark,
                {"is_deleted": [False, True], "value": [mark.value, None]},
                reason="Выставлена не тому ученику",
            )
        _set_updated_at(mark.pk, later)


def _set_updated_at(mark_id: int, when: str) -> None:
    writer.update(Mark, ["updated_at"], [(mark_id, when)])


def close_periods(
    history: History,
    periods: list[Period],
    closing: set[int],
    director_user: int | None,
    today: dt.date,
) -> None:
    """The periods that are over are closed three days after their end (or yesterday)."""
    for period in periods:
        if period.pk not in closing:
            continue
        day = max(
            period.ends_on, min(period.ends_on + dt.timedelta(days=3), today - dt.timedelta(days=1))
        )
        when = history.at(day, 15, 0)
        writer.update(Period, ["is_closed", "closed_at"], [(period.pk, True, when)])
        history.add(
            when, director_user, "journal.period.close", period, {"is_closed": [False, True]}
        )
