"""Importing the classes of a year and their students: one row per student (a row with a class
and no student just makes sure the class exists). Missing classes are created; students are
found among the institution's students (by their Setka code, or by full name and date of birth),
then among the people of the municipality (full name and date of birth); missing ones are
created with a student membership. Everything goes through the services (each change audited),
in one transaction: any bad row and nothing is written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from setka.core.clock import today
from setka.core.names import name_problem
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
from setka.network import services as network_services
from setka.network.models import Membership, Person

from ..models import AcademicYear, GroupMember, StudyGroup
from ..models.structure import MAX_SHIFT
from ..services import planning, structure
from .base import TeacherIndex, clamp, parse_int, split_class_name

CLASSES = Spec(
    kind="classes",
    columns=(
        Column("group", "Класс", "class", ("класс/группа", "группа"), required=True, example="7Б"),
        Column("grade", "Параллель", "grade", ("год обучения",), example="7"),
        Column("letter", "Литера", "letter", ("буква",), example="Б"),
        Column("class_teacher", "Классный руководитель", "class_teacher", (),
               example="Учителева Мария"),
        Column("shift", "Смена", "shift", ("смена обучения",), example="1"),
        Column("student", "Код ученика", "student_id", ("id ученика",), example=""),
        Column("external_id", "Внешний код", "external_id", ("код рсэж",), example=""),
        Column("surname", "Фамилия", "surname", (), example="Иванова"),
        Column("given_name", "Имя", "given_name", ("first name",), example="Мария"),
        Column("patronymic", "Отчество", "patronymic", (), example="Петровна"),
        Column("birth_date", "Дата рождения", "birth_date", (), example="12.03.2013"),
        Column("starts_on", "Дата зачисления", "starts_on", ("в классе с",), example="01.09.2026"),
    ),
)  # fmt: skip


@dataclass
class _Row:
    row: ImportRow
    group: str
    grade: int | None
    letter: str
    teacher: Person | None
    shift: int | None
    student_id: int | None
    person: dict[str, Any] | None  # surname, given_name, patronymic, birth_date
    starts_on: dt.date


def classes_import_file(
    *, actor: Any, year: AcademicYear, data: bytes, filename: str, dry_run: bool = False
) -> ImportReport:
    table = read_table(data, filename, CLASSES)
    return classes_import(
        actor=actor, year=year, rows=table.rows, filename=filename, dry_run=dry_run
    )


ClassFields = tuple[int, int | None, str, Person | None, int | None]  # row, grade, letter, …


def _parse(
    rows: Sequence[ImportRow], year: AcademicYear, teachers: TeacherIndex, report: ImportReport
) -> list[_Row]:
    default_start = clamp(today(), year.starts_on, year.ends_on)
    out: list[_Row] = []
    seen_people: dict[tuple, int] = {}
    classes: dict[str, ClassFields] = {}
    for row in rows:
        bad = len(report.errors)
        name, grade, letter, teacher, shift = _class_fields(row, teachers, report, bad)
        if name and len(report.errors) == bad:
            _same_class(
                row, norm(name), (row.number, grade, letter, teacher, shift), classes, report
            )
        student_id, born, starts_on = _student_fields(row, year, default_start, report)
        person = _person(row, student_id, born, seen_people, report)
        if len(report.errors) == bad:
            out.append(
                _Row(row, name, grade, letter, teacher, shift, student_id, person, starts_on)
            )
    for r in out:  # every row of a class names the class teacher and shift given anywhere
        r.teacher, r.shift = classes[norm(r.group)][3:5]
    return out


def _class_fields(
    row: ImportRow, teachers: TeacherIndex, report: ImportReport, bad: int
) -> tuple[str, int | None, str, Person | None, int | None]:
    """The row's class: name, grade (from the name when not given), letter, class teacher and
    shift; what is wrong is reported (``bad``: the row's first error's index)."""
    v = row.values
    name = text(v.get("group"))
    if not name:
        report.error(row, "group", _("Write the name of the class, e.g. 7Б."))
    elif len(name) > 100:
        report.error(row, "group", too_long_text(100))
    guess_grade, guess_letter = split_class_name(name)
    try:
        grade = parse_int(v.get("grade")) or guess_grade
        if grade is not None and not 1 <= grade <= 11:
            raise ValueError(grade)
    except ValueError:
        report.error(row, "grade", _("The grade must be a whole number from 1 to 11."))
        grade = None
    if name and grade is None and not report.errors[bad:]:
        report.error(row, "grade", _("Write the grade (1–11) of the class."))
    letter = text(v.get("letter")).upper() or guess_letter
    if len(letter) > 4:
        report.error(row, "letter", _("The letter is too long: at most 4 characters."))
    teacher = None
    if text(v.get("class_teacher")):
        try:
            teacher = teachers.find(text(v.get("class_teacher")))
        except ValueError as exc:
            report.error(row, "class_teacher", str(exc))
    try:
        shift = parse_int(v.get("shift"))
        if shift is not None and not 1 <= shift <= MAX_SHIFT:
            raise ValueError(shift)
    except ValueError:
        report.error(row, "shift", _("The shift must be 1, 2 or %(max)d.") % {"max": MAX_SHIFT})
        shift = None
    return name, grade, letter, teacher, shift


def _same_class(
    row: ImportRow,
    key: str,
    fields: ClassFields,
    classes: dict[str, ClassFields],
    report: ImportReport,
) -> None:
    """Every row of a class gives it the same grade and letter, and no other class teacher or
    shift than an earlier row; ``classes`` keeps, per class, the first row and what is known."""
    _number, grade, letter, teacher, shift = fields
    first = classes.setdefault(key, fields)
    if (first[1], first[2]) != (grade, letter):
        report.error(
            row,
            "grade",
            _("Row %(row)d gives this class another grade or letter.") % {"row": first[0]},
        )
    elif teacher and first[3] and first[3] != teacher:
        report.error(
            row,
            "class_teacher",
            _("Row %(row)d gives this class another class teacher.") % {"row": first[0]},
        )
    elif shift and first[4] and first[4] != shift:
        report.error(
            row,
            "shift",
            _("Row %(row)d gives this class another shift.") % {"row": first[0]},
        )
    else:
        classes[key] = (first[0], grade, letter, teacher or first[3], shift or first[4])


def _student_fields(
    row: ImportRow, year: AcademicYear, default_start: dt.date, report: ImportReport
) -> tuple[int | None, dt.date | None, dt.date]:
    """The student's code, date of birth and first day in the class."""
    v = row.values
    try:
        student_id = parse_int(v.get("student"))
    except ValueError:
        report.error(row, "student", _("The student's code must be a whole number."))
        student_id = None
    try:
        born = parse_date(v.get("birth_date"))
        if born and not dt.date(1990, 1, 1) <= born <= today():
            report.error(row, "birth_date", _("Check the date of birth."))
    except ValueError:
        report.error(
            row, "birth_date", _("This is not a date. Write it as DD.MM.YYYY, e.g. 12.03.2013.")
        )
        born = None
    try:
        starts_on = parse_date(v.get("starts_on")) or default_start
        if not year.contains(starts_on):
            report.error(
                row,
                "starts_on",
                _("The date is outside the academic year %(year)s.") % {"year": year.name},
            )
    except ValueError:
        report.error(
            row, "starts_on", _("This is not a date. Write it as DD.MM.YYYY, e.g. 01.09.2026.")
        )
        starts_on = default_start
    return student_id, born, starts_on


