"""The journal pages. This module holds what the teacher's pages share: fetching a group ×
subject or a lesson together with the user's access to it (missing and forbidden both give
404), choosing the period, and small formatting helpers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.utils import formats

from setka.core import sqlrows
from setka.core.clock import today
from setka.network.models import Institution
from setka.network.roles import user_roles

from .. import rules
from ..models import AcademicYear, Lesson, Period, StudyGroup, Subject


@dataclass
class JournalAccess:
    group: StudyGroup
    subject: Subject
    access: str  # rules.WRITE or rules.READ
    teaches: bool  # an active teaching assignment: every lesson is writable
    person_id: int | None

    @property
    def writes(self) -> bool:
        """The whole journal: every lesson, the period and year marks (the teachers)."""
        return self.access == rules.WRITE

    def can_write(self, lesson: Lesson) -> bool:
        """The same answer as ``rules.can_write_lesson`` without a query per lesson: the
        teachers write every lesson, a substitute the lessons they cover."""
        return self.teaches or (
            self.person_id is not None and lesson.substitute_id == self.person_id
        )


def int_or_404(raw: object) -> int:
    try:
        value = int(str(raw))
    except (TypeError, ValueError) as exc:
        raise Http404 from exc
    if value <= 0:
        raise Http404
    return value


# The group of a journal page with its year, institution and class, the subject, and whether
# the user teaches it: one query on every journal page, written as SQL (see ``sqlrows``).
ACCESS_SQL = f"""
SELECT {sqlrows.columns(StudyGroup, "g")}, {sqlrows.columns(AcademicYear, "y")},
       {sqlrows.columns(Institution, "i")}, {sqlrows.columns(StudyGroup, "pg")},
       EXISTS(SELECT 1 FROM journal_teachingassignment ta
              WHERE ta.teacher_id = %(person)s AND ta.group_id = g.id
                AND ta.subject_id = %(subject)s AND ta.starts_on <= %(today)s
                AND (ta.ends_on IS NULL OR ta.ends_on >= %(today)s)),
       {sqlrows.columns(Subject, "s")}
FROM journal_studygroup g
JOIN journal_academicyear y ON y.id = g.year_id
JOIN network_institution i ON i.id = g.institution_id
LEFT JOIN journal_studygroup pg ON pg.id = g.parent_id
LEFT JOIN journal_subject s ON s.id = %(subject)s
WHERE g.id = %(group)s
"""  # noqa: S608 (the column names come from the models, the values are parameters)
_ACCESS_SIZES = [
    len(m._meta.concrete_fields) for m in (StudyGroup, AcademicYear, Institution, StudyGroup)
]


def journal_access_or_404(user, group_id: int, subject_id: int) -> JournalAccess:
    """The group (with its year, institution and class), the subject and the user's access,
    in one query (``ACCESS_SQL``)."""
    roles = user_roles(user)
    found = sqlrows.rows(
        ACCESS_SQL,
        {
            "group": group_id,
            "subject": subject_id,
            "person": roles.person_id,
            "today": today(),
        },
    )
    if not found:
        raise Http404
    row, parts, at = found[0], [], 0
    for size in _ACCESS_SIZES:
        parts.append(row[at : at + size])
        at += size
    group = sqlrows.instance(StudyGroup, parts[0])
    group.year = sqlrows.instance(AcademicYear, parts[1])
    group.institution = sqlrows.instance(Institution, parts[2])
    group.parent = sqlrows.instance(StudyGroup, parts[3]) if parts[3][0] is not None else None
    teaches = bool(row[at]) and roles.person_id is not None
    subject_row = row[at + 1 :]
    if subject_row[0] is None:
        raise Http404
    subject = sqlrows.instance(Subject, subject_row)
    if subject.municipality_id != group.institution.municipality_id:
        raise Http404
    access = rules.group_journal_access(user, group, subject_id, teaches_subject=teaches)
    if access is None:
        raise Http404
    return JournalAccess(group, subject, access, teaches, roles.person_id)


def lesson_or_404(user, pk: int) -> tuple[Lesson, JournalAccess]:
    lesson = (
        Lesson.objects.select_related(
            "group__year",
            "group__institution",
            "group__parent",
            "subject",
            "period",
            "teacher",
            "substitute",
            "open_event",  # an open lesson of the events module (joined: no query of its own)
        )
        .filter(pk=pk)
        .first()
    )
    if lesson is None:
        raise Http404
    lesson.year = lesson.group.year  # the same year: saves a query in the services
    roles = user_roles(user)
    teaches = rules.teaches(roles.person_id, lesson.group_id, lesson.subject_id)
    access = rules.group_journal_access(
        user, lesson.group, lesson.subject_id, teaches_subject=teaches
    )
    if access is None:
        raise Http404
    return lesson, JournalAccess(lesson.group, lesson.subject, access, teaches, roles.person_id)


def default_period(periods: list[Period], day: dt.date | None = None) -> Period | None:
    """The period containing ``day`` (today); between periods the last one that has begun;
    before the year the first one."""
    day = day or today()
    started = [p for p in periods if p.starts_on <= day]
    for p in started:
        if p.ends_on >= day:
            return p
    if started:
        return started[-1]
    return periods[0] if periods else None


def choose_period(periods: list[Period], raw: str | None) -> Period:
    if raw:
        wanted = int_or_404(raw)
        for p in periods:
            if p.pk == wanted:
                return p
        raise Http404
    period = default_period(periods)
    if period is None:
        raise Http404
    return period


def fmt_average(value: Decimal | None) -> str:
    return formats.number_format(value, 2) if value is not None else ""


def error_text(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


# A ValidationError built from a dict loses its code: name it after the field instead.
FIELD_CODES = {"student": "not_in_group", "value": "bad_value", "passed": "bad_value",
               "code": "bad_code"}  # fmt: skip


def error_code(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            for e in errors:
                if e.code:
                    return str(e.code)
            return FIELD_CODES.get(name, "invalid")
    elif hasattr(exc, "error_list"):
        for e in exc.error_list:
            if e.code:
                return str(e.code)
    return str(getattr(exc, "code", "") or "invalid")


def json_error(message: str, status: int = 400, code: str = "invalid") -> JsonResponse:
    return JsonResponse({"ok": False, "error": message, "code": code}, status=status)
