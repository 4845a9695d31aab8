"""The journal API of the day: what a client that has only the API needs to find its way in
(issue 8) — the groups and subjects a teacher teaches, the lessons of a date range (of a
teacher, a group or a student), the weekly timetable of a class and of a teacher, and the
structure of an institution's school year.

The same permissions as the pages (``journal.rules``): a teacher reads their own teaching,
lessons and timetable, an institution's administrators those of their institution, the
municipal administrators those of the municipality; a group's lessons and timetable are for
those who read its journal (its class teacher, the administrators) and, for the subjects
they teach, its teachers; a student's lessons for the student and their parents (the
diary's rule); the year's structure for those who read it on the structure pages. Anything
else is a 404, like a missing object. Each list is one query (two for the structure's
parts), whatever its length; ranges are capped at :data:`.api.common.MAX_DAYS`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from setka.core.api_errors import Day, Id, errors_for
from setka.core.clock import today
from setka.network.models import Institution, Membership, Person
from setka.network.roles import user_roles

from . import rules
from .api.common import day_range, invalid
from .models import (
    AcademicYear,
    Bell,
    GroupMember,
    Lesson,
    Period,
    StudyGroup,
    Subject,
    TeachingAssignment,
    TimetableEntry,
)

router = Router(tags=["journal"])


# --- schemas --------------------------------------------------------------------------------


class DayRefOut(Schema):
    id: int
    name: str


class DayGroupOut(Schema):
    id: int
    name: str
    kind: str = Field(description="`class`, `subgroup`, `elective` or `network`.")
    grade: int | None
    institution: DayRefOut


class DayTeachingOut(Schema):
    group: DayGroupOut
    subject: DayRefOut
    hours_per_week: float
    starts_on: dt.date
    ends_on: dt.date | None


class DayLessonOut(Schema):
    id: int
    date: dt.date
    number: int
    starts_at: dt.time | None = Field(description="From the bell schedule of the group's shift.")
    ends_at: dt.time | None
    group: DayRefOut
    subject: DayRefOut
    institution: DayRefOut
    teacher: DayRefOut
    substitute: DayRefOut | None
    room: str
    topic: str
    kind: str = Field(description="`regular`, `control` or `practical`.")
    is_cancelled: bool
    moved_from: dt.date | None


class DayLessonsOut(Schema):
    from_: dt.date = Field(alias="from")
    to: dt.date
    items: list[DayLessonOut]


class DayLessonsQuery(Schema):
    from_: Day | None = Field(None, alias="from", description="The first day; today if not given.")
    to: Day | None = Field(None, description="The last day; 6 days after `from` if not given.")
    teacher_id: Id | None = Field(None, description="The lessons this person teaches or covers.")
    group_id: Id | None = Field(None, description="The lessons of this group.")
    student_id: Id | None = Field(None, description="The lessons of this student's groups.")


class DayTimetableQuery(Schema):
    on: Day | None = Field(None, description="The timetable valid on this day; today if not given.")


class DayTimetableEntryOut(Schema):
    id: int
    weekday: int = Field(description="1 (Monday) to 6 (Saturday).")
    number: int
    starts_at: dt.time | None
    ends_at: dt.time | None
    group: DayRefOut
    subject: DayRefOut
    teacher: DayRefOut
    institution: DayRefOut
    room: str
    valid_from: dt.date
    valid_to: dt.date | None


class DayTimetableOut(Schema):
    on: dt.date
    items: list[DayTimetableEntryOut]


class DayPeriodOut(Schema):
    id: int
    number: int
    name: str
    starts_on: dt.date
    ends_on: dt.date
    is_closed: bool


class DayYearOut(Schema):
    id: int
    name: str
    starts_on: dt.date
    ends_on: dt.date
    period_scheme: str


class DayStructureGroupOut(Schema):
    id: int
    name: str
    kind: str
    grade: int | None
    letter: str
    parent_id: int | None
    shift: int
    class_teacher: DayRefOut | None


class DayStructureSubjectOut(Schema):
    id: int
    name: str
    short_name: str
    grading: str


class DayStructureOut(Schema):
    institution: DayRefOut
    years: list[DayYearOut] = Field(
        description="Every school year of the institution, latest first."
    )
    year: DayYearOut | None = Field(description="The year asked for (`year_id`), else the current.")
    periods: list[DayPeriodOut]
    groups: list[DayStructureGroupOut]
    subjects: list[DayStructureSubjectOut] = Field(description="The subjects taught in the year.")


class DayStructureQuery(Schema):
    year_id: Id | None = Field(
        None, description="A year of the institution; the current one if not given."
    )


# --- helpers ---------------------------------------------------------------------------------


def _range(first: dt.date | None, last: dt.date | None) -> tuple[dt.date, dt.date]:
    start = first or today()
    return day_range(start, last or start + dt.timedelta(days=6))


def _name(surname: str | None, given: str | None) -> str:
    return f"{surname or ''} {given or ''}".strip()


def _readable_institutions(user, person_id: int) -> Q | None:
    """Which of a teacher's rows the user may read: all of them (the teacher), those of the
    institutions they administer or of their municipalities; None when none (then 404)."""
    roles = user_roles(user)
    if roles.person_id == person_id:
        return Q()
    if not (roles.admin_of or roles.municipal_admin_of):
        return None
    scope = Q(institution_id__in=roles.admin_of) | Q(
        institution__municipality_id__in=roles.municipal_admin_of
    )
    employed = Membership.objects.active().filter(person_id=person_id).filter(scope)
    return scope if employed.exists() else None


def _group_scope(user, group_id: int) -> tuple[StudyGroup, Q]:
    """The group and which of its rows the user reads: all (its journal's readers) or the
    subjects they teach in it; 404 otherwise."""
    group = StudyGroup.objects.select_related("institution", "parent").filter(pk=group_id).first()
    if group is None:
        raise Http404
    if rules.group_journal_access(user, group, None) is not None:
        return group, Q()
    taught = list(
        rules.teaching_assignments(user_roles(user).person_id)
        .filter(group_id=group.pk)
        .values_list("subject_id", flat=True)
    )
    if not taught:
        raise Http404
    return group, Q(subject_id__in=taught)


def _bell(column: str, year: str) -> Subquery:
    """The bell of a row's number for its group's shift in ``year`` (the row's path to it)."""
    return Subquery(
        Bell.objects.filter(
            year_id=OuterRef(year), shift=OuterRef("group__shift"), number=OuterRef("number")
        ).values(column)[:1]
    )


def _lessons(queryset: QuerySet[Lesson]) -> list[dict[str, Any]]:
    rows = (
        queryset.annotate(
            starts=_bell("starts_at", "year_id"), ends=_bell("ends_at", "year_id")
        )
        .order_by("date", "starts", "number", "pk")
        .values(
            "pk", "date", "number", "starts", "ends", "group_id", "group__name", "subject_id",
            "subject__name", "institution_id", "institution__short_name", "teacher_id",
            "teacher__surname", "teacher__given_name", "substitute_id", "substitute__surname",
            "substitute__given_name", "room", "topic", "kind", "status", "moved_from",
        )
    )  # fmt: skip
    return [
        {
            "id": r["pk"],
            "date": r["date"],
            "number": r["number"],
            "starts_at": r["starts"],
            "ends_at": r["ends"],
            "group": {"id": r["group_id"], "name": r["group__name"]},
            "subject": {"id": r["subject_id"], "name": r["subject__name"]},
            "institution": {"id": r["institution_id"], "name": r["institution__short_name"]},
            "teacher": {
                "id": r["teacher_id"],
                "name": _name(r["teacher__surname"], r["teacher__given_name"]),
            },
            "substitute": {
                "id": r["substitute_id"],
                "name": _name(r["substitute__surname"], r["substitute__given_name"]),
            }
            if r["substitute_id"]
            else None,
            "room": r["room"],
            "topic": r["topic"],
            "kind": r["kind"],
            "is_cancelled": r["status"] == Lesson.Status.CANCELLED,
            "moved_from": r["moved_from"],
        }
        for r in rows
    ]


def _entries(queryset: QuerySet[TimetableEntry], on: dt.date) -> list[dict[str, Any]]:
    rows = (
        queryset.filter(valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .annotate(
            starts=_bell("starts_at", "group__year_id"), ends=_bell("ends_at", "group__year_id")
        )
        .order_by("weekday", "starts", "number", "group__name", "pk")
        .values(
            "pk", "weekday", "number", "starts", "ends", "group_id", "group__name", "subject_id",
            "subject__name", "teacher_id", "teacher__surname", "teacher__given_name",
            "institution_id", "institution__short_name", "room", "valid_from", "valid_to",
        )
    )  # fmt: skip
    return [
        {
            "id": r["pk"],
            "weekday": r["weekday"],
            "number": r["number"],
            "starts_at": r["starts"],
            "ends_at": r["ends"],
            "group": {"id": r["group_id"], "name": r["group__name"]},
            "subject": {"id": r["subject_id"], "name": r["subject__name"]},
            "teacher": {
                "id": r["teacher_id"],
                "name": _name(r["teacher__surname"], r["teacher__given_name"]),
            },
            "institution": {"id": r["institution_id"], "name": r["institution__short_name"]},
            "room": r["room"],
            "valid_from": r["valid_from"],
            "valid_to": r["valid_to"],
        }
        for r in rows
    ]


# --- endpoints --------------------------------------------------------------------------------


@router.get(
    "/journal/teachers/{person_id}/teaching",
    response={200: list[DayTeachingOut], **errors_for(401, 404, 422)},
    summary="The groups and subjects a teacher teaches",
    description=(
        "The teacher's teaching assignments active today: the group (with its institution) and "
        "the subject. For the teacher themself, and for the administrators of their "
        "institutions (those institutions' assignments) and the municipal administrators."
    ),
)
def teaching(request: HttpRequest, person_id: Id) -> list[dict[str, Any]]:
    scope = _readable_institutions(request.user, person_id)
    if scope is None:
        raise Http404
    rows = (
        TeachingAssignment.objects.active(today())
        .filter(teacher_id=person_id)
        .filter(scope)
        .order_by("group__grade", "group__letter", "group__name", "subject__order", "subject__name")
        .values_list(
            "group_id", "group__name", "group__kind", "group__grade", "institution_id",
            "institution__short_name", "subject_id", "subject__name", "hours_per_week",
            "starts_on", "ends_on",
        )
    )  # fmt: skip
    return [
        {
            "group": {
                "id": g,
                "name": name,
                "kind": kind,
                "grade": grade,
                "institution": {"id": i, "name": i_name},
            },
            "subject": {"id": s, "name": s_name},
            "hours_per_week": float(hours),
            "starts_on": starts_on,
            "ends_on": ends_on,
        }
        for g, name, kind, grade, i, i_name, s, s_name, hours, starts_on, ends_on in rows
    ]


@router.get(
    "/journal/lessons",
    response={200: DayLessonsOut, **errors_for(401, 404, 422)},
    by_alias=True,
    summary="Lessons of a date range",
    description=(
        "The lessons from `from` to `to` (at most 31 days; a week from today by default) of one "
        "teacher (`teacher_id`: those they teach or cover), one group (`group_id`) or one "
        "student (`student_id`: every group they are a member of on the day) — exactly one of "
        "them. By the clock, with the bell times. The same readers as the pages: the teacher, "
        "the group journal's readers (and its teachers, for their subjects), the student and "
        "their parents."
    ),
)
def lessons(request: HttpRequest, query: Query[DayLessonsQuery]) -> dict[str, Any]:
    chosen = [n for n in ("teacher_id", "group_id", "student_id") if getattr(query, n) is not None]
    if len(chosen) != 1:
        raise invalid(
            "teacher_id",
            _("Give exactly one of teacher_id, group_id and student_id."),
            "one_of",
        )
    start, end = _range(query.from_, query.to)
    found = Lesson.objects.filter(date__gte=start, date__lte=end)
    if query.teacher_id is not None:
        scope = _readable_institutions(request.user, query.teacher_id)
        if scope is None:
            raise Http404
        found = found.filter(Q(teacher_id=query.teacher_id) | Q(substitute_id=query.teacher_id))
        found = found.filter(scope)
    elif query.group_id is not None:
        group, scope = _group_scope(request.user, query.group_id)
        found = found.filter(Q(group_id=group.pk) | Q(group__parent_id=group.pk)).filter(scope)
    else:
        student = Person.objects.filter(pk=int(query.student_id or 0)).first()
        if student is None or not request.user.has_perm("journal.view_diary", student):
            raise Http404
        member = GroupMember.objects.filter(
            student_id=student.pk, group_id=OuterRef("group_id"), starts_on__lte=OuterRef("date")
        ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=OuterRef("date")))
        found = found.filter(Exists(member))
    return {"from": start, "to": end, "items": _lessons(found)}


@router.get(
    "/journal/groups/{group_id}/timetable",
    response={200: DayTimetableOut, **errors_for(401, 404, 422)},
    summary="The weekly timetable of a class or group",
    description=(
        "The timetable lines valid on `on` (today by default) of the group and its subgroups, by "
        "day and bell. For the readers of the group's journal (its class teacher, the "
        "administrators) and, for the subjects they teach in it, its teachers."
    ),
)
def group_timetable(
    request: HttpRequest, group_id: Id, query: Query[DayTimetableQuery]
) -> dict[str, Any]:
    group, scope = _group_scope(request.user, group_id)
    on = query.on or today()
    found = TimetableEntry.objects.filter(Q(group_id=group.pk) | Q(group__parent_id=group.pk))
    return {"on": on, "items": _entries(found.filter(scope), on)}


@router.get(
    "/journal/teachers/{person_id}/timetable",
    response={200: DayTimetableOut, **errors_for(401, 404, 422)},
    summary="The weekly timetable of a teacher",
    description=(
        "The timetable lines valid on `on` (today by default) that name the teacher, by day and "
        "bell. For the teacher themself, the administrators of their institutions (those "
        "institutions' lines) and the municipal administrators."
    ),
)
def teacher_timetable(
    request: HttpRequest, person_id: Id, query: Query[DayTimetableQuery]
) -> dict[str, Any]:
    scope = _readable_institutions(request.user, person_id)
    if scope is None:
        raise Http404
    on = query.on or today()
    found = TimetableEntry.objects.filter(teacher_id=person_id).filter(scope)
    return {"on": on, "items": _entries(found, on)}


def _chosen_year(years: list[AcademicYear], year_id: int | None) -> AcademicYear | None:
    if year_id is not None:
        found = next((y for y in years if y.pk == year_id), None)
        if found is None:
            raise invalid("year_id", _("No such school year at this institution."), "bad_year")
        return found
    day = today()
    current = [y for y in years if y.contains(day)]
    begun = [y for y in years if y.starts_on <= day]
    candidates = current or begun or years
    return candidates[0] if candidates else None


@router.get(
    "/journal/institutions/{institution_id}/structure",
    response={200: DayStructureOut, **errors_for(401, 404, 422)},
    summary="The structure of a school year",
    description=(
        "An institution's school years and, for one of them (`year_id`; the current year by "
        "default), its periods, classes and groups (with subgroups' `parent_id` and class "
        "teachers) and the subjects taught. For those who read the structure pages: the "
        "institution's administrators and the municipal administrators."
    ),
)
def structure(
    request: HttpRequest, institution_id: Id, query: Query[DayStructureQuery]
) -> dict[str, Any]:
    institution = Institution.objects.filter(pk=institution_id).first()
    if institution is None or not request.user.has_perm("journal.view_structure", institution):
        raise Http404
    years = list(AcademicYear.objects.filter(institution=institution).order_by("-starts_on"))
    year = _chosen_year(years, query.year_id)
    periods: list[Period] = []
    groups: list[StudyGroup] = []
    subjects: list[Subject] = []
    if year is not None:
        periods = list(Period.objects.filter(year=year).order_by("number"))
        groups = list(
            StudyGroup.objects.filter(year=year)
            .select_related("class_teacher")
            .order_by("grade", "letter", "name")
        )
        subjects = list(
            Subject.objects.filter(assignments__group__year=year)
            .distinct()
            .order_by("order", "name")
        )
    return {
        "institution": {"id": institution.pk, "name": institution.short_name},
        "years": years,
        "year": year,
        "periods": periods,
        "groups": [
            {
                "id": g.pk,
                "name": g.name,
                "kind": g.kind,
                "grade": g.grade,
                "letter": g.letter,
                "parent_id": g.parent_id,
                "shift": g.shift,
                "class_teacher": {
                    "id": g.class_teacher.pk,
                    "name": _name(g.class_teacher.surname, g.class_teacher.given_name),
                }
                if g.class_teacher
                else None,
            }
            for g in groups
        ],
        "subjects": subjects,
    }
