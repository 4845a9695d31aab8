"""My journals (the teacher's, the class teacher's and the administration's way in), the class
view (the whole class across subjects for a period) and the filling-completeness control."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from setka.core.clock import today
from setka.network.models import Institution
from setka.network.roles import user_roles
from setka.programs.selectors.credits import credited_results

from ..access import class_for_user
from ..averages import suggest_mark, weighted_average
from ..held import held_q
from ..marktext import mark_text
from ..models import (
    AcademicYear,
    Attendance,
    AttendanceCode,
    Lesson,
    Mark,
    Period,
    PeriodMark,
    StudyGroup,
    TeachingAssignment,
)
from ..periods import choose_period, int_or_404
from ..selectors import group_students
from . import fmt_average

# --- my journals ------------------------------------------------------------------------------


def _current_years(institution_ids, day: dt.date) -> dict[int, AcademicYear]:
    """Per institution: the year containing ``day``, else the last one begun, else the first."""
    chosen: dict[int, AcademicYear] = {}
    years = AcademicYear.objects.filter(institution_id__in=institution_ids).order_by("starts_on")
    for year in years:
        current = chosen.get(year.institution_id)
        if current is None or (year.starts_on <= day and not current.contains(day)):
            chosen[year.institution_id] = year
    return chosen


@login_required
def index(request: HttpRequest) -> HttpResponse:
    roles = user_roles(request.user)
    day = today()
    pid = roles.person_id
    assignments: list[TeachingAssignment] = []
    substitutions: list[Lesson] = []
    led: list[StudyGroup] = []
    if pid is not None:
        assignments = list(
            TeachingAssignment.objects.active(day)
            .filter(teacher_id=pid)
            .select_related("group", "subject", "institution")
            .order_by("group__grade", "group__letter", "group__name", "subject__order")
        )
        monday = day - dt.timedelta(days=day.weekday())
        substitutions = list(
            Lesson.objects.filter(
                substitute_id=pid, date__gte=monday, date__lte=monday + dt.timedelta(days=6)
            )
            .select_related("group", "subject")
            .order_by("date", "number")
        )
        led = list(
            StudyGroup.objects.filter(class_teacher_id=pid, year__ends_on__gte=day)
            .select_related("year")
            .order_by("year__starts_on", "grade", "letter", "name")
        )
    administered: list[dict[str, Any]] = []
    if roles.admin_of:
        years = _current_years(roles.admin_of, day)
        classes: dict[int, list[StudyGroup]] = defaultdict(list)
        for group in StudyGroup.objects.filter(
            year__in=list(years.values()), kind=StudyGroup.Kind.CLASS
        ).order_by("grade", "letter", "name"):
            classes[group.institution_id].append(group)
        for institution in Institution.objects.filter(pk__in=roles.admin_of).order_by("short_name"):
            administered.append(
                {
                    "institution": institution,
                    "year": years.get(institution.pk),
                    "classes": classes.get(institution.pk, []),
                }
            )
    context = {
        "assignments": assignments,
        "substitutions": substitutions,
        "led": led,
        "administered": administered,
        "empty": not (assignments or substitutions or led or administered),
    }
    return render(request, "journal/overview/index.html", context)


# --- the class view ---------------------------------------------------------------------------


@dataclass
class SubjectColumn:
    id: int
    name: str
    short_name: str
    pass_fail: bool
    groups: list[StudyGroup] = field(default_factory=list)


@login_required
def class_view(request: HttpRequest, group_id: int) -> HttpResponse:
    group = class_for_user(request.user, group_id)
    periods = list(Period.objects.filter(year_id=group.year_id).order_by("number"))
    period = choose_period(periods, request.GET.get("period"))
    ids = [group.pk, *group.subgroups.values_list("pk", flat=True)]
    students = group_students(group, period.starts_on, period.ends_on)
    columns: dict[int, SubjectColumn] = {}
    for a in (
        TeachingAssignment.objects.filter(group_id__in=ids, starts_on__lte=period.ends_on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=period.starts_on))
        .select_related("subject", "group")
        .order_by("subject__order", "subject__name", "group__name")
    ):
        col = columns.setdefault(
            a.subject_id,
            SubjectColumn(
                a.subject_id, a.subject.name, a.subject.short_name, a.subject.is_pass_fail
            ),
        )
        if a.group not in col.groups:
            col.groups.append(a.group)
    in_period = {"date__gte": period.starts_on, "date__lte": period.ends_on}
    weights: dict[tuple[int, int], list[tuple[int, Decimal]]] = defaultdict(list)
    for student_id, subject_id, value, weight in Mark.objects.filter(
        group_id__in=ids, is_deleted=False, value__isnull=False, **in_period
    ).values_list("student_id", "subject_id", "value", "kind__weight"):
        if value is not None:
            weights[(student_id, subject_id)].append((value, weight))
    period_marks: dict[tuple[int, int], str] = {}
    for student_id, subject_id, value, passed, not_certified in PeriodMark.objects.filter(
        group_id__in=ids, period=period
    ).values_list("student_id", "subject_id", "value", "passed", "not_certified"):
        period_marks[(student_id, subject_id)] = mark_text(value, passed, not_certified)
    absences: dict[int, dict[str, int]] = defaultdict(dict)
    for student_id, code, n in (
        Attendance.objects.filter(group_id__in=ids, **in_period)
        .exclude(code="")
        .values_list("student_id", "code")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        absences[student_id][code] = n
    year = group.year
    codes = list(AttendanceCode.values)
    rows = []
    for pid, name, left_on in students:
        cells = []
        for col in columns.values():
            marks = weights.get((pid, col.id), [])
            average = weighted_average(marks)
            suggested = suggest_mark(
                average, len(marks), rounding=year.rounding, min_marks=year.min_marks_for_period
            )
            cells.append(
                {
                    "average": fmt_average(average),
                    "count": len(marks),
                    "suggested": suggested,
                    "period_mark": period_marks.get((pid, col.id), ""),
                    "low": suggested is not None and suggested <= 2,
                }
            )
        counts = absences.get(pid, {})
        rows.append(
            {
                "id": pid,
                "name": name,
                "left_on": left_on,
                "cells": cells,
                "absences": [counts.get(c, 0) for c in codes],
                "total": sum(counts.values()),
            }
        )
    # The courses its students take at other institutions that the school credits (one
    # query of the network programmes' selector; two more when someone takes one).
    credits = credited_results(
        [pid for pid, _name, _left in students],
        first=period.starts_on,
        last=period.ends_on,
        home_institution_id=group.institution_id,
    )
    context = {
        "group": group,
        "period": period,
        "periods": periods,
        "columns": list(columns.values()),
        "rows": rows,
        "codes": codes,
        "credits": [(name, c) for pid, name, _left in students for c in credits.get(pid, [])],
    }
    return render(request, "journal/overview/class.html", context)


# --- filling-completeness control ---------------------------------------------------------------


def _completeness_scope(request: HttpRequest) -> tuple[Institution, StudyGroup | None]:
    """The institution (admins) or the class (class teachers, admins) to control."""
    roles = user_roles(request.user)
    if request.GET.get("group"):
        group = class_for_user(request.user, int_or_404(request.GET["group"]))
        return group.institution, group
    if request.GET.get("institution"):
        pk = int_or_404(request.GET["institution"])
        if pk not in roles.admin_of:
            raise Http404
        return Institution.objects.get(pk=pk), None
    if roles.admin_of:
        return Institution.objects.get(pk=min(roles.admin_of)), None
    if roles.person_id is not None:
        led = (
            StudyGroup.objects.filter(class_teacher_id=roles.person_id, year__ends_on__gte=today())
            .select_related("institution", "year", "parent")
            .order_by("year__starts_on")
            .first()
        )
        if led is not None:
            return led.institution, led
    raise Http404


def _scope_periods(institution: Institution, group: StudyGroup | None) -> list[Period]:
    """The periods of the class's year, or of the institution's current year."""
    if group is not None:
        year_id = group.year_id
    else:
        year = _current_years([institution.pk], today()).get(institution.pk)
        if year is None:
            return []
        year_id = year.pk
    return list(Period.objects.filter(year_id=year_id).order_by("number"))


@login_required
def completeness(request: HttpRequest) -> HttpResponse:
    institution, group = _completeness_scope(request)
    periods = _scope_periods(institution, group)
    period = choose_period(periods, request.GET.get("period"))
    lessons = Lesson.objects.filter(held_q(), period=period, institution=institution)
    if group is not None:
        lessons = lessons.filter(
            group_id__in=[group.pk, *group.subgroups.values_list("pk", flat=True)]
        )
    has_marks = Exists(Mark.objects.filter(lesson=OuterRef("pk"), is_deleted=False))
    summary = list(
        lessons.values(
            "teacher_id",
            "teacher__surname",
            "teacher__given_name",
            "teacher__patronymic",
            "group_id",
            "group__name",
            "subject_id",
            "subject__name",
        )
        .annotate(
            held=Count("pk"),
            no_topic=Count("pk", filter=Q(topic="")),
            no_homework=Count("pk", filter=Q(homework__isnull=True)),
            no_marks=Count("pk", filter=~has_marks),
            late=Count("pk", filter=Q(homework__is_late=True)),
        )
        .order_by("teacher__surname", "teacher__given_name", "group__name", "subject__name")
    )
    for row in summary:
        row["problems"] = row["no_topic"] + row["no_homework"] + row["no_marks"] + row["late"]
        row["key"] = f"{row['group_id']}-{row['subject_id']}"
    detail: list[Lesson] = []
    detail_row = None
    raw = request.GET.get("row", "")
    if raw:
        detail_row = next((r for r in summary if r["key"] == raw), None)
        if detail_row is None:
            raise Http404
        detail = list(
            lessons.filter(group_id=detail_row["group_id"], subject_id=detail_row["subject_id"])
            .annotate(has_marks=has_marks)
            .select_related("homework")
            .order_by("date", "number")
        )
        detail = [
            lesson
            for lesson in detail
            if not lesson.topic
            or getattr(lesson, "homework", None) is None
            or not getattr(lesson, "has_marks", True)
            or lesson.homework.is_late
        ]
    scope_query = f"group={group.pk}" if group is not None else f"institution={institution.pk}"
    context = {
        "institution": institution,
        "group": group,
        "period": period,
        "periods": periods,
        "summary": summary,
        "detail": detail,
        "detail_row": detail_row,
        "scope_query": scope_query,
        "totals": {
            k: sum(r[k] for r in summary)
            for k in ("held", "no_topic", "no_homework", "no_marks", "late")
        },
    }
    return render(request, "journal/overview/completeness.html", context)
