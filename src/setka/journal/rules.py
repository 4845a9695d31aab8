"""Who may read and write which part of the journal.

- A teacher writes for the groups and subjects they teach (an active teaching assignment).
- A substitute reads the journal of the lessons they cover and writes those lessons only
  (``can_write_lesson``): never the other lessons, the period or the year marks.
- A class teacher reads the whole class (and its subgroups); an institution admin reads the whole
  institution; a municipal admin reads everything in the municipality.
- A student reads only their own marks, a parent only their children's.
- A methodologist reads aggregated reports, never individual marks.
"""

from __future__ import annotations

import rules

from setka.core.clock import today
from setka.network.roles import user_roles
from setka.network.sql import active_on

from .models import Lesson, StudyGroup, TeachingAssignment

WRITE = "write"
READ = "read"


def teaching_assignments(person_id: int | None):
    """The person's teaching assignments active today (a queryset, so that a page can fold
    the check into its own query as ``Exists(...)``): **the** rule of "teaches this group and
    subject". ``teaches_sql`` is the same rule for the hand-written statements
    (``journal.access``); ``tests/journal/test_access_rule.py`` proves them equal."""
    return TeachingAssignment.objects.active(today()).filter(teacher_id=person_id)


def teaches(person_id: int | None, group_id: int, subject_id: int) -> bool:
    if person_id is None:
        return False
    return teaching_assignments(person_id).filter(group_id=group_id, subject_id=subject_id).exists()


def teaches_sql(group: str, subject: str) -> str:
    """``teaching_assignments(person).filter(group=…, subject=…).exists()`` as an SQL
    expression, for a statement that passes ``%(person)s`` and ``%(today)s``; ``group`` and
    ``subject`` are the statement's column expressions (``"g.id"``, ``"l.subject_id"``)."""
    ta = TeachingAssignment._meta.db_table
    # the names come from the model and the caller, the values are parameters
    return (
        f"EXISTS(SELECT 1 FROM {ta} ta"  # noqa: S608
        f" WHERE ta.teacher_id = %(person)s AND ta.group_id = {group}"
        f" AND ta.subject_id = {subject} AND {active_on('ta', '%(today)s')})"
    )


def group_journal_access(
    user, group: StudyGroup, subject_id: int | None, *, teaches_subject: bool | None = None
) -> str | None:
    """WRITE, READ or None for the journal of ``group`` in ``subject_id`` (all subjects when
    None: only readers of the whole group qualify). WRITE is the whole journal (every lesson,
    the period and year marks): only the teachers of the subject have it; a substitute reads
    and writes the lessons they cover through ``can_write_lesson``. ``teaches_subject``, when
    the caller has already computed ``teaches(person, group, subject)`` in its own query, saves
    that query."""
    roles = user_roles(user)
    if roles.person_id is None and not roles.is_municipal_admin:
        return None
    if subject_id is not None:
        if teaches_subject is None:
            teaches_subject = teaches(roles.person_id, group.pk, subject_id)
        if teaches_subject:
            return WRITE
    if group.institution_id in roles.admin_of:
        return READ
    if group.institution.municipality_id in roles.municipal_admin_of:
        return READ
    if roles.person_id is not None and roles.person_id in (
        group.class_teacher_id,
        getattr(group.parent, "class_teacher_id", None) if group.parent_id else None,
    ):
        return READ
    if subject_id is not None and roles.person_id is not None:
        substitutes = Lesson.objects.filter(
            group=group, subject_id=subject_id, substitute_id=roles.person_id
        ).exists()
        if substitutes:  # the journal is open to them; only their lessons are writable
            return READ
    return None


def can_write_lesson(user, lesson: Lesson) -> bool:
    """The teachers of the lesson's group and subject, and its substitute. Always asks: a
    caller that has already decided passes the services a ``journal.access.LessonGrant``."""
    roles = user_roles(user)
    if roles.person_id is None:
        return False
    if roles.person_id == lesson.substitute_id:
        return True
    return teaches(roles.person_id, lesson.group_id, lesson.subject_id)


@rules.predicate
def reads_student(user, student) -> bool:
    """The student themselves or their parent (the diary)."""
    roles = user_roles(user)
    return student is not None and (student.pk == roles.person_id or student.pk in roles.children)


@rules.predicate
def administers_institution_of_group(user, group) -> bool:
    return group is not None and group.institution_id in user_roles(user).admin_of


@rules.predicate
def reads_reports(user, institution=None) -> bool:
    """Aggregated reports: institution admins (their institution), municipal admins and
    methodologists (the municipality)."""
    roles = user_roles(user)
    if roles.is_registry_manager:
        return institution is None or institution.municipality_id in (
            roles.municipal_admin_of | roles.methodologist_of
        )
    if institution is None:
        return bool(roles.admin_of)
    return institution.pk in roles.admin_of


rules.add_perm("journal.view_diary", reads_student)
rules.add_perm("journal.view_reports", reads_reports)
rules.add_perm("journal.manage_structure", administers_institution_of_group)


@rules.predicate
def administers_institution_of_year(user, year) -> bool:
    return year is not None and year.institution_id in user_roles(user).admin_of


rules.add_perm("journal.manage_year", administers_institution_of_year)


@rules.predicate
def reads_structure(user, obj=None) -> bool:
    """The structure of the year (years, classes, timetable) of an institution, a year or a
    group: its institution's admins, and the municipal admins (read only)."""
    roles = user_roles(user)
    if obj is None:
        return bool(roles.admin_of or roles.municipal_admin_of)
    institution = obj if hasattr(obj, "municipality_id") else obj.institution
    return (
        institution.pk in roles.admin_of or institution.municipality_id in roles.municipal_admin_of
    )


rules.add_perm("journal.view_structure", reads_structure)
