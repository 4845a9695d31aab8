"""The journal API, part one: the grid of a group × subject × period, grid cells and
attendance — and the helpers the journal endpoints share (``api_lessons`` has the lessons and
their homework, ``api_marks`` marks and period marks, ``api_diary`` the diary, ``api_reports``
the reports).

The same permissions as the journal pages (``journal.rules``): a journal, a lesson or a mark
you may not read answers 404 like a missing one; one you may read but not change answers 403.
A lesson or a student named in the *body* that you cannot use is invalid input (422, with the
field). Writes go through ``journal.services``, whose ``ValidationError`` becomes a 422 problem
with the API's field names (``student_id``, not ``student``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router

from setka.core import sqlrows
from setka.core.api_errors import Id, errors_for
from setka.core.clock import today
from setka.network.api import forbidden
from setka.network.models import Person
from setka.network.roles import user_roles

from . import rules
from .averages import suggest_mark, weighted_average
from .models import AcademicYear, GroupMember, Lesson, Mark, MarkKind, Period, StudyGroup, Subject
from .schemas import (
    AttendanceIn,
    AttendanceOut,
    CellIn,
    CellOut,
    GridOut,
    GridQuery,
)
from .selectors import Grid, journal_grid
from .services import records
from .views import JournalAccess, choose_period, journal_access_or_404

router = Router(tags=["journal"])

#: The services name the objects; the API names the fields that carry their ids.
FIELD_NAMES = {
    "student": "student_id",
    "kind": "kind_id",
    "lesson": "lesson_id",
    "period": "period_id",
    "group": "group_id",
    "subject": "subject_id",
}
#: A ValidationError built from a dict loses its code: name it after the field instead.
FIELD_CODES = {
    "student": "not_in_group",
    "value": "bad_value",
    "passed": "bad_value",
    "code": "bad_code",
    "kind": "bad_kind",
    "period": "bad_period",
    "reason": "reason_required",
}


# --- helpers shared by the journal endpoints ----------------------------------------------


@contextmanager
def api_fields() -> Iterator[None]:
    """Rename the fields of a service's ``ValidationError`` to the API's (and give each error
    a code)."""
    try:
        yield
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        renamed = {
            FIELD_NAMES.get(name, name): [
                ValidationError(e.message, code=e.code or FIELD_CODES.get(name), params=e.params)
                for e in errors
            ]
            for name, errors in exc.error_dict.items()
        }
        raise ValidationError(renamed) from exc


@contextmanager
def batch_item(index: int) -> Iterator[None]:
    """Name the fields of an item's errors after its place in a batch: ``marks.3.value``."""
    try:
        yield
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise ValidationError({f"marks.{index}": exc.error_list}) from exc
        raise ValidationError(
            {f"marks.{index}.{name}": errors for name, errors in exc.error_dict.items()}
        ) from exc


