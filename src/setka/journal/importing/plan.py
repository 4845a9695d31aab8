"""Importing a thematic plan (КТП) of a group and subject: the plan's lessons, in the order of
their numbers, are laid onto the group's lessons of the subject in date order from a chosen
date (cancelled lessons are skipped). Topics go through ``lesson_set_topic`` (a control-work
flag makes the lesson a control work), homework through ``homework_set`` (only the teacher
gives homework). All or nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from setka.core.tabular import Column, ImportReport, ImportRow, Spec, read_table, text

from ..models import Lesson, StudyGroup, Subject
from ..rules import WRITE, can_write_lesson, group_journal_access
from ..services import homework as homework_services
from ..services import timetable as timetable_services
from .base import parse_int, parse_yes_no

PLAN = Spec(
    kind="plan",
    columns=(
        Column("number", "№ урока", "lesson_number", ("№", "номер", "номер урока", "№ п/п", "урок"),
               required=True, example="1"),
        Column("topic", "Тема урока", "topic", ("тема",), required=True,
               example="Натуральные числа и шкалы"),
        Column("control", "Контрольная работа", "control_work", ("контрольная", "кр"),
               example="нет"),
        Column("homework", "Домашнее задание", "homework", ("дз",), example="§ 1, № 1–5"),
        Column("minutes", "Минут на ДЗ", "homework_minutes", ("время на дз",), example="20"),
    ),
    max_rows=400,
)  # fmt: skip


def can_import_plan(user: Any, group: StudyGroup, subject: Subject) -> bool:
    """The teacher of the group in the subject, or the institution's administration."""
    return group_journal_access(user, group, subject.pk) == WRITE or user.has_perm(
        "journal.manage_structure", group
    )


def plan_import_file(
    *,
    actor: Any,
    group: StudyGroup,
    subject: Subject,
    starts_on: dt.date,
    data: bytes,
    filename: str,
    dry_run: bool = False,
    replace: bool = False,
) -> ImportReport:
    table = read_table(data, filename, PLAN)
    return plan_import(
        actor=actor,
        group=group,
        subject=subject,
        starts_on=starts_on,
        rows=table.rows,
        filename=filename,
        dry_run=dry_run,
        replace=replace,
    )


def _parse(rows: Sequence[ImportRow], report: ImportReport) -> list[tuple]:
    seen: dict[int, int] = {}
    out = []
    for row in rows:
        v = row.values
        bad = len(report.errors)
        try:
            number = parse_int(v.get("number"))
            if number is None or number < 1:
                raise ValueError(number)
        except ValueError:
            report.error(row, "number", _("The lesson number must be a whole number from 1."))
            number = None
        if number is not None and number in seen:
            report.error(
                row, "number", _("Row %(row)d has the same number.") % {"row": seen[number]}
            )
        elif number is not None:
            seen[number] = row.number
        topic = text(v.get("topic"))
        if not topic:
            report.error(row, "topic", _("Write the topic of the lesson."))
        elif len(topic) > 500:
            report.error(row, "topic", _("The topic is too long (500 characters at most)."))
        try:
            control = parse_yes_no(v.get("control"))
        except ValueError:
            report.error(row, "control", _("Write “да” or “нет”, or leave the cell empty."))
            control = None
        homework = str(v.get("homework") or "").strip()
        try:
            minutes = parse_int(v.get("minutes")) or 20
            if not 1 <= minutes <= 240:
                raise ValueError(minutes)
        except ValueError:
            report.error(row, "minutes", _("Minutes must be a whole number from 1 to 240."))
            minutes = 20
        if len(report.errors) == bad:
            out.append((number, row, topic, control, homework, minutes))
    out.sort(key=lambda item: item[0])
    return out


