"""The journal API, part three: the diary of a student for a date range (at most 31 days),
for the student themself and their parents.

The diary page reads a week (``journal.diary``); the API takes any range up to a month, so it
has its own selector here, with the same rules: the lessons of every group the student is in
on the lesson's day (class, subgroups, electives, network groups at other institutions), the
homework due in the range, the marks and the attendance — four queries whatever the range.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from setka.core.api_errors import Id, errors_for
from setka.core.permissions import get_for_user_or_404
from setka.network.models import Person, today

from .api import invalid
from .models import Attendance, Bell, GroupMember, Homework, Lesson, Mark
from .schemas import RefOut

router = Router(tags=["journal"])

MAX_DAYS = 31


# --- schemas --------------------------------------------------------------------------------


class DiaryQuery(Schema):
    from_: dt.date | None = Field(
        None, alias="from", description="The first day; Monday of this week if not given."
    )
    to: dt.date | None = Field(None, description="The last day; 6 days after `from` if not given.")


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


# --- the selector ---------------------------------------------------------------------------


def _groups_of(student_id: int, start: dt.date, end: dt.date) -> QuerySet[Any, Any]:
    return (
        GroupMember.objects.filter(student_id=student_id, starts_on__lte=end)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start))
        .values("group_id")
    )


def _member_on(student_id: int, day_field: str) -> Exists:
    return Exists(
        GroupMember.objects.filter(
            student_id=student_id, group_id=OuterRef("group_id"), starts_on__lte=OuterRef(day_field)
        ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=OuterRef(day_field)))
    )


def _bell(name: str) -> Subquery:
    return Subquery(
        Bell.objects.filter(year_id=OuterRef("year_id"), number=OuterRef("number"))
        .order_by("shift")
        .values(name)[:1]
    )


def _name(surname: str | None, given: str | None, patronymic: str | None) -> str:
    initials = "".join(f"{p[0]}." for p in (given, patronymic) if p)
    return f"{surname or ''} {initials}".strip()


def _lessons(student_id: int, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    rows = (
        Lesson.objects.filter(
            group_id__in=_groups_of(student_id, start, end), date__gte=start, date__lte=end
        )
        .filter(_member_on(student_id, "date"))
        .annotate(starts_at=_bell("starts_at"), ends_at=_bell("ends_at"))
        .order_by("date", "number", "subject__order", "subject__name", "id")
        .values(
            "id",
            "date",
            "number",
            "room",
            "topic",
            "kind",
            "status",
            "moved_from",
            "starts_at",
            "ends_at",
            "subject_id",
            "subject__name",
            "group_id",
            "group__name",
            "institution_id",
            "institution__short_name",
            "teacher__surname",
            "teacher__given_name",
            "teacher__patronymic",
            "substitute__surname",
            "substitute__given_name",
            "substitute__patronymic",
        )
    )
    return [
        {
            "id": r["id"],
            "date": r["date"],
            "number": r["number"],
            "starts_at": r["starts_at"],
            "ends_at": r["ends_at"],
            "subject": {"id": r["subject_id"], "name": r["subject__name"]},
            "group": {"id": r["group_id"], "name": r["group__name"]},
            "institution": {"id": r["institution_id"], "name": r["institution__short_name"]},
            "room": r["room"],
            "teacher": _name(
                r["teacher__surname"], r["teacher__given_name"], r["teacher__patronymic"]
            ),
            "substitute": _name(
                r["substitute__surname"], r["substitute__given_name"], r["substitute__patronymic"]
            ),
            "topic": r["topic"],
            "kind": r["kind"],
            "is_cancelled": r["status"] == Lesson.Status.CANCELLED,
            "moved_from": r["moved_from"],
            "attendance": "",
            "marks": [],
            "homework_due": [],
        }
        for r in rows
    ]


def _homework(student_id: int, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """Homework due in the range, with its attachments joined in (a row per attachment)."""
    rows = (
        Homework.objects.filter(
            group_id__in=_groups_of(student_id, start, end), due_on__gte=start, due_on__lte=end
        )
        .filter(_member_on(student_id, "due_on"))
        .order_by(
            "due_on", "lesson__subject__order", "lesson__subject__name", "id", "attachments__id"
        )
        .values_list(
            "id",
            "lesson_id",
            "group_id",
            "lesson__subject_id",
            "lesson__subject__name",
            "due_on",
            "text",
            "links",
            "minutes",
            "attachments__id",
            "attachments__name",
        )
    )
    out: dict[int, dict[str, Any]] = {}
    for (
        hw_id,
        lesson_id,
        group_id,
        s_id,
        s_name,
        due_on,
        text,
        links,
        minutes,
        a_id,
        a_name,
    ) in rows:
        hw = out.get(hw_id)
        if hw is None:
            hw = out[hw_id] = {
                "id": hw_id,
                "lesson_id": lesson_id,
                "group_id": group_id,
                "subject": {"id": s_id, "name": s_name},
                "due_on": due_on,
                "text": text,
                "links": [line.strip() for line in links.splitlines() if line.strip()],
                "minutes": minutes,
                "attachments": [],
            }
        if a_id is not None:
            url = reverse("journal:attachment", args=[lesson_id, a_id])
            hw["attachments"].append({"name": a_name, "url": url})
    return list(out.values())


def diary_range(student_id: int, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """The days from ``start`` to ``end``: lessons with times, topics, marks, attendance and
    the homework due at them. Four queries."""
    days: dict[dt.date, dict[str, Any]] = {
        start + dt.timedelta(days=i): {
            "date": start + dt.timedelta(days=i),
            "lessons": [],
            "other_homework": [],
            "other_marks": [],
            "homework_minutes": 0,
        }
        for i in range((end - start).days + 1)
    }
    lessons: dict[int, dict[str, Any]] = {}
    for lesson in _lessons(student_id, start, end):
        lessons[lesson["id"]] = lesson
        days[lesson.pop("date")]["lessons"].append(lesson)
    for hw in _homework(student_id, start, end):
        day = days[hw["due_on"]]
        day["homework_minutes"] += hw["minutes"]
        target = next(
            (
                ls
                for ls in day["lessons"]
                if ls["group"]["id"] == hw["group_id"]
                and ls["subject"]["id"] == hw["subject"]["id"]
            ),
            None,
        )
        (target["homework_due"] if target else day["other_homework"]).append(hw)
    marks = (
        Mark.objects.filter(student_id=student_id, date__gte=start, date__lte=end, is_deleted=False)
        .order_by("date", "id")
        .values_list(
            "id",
            "lesson_id",
            "subject_id",
            "date",
            "value",
            "passed",
            "kind__name",
            "kind__short_name",
            "kind__weight",
            "comment",
        )
    )
    for m_id, lesson_id, s_id, date, value, passed, kind, short, weight, comment in marks:
        text = str(value) if value is not None else ("зач" if passed else "нз")
        mark = {
            "id": m_id,
            "lesson_id": lesson_id,
            "subject_id": s_id,
            "value": value,
            "passed": passed,
            "text": text,
            "kind": kind,
            "kind_short": short,
            "weight": float(weight),
            "comment": comment,
        }
        if lesson_id in lessons:
            lessons[lesson_id]["marks"].append(mark)
        else:
            days[date]["other_marks"].append(mark)
    for lesson_id, code in (
        Attendance.objects.filter(student_id=student_id, date__gte=start, date__lte=end)
        .exclude(code="")
        .values_list("lesson_id", "code")
    ):
        if lesson_id in lessons:
            lessons[lesson_id]["attendance"] = code
    return list(days.values())


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
    end = query.to or start + dt.timedelta(days=5)
    if end < start:
        raise invalid("to", _("The last day must not be before the first."), "bad_range")
    if (end - start).days >= MAX_DAYS:
        raise invalid(
            "to", _("Ask for at most %(n)s days at a time.") % {"n": MAX_DAYS}, "range_too_long"
        )
    return {
        "student": {"id": student.pk, "name": f"{student.surname} {student.given_name}"},
        "from": start,
        "to": end,
        "days": diary_range(student.pk, start, end),
    }
