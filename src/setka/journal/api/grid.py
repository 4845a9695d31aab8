"""The journal API: the grid of a group × subject × period (see ``api.common`` for the rules
of answers)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router

from setka.core.api_errors import Id, errors_for

from ..access import JournalAccess, journal_for_user
from ..models import Period
from ..periods import choose_period
from ..schemas import GridOut, GridQuery
from ..selectors import Grid, journal_grid
from .common import invalid, mark_parts, num, period_mark_value, period_out, subject_out

router = Router(tags=["journal"])


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
    ja = journal_for_user(request.user, group_id, subject_id)
    periods = list(Period.objects.filter(year_id=ja.group.year_id).order_by("number"))
    if query.period_id is not None and query.period_id not in {p.pk for p in periods}:
        raise invalid("period_id", _("This period is not in the year of the group."), "bad_period")
    period = choose_period(periods, str(query.period_id or ""))
    return _grid_out(journal_grid(ja.group, ja.subject, period), ja, periods)