def _person(
    row: ImportRow,
    student_id: int | None,
    born: dt.date | None,
    seen_people: dict[tuple, int],
    report: ImportReport,
) -> dict[str, Any] | None:
    """The student's names and date of birth when the row describes one (names checked, the
    same student twice in the file refused); None for a row of a class only."""
    names = {k: text(row.values.get(k)) for k in ("surname", "given_name", "patronymic")}
    if not any(names.values()) and student_id is None:
        return None
    for k in ("surname", "given_name"):
        if not names[k]:
            report.error(row, k, _("Write the student's surname and given name."))
        elif len(names[k]) > 100:
            report.error(row, k, too_long_text(100))
    for k, value in names.items():
        problem = name_problem(value)
        if problem is not None:
            report.error(row, k, problem[1])
    pkey = (student_id,) if student_id else (*map(norm, names.values()), born)
    if pkey in seen_people:
        report.error(
            row,
            "surname",
            _(
                "The same student is already in row %(row)d. If these are two different "
                "children, fill in their dates of birth."
            )
            % {"row": seen_people[pkey]},
        )
    seen_people.setdefault(pkey, row.number)
    return {**names, "birth_date": born}


class _Students:
    """The institution's students (ever) and the municipality's people with a date of birth
    that a row may describe."""

    def __init__(self, year: AcademicYear, rows: list[_Row]) -> None:
        institution = year.institution
        self.by_name: dict[tuple, list[Person]] = {}
        self.by_id: dict[int, Person] = {}
        ids = [r.student_id for r in rows if r.student_id]
        for p in Person.objects.filter(pk__in=ids, municipality_id=institution.municipality_id):
            self.by_id[p.pk] = p
        own = Person.objects.filter(
            memberships__institution=institution, memberships__role=Membership.Role.STUDENT
        ).distinct()
        births = {r.person["birth_date"] for r in rows if r.person and r.person["birth_date"]}
        others = Person.objects.filter(
            municipality_id=institution.municipality_id, birth_date__in=births
        )
        self.own: set[int] = set()
        for p in own:
            self.own.add(p.pk)
            self.add(p)
        for p in others:
            self.add(p)

    def add(self, p: Person) -> None:
        key = (norm(p.surname), norm(p.given_name))
        found = self.by_name.setdefault(key, [])
        if p not in found:
            found.append(p)

    def find(self, r: _Row) -> Person | None:
        data = r.person or {}
        if r.student_id:
            person = self.by_id.get(r.student_id)
            if person is None:
                raise ValueError(_("There is no person with this code in Setka."))
            if norm(person.surname) != norm(data.get("surname")):
                raise ValueError(
                    _("The code %(code)s belongs to %(name)s.")
                    % {"code": r.student_id, "name": person.full_name}
                )
            return person
        patronymic = norm(data["patronymic"])
        born = data.get("birth_date")
        candidates = [
            p
            for p in self.by_name.get((norm(data["surname"]), norm(data["given_name"])), [])
            if (not patronymic or not p.patronymic or norm(p.patronymic) == patronymic)
            and (born is None or p.birth_date is None or p.birth_date == born)
        ]
        # People of other institutions are taken only with the same date of birth.
        candidates = [p for p in candidates if p.pk in self.own or (born and p.birth_date == born)]
        if len(candidates) > 1 and patronymic:
            exact = [p for p in candidates if norm(p.patronymic) == patronymic]
            candidates = exact or candidates
        if len(candidates) > 1 and born:
            exact = [p for p in candidates if p.birth_date == born]
            candidates = exact or candidates
        if len(candidates) > 1:
            raise ValueError(
                _(
                    "The institution has several students with this name: add the date of birth "
                    "or the student's code."
                )
            )
        return candidates[0] if candidates else None


