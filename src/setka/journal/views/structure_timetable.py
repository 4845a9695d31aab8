"""The bell schedule (per shift), the weekly timetable of a class or group (a grid of lesson
numbers × days, entries with validity dates) and generating the lessons of the year."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..access import group_for_user, part_for_change, year_for_user
from ..bells import BellSlots
from ..forms import (
    BellForm,
    GenerateForm,
    TimetableEntryForm,
    apply_errors,
    end_on_posted_day,
    save_form,
)
from ..models import Bell, Lesson, StudyGroup, TimetableEntry
from ..models.timetable import Weekday
from ..services import planning, structure
from .structure import form_page, parse_day, within

# --- bells -------------------------------------------------------------------------------------


def _bells_page(request, year, can_manage: bool, form: BellForm | None = None) -> HttpResponse:
    bells = list(Bell.objects.filter(year=year).order_by("shift", "number"))
    shifts: dict[int, list[Bell]] = {}
    for b in bells:
        shifts.setdefault(b.shift, []).append(b)
    context = {
        "year": year,
        "institution": year.institution,
        "can_manage": can_manage,
        "shifts": sorted(shifts.items()),
        "form": form or BellForm(),
        "empty_shifts": [s for s in (1, 2) if s not in shifts],
    }
    return form_page(request, "journal/structure/bells.html", context)


@login_required
def bells(request: HttpRequest, pk: int) -> HttpResponse:
    year, can_manage = year_for_user(request.user, pk)
    if request.method != "POST":
        return _bells_page(request, year, can_manage)
    if not can_manage:
        raise PermissionDenied
    form = BellForm(request.POST)
    if save_form(form, lambda data: structure.bell_set(actor=request.user, year=year, **data)):
        messages.success(request, _("The bell is saved."))
        return redirect("journal:structure_bells", pk=year.pk)
    return _bells_page(request, year, can_manage, form)


@login_required
@require_POST
def bells_default(request: HttpRequest, pk: int) -> HttpResponse:
    year, _can = year_for_user(request.user, pk, write=True)
    shift = 2 if request.POST.get("shift") == "2" else 1
    try:
        planning.bells_fill_default(actor=request.user, year=year, shift=shift)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The usual bell schedule is filled in: change any bell below."))
    return redirect("journal:structure_bells", pk=year.pk)


@login_required
@require_POST
def bell_remove(request: HttpRequest, pk: int) -> HttpResponse:
    bells = Bell.objects.select_related("year__institution")
    bell = part_for_change(request.user, bells, pk, of="year", manage="journal.manage_year")
    planning.bell_remove(actor=request.user, bell=bell)
    messages.success(request, _("The bell is removed."))
    return redirect("journal:structure_bells", pk=bell.year_id)


# --- the weekly timetable of a group ------------------------------------------------------------


def _timetable_page(
    request: HttpRequest,
    group: StudyGroup,
    can_manage: bool,
    *,
    form: TimetableEntryForm | None = None,
    errors: list[str] | None = None,
) -> HttpResponse:
    year = group.year
    on = parse_day(request.GET.get("on"))
    on = within(year, on)
    related = Q(group=group)
    if group.parent_id:
        related |= Q(group_id=group.parent_id)
    if group.is_class:
        related |= Q(group__parent=group)
    entries = list(
        TimetableEntry.objects.filter(related, group__year=year)
        .select_related("group", "subject", "teacher")
        .order_by("weekday", "number", "valid_from")
    )
    current = [
        e for e in entries if e.valid_from <= on and (e.valid_to is None or e.valid_to >= on)
    ]
    bells = BellSlots.of_year(year.pk).of_shift(group.shift)
    numbers = sorted({*bells, *(e.number for e in current)}) or list(range(1, 8))
    days = [d for d in Weekday if d != Weekday.SATURDAY or any(e.weekday == 6 for e in current)]
    grid = []
    for n in numbers:
        cells = []
        for d in days:
            cells.append([e for e in current if e.weekday == d and e.number == n])
        grid.append((n, bells.get(n), cells))
    own = [e for e in entries if e.group_id == group.pk]
    context = {
        "group": group,
        "year": year,
        "institution": group.institution,
        "can_manage": can_manage,
        "on": on,
        "days": days,
        "grid": grid,
        "entries": own,
        "today": within(year),
        "form": form
        or TimetableEntryForm(group=group, initial={"valid_from": within(year), "number": 1}),
        "errors": errors or [],
        "failed": bool(errors),
    }
    return form_page(request, "journal/structure/timetable.html", context)


@login_required
def group_timetable(request: HttpRequest, pk: int) -> HttpResponse:
    group, can_manage = group_for_user(request.user, pk)
    if request.method != "POST":
        return _timetable_page(request, group, can_manage)
    if not can_manage:
        raise PermissionDenied
    form = TimetableEntryForm(request.POST, group=group)

    def add(data: dict[str, Any]) -> None:
        entry = structure.timetable_entry_create(actor=request.user, group=group, **data)
        planning.assignment_ensure(
            actor=request.user,
            group=group,
            subject=entry.subject,
            teacher=entry.teacher,
            starts_on=entry.valid_from,
        )

    if save_form(form, add):
        messages.success(
            request,
            _(
                "The lesson is added to the timetable. Generate the lessons of the year to "
                "put it into the journal."
            ),
        )
        return redirect("journal:structure_timetable", pk=group.pk)
    return _timetable_page(request, group, can_manage, form=form)


@login_required
@require_POST
def entry_end(request: HttpRequest, pk: int) -> HttpResponse:
    entries = TimetableEntry.objects.select_related("group__year", "group__institution", "subject")
    entry = part_for_change(
        request.user, entries, pk, of="group", manage="journal.manage_structure"
    )
    group = entry.group
    ends_on, errors = end_on_posted_day(
        request.POST,
        lambda day: planning.timetable_entry_end(actor=request.user, entry=entry, valid_to=day),
        _("Write the last day of the entry as a date."),
    )
    if ends_on:
        messages.success(
            request,
            _(
                "The entry ends on %(date)s. To remove its lessons after that day, rebuild the "
                "lessons from the next day on the “Generate lessons” page."
            )
            % {"date": ends_on.strftime("%d.%m.%Y")},
        )
        return redirect("journal:structure_timetable", pk=group.pk)
    return _timetable_page(request, group, True, errors=errors)


# --- generating lessons --------------------------------------------------------------------------


@login_required
def generate(request: HttpRequest, pk: int) -> HttpResponse:
    year, _can = year_for_user(request.user, pk, write=True)
    form = GenerateForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            created, removed = planning.lessons_regenerate(
                actor=request.user, year=year, since=form.cleaned_data["since"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            result = {"created": created, "removed": removed}
    context = {
        "year": year,
        "institution": year.institution,
        "form": form,
        "result": result,
        "entries": TimetableEntry.objects.filter(group__year=year).count(),
        "lessons": Lesson.objects.filter(year=year).count(),
    }
    return form_page(request, "journal/structure/generate.html", context)
