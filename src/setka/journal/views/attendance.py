"""The daily attendance summary: of a class (its class teacher, the institution's admins and the
municipal admins) and of a school (the institution's and the municipal admins). ``?date=``
chooses the day (today by default); the rules of the figures are in ``journal/reports/daily.py``."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from setka.core import dates
from setka.core.clock import today
from setka.core.permissions import get_for_user_or_404
from setka.network.models import Institution

from ..access import class_for_user
from ..models import AcademicYear, AttendanceCode
from ..reports import daily


def parse_date(raw: str | None) -> tuple[dt.date, str]:
    """The chosen day (today when none) and an error message for a value that is not a date
    of the years Setka works with (``core.dates``)."""
    try:
        day = dates.read_date(raw)
    except ValueError as exc:
        return today(), str(exc)
    return day or today(), ""


def _url(name: str, arg: object, day: dt.date) -> str:
    return f"{reverse(name, args=[arg])}?{urlencode({'date': day.isoformat()})}"


def _legend() -> list[tuple[str, str]]:
    return [(code, str(AttendanceCode(code).label)) for code in daily.CODES]


@login_required
@require_GET
def attendance_day(request: HttpRequest, group_id: int) -> HttpResponse:
    group = class_for_user(request.user, group_id, classes_only=True)
    day, error = parse_date(request.GET.get("date"))
    year = group.year
    legend = _legend()
    context: dict[str, object] = {
        "group": group,
        "year": year,
        "day": day,
        "error": error,
        "show_today": day != today(),
        "legend": legend,
        "school_url": _url("journal:attendance_school", group.institution.slug, day)
        if request.user.has_perm("journal.view_structure", group.institution)
        else "",
    }
    if error:
        return render(request, "journal/attendance/day.html", context, status=400)
    one_day = dt.timedelta(days=1)
    outside = not year.contains(day)
    context["outside"] = outside
    if year.contains(day - one_day):
        context["prev_url"] = _url("journal:attendance_day", group.pk, day - one_day)
    if year.contains(day + one_day):
        context["next_url"] = _url("journal:attendance_day", group.pk, day + one_day)
    if not outside:
        summary = daily.class_day(group, day)
        context["summary"] = summary
        context["totals"] = [
            (code, label, summary.codes[code], summary.students_by_code[code])
            for code, label in legend
        ]
    return render(request, "journal/attendance/day.html", context)


@login_required
@require_GET
def attendance_school(request: HttpRequest, slug: str) -> HttpResponse:
    institution = get_for_user_or_404(
        request.user, "journal.view_structure", Institution.objects.all(), slug=slug
    )
    day, error = parse_date(request.GET.get("date"))
    context: dict[str, object] = {
        "institution": institution,
        "day": day,
        "error": error,
        "show_today": day != today(),
        "reasons": [(code, str(AttendanceCode(code).label)) for code in daily.REASONS],
    }
    if error:
        return render(request, "journal/attendance/school.html", context, status=400)
    one_day = dt.timedelta(days=1)
    context["prev_url"] = _url("journal:attendance_school", slug, day - one_day)
    context["next_url"] = _url("journal:attendance_school", slug, day + one_day)
    year = AcademicYear.objects.filter(
        institution=institution, starts_on__lte=day, ends_on__gte=day
    ).first()
    context["year"] = year
    if year is not None:
        classes, subgroups = daily.school_groups(year.pk)
        context["summary"] = daily.school_day(classes, subgroups, day)
    return render(request, "journal/attendance/school.html", context)
