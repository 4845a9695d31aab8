"""A day of the institution's lessons (by class or by teacher) and a lesson's page where the
administration sets a substitute teacher, cancels the lesson (with a reason) or moves it."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from setka.core.converters import parse_id

from ..access import structure_lesson_for_user, year_for_user
from ..bells import BellSlots
from ..forms import CancelForm, MoveForm, SubstituteForm, save_form, teachers_of
from ..models import Lesson, StudyGroup
from ..natural import fold_by_grade, natural_key
from ..services import timetable
from .structure import form_page, parse_day, within


@login_required
def day(request: HttpRequest, pk: int) -> HttpResponse:
    year, can_manage = year_for_user(request.user, pk)
    on = within(year, parse_day(request.GET.get("date")))
    group_id = parse_id(request.GET.get("group"))
    teacher_id = parse_id(request.GET.get("teacher"))
    lessons = Lesson.objects.filter(Q(date=on) | Q(moved_from=on), year=year)
    if group_id:
        lessons = lessons.filter(Q(group_id=group_id) | Q(group__parent_id=group_id))
    if teacher_id:
        lessons = lessons.filter(Q(teacher_id=teacher_id) | Q(substitute_id=teacher_id))
    rows = list(
        lessons.select_related("group__parent", "subject", "teacher", "substitute").order_by(
            "number", "group__name"
        )
    )
    bells = BellSlots.of_year(year.pk)
    for lesson in rows:  # what the page shows beside each lesson
        lesson.bell = bells.get(lesson.group.shift, lesson.number)  # type: ignore[attr-defined]
        lesson.moved_away = lesson.date != on  # type: ignore[attr-defined]
    # In a school of two shifts the day runs by the clock, not by the lesson numbers.
    rows.sort(
        key=lambda x: (
            x.bell.starts_at if x.bell else dt.time.max,  # type: ignore[attr-defined]
            x.group.shift,
            natural_key(x.group.name),
        )
    )
    filters: dict[str, int | str] = {
        k: v for k, v in (("group", group_id), ("teacher", teacher_id)) if v
    }
    context = {
        "year": year,
        "institution": year.institution,
        "can_manage": can_manage,
        "on": on,
        "lessons": rows,
        "grades": fold_by_grade(rows),  # folded by grade, 1 to 11 (journal/natural.py)
        "groups": sorted(
            StudyGroup.objects.filter(year=year).only("name"), key=lambda g: natural_key(g.name)
        ),
        "teachers": list(teachers_of(year.institution_id, on).only("surname", "given_name")),
        "group_id": group_id,
        "teacher_id": teacher_id,
        "prev_url": _day_url(year.pk, on - dt.timedelta(days=1), filters),
        "next_url": _day_url(year.pk, on + dt.timedelta(days=1), filters),
        "query": urlencode({**filters, "date": on.isoformat()}),
    }
    return form_page(request, "journal/structure/day.html", context)


def _day_url(year_pk: int, on: dt.date, filters: dict) -> str:
    query = urlencode({**filters, "date": on.isoformat()})
    return f"{reverse('journal:structure_day', args=[year_pk])}?{query}"


def _lesson_page(
    request: HttpRequest,
    lesson: Lesson,
    can_manage: bool,
    **forms: SubstituteForm | CancelForm | MoveForm,
) -> HttpResponse:
    context = {
        "lesson": lesson,
        "year": lesson.year,
        "institution": lesson.institution,
        "can_manage": can_manage,
        "substitute_form": forms.get("substitute_form")
        or SubstituteForm(
            institution_id=lesson.institution_id,
            on=lesson.date,
            initial={"substitute": lesson.substitute_id},
        ),
        "cancel_form": forms.get("cancel_form") or CancelForm(),
        "move_form": forms.get("move_form")
        or MoveForm(initial={"date": lesson.date, "number": lesson.number}),
        "day_url": _day_url(lesson.year_id, lesson.date, {}),
    }
    return form_page(request, "journal/structure/lesson.html", context)


@login_required
def lesson_detail(request: HttpRequest, pk: int) -> HttpResponse:
    lesson, can_manage = structure_lesson_for_user(request.user, pk)
    return _lesson_page(request, lesson, can_manage)


def _done(request: HttpRequest, lesson: Lesson, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("journal:structure_lesson", pk=lesson.pk)


@login_required
@require_POST
def lesson_substitute(request: HttpRequest, pk: int) -> HttpResponse:
    lesson, _can = structure_lesson_for_user(request.user, pk, write=True)
    form = SubstituteForm(request.POST, institution_id=lesson.institution_id, on=lesson.date)
    if form.is_valid():
        substitute = form.cleaned_data["substitute"]
        if substitute is not None and substitute.pk == lesson.teacher_id:
            form.add_error("substitute", _("This is the lesson's own teacher."))
        else:
            timetable.lesson_substitute(actor=request.user, lesson=lesson, substitute=substitute)
            if substitute is None:
                return _done(request, lesson, _("The substitution is removed."))
            return _done(
                request,
                lesson,
                _("%(name)s substitutes at this lesson and can fill in its journal.")
                % {"name": substitute.full_name},
            )
    return _lesson_page(request, lesson, True, substitute_form=form)


@login_required
@require_POST
def lesson_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    lesson, _can = structure_lesson_for_user(request.user, pk, write=True)
    form = CancelForm(request.POST)
    if save_form(
        form,
        lambda data: timetable.lesson_cancel(
            actor=request.user, lesson=lesson, reason=data["reason"]
        ),
    ):
        return _done(request, lesson, _("The lesson is cancelled."))
    return _lesson_page(request, lesson, True, cancel_form=form)


@login_required
@require_POST
def lesson_move(request: HttpRequest, pk: int) -> HttpResponse:
    lesson, _can = structure_lesson_for_user(request.user, pk, write=True)
    form = MoveForm(request.POST)
    if save_form(
        form, lambda data: timetable.lesson_move(actor=request.user, lesson=lesson, **data)
    ):
        return _done(
            request,
            lesson,
            _("The lesson is moved to %(date)s, lesson %(number)s.")
            % {
                "date": lesson.date.strftime("%d.%m.%Y"),
                "number": lesson.number,
            },
        )
    return _lesson_page(request, lesson, True, move_form=form)
