"""Years, periods, holidays, the timetable, and the lessons generated from it; substitutions,
cancelled and moved lessons, topics and the import of a thematic plan."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import DateField, DateTimeField, Q
from django.db.models.constants import OnConflict
from django.utils.translation import gettext as _

from setka.core import clock
from setka.core.audit import audit_log
from setka.network.models import Institution, Person

from .. import notify
from ..models import (
    AcademicYear,
    Attendance,
    Holiday,
    Lesson,
    Mark,
    Period,
    StudyGroup,
    TimetableEntry,
)
from ..rules import can_write_lesson

PERIOD_NAMES = {
    AcademicYear.PeriodScheme.QUARTERS: ("1 четверть", "2 четверть", "3 четверть", "4 четверть"),
    AcademicYear.PeriodScheme.TRIMESTERS: ("1 триместр", "2 триместр", "3 триместр"),
    AcademicYear.PeriodScheme.SEMESTERS: ("1 полугодие", "2 полугодие"),
}


def _require_admin(actor, year: AcademicYear) -> None:
    if not actor.has_perm("journal.manage_year", year):
        raise PermissionDenied(_("Only the administration of the institution may do this."))


def holidays_of(year: AcademicYear) -> list[tuple[dt.date, dt.date]]:
    return list(year.holidays.values_list("starts_on", "ends_on"))


def is_working_day(
    day: dt.date, holidays: Iterable[tuple[dt.date, dt.date]], six_day: bool = False
) -> bool:
    if day.isoweekday() == 7 or (day.isoweekday() == 6 and not six_day):
        return False
    return not any(start <= day <= end for start, end in holidays)


def period_for(day: dt.date, periods: list[Period]) -> Period | None:
    for p in periods:
        if p.starts_on <= day <= p.ends_on:
            return p
    return None


@transaction.atomic
def year_create(
    *,
    actor,
    institution: Institution,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date,
    periods: list[tuple[dt.date, dt.date]],
    period_scheme: str = AcademicYear.PeriodScheme.QUARTERS,
    holidays: Iterable[tuple[str, dt.date, dt.date]] = (),
    **settings_: object,
) -> AcademicYear:
    year = AcademicYear(
        institution=institution,
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        period_scheme=period_scheme,
        **settings_,
    )
    year.full_clean()
    if not actor.has_perm("journal.manage_year", year) and not getattr(
        actor, "_setka_system", False
    ):
        raise PermissionDenied
    names = PERIOD_NAMES[AcademicYear.PeriodScheme(period_scheme)]
    if len(periods) != len(names):
        raise ValidationError({"periods": _("The year needs %(n)s periods.") % {"n": len(names)}})
    previous_end = None
    for start, end in periods:
        if start > end or start < starts_on or end > ends_on:
            raise ValidationError(
                {"periods": _("Every period must lie inside the year, start before it ends.")}
            )
        if previous_end and start <= previous_end:
            raise ValidationError(
                {"periods": _("Periods must follow each other without overlapping.")}
            )
        previous_end = end
    year.save()
    Period.objects.bulk_create(
        Period(year=year, number=i + 1, name=names[i], starts_on=s, ends_on=e)
        for i, (s, e) in enumerate(periods)
    )
    Holiday.objects.bulk_create(
        Holiday(year=year, name=n, starts_on=s, ends_on=e) for n, s, e in holidays
    )
    audit_log(
        "journal.year.create",
        actor=actor,
        obj=year,
        changes={"name": name},
        institution_id=institution.pk,
    )
    return year


def generate_lessons(
    year: AcademicYear,
    *,
    groups: Iterable[StudyGroup] | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> int:
    """Create the lessons of the year from the timetable, skipping weekends, holidays and the
    days between periods. Idempotent: existing lessons are kept. Returns how many were made."""
    periods = list(year.periods.order_by("number"))
    holidays = holidays_of(year)
    qs = TimetableEntry.objects.filter(group__year=year)
    if groups is not None:
        qs = qs.filter(group__in=list(groups))
    start = max(year.starts_on, since or year.starts_on)
    end = min(year.ends_on, until or year.ends_on)
    entries = list(
        qs.filter(valid_from__lte=end).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))
    )
    by_weekday: dict[int, list[TimetableEntry]] = {}
    for e in entries:
        by_weekday.setdefault(e.weekday, []).append(e)
    six_day = any(e.weekday == 6 for e in entries)
    # A lesson moved elsewhere still holds its original slot: do not fill it again.
    moved = set(
        Lesson.objects.filter(year=year, moved_from__isnull=False, timetable_entry__isnull=False)
        .values_list("timetable_entry_id", "moved_from")
        .order_by()
    )
    new: list[Lesson] = []
    day = start
    while day <= end:
        if (
            is_working_day(day, holidays, six_day)
            and (period := period_for(day, periods)) is not None
        ):
            for e in by_weekday.get(day.isoweekday(), ()):
                if (
                    e.valid_from <= day
                    and (e.valid_to is None or day <= e.valid_to)
                    and (e.pk, day) not in moved
                ):
                    new.append(
                        Lesson(
                            institution_id=year.institution_id,
                            year=year,
                            period=period,
                            group_id=e.group_id,
                            subject_id=e.subject_id,
                            teacher_id=e.teacher_id,
                            date=day,
                            number=e.number,
                            room=e.room,
                            timetable_entry=e,
                        )
                    )
        day += dt.timedelta(days=1)
    before = Lesson.objects.filter(year=year).count()
    _insert_lessons(new)
    return Lesson.objects.filter(year=year).count() - before


def _insert_lessons(lessons: list[Lesson], batch: int = 5000) -> None:
    """``bulk_create(lessons, ignore_conflicts=True)`` without the ORM's per-value work (a
    school's year, 30,000 lessons, goes in three to four times faster): ``executemany`` on
    SQLite; on PostgreSQL ``COPY`` into a temporary table, then one ``INSERT … SELECT … ON
    CONFLICT DO NOTHING``. The lessons are new instances, so their defaults are set."""
    fields = [f for f in Lesson._meta.concrete_fields if not f.primary_key]
    names = [f.attname for f in fields]
    ops = connection.ops
    table = ops.quote_name(Lesson._meta.db_table)
    columns = ", ".join(ops.quote_name(f.column) for f in fields)
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMPORARY TABLE new_lessons AS SELECT {columns} FROM {table} "  # noqa: S608
                "WITH NO DATA"
            )
            with cursor.cursor.copy(f"COPY new_lessons ({columns}) FROM STDIN") as copy:
                for obj in lessons:
                    copy.write_row([getattr(obj, n) for n in names])
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT {columns} FROM new_lessons "  # noqa: S608
                "ON CONFLICT DO NOTHING"
            )
            cursor.execute("DROP TABLE new_lessons")
        return
    prepare: list[Callable[[Any], Any] | None] = []
    for f in fields:
        if isinstance(f, DateTimeField):
            prepare.append(ops.adapt_datetimefield_value)
        elif isinstance(f, DateField):
            prepare.append(ops.adapt_datefield_value)
        else:
            prepare.append(None)
    insert = ops.insert_statement(on_conflict=OnConflict.IGNORE)
    sql = f"{insert} {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
    rows = [
        tuple(
            value if fn is None or value is None else fn(value)
            for fn, value in zip(prepare, (getattr(obj, n) for n in names), strict=True)
        )
        for obj in lessons
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            cursor.executemany(sql, rows[start : start + batch])


# --- changes to single lessons -------------------------------------------------------------


def _lesson_admin_or_teacher(actor, lesson: Lesson) -> None:
    if can_write_lesson(actor, lesson) or actor.has_perm("journal.manage_year", lesson.year):
        return
    raise PermissionDenied(_("You cannot change this lesson."))


@transaction.atomic
def lesson_substitute(*, actor, lesson: Lesson, substitute: Person | None) -> Lesson:
    if not actor.has_perm("journal.manage_year", lesson.year):
        raise PermissionDenied(_("Substitutions are set by the administration."))
    before = lesson.substitute_id
    lesson.substitute = substitute
    lesson.save(update_fields=["substitute"])
    audit_log(
        "journal.lesson.substitute",
        actor=actor,
        obj=lesson,
        changes={"substitute": [before, substitute.pk if substitute else None]},
    )
    if before != lesson.substitute_id:
        notify.on_substitution(lesson, actor=actor, previous_substitute_id=before)
    return lesson


@transaction.atomic
def lesson_cancel(*, actor, lesson: Lesson, reason: str) -> Lesson:
    if not actor.has_perm("journal.manage_year", lesson.year):
        raise PermissionDenied(_("Lessons are cancelled by the administration."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the lesson is cancelled.")})
    if Mark.objects.filter(lesson=lesson, is_deleted=False).exists():
        raise ValidationError(_("The lesson has marks: delete or move them before cancelling it."))
    if lesson.status != Lesson.Status.CANCELLED:
        lesson.status = Lesson.Status.CANCELLED
        lesson.save(update_fields=["status"])
        audit_log(
            "journal.lesson.cancel",
            actor=actor,
            obj=lesson,
            changes={"status": ["held", "cancelled"]},
            reason=reason.strip(),
        )
    return lesson


@transaction.atomic
def lesson_move(*, actor, lesson: Lesson, date: dt.date, number: int) -> Lesson:
    if not actor.has_perm("journal.manage_year", lesson.year):
        raise PermissionDenied(_("Lessons are moved by the administration."))
    year = lesson.year
    if not year.contains(date):
        raise ValidationError(
            {"date": _("The date is outside the academic year %(year)s.") % {"year": year.name}}
        )
    period = period_for(date, list(year.periods.all()))
    if period is None:
        raise ValidationError({"date": _("The date falls in the holidays between periods.")})
    if period.is_closed or lesson.period.is_closed:
        raise ValidationError({"date": _("The period is closed.")})
    if (
        Lesson.objects.filter(group=lesson.group, subject=lesson.subject, date=date, number=number)
        .exclude(pk=lesson.pk)
        .exists()
    ):
        raise ValidationError({"number": _("There is already a lesson at that time.")})
    before = {"date": lesson.date.isoformat(), "number": lesson.number}
    lesson.moved_from = lesson.moved_from or lesson.date
    lesson.date, lesson.number, lesson.period = date, number, period
    lesson.save(update_fields=["date", "number", "period", "moved_from"])
    Mark.objects.filter(lesson=lesson).update(date=date)
    Attendance.objects.filter(lesson=lesson).update(date=date)
    audit_log(
        "journal.lesson.move",
        actor=actor,
        obj=lesson,
        changes={"date": [before["date"], date.isoformat()], "number": [before["number"], number]},
    )
    return lesson


@transaction.atomic
def lesson_set_topic(*, actor, lesson: Lesson, topic: str, kind: str | None = None) -> Lesson:
    _lesson_admin_or_teacher(actor, lesson)
    if lesson.period.is_closed:
        raise ValidationError(
            _("The period “%(period)s” is closed.") % {"period": lesson.period.name}
        )
    topic = " ".join((topic or "").split())
    if len(topic) > 500:
        raise ValidationError({"topic": _("The topic is too long (500 characters at most).")})
    if kind is not None and kind not in Lesson.Kind.values:
        raise ValidationError({"kind": _("Unknown kind of lesson.")})
    changes = {}
    if topic != lesson.topic:
        changes["topic"] = [lesson.topic, topic]
        lesson.topic = topic
        lesson.topic_set_at = clock.now()
    if kind is not None and kind != lesson.kind:
        changes["kind"] = [lesson.kind, kind]
        lesson.kind = kind
    if changes:
        lesson.save(update_fields=["topic", "topic_set_at", "kind"])
        audit_log("journal.lesson.topic", actor=actor, obj=lesson, changes=changes)
    return lesson
