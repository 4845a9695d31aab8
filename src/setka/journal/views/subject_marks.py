"""Every mark of one subject in a period, for a student and their parents (the diary's own
access: a parent only of their child): date, kind, weight, the lesson's topic, and a trend —
the running weighted average — drawn as plain SVG (no script)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from setka.core import clock

from ..averages import weighted_average
from ..models import Mark, Period, Subject
from .diary import _access, _url

WIDTH, HEIGHT, PAD = 560, 160, 24


@dataclass
class Row:
    mark: Mark
    running: Decimal | None


def _trend(rows: list[Row]) -> dict | None:
    """The running average as SVG points on a 1–5 scale (x by the mark's order)."""
    points = [r.running for r in rows if r.running is not None]
    if len(points) < 2:
        return None
    step = (WIDTH - 2 * PAD) / (len(points) - 1)

    def y(value: Decimal) -> float:
        return round(HEIGHT - PAD - (float(value) - 1) * (HEIGHT - 2 * PAD) / 4, 1)

    coords = [(round(PAD + i * step, 1), y(v)) for i, v in enumerate(points)]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "points": " ".join(f"{x},{yy}" for x, yy in coords),
        "dots": coords,
        "grid": [(v, y(Decimal(v))) for v in (2, 3, 4, 5)],
        "first": points[0],
        "last": points[-1],
    }


@login_required
@require_http_methods(["GET", "HEAD"])
def subject_marks(request: HttpRequest, subject_id: int) -> HttpResponse:
    access = _access(request, request.GET.get("student"))
    subject = Subject.objects.filter(pk=subject_id).first()
    if subject is None:
        raise Http404
    marks = list(
        Mark.objects.filter(student=access.student, subject_id=subject_id, is_deleted=False)
        .select_related("kind", "lesson", "group")
        .order_by("date", "id")
    )
    year_ids = {m.lesson.year_id for m in marks}
    periods = list(Period.objects.filter(year_id__in=year_ids).order_by("starts_on"))
    today = clock.today()
    period = None
    raw = request.GET.get("period")
    if raw:
        period = next((p for p in periods if str(p.pk) == raw), None)
        if period is None:
            raise Http404
    else:
        period = next((p for p in periods if p.starts_on <= today <= p.ends_on), None) or (
            periods[-1] if periods else None
        )
    if period is not None:
        marks = [m for m in marks if period.starts_on <= m.date <= period.ends_on]
    rows, seen = [], []
    for mark in marks:
        if mark.value is not None:
            seen.append((mark.value, mark.kind.weight))
        rows.append(Row(mark, weighted_average(seen) if seen else None))
    context = {
        "access": access,
        "student": access.student,
        "subject": subject,
        "period": period,
        "periods": periods,
        "rows": rows,
        "average": rows[-1].running if rows else None,
        "trend": _trend(rows),
        "summary_url": _url("journal:diary_summary", access.student),
    }
    return render(request, "journal/diary/subject_marks.html", context)
