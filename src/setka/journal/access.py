"""Fetch and authorize in one call (Zulip's ``access_*``): the journal's pages and its API ask
these functions for a journal, a lesson, a mark, a class or a piece of the year's structure,
and get the object with the user's access to it, or ``Http404`` — a missing object and one
the user may not see are the same answer. An object the user may see but not change is
``PermissionDenied`` (403) where the function is asked for a write.

The decisions are ``journal.rules``'; the two hand-written statements this module runs
(``sql.ACCESS`` and ``sql.LESSON_WRITE``: every journal page and every mark entered) fold the
rule "teaches this group and subject" into their one query through ``rules.teaches_sql``, and
``tests/journal/test_access_rule.py`` proves them equal to the rule over teachers,
substitutes, ended assignments, subgroups and network groups.

Services never trust an answer stored on an object: they ask ``rules`` themselves, or take a
:class:`LessonGrant`, which only this module makes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404

from setka.core import sqlrows
from setka.core.clock import today
from setka.core.permissions import get_for_user_or_404
from setka.network.models import Institution, Person
from setka.network.roles import user_roles

from . import rules, sql
from .models import (
    AcademicYear,
    GroupMember,
    Lesson,
    Mark,
    MarkKind,
    Period,
    StudyGroup,
    Subject,
)

# --- the journal of a group × subject -------------------------------------------------------


@dataclass
class JournalAccess:
    group: StudyGroup
    subject: Subject
    access: str  # rules.WRITE or rules.READ
    teaches: bool  # an active teaching assignment: every lesson is writable
    person_id: int | None
    user_id: int | None = None

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


_GRANTS = object()  # only this module holds it: a LessonGrant cannot be made elsewhere


@dataclass(frozen=True)
class LessonGrant:
    """The access layer's answer, for the services: ``user_id`` may write the lesson
    ``lesson_id`` (its teacher or its substitute), and ``members`` are students of its group
    on its day. A service given one for its actor and lesson skips those two checks; given
    none (or another's), it asks ``rules`` and the database itself."""

    user_id: int
    lesson_id: int
    members: frozenset[int] = frozenset()
    key: object = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.key is not _GRANTS:
            raise TypeError("A LessonGrant is made by journal.access only.")

    def covers(self, actor: Any, lesson: Lesson) -> bool:
        return actor is not None and actor.pk == self.user_id and lesson.pk == self.lesson_id


def grant(ja: JournalAccess, lesson: Lesson, members: set[int] | frozenset[int] = frozenset()):
    """A :class:`LessonGrant` for ``lesson`` when ``ja`` (this user's access to its journal)
    may write it, else None."""
    if ja.user_id is None or not ja.can_write(lesson) or lesson.group_id != ja.group.pk:
        return None
    return LessonGrant(ja.user_id, lesson.pk, frozenset(members), key=_GRANTS)


def _split(row: tuple, sizes: list[int]) -> tuple[list[tuple], int]:
    parts, at = [], 0
    for size in sizes:
        parts.append(row[at : at + size])
        at += size
    return parts, at


def journal_for_user(user, group_id: int, subject_id: int) -> JournalAccess:
    """The group (with its year, institution and class), the subject and the user's access,
    in one query (``sql.ACCESS``); 404 when the user may not read it."""
    roles = user_roles(user)
    found = sqlrows.rows(
        sql.ACCESS,
        {"group": group_id, "subject": subject_id, "person": roles.person_id, "today": today()},
    )
    if not found:
        raise Http404
    parts, at = _split(found[0], sql.ACCESS_SIZES)
    row = found[0]
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
    return JournalAccess(group, subject, access, teaches, roles.person_id, user.pk)


def _journal_of(user, lesson: Lesson, teaches: bool) -> JournalAccess:
    roles = user_roles(user)
    access = rules.group_journal_access(
        user, lesson.group, lesson.subject_id, teaches_subject=teaches
    )
    if access is None:
        raise Http404
    return JournalAccess(
        lesson.group, lesson.subject, access, teaches, roles.person_id, getattr(user, "pk", None)
    )


def lesson_for_user(user, pk: int) -> tuple[Lesson, JournalAccess]:
    """The lesson (with its group, year, institution, class, subject, period, teachers and
    open event) and the user's access to its journal."""
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
    teaches = rules.teaches(user_roles(user).person_id, lesson.group_id, lesson.subject_id)
    return lesson, _journal_of(user, lesson, teaches)


def mark_for_user(user, mark_id: int) -> tuple[Mark, JournalAccess]:
    """The mark with its kind, student and lesson, and the user's access to its journal."""
    person_id = user_roles(user).person_id
    mark = (
        Mark.objects.select_related(
            "kind",
            "student",
            "lesson__group__year",
            "lesson__group__institution",
            "lesson__group__parent",
            "lesson__subject",
            "lesson__period",
        )
        .annotate(
            teaches=Exists(
                rules.teaching_assignments(person_id).filter(
                    group_id=OuterRef("group_id"), subject_id=OuterRef("subject_id")
                )
            )
        )
        .filter(pk=mark_id)
        .first()
    )
    if mark is None:
        raise Http404
    lesson = mark.lesson
    lesson.year = lesson.group.year
    return mark, _journal_of(user, lesson, bool(mark.teaches) and person_id is not None)


# --- a write at a lesson (a mark, a cell, attendance) ----------------------------------------


@dataclass
class LessonWrite:
    """What a write at a lesson needs, read in one query: the lesson (None when missing or
    in a journal the user cannot read), the user's access to its journal, the student when a
    member of its group on its day, and the grant for the services when the user may write."""

    lesson: Lesson | None
    journal: JournalAccess | None = None
    student: Person | None = None
    grant: LessonGrant | None = None


def lesson_for_write(user, lesson_id: int, student_id: int) -> LessonWrite:
    """The lesson of a write and the student named with it, in one query
    (``sql.LESSON_WRITE``). The callers turn what is missing into their own answers (the
    API's 422 fields, the grid's JSON)."""
    from .services import records  # the services import this module

    roles = user_roles(user)
    person_id = roles.person_id
    found = sqlrows.rows(
        sql.LESSON_WRITE,
        {"lesson": lesson_id, "person": person_id, "today": today(), "student": student_id},
    )
    if not found:
        return LessonWrite(None)
    row = found[0]
    parts, at = _split(row, sql.LESSON_WRITE_SIZES)
    lesson = sqlrows.instance(Lesson, parts[0])
    group = sqlrows.instance(StudyGroup, parts[1])
    group.year = sqlrows.instance(AcademicYear, parts[2])
    lesson.group = group
    lesson.year = group.year  # the same year: saves a query in the services
    lesson.subject = sqlrows.instance(Subject, parts[3])
    lesson.period = sqlrows.instance(Period, parts[4])
    teaches = bool(row[at]) and person_id is not None
    name, kind = row[at + 1 : at + 4], row[at + 4 :]
    if kind[0] is not None:  # the lesson's default kind, as records.default_kind chooses it
        records.remember_default_kind(lesson, sqlrows.instance(MarkKind, kind))
    try:
        ja = _journal_of(user, lesson, teaches)
    except Http404:
        return LessonWrite(None)
    student = None
    if name[0] is not None:
        student = Person(pk=student_id, surname=name[0], given_name=name[1], patronymic=name[2])
    members = {student_id} if student is not None else set()
    return LessonWrite(lesson, ja, student, grant(ja, lesson, members))


def lesson_members(lesson: Lesson) -> dict[int, Person]:
    """The students of the lesson's group on its day (one query: a batch of marks)."""
    return {
        pk: Person(pk=pk, surname=s, given_name=g, patronymic=p)
        for pk, s, g, p in GroupMember.objects.active(lesson.date)
        .filter(group_id=lesson.group_id)
        .values_list("student_id", "student__surname", "student__given_name", "student__patronymic")
    }


# --- classes and the structure of the year --------------------------------------------------


def class_for_user(user, group_id: int, *, classes_only: bool = False) -> StudyGroup:
    """A group (a class, with ``classes_only``) whose whole journal the user reads: its class
    teacher, the institution's administrators, the municipal admins."""
    found = StudyGroup.objects.select_related("year", "institution", "parent", "class_teacher")
    if classes_only:
        found = found.filter(kind=StudyGroup.Kind.CLASS)
    group = found.filter(pk=group_id).first()
    if group is None or rules.group_journal_access(user, group, None) is None:
        raise Http404
    return group


def institution_for_user(user, slug: str) -> tuple[Institution, bool]:
    """An institution whose structure the user reads, and whether they administer it."""
    institution = get_for_user_or_404(user, "journal.view_structure", Institution, slug=slug)
    return institution, institution.pk in user_roles(user).admin_of


def year_for_user(user, pk: int, *, write: bool = False) -> tuple[AcademicYear, bool]:
    """The year (with its institution) and whether the user may change it. ``write``: a user
    who may only read gets 403."""
    year = get_for_user_or_404(
        user,
        "journal.view_structure",
        AcademicYear.objects.select_related("institution"),
        pk=pk,
    )
    can_manage = user.has_perm("journal.manage_year", year)
    if write and not can_manage:
        raise PermissionDenied
    return year, can_manage


def group_for_user(user, pk: int, *, write: bool = False) -> tuple[StudyGroup, bool]:
    """A group of the structure and whether the user may change it (``write``: else 403)."""
    group = get_for_user_or_404(
        user,
        "journal.view_structure",
        StudyGroup.objects.select_related("year", "institution", "parent", "class_teacher"),
        pk=pk,
    )
    group.year.institution = group.institution  # the same institution: saves queries later
    can_manage = user.has_perm("journal.manage_structure", group)
    if write and not can_manage:
        raise PermissionDenied
    return group, can_manage


def part_for_change(user, queryset, pk: int, *, of: str, manage: str):
    """A part of a year or of a group to change or remove (a bell, a holiday, a period, a
    member, a teaching assignment, a timetable entry): 404 unless the user reads what it
    belongs to (``of``: the attribute that holds it), 403 unless they hold ``manage`` on that."""
    found = queryset.filter(pk=pk).first()
    owner = getattr(found, of) if found is not None else None
    if owner is None or not user.has_perm("journal.view_structure", owner):
        raise Http404
    if not user.has_perm(manage, owner):
        raise PermissionDenied
    return found


def period_for_user(user, pk: int) -> Period:
    """A period to close or reopen: 404 unless the user reads the year, 403 unless they
    manage it."""
    periods = Period.objects.select_related("year__institution")
    return part_for_change(user, periods, pk, of="year", manage="journal.manage_year")


def structure_lesson_for_user(user, pk: int, *, write: bool = False) -> tuple[Lesson, bool]:
    """A lesson of the timetable (the administration's day view) and whether the user
    manages its year (``write``: else 403)."""
    lesson = (
        Lesson.objects.select_related(
            "institution", "year", "period", "group", "subject", "teacher", "substitute"
        )
        .filter(pk=pk)
        .first()
    )
    if lesson is None or not user.has_perm("journal.view_structure", lesson):
        raise Http404
    lesson.year.institution = lesson.institution
    can_manage = user.has_perm("journal.manage_year", lesson.year)
    if write and not can_manage:
        raise PermissionDenied
    return lesson, can_manage


def member_for_user(user, pk: int) -> GroupMember:
    """A membership of a group, to end it: 404 unless the user reads the group, 403 unless
    they manage it."""
    members = GroupMember.objects.select_related("group__year", "group__institution", "student")
    return part_for_change(user, members, pk, of="group", manage="journal.manage_structure")
