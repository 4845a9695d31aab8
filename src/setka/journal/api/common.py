"""What the journal's endpoints share: the rules of answers, the renaming of a service's
errors to the API's fields, the lesson of a write, and the small pieces of output.

The same permissions as the journal pages (``journal.access`` over ``journal.rules``): a
journal, a lesson or a mark you may not read answers 404 like a missing one; one you may read
but not change answers 403. A lesson or a student named in the *body* that you cannot use is
invalid input (422, with the field). Writes go through ``journal.services``, whose
``ValidationError`` becomes a 422 problem with the API's field names (``student_id``, not
``student``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from setka.core.api import forbidden
from setka.network.models import Person

from .. import access
from ..errors import FIELD_CODES
from ..marktext import NOT_CERTIFIED, PASSED
from ..models import Lesson, Mark, MarkKind, Period

#: The services name the objects; the API names the fields that carry their ids.
FIELD_NAMES = {
    "student": "student_id",
    "kind": "kind_id",
    "lesson": "lesson_id",
    "period": "period_id",
    "group": "group_id",
    "subject": "subject_id",
}


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


# The longest range of days one request reads (the diary, the lessons of a range).
MAX_DAYS = 31


def day_range(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """``start``..``end`` as asked, or a 422 on ``to``: backwards, or over :data:`MAX_DAYS`."""
    if end < start:
        raise invalid("to", _("The last day must not be before the first."), "bad_range")
    if (end - start).days >= MAX_DAYS:
        raise invalid(
            "to",
            ngettext(
                "Ask for at most %(n)s day at a time.",
                "Ask for at most %(n)s days at a time.",
                MAX_DAYS,
            )
            % {"n": MAX_DAYS},
            "range_too_long",
        )
    return start, end


def read_only() -> Exception:
    return forbidden(_("You can read this journal, but not change it."))


def not_a_member() -> ValidationError:
    return invalid("student_id", _("This student is not in the group."), "not_in_group")


def lesson_for_write(request: HttpRequest, ref: Any) -> tuple[Lesson, Person, access.LessonGrant]:
    """The lesson and the student named in a write's body (``lesson_id``, ``student_id``, and
    optionally ``group_id`` / ``subject_id`` that the lesson must match), read and authorized
    by ``access.lesson_for_write`` in one query; what is missing or refused becomes the API's
    answer (422 by field, 403). The grant is what the services take; they check the rest (a
    closed period, a cancelled lesson)."""
    lesson, _ja, student, grant = _lesson_checked(request, ref)
    if student is None:
        raise not_a_member()
    return lesson, student, grant


def batch_lesson(request: HttpRequest, ref: Any) -> BatchLesson:
    """The lesson of a batch's item, checked as by :func:`lesson_for_write`; its students are
    then asked of the result (``BatchLesson.student``)."""
    lesson, ja, _student, _grant = _lesson_checked(request, ref)
    return BatchLesson(lesson, ja)


def _lesson_checked(
    request: HttpRequest, ref: Any
) -> tuple[Lesson, access.JournalAccess, Person | None, access.LessonGrant]:
    found = access.lesson_for_write(request.user, ref.lesson_id, ref.student_id)
    lesson, ja = found.lesson, found.journal
    if lesson is None or ja is None:
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
    if found.grant is None:
        raise read_only()
    return lesson, ja, found.student, found.grant


class BatchLesson:
    """A lesson of a batch of marks, read and authorized once (``lesson_for_write``), with
    its group's members on its day read once (one query)."""

    def __init__(self, lesson: Lesson, journal: access.JournalAccess) -> None:
        self.lesson = lesson
        self.journal = journal
        self.members: dict[int, Person] | None = None

    def student(self, student_id: int) -> tuple[Person, access.LessonGrant]:
        if self.members is None:
            self.members = access.lesson_members(self.lesson)
        person = self.members.get(student_id)
        grant = access.grant(self.journal, self.lesson, {student_id})
        if person is None or grant is None:
            raise not_a_member()
        return person, grant


def num(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def mark_parts(text: str) -> tuple[int | None, bool | None]:
    """``"5"`` → (5, None); ``"зач"`` → (None, True); ``"нз"`` → (None, False)."""
    if text.isdigit():
        return int(text), None
    return None, text == PASSED


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
    if text == NOT_CERTIFIED:
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
