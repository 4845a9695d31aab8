"""Importing the weekly timetable of a year: one row per lesson of the week. Each row becomes a
timetable entry through the service (which refuses a class or a teacher busy at that time);
a teacher who does not yet teach the subject to the class is assigned to it, with as many hours
a week as the file gives. All or nothing."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from setka.core.clock import today
from setka.core.plurals import too_long_text
from setka.core.tabular import (
    Column,
    ImportReport,
    ImportRow,
    Spec,
    norm,
    parse_date,
    read_table,
    text,
)
from setka.network.models import Person

from ..models import AcademicYear, StudyGroup, Subject
from ..services import planning, structure
from .base import TeacherIndex, clamp, parse_int, parse_weekday

TIMETABLE = Spec(
    kind="timetable",
    columns=(
        Column("group", "Класс", "class", ("класс/группа", "группа"), required=True, example="7Б"),
        Column("weekday", "День недели", "weekday", ("день",), required=True, example="пн"),
        Column("number", "Номер урока", "lesson_number", ("№ урока", "урок"), required=True,
               example="2"),
        Column("subject", "Предмет", "subject", (), required=True, example="Математика"),
        Column("teacher", "Учитель", "teacher", ("педагог",), required=True,
               example="Учителева Мария"),
        Column("room", "Кабинет", "room", ("аудитория",), example="21"),
        Column("valid_from", "Действует с", "valid_from", ("с",), example="01.09.2026"),
        Column("valid_to", "Действует по", "valid_to", ("по",), example=""),
    ),
)  # fmt: skip


@dataclass
class _Row:
    row: ImportRow
    group: StudyGroup
    weekday: int
    number: int
    subject: Subject
    teacher: Person
    room: str
    valid_from: dt.date
    valid_to: dt.date | None


def timetable_import_file(
    *, actor: Any, year: AcademicYear, data: bytes, filename: str, dry_run: bool = False
) -> ImportReport:
    table = read_table(data, filename, TIMETABLE)
    return timetable_import(
        actor=actor, year=year, rows=table.rows, filename=filename, dry_run=dry_run
    )


def subject_index(municipality_id: int) -> dict[str, Subject]:
    out: dict[str, Subject] = {}
    for s in Subject.objects.filter(municipality_id=municipality_id):
        out.setdefault(norm(s.short_name), s)
    for s in Subject.objects.filter(municipality_id=municipality_id):
        out[norm(s.name)] = s
    return out


def _date(row: ImportRow, key: str, year: AcademicYear, report: ImportReport) -> dt.date | None:
    try:
        day = parse_date(row.values.get(key))
    except ValueError:
        report.error(row, key, _("This is not a date. Write it as DD.MM.YYYY, e.g. 01.09.2026."))
        return None
    if day is not None and not year.contains(day):
        report.error(
            row, key, _("The date is outside the academic year %(year)s.") % {"year": year.name}
        )
        return None
    return day


def _parse(rows, year: AcademicYear, report: ImportReport) -> list[_Row]:
    groups = {norm(g.name): g for g in StudyGroup.objects.filter(year=year).select_related("year")}
    subjects = subject_index(year.institution.municipality_id)
    teachers = TeacherIndex.load(year.institution, clamp(today(), year.starts_on, year.ends_on))
    out = []
    for row in rows:
        v = row.values
        bad = len(report.errors)
        group = groups.get(norm(v.get("group")))
        if group is None:
            report.error(
                row,
                "group",
                _(
                    "The year %(year)s has no class or group with this name: import or create the "
                    "classes first."
                )
                % {"year": year.name},
            )
        try:
            weekday = parse_weekday(v.get("weekday"))
        except ValueError:
            report.error(
                row, "weekday", _("Write the day of the week: пн, вт, ср, чт, пт, сб or 1–6.")
            )
            weekday = 0
        try:
            number = parse_int(v.get("number"))
            if number is None or not 0 <= number <= 12:
                raise ValueError(number)
        except ValueError:
            report.error(row, "number", _("The lesson number must be a whole number from 0 to 12."))
            number = None
        subject = subjects.get(norm(v.get("subject")))
        if subject is None:
            report.error(
                row,
                "subject",
                _(
                    "There is no such subject in the municipal catalogue. Write its name as in "
                    "the catalogue, e.g. “Математика”."
                ),
            )
        teacher = None
        try:
            teacher = teachers.find(text(v.get("teacher")))
        except ValueError as exc:
            report.error(row, "teacher", str(exc))
        room = text(v.get("room"))
        if len(room) > 50:
            report.error(row, "room", too_long_text(50))
        valid_from = _date(row, "valid_from", year, report) or year.starts_on
        valid_to = _date(row, "valid_to", year, report)
        if valid_to and valid_to < valid_from:
            report.error(row, "valid_to", _("The end date cannot be before the start date."))
        if len(report.errors) == bad and group and subject and teacher and number is not None:
            out.append(
                _Row(row, group, weekday, number, subject, teacher, room, valid_from, valid_to)
            )
    return out


def timetable_import(
    *,
    actor: Any,
    year: AcademicYear,
    rows: Sequence[ImportRow],
    filename: str = "",
    dry_run: bool = False,
) -> ImportReport:
    if not actor.has_perm("journal.manage_year", year):
        raise PermissionDenied
    report = ImportReport(kind="timetable", dry_run=dry_run, filename=filename, rows=len(rows))
    parsed = _parse(rows, year, report)
    hours: Counter = Counter()
    first: dict[tuple[int, int, int], _Row] = {}
    for r in parsed:
        key = (r.group.pk, r.subject.pk, r.teacher.pk)
        hours[key] += 1
        if key not in first or r.valid_from < first[key].valid_from:
            first[key] = r
    entries = assignments = 0
    with transaction.atomic():
        for r in parsed:
            try:
                with transaction.atomic():
                    structure.timetable_entry_create(
                        actor=actor,
                        group=r.group,
                        subject=r.subject,
                        teacher=r.teacher,
                        weekday=r.weekday,
                        number=r.number,
                        room=r.room,
                        valid_from=r.valid_from,
                        valid_to=r.valid_to,
                    )
                    entries += 1
            except ValidationError as exc:
                report.add_validation_error(r.row, exc, {})
        for key, r in first.items():
            try:
                with transaction.atomic():
                    made = planning.assignment_ensure(
                        actor=actor,
                        group=r.group,
                        subject=r.subject,
                        teacher=r.teacher,
                        starts_on=r.valid_from,
                        hours_per_week=Decimal(min(20, hours[key])),
                    )
                    assignments += made is not None
            except ValidationError as exc:
                report.add_validation_error(r.row, exc, {})
        if report.errors or dry_run:
            transaction.set_rollback(True)
    report.counts = {"entries": entries, "assignments": assignments}
    report.summary = [
        _("Timetable entries: %(n)d.") % {"n": entries},
        _("New teaching assignments: %(n)d.") % {"n": assignments},
        _("Then generate the lessons of the year on the year's page."),
    ]
    report.sort(TIMETABLE)
    return report
