"""The journal API: a grid cell and the attendance of a student at a lesson (see
``api.common`` for the rules of answers). The grid page saves its cells through the same
reads and services (``views.grid.cell``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from setka.core.api_errors import errors_for

from ..schemas import AttendanceIn, AttendanceOut, CellIn, CellOut
from ..selectors import cell_text, student_summary
from ..services import records
from .common import api_fields, lesson_for_write, num, with_kinds

router = Router(tags=["journal"])


@router.put(
    "/journal/cells",
    response={200: CellOut, **errors_for(401, 403, 422)},
    summary="Save a grid cell",
    description=(
        "Makes the cell of a student at a lesson hold exactly what is typed: marks (`5 4`), "
        "an attendance code (`Н`), both (`ОП 5`), `зач` / `нз` for pass / fail subjects, or "
        "nothing. Unchanged marks stay, changed ones are corrected, removed ones are deleted "
        "with their history kept. Answers the cell and the student's average after the save."
    ),
)
def cell_save(request: HttpRequest, payload: CellIn) -> Any:
    lesson, student, grant = lesson_for_write(request, payload)
    with api_fields():
        result = records.cell_save(
            actor=request.user, lesson=lesson, student=student, text=payload.text, grant=grant
        )
    marks = with_kinds(result.marks)
    summary = student_summary(lesson, student.pk)
    return {
        "lesson_id": lesson.pk,
        "student_id": student.pk,
        "text": cell_text(result.attendance, [m.display for m in marks]),
        "attendance": result.attendance,
        "marks": marks,
        "average": num(summary.average),
        "count": summary.count,
        "suggested": summary.suggested,
    }


@router.put(
    "/journal/attendance",
    response={200: AttendanceOut, **errors_for(401, 403, 422)},
    summary="Set the attendance of a student at a lesson",
    description=(
        "`Н` (absent), `Б` (ill), `УП` (absent for a good reason), `ОП` (late), or empty to "
        "clear it (the change stays in the history)."
    ),
)
def attendance_set(request: HttpRequest, payload: AttendanceIn) -> Any:
    lesson, student, grant = lesson_for_write(request, payload)
    with api_fields():
        row = records.attendance_set(
            actor=request.user,
            lesson=lesson,
            student=student,
            code=payload.code,
            comment=payload.comment,
            grant=grant,
        )
    return {
        "lesson_id": lesson.pk,
        "student_id": student.pk,
        "code": row.code,
        "comment": row.comment,
        "updated_at": row.updated_at,
    }