def invalid(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def substitutes(person_id: int | None, lesson: Lesson) -> bool:
    return person_id is not None and lesson.substitute_id == person_id


def read_only() -> Exception:
    return forbidden(_("You can read this journal, but not change it."))


def lesson_for_write(
    request: HttpRequest, ref: Any, *, lesson: Lesson | None = None, batch: bool = False
) -> tuple[Lesson, Person]:
    """The lesson and the student named in a write's body (``lesson_id``, ``student_id``, and
    optionally ``group_id`` / ``subject_id`` that the lesson must match), in one query: the
    lesson with whether the user teaches it and the student's name when they are in its group
    on its day (a batch reads the group's members once). The services take both as checked
    (``rules.remember_teaches``, ``records.remember_member``) and check the rest (a closed
    period, a cancelled lesson)."""
    user = request.user
    roles = user_roles(user)
    if lesson is not None:  # already read and checked for this user (a batch)
        return lesson, _member_or_invalid(lesson, ref.student_id)
    lesson, teaches, name = _lesson_with_teaches(ref.lesson_id, roles.person_id, ref.student_id)
    access = None
    if lesson is not None:
        access = rules.group_journal_access(
            user, lesson.group, lesson.subject_id, teaches_subject=teaches
        )
    if lesson is None or access is None:
        raise invalid(
            "lesson_id",
            _("There is no such lesson, or it is not in a journal you can open."),
            "not_found",
        )
    if (ref.group_id is not None and ref.group_id != lesson.group_id) or (
        ref.subject_id is not None and ref.subject_id != lesson.subject_id
    ):
        raise invalid(
            "lesson_id",
            _("This lesson is not in this journal: reload the journal and try again."),
            "not_in_journal",
        )
    if access != rules.WRITE and not substitutes(roles.person_id, lesson):
        raise read_only()
    rules.remember_teaches(lesson, roles.person_id, teaches)
    lesson.year = lesson.group.year  # the same year: saves a query in the services
    if batch:
        return lesson, _member_or_invalid(lesson, ref.student_id)
    if name is None:
        raise invalid("student_id", _("This student is not in the group."), "not_in_group")
    records.remember_member(lesson, ref.student_id)
    student = Person(pk=ref.student_id, surname=name[0], given_name=name[1], patronymic=name[2])
    return lesson, student


# The lesson of a write with its group, year, subject and period, and whether the user teaches
# it: every mark entered runs it, so it is SQL (see ``sqlrows``), read into model instances.
LESSON_SQL = f"""
SELECT {sqlrows.columns(Lesson, "l")}, {sqlrows.columns(StudyGroup, "g")},
       {sqlrows.columns(AcademicYear, "y")}, {sqlrows.columns(Subject, "s")},
       {sqlrows.columns(Period, "p")},
       EXISTS(SELECT 1 FROM journal_teachingassignment ta
              WHERE ta.teacher_id = %(person)s AND ta.group_id = l.group_id
                AND ta.subject_id = l.subject_id AND ta.starts_on <= %(today)s
                AND (ta.ends_on IS NULL OR ta.ends_on >= %(today)s)),
       st.surname, st.given_name, st.patronymic, {sqlrows.columns(MarkKind, "k")}
FROM journal_lesson l
JOIN journal_studygroup g ON g.id = l.group_id
JOIN journal_academicyear y ON y.id = g.year_id
JOIN journal_subject s ON s.id = l.subject_id
JOIN journal_period p ON p.id = l.period_id
LEFT JOIN network_person st ON st.id = %(student)s AND EXISTS(
     SELECT 1 FROM journal_groupmember gm
     WHERE gm.group_id = l.group_id AND gm.student_id = %(student)s
       AND gm.starts_on <= l.date AND (gm.ends_on IS NULL OR gm.ends_on >= l.date))
LEFT JOIN journal_markkind k ON k.id = COALESCE(
     (SELECT k2.id FROM journal_markkind k2
      WHERE k2.institution_id = l.institution_id AND k2.is_active AND k2.is_control
        AND l.kind = 'control'
      ORDER BY k2."order", k2.name LIMIT 1),
     (SELECT k3.id FROM journal_markkind k3
      WHERE k3.institution_id = l.institution_id AND k3.is_active
      ORDER BY k3."order", k3.name LIMIT 1))
WHERE l.id = %(lesson)s
"""  # noqa: S608 (the column names come from the models, the values are parameters)
_SIZES = [len(m._meta.concrete_fields) for m in (Lesson, StudyGroup, AcademicYear, Subject, Period)]


def _lesson_with_teaches(
    lesson_id: int, person_id: int | None, student_id: int
) -> tuple[Lesson | None, bool, tuple | None]:
    """The lesson (or None), whether the person teaches it, and the student's name when they
    are in its group on its day."""
    found = sqlrows.rows(
        LESSON_SQL,
        {"lesson": lesson_id, "person": person_id, "today": today(), "student": student_id},
    )
    if not found:
        return None, False, None
    row, parts, start = found[0], [], 0
    for size in _SIZES:
        parts.append(row[start : start + size])
        start += size
    lesson = sqlrows.instance(Lesson, parts[0])
    group = sqlrows.instance(StudyGroup, parts[1])
    group.year = sqlrows.instance(AcademicYear, parts[2])
    lesson.group = group
    lesson.subject = sqlrows.instance(Subject, parts[3])
    lesson.period = sqlrows.instance(Period, parts[4])
    teaches = bool(row[start]) and person_id is not None
    name = row[start + 1 : start + 4]
    kind = row[start + 4 :]
    if kind[0] is not None:  # the lesson's default kind, as records.default_kind chooses it
        records.remember_default_kind(lesson, sqlrows.instance(MarkKind, kind))
    return lesson, teaches, (name if name[0] is not None else None)


MEMBERS_ATTR = "_setka_members"


def _member_or_invalid(lesson: Lesson, student_id: int) -> Person:
    """The student, when a member of the lesson's group on its day (a batch: the members are
    read once, in one query, and kept on the lesson)."""
    if MEMBERS_ATTR not in lesson.__dict__:
        lesson.__dict__[MEMBERS_ATTR] = {
            row[0]: row[1:]
            for row in GroupMember.objects.active(lesson.date)
            .filter(group_id=lesson.group_id)
            .values_list(
                "student_id", "student__surname", "student__given_name", "student__patronymic"
            )
        }
    name = lesson.__dict__[MEMBERS_ATTR].get(student_id)
    if name is None:
        raise invalid("student_id", _("This student is not in the group."), "not_in_group")
    records.remember_member(lesson, student_id)
    return Person(pk=student_id, surname=name[0], given_name=name[1], patronymic=name[2])


def num(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def mark_parts(text: str) -> tuple[int | None, bool | None]:
    """``"5"`` → (5, None); ``"зач"`` → (None, True); ``"нз"`` → (None, False)."""
    if text.isdigit():
        return int(text), None
    return None, text == "зач"


def subject_out(subject: Any) -> dict[str, Any]:
    return {
        "id": subject.pk,
        "name": subject.name,
        "short_name": subject.short_name,
        "grading": subject.grading,
    }


def period_out(period: Period) -> dict[str, Any]:
    return {
        "id": period.pk,
        "number": period.number,
        "name": period.name,
        "starts_on": period.starts_on,
        "ends_on": period.ends_on,
        "is_closed": period.is_closed,
    }


def period_mark_value(text: str) -> dict[str, Any] | None:
    if not text:
        return None
    if text == "н/а":
        return {"text": text, "value": None, "passed": None, "not_certified": True}
    value, passed = mark_parts(text)
    return {"text": text, "value": value, "passed": passed, "not_certified": False}


def with_kinds(marks: list[Mark]) -> list[Mark]:
    """Load the kinds of marks that do not hold theirs yet (one query at most)."""
    missing = {m.kind_id for m in marks if not Mark.kind.is_cached(m)}
    if missing:
        kinds = MarkKind.objects.in_bulk(missing)
        for m in marks:
            if not Mark.kind.is_cached(m):
                m.kind = kinds[m.kind_id]
    return marks


# --- the grid -------------------------------------------------------------------------------


def _grid_out(data: Grid, ja: JournalAccess, periods: list[Period]) -> dict[str, Any]:
    period = data.period
    lessons = []
    for lesson in data.lessons:
        hw = data.homework.get(lesson.pk)
        lessons.append(
            {
                "id": lesson.pk,
                "date": lesson.date,
                "number": lesson.number,
                "kind": lesson.kind,
                "status": lesson.status,
                "topic": lesson.topic,
                "writable": not period.is_closed
                and not lesson.is_cancelled
                and ja.can_write(lesson),
                "homework": {
                    "text": hw.text[:200],
                    "minutes": hw.minutes,
                    "due_on": hw.due_on,
                    "is_late": hw.is_late,
                }
                if hw is not None
                else None,
            }
        )
    order = [lesson.pk for lesson in data.lessons]
    students = []
    for s in data.students:
        cells = []
        for lesson_id in order:
            marks = s.cells.get(lesson_id)
            code = s.absences.get(lesson_id, "")
            if not marks and not code:
                continue
            cells.append(
                {
                    "lesson_id": lesson_id,
                    "attendance": code,
                    "marks": [
                        dict(zip(("value", "passed"), mark_parts(text), strict=True), id=i, kind=k)
                        for i, text, k in marks or []
                    ],
                }
            )
        students.append(
            {
                "id": s.id,
                "name": s.name,
                "left_on": s.left_on,
                "average": num(s.average),
                "count": s.count,
                "suggested": s.suggested,
                "period_mark": period_mark_value(s.period_mark),
                "cells": cells,
            }
        )
    return {
        "group": {"id": ja.group.pk, "name": ja.group.name},
        "subject": subject_out(ja.subject),
        "period": period_out(period),
        "periods": [period_out(p) for p in periods],
        "access": ja.access,
        "kinds": [
            {"short_name": short, "name": name, "weight": float(weight)}
            for short, (name, weight) in sorted(data.kinds.items())
        ],
        "lessons": lessons,
        "students": students,
    }


@router.get(
    "/journal/groups/{group_id}/subjects/{subject_id}/grid",
    response={200: GridOut, **errors_for(401, 404, 422)},
    summary="The journal grid of a group and subject for a period",
    description=(
        "Lessons (with topics and homework), students (with those who left), the cells that "
        "hold marks or attendance, the weighted averages, the suggested and the set period "
        "marks. For the teachers of the subject in the group (and its substitutes), the class "
        "teacher, the institution's administrators and the municipal admins. A fixed number "
        "of queries whatever the size of the class."
    ),
)
def grid(request: HttpRequest, group_id: Id, subject_id: Id, query: Query[GridQuery]) -> Any:
    ja = journal_access_or_404(request.user, group_id, subject_id)
    periods = list(Period.objects.filter(year_id=ja.group.year_id).order_by("number"))
    if query.period_id is not None and query.period_id not in {p.pk for p in periods}:
        raise invalid("period_id", _("This period is not in the year of the group."), "bad_period")
    period = choose_period(periods, str(query.period_id or ""))
    return _grid_out(journal_grid(ja.group, ja.subject, period), ja, periods)


# --- cells and attendance -------------------------------------------------------------------


def _student_summary(lesson: Lesson, student_id: int) -> dict[str, Any]:
    """The student's weighted average, number of marks and suggestion in the lesson's period."""
    period, year = lesson.period, lesson.group.year
    rows = Mark.objects.filter(
        group_id=lesson.group_id,
        subject_id=lesson.subject_id,
        student_id=student_id,
        date__gte=period.starts_on,
        date__lte=period.ends_on,
        is_deleted=False,
        value__isnull=False,
    ).values_list("value", "kind__weight")
    marks = [(value, weight) for value, weight in rows if value is not None]
    average = weighted_average(marks)
    suggested = suggest_mark(
        average, len(marks), rounding=year.rounding, min_marks=year.min_marks_for_period
    )
    return {"average": num(average), "count": len(marks), "suggested": suggested}


@router.put(
    "/journal/cells",
    response={200: CellOut, **errors_for(401, 403, 422)},
    summary="Save a grid cell",
    description=(
        "Makes the cell of a student at a lesson hold exactly what is typed: marks (`5 4`), "
        "an attendance code (`Н`), both (`ОП 5`), `зач` / `нз` for pass / fail subjects, or "
        "nothing. Unchanged marks stay, changed ones are corrected, removed ones are deleted "
        "with their history kept. Answers the cell and the student's average after the save."
    ),
)
def cell_save(request: HttpRequest, payload: CellIn) -> Any:
    lesson, student = lesson_for_write(request, payload)
    with api_fields():
        result = records.cell_save(
            actor=request.user, lesson=lesson, student=student, text=payload.text
        )
    marks = with_kinds(result.marks)
    text = " ".join([result.attendance] * bool(result.attendance) + [m.display for m in marks])
    return {
        "lesson_id": lesson.pk,
        "student_id": student.pk,
        "text": text,
        "attendance": result.attendance,
        "marks": marks,
        **_student_summary(lesson, student.pk),
    }


@router.put(
    "/journal/attendance",
    response={200: AttendanceOut, **errors_for(401, 403, 422)},
    summary="Set the attendance of a student at a lesson",
    description=(
        "`Н` (absent), `Б` (ill), `УП` (absent for a good reason), `ОП` (late), or empty to "
        "clear it (the change stays in the history)."
    ),
)
def attendance_set(request: HttpRequest, payload: AttendanceIn) -> Any:
    lesson, student = lesson_for_write(request, payload)
    with api_fields():
        row = records.attendance_set(
            actor=request.user,
            lesson=lesson,
            student=student,
            code=payload.code,
            comment=payload.comment,
        )
    return {
        "lesson_id": lesson.pk,
        "student_id": student.pk,
        "code": row.code,
        "comment": row.comment,
        "updated_at": row.updated_at,
    }