def plan_import(
    *,
    actor: Any,
    group: StudyGroup,
    subject: Subject,
    starts_on: dt.date,
    rows: Sequence[ImportRow],
    filename: str = "",
    dry_run: bool = False,
    replace: bool = False,
) -> ImportReport:
    """Lay the plan onto the lessons from ``starts_on``. A lesson that already has another
    topic is an error unless ``replace``."""
    if not can_import_plan(actor, group, subject):
        raise PermissionDenied
    report = ImportReport(kind="plan", dry_run=dry_run, filename=filename, rows=len(rows))
    parsed = _parse(rows, report)
    lessons = list(
        Lesson.objects.filter(group=group, subject=subject, date__gte=starts_on)
        .exclude(status=Lesson.Status.CANCELLED)
        .select_related("period", "year", "group", "subject")
        .order_by("date", "number")
    )
    topics = homework = 0
    with transaction.atomic():
        for i, item in enumerate(parsed):
            if i >= len(lessons):
                report.error(
                    item[1], "number", _too_few_lessons(len(lessons), subject, group, starts_on)
                )
                break
            added = _lay(actor, lessons[i], item, replace=replace, report=report)
            topics += added[0]
            homework += added[1]
        if report.errors or dry_run:
            transaction.set_rollback(True)
    report.counts = {"topics": topics, "homework": homework}
    report.summary = _summary(lessons, len(parsed), topics, homework)
    report.sort(PLAN)
    return report


def _too_few_lessons(n: int, subject: Subject, group: StudyGroup, starts_on: dt.date) -> str:
    return ngettext(
        "There is only %(n)d lesson of %(subject)s in %(group)s from %(date)s: "
        "this lesson of the plan has no date. Choose an earlier start date or "
        "shorten the plan.",
        "There are only %(n)d lessons of %(subject)s in %(group)s from %(date)s: "
        "this lesson of the plan has no date. Choose an earlier start date or "
        "shorten the plan.",
        n,
    ) % {
        "n": n,
        "subject": subject.name,
        "group": group.name,
        "date": starts_on.strftime("%d.%m.%Y"),
    }


def _lay(
    actor: Any, lesson: Lesson, item: tuple, *, replace: bool, report: ImportReport
) -> tuple[int, int]:
    """Lay one lesson of the plan (topic, control work, homework) onto ``lesson``, in a
    savepoint; answers how many topics and homework it counts (a topic set before its
    homework was refused still counts, as the whole import is rolled back then)."""
    _number, row, topic, control, hw_text, minutes = item
    when = lesson.date.strftime("%d.%m.%Y")
    if lesson.topic and lesson.topic != topic and not replace:
        report.error(
            row,
            "topic",
            _(
                "The lesson of %(date)s already has the topic “%(topic)s”. Tick “Replace "
                "topics already entered” to overwrite it."
            )
            % {"date": when, "topic": lesson.topic},
        )
        return 0, 0
    kind = None
    if control is True:
        kind = Lesson.Kind.CONTROL
    elif control is False and lesson.kind == Lesson.Kind.CONTROL:
        kind = Lesson.Kind.REGULAR
    topics = homework = 0
    try:
        with transaction.atomic():
            timetable_services.lesson_set_topic(actor=actor, lesson=lesson, topic=topic, kind=kind)
            topics = 1
            if hw_text:
                if not can_write_lesson(actor, lesson):
                    raise ValidationError(
                        {
                            "homework": _(
                                "Homework is given by the teacher of the group: "
                                "leave this column empty, or ask the teacher to "
                                "import the plan."
                            )
                        }
                    )
                homework_services.homework_set(
                    actor=actor, lesson=lesson, text=hw_text, minutes=minutes
                )
                homework = 1
    except PermissionDenied:
        report.error(row, "", _("You cannot change the lesson of %(date)s.") % {"date": when})
    except ValidationError as exc:
        before = len(report.errors)
        report.add_validation_error(row, exc, {"text": "homework", "kind": "control"})
        for e in report.errors[before:]:
            e.message = f"{when}: {e.message}"
    return topics, homework


def _summary(lessons: list[Lesson], planned: int, topics: int, homework: int) -> list[str]:
    summary = [
        _("Topics laid onto lessons: %(n)d.") % {"n": topics},
        _("Homework given: %(n)d.") % {"n": homework},
    ]
    last = lessons[min(planned, len(lessons)) - 1] if planned and lessons else None
    if last is not None:
        summary.append(
            _(
                "The plan covers the lessons from %(start)s to %(end)s; %(left)d lessons remain "
                "after it."
            )
            % {
                "start": lessons[0].date.strftime("%d.%m.%Y"),
                "end": last.date.strftime("%d.%m.%Y"),
                "left": max(0, len(lessons) - planned),
            }
        )
    return summary
