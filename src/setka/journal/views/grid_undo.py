"""The undo of a deletion in the grid (and on the lesson page): the marks a cell save or a
deletion removed moments ago are brought back (``services.deletion.mark_restore``). The grid
posts by fetch and gets the cell as JSON; the lesson page posts a form and is sent back."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..access import journal_for_user
from ..errors import error_text, json_error
from ..models import Attendance, Mark, MarkKind
from ..selectors import cell_text, student_summary
from ..services.deletion import mark_restore
from . import fmt_average


def _ids(request: HttpRequest) -> list[int]:
    out = []
    for raw in request.POST.getlist("mark"):
        try:
            out.append(int(raw))
        except ValueError:
            continue
    return [i for i in out if i > 0][:4]


def _cell(marks: list[Mark]) -> dict:
    """The cell of the first mark's lesson and student, as the grid's cell save answers."""
    first = marks[0]
    lesson = first.lesson
    current = list(
        Mark.objects.filter(lesson=lesson, student_id=first.student_id, is_deleted=False).order_by(
            "id"
        )
    )
    kinds = dict(
        MarkKind.objects.filter(pk__in={m.kind_id for m in current}).values_list("pk", "name")
    )
    code = (
        Attendance.objects.filter(lesson=lesson, student_id=first.student_id)
        .values_list("code", flat=True)
        .first()
        or ""
    )
    texts = [{"text": m.display, "kind": kinds.get(m.kind_id, "")} for m in current]
    summary = student_summary(lesson, first.student_id)
    return {
        "ok": True,
        "lesson": lesson.pk,
        "student": first.student_id,
        "text": cell_text(code, [m["text"] for m in texts]),
        "attendance": code,
        "marks": texts,
        "average": fmt_average(summary.average),
        "count": summary.count,
        "suggested": summary.suggested or "",
    }


@login_required
@require_POST
def marks_restore(request: HttpRequest, group_id: int, subject_id: int) -> HttpResponse:
    """Bring back ``mark`` (repeated) of this journal, deleted moments ago by the same person."""
    wants_json = request.headers.get("X-Requested-With") == "fetch"
    ja = journal_for_user(request.user, group_id, subject_id)
    marks = list(
        Mark.objects.select_related("lesson__period", "lesson__group__year", "lesson__subject")
        .filter(pk__in=_ids(request), group_id=ja.group.pk, subject_id=ja.subject.pk)
        .order_by("id")
    )
    if not marks:
        if wants_json:
            return json_error(_("There is nothing to bring back."), 404, "not_found")
        return redirect(_back(request))
    try:
        for mark in marks:
            mark_restore(actor=request.user, mark=mark)
    except PermissionDenied as exc:
        if wants_json:
            return json_error(str(exc) or _("You cannot change this journal."), 403, "forbidden")
        raise
    except ValidationError as exc:
        if wants_json:
            return json_error(error_text(exc), 400, "too_late")
        messages.error(request, error_text(exc))
        return redirect(_back(request))
    if wants_json:
        return JsonResponse(_cell(marks))
    messages.success(request, _("The mark is back."))
    return redirect(_back(request))


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/"
