"""The grid on a phone: one lesson at a time, the students as a list, big buttons for the
marks and the attendance. Every tap saves the student's cell through the grid's own endpoint
(``journal:cell``, ``records.cell_save``): the same checks, the same deletion rule and undo."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from setka.core.clock import today

from ..access import journal_for_user
from ..models import Attendance, Lesson, Mark
from ..selectors import cell_text, group_students


def _lesson(lessons: list[Lesson], raw: str | None) -> Lesson | None:
    if raw:
        try:
            wanted = int(raw)
        except ValueError as exc:
            raise Http404 from exc
        found = next((ls for ls in lessons if ls.pk == wanted), None)
        if found is None:
            raise Http404
        return found
    day = today()
    held = [ls for ls in lessons if ls.date <= day and not ls.is_cancelled]
    return held[-1] if held else (lessons[0] if lessons else None)


@login_required
def phone_entry(request: HttpRequest, group_id: int, subject_id: int) -> HttpResponse:
    ja = journal_for_user(request.user, group_id, subject_id)
    lessons = list(
        Lesson.objects.filter(group_id=ja.group.pk, subject_id=ja.subject.pk)
        .select_related("period")
        .order_by("date", "number")
    )
    lesson = _lesson(lessons, request.GET.get("lesson"))
    context: dict[str, Any] = {
        "group": ja.group,
        "subject": ja.subject,
        "lesson": lesson,
        "students": [],
    }
    if lesson is not None:
        index = lessons.index(lesson)
        marks: dict[int, list[str]] = {}
        for student_id, value, passed in (
            Mark.objects.filter(lesson=lesson, is_deleted=False)
            .order_by("id")
            .values_list("student_id", "value", "passed")
        ):
            text = str(value) if value is not None else ("зач" if passed else "нз")
            marks.setdefault(student_id, []).append(text)
        codes = dict(
            Attendance.objects.filter(lesson=lesson)
            .exclude(code="")
            .values_list("student_id", "code")
        )
        writes = ja.can_write(lesson) and not lesson.period.is_closed and not lesson.is_cancelled
        context.update(
            {
                "previous": lessons[index - 1] if index > 0 else None,
                "next": lessons[index + 1] if index + 1 < len(lessons) else None,
                "writes": writes and lesson.date <= today(),
                "pass_fail": ja.subject.is_pass_fail,
                "students": [
                    {
                        "id": pid,
                        "name": name,
                        "text": cell_text(codes.get(pid, ""), marks.get(pid, [])),
                        "left": left is not None,
                    }
                    for pid, name, left in group_students(ja.group, lesson.date, lesson.date)
                ],
            }
        )
    return render(request, "journal/grid/phone.html", context)
