"""``GET /api/v1/today``: «Сегодня» as data — the same parts as the home page's blocks, for
the same people (``journal.today``, ``network.today``): the teacher's day, the student's, each
child's for a parent, each administered institution's journal and people, and the
municipality's figures for its administrators and methodologists. A part the person has no
role for is null (or an empty list).

Assembled here, beside ``config/api.py``, because it gathers several domains' parts, as the
home page does. Reading it changes nothing: «new» is counted from the beginning of the
person's last visit of the home page (``accounts.visits``), or from ``since``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from setka.accounts.visits import bounded, since_last_visit
from setka.core.api_errors import errors_for
from setka.core.clock import localnow, now
from setka.journal.today import (
    children_day,
    institutions_journal,
    municipal_journal,
    student_day,
    teacher_day,
)
from setka.network.roles import user_roles
from setka.network.today import institutions_people, municipal_figures

router = Router(tags=["core"])


class TodayQuery(Schema):
    since: dt.datetime | None = Field(
        None,
        description="Count marks and absences entered after this moment as new (at most 31 "
        "days back); the beginning of the last visit of the home page if not given.",
    )


class TodayLessonOut(Schema):
    id: int
    date: dt.date
    number: int
    starts_at: dt.time | None
    ends_at: dt.time | None
    subject: str
    group: str
    group_id: int
    institution: str
    room: str
    topic: str
    has_homework: bool
    homework_late: bool
    marks: int
    absences: int = Field(description="Students marked absent (Н, Б, УП).")
    is_cancelled: bool
    teacher: str
    substitute: str
    covering: bool = Field(description="The person covers this lesson for its teacher.")
    missing: list[str] = Field(description="What the journal lacks: topic, homework, marks.")


class TodayNetworkStudentOut(Schema):
    name: str
    school: str


class TodayNetworkGroupOut(Schema):
    id: int
    name: str
    institution: str
    subjects: list[str]
    students: list[TodayNetworkStudentOut]


class TodayTeacherDayOut(Schema):
    date: dt.date
    lessons: list[TodayLessonOut] = Field(description="Today's lessons, by the clock.")
    substitutions: list[TodayLessonOut] = Field(description="Today's and tomorrow's, either way.")
    unfilled: list[TodayLessonOut] = Field(
        description="The past week's, without topic or homework."
    )
    groups: list[TodayNetworkGroupOut] = Field(description="The network groups the person teaches.")
    late_homework: int = Field(description="Homework of the past week entered late.")
    homework_pending: list[int] = Field(
        description="Today's begun lessons still without homework (ids)."
    )
    homework_late_after: dt.time | None


class TodayMarkOut(Schema):
    id: int
    student_id: int
    date: dt.date
    subject: str
    text: str
    kind: str
    entered: dt.datetime


class TodayStudentLessonOut(Schema):
    id: int
    number: int
    starts_at: dt.time | None
    ends_at: dt.time | None
    subject: str
    group: str
    group_kind: str
    institution: str
    room: str
    topic: str
    is_cancelled: bool
    attendance: str


class TodayHomeworkOut(Schema):
    id: int
    subject: str
    text: str
    minutes: int
    due_on: dt.date


class TodaySchoolDayOut(Schema):
    date: dt.date
    lessons: list[TodayStudentLessonOut]
    homework: list[TodayHomeworkOut]
    minutes: int


class TodayNetworkLessonOut(Schema):
    date: dt.date
    lesson: TodayStudentLessonOut


class TodayStudentDayOut(Schema):
    date: dt.date
    since: dt.datetime
    today: TodaySchoolDayOut
    next_day: TodaySchoolDayOut | None = Field(description="The next day with lessons.")
    new_marks: list[TodayMarkOut]
    network_lesson: TodayNetworkLessonOut | None

    @staticmethod
    def resolve_network_lesson(obj: Any) -> dict[str, Any] | None:
        if obj.network_lesson is None:
            return None
        return {"date": obj.network_lesson[0], "lesson": obj.network_lesson[1]}


class TodayAbsenceOut(Schema):
    student_id: int
    date: dt.date
    number: int
    subject: str
    code: str


class TodayAverageOut(Schema):
    subject: str
    average: Decimal | None
    count: int


class TodayChildDayOut(Schema):
    id: int
    name: str
    new_marks: list[TodayMarkOut]
    absences: list[TodayAbsenceOut]
    next_day: dt.date | None = Field(description="The next school day.")
    homework_minutes: int = Field(description="The homework due on the next school day.")
    homework_count: int
    averages: list[TodayAverageOut] = Field(description="Of the current period, by subject.")


class TodayCompletenessOut(Schema):
    held: int
    with_topic: int
    no_homework: int
    no_marks: int
    share: Decimal | None = Field(description="% of held lessons with a topic.")


class TodayAttendanceOut(Schema):
    students: int
    absent: int = Field(description="Absent the whole day.")
    late: int
    classes: int = Field(description="Classes with lessons today.")
    present_share: Decimal | None


class TodayClassRefOut(Schema):
    id: int
    name: str


class TodayInstitutionOut(Schema):
    id: int
    name: str
    year: str
    period: str
    attendance: TodayAttendanceOut | None
    completeness: TodayCompletenessOut
    without_timetable: list[TodayClassRefOut]
    needs_attention: bool
    invited: int | None = Field(None, description="Invited and not signed in yet.")
    without_account: int | None = Field(None, description="Employees without an account.")

    @staticmethod
    def resolve_without_timetable(obj: Any) -> list[dict[str, Any]]:
        rows = obj["without_timetable"] if isinstance(obj, dict) else obj.without_timetable
        return [{"id": pk, "name": name} for pk, name in rows]


class TodayActivityOut(Schema):
    marks: int
    topics: int
    homework: int


class TodayFiguresOut(Schema):
    institutions: int
    schools: int
    resource_centres: int
    teachers: int
    students: int
    people: int
    signed_in: int = Field(description="People who signed in during the last 7 days.")


class TodayMunicipalityOut(Schema):
    figures: TodayFiguresOut
    completeness: TodayCompletenessOut
    activity: TodayActivityOut = Field(description="The last 7 days.")
    attention: list[TodayInstitutionOut] = Field(description="Schools needing attention.")
    quiet: list[TodayClassRefOut] = Field(description="Schools with no marks in the last 7 days.")


class TodayOut(Schema):
    date: dt.date
    since: dt.datetime
    teacher: TodayTeacherDayOut | None
    student: TodayStudentDayOut | None
    children: list[TodayChildDayOut]
    institutions: list[TodayInstitutionOut]
    municipality: TodayMunicipalityOut | None


def _teacher(person_id: int) -> dict[str, Any]:
    day = teacher_day(person_id)
    return {
        **{k: getattr(day, k) for k in ("date", "lessons", "substitutions", "unfilled")},
        "groups": day.groups,
        "late_homework": day.late_homework,
        "homework_pending": [ls.id for ls in day.homework_pending],
        "homework_late_after": day.homework_late_after,
    }


def _institutions(ids) -> list[dict[str, Any]]:
    people = {p.id: p for p in institutions_people(ids)}
    return [
        {
            **{k: getattr(i, k) for k in ("id", "name", "year", "period", "attendance")},
            **{k: getattr(i, k) for k in ("completeness", "needs_attention")},
            "without_timetable": i.without_timetable,
            "invited": people[i.id].invited,
            "without_account": people[i.id].without_account,
        }
        for i in institutions_journal(ids)
    ]


@router.get(
    "/today",
    response={200: TodayOut, **errors_for(401, 422)},
    summary="«Сегодня»: the person's day",
    description=(
        "The parts of the home page for each role the person holds, as data: the teacher's "
        "lessons of today with what is filled, substitutions, unfilled lessons and network "
        "groups; the student's today and next school day, homework, new marks and next "
        "network-course lesson; for a parent, each child's new marks and absences, next day's "
        "homework load and the period's averages; the journal and people of each administered "
        "institution; the municipality's figures and schools needing attention. Other "
        "modules' parts (events, applications) are in their own endpoints."
    ),
)
def today_view(request: HttpRequest, query: Query[TodayQuery]) -> dict[str, Any]:
    roles = user_roles(request.user)
    moment = now()
    since = (
        bounded(query.since, moment)
        if query.since is not None
        else since_last_visit(request.user, record=False)
    )
    municipality = None
    if roles.is_registry_manager:
        ids = roles.municipal_admin_of | roles.methodologist_of
        journal = municipal_journal(ids)
        municipality = {
            "figures": municipal_figures(ids),
            "completeness": journal.completeness,
            "activity": journal.activity,
            "attention": journal.attention,
            "quiet": [{"id": s.id, "name": s.name} for s in journal.quiet],
        }
    person = roles.person_id
    return {
        "date": localnow().date(),
        "since": since,
        "teacher": _teacher(person) if roles.teacher_of and person is not None else None,
        "student": student_day(person, since) if roles.student_of and person is not None else None,
        "children": children_day(sorted(roles.children), since) if roles.children else [],
        "institutions": _institutions(roles.admin_of) if roles.admin_of else [],
        "municipality": municipality,
    }