def classes_import(
    *,
    actor: Any,
    year: AcademicYear,
    rows: Sequence[ImportRow],
    filename: str = "",
    dry_run: bool = False,
) -> ImportReport:
    if not actor.has_perm("journal.manage_year", year):
        raise PermissionDenied
    report = ImportReport(kind="classes", dry_run=dry_run, filename=filename, rows=len(rows))
    teachers = TeacherIndex.load(year.institution, clamp(today(), year.starts_on, year.ends_on))
    parsed = _parse(rows, year, teachers, report)
    counts = dict.fromkeys(("classes", "teachers", "people", "enrolled", "added", "already"), 0)
    with transaction.atomic():
        groups = {norm(g.name): g for g in StudyGroup.objects.filter(year=year)}
        students = _Students(year, parsed)
        for r in parsed:
            try:
                with transaction.atomic():
                    _import_row(actor, year, r, groups=groups, students=students, counts=counts)
            except ValidationError as exc:
                report.add_validation_error(
                    r.row, exc, {"name": "group", "student": "surname", "teacher": "class_teacher"}
                )
            except ValueError as exc:
                report.error(r.row, "student" if r.student_id else "surname", str(exc))
        if report.errors or dry_run:
            transaction.set_rollback(True)
    report.counts = counts
    report.summary = [
        _("New classes: %(n)d.") % {"n": counts["classes"]},
        _("Class teachers set: %(n)d.") % {"n": counts["teachers"]},
        _("New people: %(n)d; new student memberships: %(m)d.")
        % {"n": counts["people"], "m": counts["enrolled"]},
        _("Students added to classes: %(n)d; already there: %(m)d.")
        % {"n": counts["added"], "m": counts["already"]},
    ]
    report.sort(CLASSES)
    return report


def _import_row(actor, year, r: _Row, *, groups, students: _Students, counts) -> None:
    group = groups.get(norm(r.group))
    if group is None:
        group = structure.group_create(
            actor=actor,
            year=year,
            name=r.group,
            kind=StudyGroup.Kind.CLASS,
            grade=r.grade,
            letter=r.letter,
            class_teacher=r.teacher,
            shift=r.shift,
        )
        groups[norm(r.group)] = group
        counts["classes"] += 1
        counts["teachers"] += r.teacher is not None
    else:
        if r.teacher and group.class_teacher_id != r.teacher.pk:
            planning.group_update(actor=actor, group=group, class_teacher=r.teacher)
            counts["teachers"] += 1
        if r.shift and group.shift != r.shift:
            planning.group_update(actor=actor, group=group, shift=r.shift)
    if r.person is None:
        return
    person = students.find(r)
    if person is None:
        person = network_services.person_create(
            actor=actor, municipality=year.institution.municipality, **r.person
        )
        students.own.add(person.pk)
        students.add(person)
        counts["people"] += 1
    active = Membership.objects.active(r.starts_on).filter(
        person=person, institution_id=year.institution_id, role=Membership.Role.STUDENT
    )
    if not active.exists():
        network_services.membership_create(
            actor=actor,
            person=person,
            institution=year.institution,
            role=Membership.Role.STUDENT,
            starts_on=r.starts_on,
        )
        students.own.add(person.pk)
        counts["enrolled"] += 1
    current = (
        GroupMember.objects.active(r.starts_on)
        .filter(student=person, group__year=year, group__kind=StudyGroup.Kind.CLASS)
        .select_related("group")
        .first()
    )
    if current is not None and current.group_id == group.pk:
        counts["already"] += 1
        return
    if current is not None:
        raise ValidationError(
            {
                "student": _(
                    "%(name)s is in the class %(group)s: take them out of it first (on the page "
                    "of that class, with the date they left)."
                )
                % {"name": person.full_name, "group": current.group.name}
            }
        )
    structure.group_member_add(actor=actor, group=group, student=person, starts_on=r.starts_on)
    counts["added"] += 1
