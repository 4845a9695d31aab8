"""Year marks («итоговые отметки») of a group × subject: the students × the year's periods with
each period mark, the weighted average of the year and the suggested year mark (the year's
rounding rule), and a select per student with which the teacher confirms or overrides the year
mark, saved without reloading through ``final_mark`` (JSON). The class teacher and the
administration read the page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from setka.network.models import Person

from ..access import journal_for_user
from ..errors import json_error
from ..marktext import mark_text
from ..models import Period, PeriodMark
from ..selectors import group_students
from ..services import records
from . import fmt_average
from .grid import (
    PERIOD_MARK_VALUES,
    _access_or_json_404,
    _post_int,
    parse_value,
    period_mark_answer,
    period_mark_choices,
)


@login_required
@require_GET
def final_marks(request: HttpRequest, group_id: int, subject_id: int) -> HttpResponse:
    ja = journal_for_user(request.user, group_id, subject_id)
    group, subject, year = ja.group, ja.subject, ja.group.year
    periods = list(Period.objects.filter(year_id=group.year_id).order_by("number"))
    students = group_students(group, year.starts_on, year.ends_on)
    marks: dict[tuple[int, int | None], tuple[str, bool]] = {}
    for student_id, period_id, value, passed, na, override in PeriodMark.objects.filter(
        group=group, subject_id=subject.pk
    ).values_list("student_id", "period_id", "value", "passed", "not_certified", "is_override"):
        marks[(student_id, period_id)] = (mark_text(value, passed, na), override)
    hints = records.suggestions(group, subject, None, year)
    rows = []
    for pid, name, left_on in students:
        hint = hints.get(pid)
        year_mark, override = marks.get((pid, None), ("", False))
        rows.append(
            {
                "id": pid,
                "name": name,
                "left_on": left_on,
                "periods": [marks.get((pid, p.pk), ("", False))[0] for p in periods],
                "average": fmt_average(hint.average) if hint else "",
                "count": hint.count if hint else 0,
                "suggested": hint.suggested if hint else None,
                "year_mark": year_mark,
                "current": PERIOD_MARK_VALUES.get(year_mark, year_mark),
                "override": override,
            }
        )
    context = {
        "group": group,
        "subject": subject,
        "year": year,
        "periods": periods,
        "rows": rows,
        "writes": ja.teaches,
        "pass_fail": subject.is_pass_fail,
        "choices": period_mark_choices(subject.is_pass_fail),
    }
    return render(request, "journal/final_marks/page.html", context)


@login_required
@require_POST
def final_mark(request: HttpRequest, group_id: int, subject_id: int) -> JsonResponse:
    """Confirm or override one year mark: ``student`` and ``value`` (1–5, ``pass``, ``fail`` or
    ``na``)."""
    ja = _access_or_json_404(request, group_id, subject_id)
    if isinstance(ja, JsonResponse):
        return ja
    student_id = _post_int(request, "student")
    student = Person.objects.filter(pk=student_id).first() if student_id else None
    if student is None:
        return json_error(_("The request is incomplete: reload the page and try again."))
    if not ja.teaches:
        return json_error(
            _("Only the teacher of the subject sets year marks; you can read them."),
            403,
            "forbidden",
        )
    data = parse_value(request.POST.get("value", ""))
    if data is None:
        return json_error(_("Choose a mark from the list."), 400, "bad_value")
    return period_mark_answer(request, ja, student, None, data)
