"""Input and output schemas of the journal API (grid, marks, cells, attendance, homework,
lessons, period marks, the diary).

Inputs forbid unknown fields, trim strings, refuse NUL bytes and take numbers strictly (a
mark is the JSON number 5, not "5" or true), so that garbage is a clear 422 before it reaches
a service; the services still decide everything about the journal itself (the scale of the
subject, the group of the student, a closed period, the attendance codes)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import StrictBool, StrictInt, WithJsonSchema

from setka.core.api import InputSchema
from setka.core.api_errors import Day, Id, Text

from .models import Lesson, Mark


def _enum(title: str, values: list[str]) -> WithJsonSchema:
    return WithJsonSchema({"title": title, "type": "string", "enum": values})


MarkValue = Annotated[StrictInt, Field(ge=1, le=5, description="A mark from 1 to 5.")]
Comment = Annotated[Text, Field(max_length=500)]
Reason = Annotated[Text, Field(max_length=500)]
LessonKind = Annotated[Lesson.Kind, _enum("LessonKind", Lesson.Kind.values)]
LessonStatus = Annotated[Lesson.Status, _enum("LessonStatus", Lesson.Status.values)]
Access = Literal["write", "read"]


# --- shared outputs -------------------------------------------------------------------------


class RefOut(Schema):
    id: int
    name: str


class SubjectOut(Schema):
    id: int
    name: str
    short_name: str
    grading: Literal["marks", "pass_fail"] = Field(description="Marks 1–5, or pass / fail.")


class PeriodOut(Schema):
    id: int
    number: int
    name: str
    starts_on: dt.date
    ends_on: dt.date
    is_closed: bool = Field(description="A closed period locks its marks.")


class KindOut(Schema):
    id: int
    name: str
    short_name: str
    weight: float = Field(description="The weight of the kind in the weighted average.")
    is_control: bool


class MarkOut(Schema):
    id: int
    lesson_id: int
    student_id: int
    group_id: int
    subject_id: int
    date: dt.date
    value: int | None = Field(description="1–5; null for a pass / fail mark.")
    passed: bool | None = Field(description="Passed or not; null for a mark 1–5.")
    text: str = Field(description="As the journal shows it: 5, зач, нз.")
    kind: KindOut
    comment: str
    is_deleted: bool = Field(description="A deleted mark keeps its row and history.")
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_text(obj: Mark) -> str:
        return obj.display


class FieldChangeOut(Schema):
    field: str
    old: int | float | bool | str | None
    new: int | float | bool | str | None


class HistoryEntryOut(Schema):
    id: int
    at: dt.datetime
    action: str = Field(description="`create`, `update` or `delete`.")
    actor_id: int | None = Field(description="The user who made the change.")
    actor: str = Field(description="Their name.")
    changes: list[FieldChangeOut] = Field(description="Old → new; `kind` is a mark kind id.")
    reason: str


class WarningOut(Schema):
    code: str = Field(description="`daily_load`, `control_share` or `late`.")
    message: str


class AttachmentOut(Schema):
    id: int
    name: str
    size: int
    url: str


class HomeworkOut(Schema):
    id: int
    lesson_id: int
    text: str
    links: list[str]
    minutes: int = Field(description="The estimated time to do it.")
    due_on: dt.date
    is_late: bool = Field(description="Entered after the end of the school day.")
    attachments: list[AttachmentOut]


class LessonOut(Schema):
    id: int
    group: RefOut
    subject: SubjectOut
    period_id: int
    date: dt.date
    number: int
    room: str
    kind: LessonKind
    status: LessonStatus
    topic: str
    teacher: RefOut
    substitute: RefOut | None
    moved_from: dt.date | None
    homework: HomeworkOut | None
    access: Access = Field(description="Whether you may change this lesson's records.")


# --- the grid -------------------------------------------------------------------------------


class GridQuery(Schema):
    period_id: Id | None = Field(None, description="The current period if not given.")


class HomeworkBriefOut(Schema):
    text: str = Field(description="The first 200 characters of the task.")
    minutes: int
    due_on: dt.date
    is_late: bool


class GridLessonOut(Schema):
    id: int
    date: dt.date
    number: int
    kind: LessonKind
    status: LessonStatus
    topic: str
    writable: bool = Field(description="Whether you may enter marks and attendance for it.")
    homework: HomeworkBriefOut | None


class GridMarkOut(Schema):
    id: int
    value: int | None
    passed: bool | None
    kind: str = Field(description="The short name of the mark kind (see `kinds`).")


class GridCellOut(Schema):
    lesson_id: int
    attendance: str = Field(description="Н, Б, УП, ОП or empty.")
    marks: list[GridMarkOut]


class PeriodMarkValueOut(Schema):
    text: str = Field(description="5, зач, нз or н/а.")
    value: int | None
    passed: bool | None
    not_certified: bool


class GridStudentOut(Schema):
    id: int
    name: str
    left_on: dt.date | None = Field(description="The day the student left the group.")
    average: float | None = Field(description="The weighted average of the period.")
    count: int = Field(description="The number of marks 1–5 in the period.")
    suggested: int | None = Field(description="The suggested period mark, null if too few.")
    period_mark: PeriodMarkValueOut | None
    cells: list[GridCellOut] = Field(description="Only the cells that hold something.")


class GridKindOut(Schema):
    short_name: str
    name: str
    weight: float


class GridOut(Schema):
    group: RefOut
    subject: SubjectOut
    period: PeriodOut
    periods: list[PeriodOut] = Field(description="All the periods of the year.")
    access: Access
    kinds: list[GridKindOut] = Field(description="The mark kinds met in the grid.")
    lessons: list[GridLessonOut]
    students: list[GridStudentOut]


# --- writes ---------------------------------------------------------------------------------


class _CellRef(InputSchema):
    lesson_id: Id
    student_id: Id
    group_id: Id | None = Field(
        None, description="If given, the lesson must be in this group (a stale page is caught)."
    )
    subject_id: Id | None = Field(None, description="If given, the lesson must be of it.")


class MarkCreateIn(_CellRef):
    """``value`` for a subject with marks 1–5, ``passed`` for a pass / fail subject."""

    value: MarkValue | None = None
    passed: StrictBool | None = None
    kind_id: Id | None = Field(None, description="The default kind of the lesson if not given.")
    comment: Comment = ""


class MarksBatchIn(InputSchema):
    marks: list[MarkCreateIn] = Field(
        min_length=1,
        max_length=200,
        description="1–200 marks; all are stored, or none when any one is refused.",
    )


class MarksBatchOut(Schema):
    created: int
    marks: list[MarkOut]


class MarkPatchIn(InputSchema):
    value: MarkValue | None = None
    passed: StrictBool | None = None
    kind_id: Id | None = None
    comment: Comment | None = None
    reason: Reason = Field("", description="Why it is corrected (kept in the history).")


class MarkDeleteIn(InputSchema):
    reason: Reason = Field("", description="Why it is deleted: required.")


class MarkDeleteQuery(Schema):
    reason: Reason = Field("", description="The reason, when the request has no body.")


class CellIn(_CellRef):
    text: Annotated[Text, Field(max_length=40)] = Field(
        description="What is typed in the cell: “5 4”, “Н”, “ОП 5”, “зач”, or empty to clear."
    )


class CellOut(Schema):
    lesson_id: int
    student_id: int
    text: str = Field(description="The cell as the journal shows it now.")
    attendance: str
    marks: list[MarkOut]
    average: float | None = Field(description="The student's weighted average of the period.")
    count: int
    suggested: int | None


class AttendanceIn(_CellRef):
    code: Annotated[Text, Field(max_length=8)] = Field(
        description=(
            "Н (absent), Б (ill), УП (excused), ОП (late), or empty to clear; the short forms "
            "the journal's keyboard entry takes (н, у, о, and h, n, b, u, o) also work."
        )
    )
    comment: Annotated[Text, Field(max_length=300)] = ""


class AttendanceOut(Schema):
    lesson_id: int
    student_id: int
    code: str
    comment: str
    updated_at: dt.datetime


class HomeworkIn(InputSchema):
    text: Annotated[Text, Field(max_length=5000)] = Field(
        description="The task; empty removes the homework."
    )
    links: list[Annotated[Text, Field(max_length=500)]] = Field(
        default_factory=list, max_length=10, description="http(s) addresses, at most ten."
    )
    minutes: Annotated[StrictInt, Field(ge=1, le=240)] = 20
    due_on: Day | None = Field(
        None, description="The next lesson of the subject if not given; within the year."
    )


class HomeworkSetOut(Schema):
    homework: HomeworkOut | None = Field(description="Null when the homework was removed.")
    warnings: list[WarningOut] = Field(description="Saved anyway; show them to the teacher.")


class LessonPatchIn(InputSchema):
    topic: Annotated[Text, Field(max_length=500)] | None = None
    kind: LessonKind | None = None


# --- period marks ---------------------------------------------------------------------------


class PeriodMarksQuery(Schema):
    period_id: Id | None = Field(None, description="The year marks if not given.")


class PeriodMarkOut(Schema):
    value: int | None
    passed: bool | None
    not_certified: bool = Field(description="н/а: not certified.")
    text: str
    average: float | None = Field(description="The average when the mark was set.")
    suggested: int | None = Field(description="The suggestion when the mark was set.")
    is_override: bool = Field(description="Differs from the suggestion.")
    updated_at: dt.datetime


class PeriodMarkRowOut(Schema):
    student_id: int
    name: str
    left_on: dt.date | None
    average: float | None = Field(description="The weighted average now.")
    count: int
    suggested: int | None = Field(description="The suggested mark now; null if too few marks.")
    mark: PeriodMarkOut | None


class PeriodMarksOut(Schema):
    group: RefOut
    subject: SubjectOut
    period: PeriodOut | None = Field(description="Null for the year marks.")
    access: Access
    students: list[PeriodMarkRowOut]


class PeriodMarkIn(InputSchema):
    """One of ``value`` (1–5), ``passed`` (pass / fail subjects) or ``not_certified``."""

    student_id: Id
    period_id: Id | None = Field(None, description="Null or absent: the year mark.")
    value: MarkValue | None = None
    passed: StrictBool | None = None
    not_certified: StrictBool = False


class PeriodMarkSetOut(PeriodMarkOut):
    student_id: int
    period_id: int | None
