"""The journal API: the diary of a student for a date range (at most 31 days),
for the student themself and their parents.

The days are read by the diary page's selector (:func:`setka.journal.diary.diary_days`, four
queries whatever the range); the schemas here give its objects the API's shape.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from setka.core.api_errors import Day, Id, errors_for
from setka.core.clock import today
from setka.core.permissions import get_for_user_or_404
from setka.network.models import Person

from ..diary import DiaryHomework, DiaryLesson, diary_days
from ..schemas import RefOut
from .common import day_range

router = Router(tags=["journal"])


# --- schemas --------------------------------------------------------------------------------


class DiaryQuery(Schema):
    from_: Day | None = Field(
        None, alias="from", description="The first day; Monday of this week if not given."
    )
    to: Day | None = Field(None, description="The last day; 6 days after `from` if not given.")


class DiaryMarkOut(Schema):
    id: int
    lesson_id: int
    subject_id: int
    value: int | None
    passed: bool | None
    text: str
    kind: str
    kind_short: str
    weight: float
    comment: str


class DiaryAttachmentOut(Schema):
    name: str
    url: str


class DiaryHomeworkOut(Schema):
    id: int
    lesson_id: int = Field(description="The lesson it was given at.")
    subject: RefOut
    due_on: dt.date
    text: str
    links: list[str]
    minutes: int
    attachments: list[DiaryAttachmentOut]

    @staticmethod
    def resolve_subject(obj: DiaryHomework) -> dict[str, Any]:
        return {"id": obj.subject_id, "name": obj.subject}


class DiaryLessonOut(Schema):
    id: int
    number: int
    starts_at: dt.time | None = Field(description="From the bell schedule.")
    ends_at: dt.time | None
    subject: RefOut
    group: RefOut
    institution: RefOut = Field(description="Where the lesson is held.")
    room: str
    teacher: str
    substitute: str = Field(description="The substitute teacher, if any.")
    topic: str
    kind: str = Field(description="`regular`, `control` or `practical`.")
    is_cancelled: bool
    moved_from: dt.date | None
    attendance: str = Field(description="Н, Б, УП, ОП or empty.")
    marks: list[DiaryMarkOut]
    homework_due: list[DiaryHomeworkOut] = Field(description="Homework due at this lesson.")
    open_event_id: int | None = Field(
        None, description="An open lesson of the municipal calendar: the event (`/events/{id}`)."
    )

    @staticmethod
    def resolve_subject(obj: DiaryLesson) -> dict[str, Any]:
        return {"id": obj.subject_id, "name": obj.subject}

    @staticmethod
    def resolve_group(obj: DiaryLesson) -> dict[str, Any]:
        return {"id": obj.group_id, "name": obj.group}

    @staticmethod
    def resolve_institution(obj: DiaryLesson) -> dict[str, Any]:
        return {"id": obj.institution_id, "name": obj.institution}

    @staticmethod
    def resolve_homework_due(obj: DiaryLesson) -> list[DiaryHomework]:
        return obj.homework


class DiaryDayOut(Schema):
    date: dt.date
    lessons: list[DiaryLessonOut]
    other_homework: list[DiaryHomeworkOut] = Field(
        description="Homework due that day with no lesson of its subject that day."
    )
    other_marks: list[DiaryMarkOut] = Field(description="Marks of lessons not listed above.")
    homework_minutes: int = Field(description="The estimated time of the homework due.")


class DiaryOut(Schema):
    student: RefOut
    from_: dt.date = Field(alias="from")
    to: dt.date
    days: list[DiaryDayOut]


# --- the endpoint ---------------------------------------------------------------------------


@router.get(
    "/journal/students/{person_id}/diary",
    response={200: DiaryOut, **errors_for(401, 404, 422)},
    by_alias=True,
    summary="The diary of a student",
    description=(
        "The days from `from` to `to` (at most 31 days; this week by default): the lessons of "
        "all the student's groups with times, subjects, teachers, topics, the homework due, "
        "marks with kinds and weights, and attendance. For the student themself and their "
        "parents."
    ),
)
def diary(request: HttpRequest, person_id: Id, query: Query[DiaryQuery]) -> dict[str, Any]:
    student = get_for_user_or_404(
        request.user,
        "journal.view_diary",
        Person.objects.only("id", "surname", "given_name", "patronymic"),
        pk=person_id,
    )
    start = query.from_ or today() - dt.timedelta(days=today().weekday())
    start, end = day_range(start, query.to or start + dt.timedelta(days=5))
    return {
        "student": {"id": student.pk, "name": f"{student.surname} {student.given_name}"},
        "from": start,
        "to": end,
        "days": diary_days(student.pk, start, end),
    }
