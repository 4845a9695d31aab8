"""The journal API: period and year marks with the suggestions (see ``api.common`` for the
rules of answers)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router

from setka.core.api_errors import Id, errors_for
from setka.network.models import Person

from ..access import journal_for_user
from ..marktext import mark_text
from ..models import Period, PeriodMark
from ..schemas import PeriodMarkIn, PeriodMarkSetOut, PeriodMarksOut, PeriodMarksQuery
from ..selectors import group_students
from ..services import records
from .common import api_fields, invalid, num, period_out, read_only, subject_out

router = Router(tags=["journal"])


def _period(group: Any, period_id: int | None) -> Period | None:
    if period_id is None:
        return None
    period = Period.objects.filter(pk=period_id, year_id=group.year_id).first()
    if period is None:
        raise invalid("period_id", _("This period is not in the year of the group."), "bad_period")
    return period


def _period_mark_out(obj: PeriodMark) -> dict[str, Any]:
    return {
        "value": obj.value,
        "passed": obj.passed,
        "not_certified": obj.not_certified,
        "text": mark_text(obj.value, obj.passed, obj.not_certified),
        "average": num(obj.average),
        "suggested": obj.suggested,
        "is_override": obj.is_override,
        "updated_at": obj.updated_at,
    }


@router.get(
    "/journal/groups/{group_id}/subjects/{subject_id}/period-marks",
    response={200: PeriodMarksOut, **errors_for(401, 404, 422)},
    summary="Period (or year) marks with the suggestions",
    description=(
        "For each student of the period (the year without `period_id`): the weighted average "
        "now, the number of marks, the suggested mark by the institution's rounding rule and "
        "minimum number of marks, and the mark set, if any. For the readers of the journal."
    ),
)
def period_marks(
    request: HttpRequest, group_id: Id, subject_id: Id, query: Query[PeriodMarksQuery]
) -> dict[str, Any]:
    ja = journal_for_user(request.user, group_id, subject_id)
    group, subject, year = ja.group, ja.subject, ja.group.year
    period = _period(group, query.period_id)
    start, end = (period.starts_on, period.ends_on) if period else (year.starts_on, year.ends_on)
    hints = records.suggestions(group, subject, period, year)
    set_marks = {
        pm.student_id: pm
        for pm in PeriodMark.objects.filter(group=group, subject_id=subject.pk, period=period)
    }
    rows = []
    for pid, name, left_on in group_students(group, start, end):
        hint = hints.get(pid)
        pm = set_marks.get(pid)
        rows.append(
            {
                "student_id": pid,
                "name": name,
                "left_on": left_on,
                "average": num(hint.average) if hint else None,
                "count": hint.count if hint else 0,
                "suggested": hint.suggested if hint else None,
                "mark": _period_mark_out(pm) if pm is not None else None,
            }
        )
    return {
        "group": {"id": group.pk, "name": group.name},
        "subject": subject_out(subject),
        "period": period_out(period) if period else None,
        "access": ja.access,
        "students": rows,
    }


@router.put(
    "/journal/groups/{group_id}/subjects/{subject_id}/period-marks",
    response={200: PeriodMarkSetOut, **errors_for(401, 403, 404, 422)},
    summary="Set a period (or year) mark",
    description=(
        "Confirm the suggestion or override it: `value` 1–5, `passed` for a pass / fail "
        "subject, or `not_certified` (н/а). Without `period_id` it is the year mark. For the "
        "teacher of the subject in the group; not in a closed period."
    ),
)
def period_mark_set(
    request: HttpRequest, group_id: Id, subject_id: Id, payload: PeriodMarkIn
) -> dict[str, Any]:
    ja = journal_for_user(request.user, group_id, subject_id)
    if not ja.writes:
        raise read_only()
    period = _period(ja.group, payload.period_id)
    student = Person.objects.filter(pk=payload.student_id).first()
    if student is None:
        raise invalid("student_id", _("This student is not in the group."), "not_in_group")
    with api_fields():
        obj = records.period_mark_set(
            actor=request.user,
            group=ja.group,
            subject=ja.subject,
            student=student,
            period=period,
            value=payload.value,
            passed=payload.passed,
            not_certified=payload.not_certified,
        )
    return {**_period_mark_out(obj), "student_id": student.pk, "period_id": obj.period_id}
