"""The structure of the school year for the institution's administration: academic years with
their periods, settings and holidays. Municipal admins may read these pages; everyone else gets
404 for an object and 403 for a page without one. Classes and groups, the timetable, lessons and
the imports live in the ``structure_*`` modules next to this one."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from setka.core import dates
from setka.core.clock import today
from setka.network.models import Institution
from setka.network.roles import user_roles

from ..access import institution_for_user, part_for_change, period_for_user, year_for_user
from ..forms import (
    ROUNDING_HELP,
    HolidayForm,
    ReasonForm,
    YearForm,
    YearSettingsForm,
    apply_errors,
    save_form,
)
from ..models import AcademicYear, Holiday, Lesson, StudyGroup
from ..services import planning, records, timetable


def form_page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """Render a page whose form may hold errors: 400 when it does, so nothing looks saved."""
    failed = any(
        getattr(v, "errors", None) for k, v in context.items() if k.endswith("form")
    ) or context.get("failed")
    return render(request, template, context, status=400 if failed else 200)


def within(year: AcademicYear, day: dt.date | None = None) -> dt.date:
    """``day`` (today) moved into the year."""
    return min(max(day or today(), year.starts_on), year.ends_on)


def parse_day(raw: str | None) -> dt.date | None:
    """``?date=``: the day, or None for none or a bad one (``core.dates``: 1900–2100)."""
    return dates.parse_date(raw)


# --- the list of years ---------------------------------------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Object-less: the institutions whose structure the user may see."""
    if not request.user.has_perm("journal.view_structure"):
        raise PermissionDenied
    roles = user_roles(request.user)
    if len(roles.admin_of) == 1 and not roles.municipal_admin_of:
        slug = Institution.objects.filter(pk__in=roles.admin_of).values_list("slug", flat=True)[0]
        return redirect("journal:structure_years", slug=slug)
    institutions = Institution.objects.filter(pk__in=roles.admin_of) | Institution.objects.filter(
        municipality_id__in=roles.municipal_admin_of, is_active=True
    )
    institutions = institutions.annotate(years=Count("academic_years")).order_by("short_name")
    return render(request, "journal/structure/index.html", {"institutions": institutions})


@login_required
def years(request: HttpRequest, slug: str) -> HttpResponse:
    institution, can_manage = institution_for_user(request.user, slug)
    rows = list(
        AcademicYear.objects.filter(institution=institution).annotate(
            groups_count=Count("groups", distinct=True)
        )
    )
    context = {"institution": institution, "years": rows, "can_manage": can_manage}
    return render(request, "journal/structure/years.html", context)


# --- a new year ----------------------------------------------------------------------------------


def _default_start_year(institution: Institution) -> int:
    now = today()
    base = now.year if now.month >= 7 else now.year - 1
    names = set(AcademicYear.objects.filter(institution=institution).values_list("name", flat=True))
    while f"{base}/{base + 1}" in names:
        base += 1
    return base


def default_year(y: int, scheme: str) -> dict[str, Any]:
    """The usual Russian school year starting in September of ``y``: dates, periods of
    ``scheme`` and holidays (the federal calendar graph; every date can be changed)."""
    d = dt.date
    end_of_feb = d(y + 1, 3, 1) - dt.timedelta(days=1)
    periods = {
        AcademicYear.PeriodScheme.QUARTERS: [
            (d(y, 9, 1), d(y, 10, 25)),
            (d(y, 11, 5), d(y, 12, 28)),
            (d(y + 1, 1, 9), d(y + 1, 3, 21)),
            (d(y + 1, 3, 31), d(y + 1, 5, 26)),
        ],
        AcademicYear.PeriodScheme.TRIMESTERS: [
            (d(y, 9, 1), d(y, 11, 30)),
            (d(y, 12, 1), end_of_feb),
            (d(y + 1, 3, 1), d(y + 1, 5, 26)),
        ],
        AcademicYear.PeriodScheme.SEMESTERS: [
            (d(y, 9, 1), d(y, 12, 28)),
            (d(y + 1, 1, 9), d(y + 1, 5, 26)),
        ],
    }[AcademicYear.PeriodScheme(scheme)]
    holidays = [
        ("Осенние каникулы", d(y, 10, 26), d(y, 11, 4)),
        ("Зимние каникулы", d(y, 12, 29), d(y + 1, 1, 8)),
        ("День защитника Отечества", d(y + 1, 2, 23), d(y + 1, 2, 23)),
        ("Международный женский день", d(y + 1, 3, 8), d(y + 1, 3, 8)),
        ("Весенние каникулы", d(y + 1, 3, 22), d(y + 1, 3, 30)),
        ("Праздник Весны и Труда", d(y + 1, 5, 1), d(y + 1, 5, 1)),
        ("День Победы", d(y + 1, 5, 9), d(y + 1, 5, 9)),
    ]
    return {
        "name": f"{y}/{y + 1}",
        "starts_on": d(y, 9, 1),
        "ends_on": d(y + 1, 5, 31),
        "periods": periods,
        "holidays": holidays,
    }


@login_required
def year_create(request: HttpRequest, slug: str) -> HttpResponse:
    institution, can_manage = institution_for_user(request.user, slug)
    if not can_manage:
        raise PermissionDenied
    scheme = request.GET.get("scheme") or request.POST.get("scheme") or "quarters"
    if scheme not in AcademicYear.PeriodScheme.values:
        scheme = AcademicYear.PeriodScheme.QUARTERS
    defaults = default_year(_default_start_year(institution), scheme)
    names = timetable.PERIOD_NAMES[AcademicYear.PeriodScheme(scheme)]
    initial: dict[str, Any] = {
        "name": defaults["name"],
        "starts_on": defaults["starts_on"],
        "ends_on": defaults["ends_on"],
        "rounding": AcademicYear.Rounding.HALF_UP,
        "min_marks_for_period": 3,
        "school_day_ends_at": dt.time(18, 0),
        "add_holidays": True,
    }
    for i, (start, end) in enumerate(defaults["periods"], start=1):
        initial[f"p{i}_start"], initial[f"p{i}_end"] = start, end
    form = YearForm(request.POST or None, initial=initial, period_names=names)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        holidays = []
        if data["add_holidays"]:
            holidays = [
                h
                for h in default_year(data["starts_on"].year, scheme)["holidays"]
                if data["starts_on"] <= h[1] and h[2] <= data["ends_on"]
            ]
        try:
            year = timetable.year_create(
                actor=request.user,
                institution=institution,
                name=data["name"].strip(),
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                periods=form.periods(),
                period_scheme=scheme,
                holidays=holidays,
                rounding=data["rounding"],
                min_marks_for_period=data["min_marks_for_period"],
                school_day_ends_at=data["school_day_ends_at"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The academic year %(name)s is created.") % {"name": year})
            return redirect("journal:structure_year", pk=year.pk)
    context = {
        "institution": institution,
        "form": form,
        "scheme": scheme,
        "schemes": AcademicYear.PeriodScheme.choices,
        "rounding_help": ROUNDING_HELP,
    }
    return form_page(request, "journal/structure/year_form.html", context)


# --- a year ---------------------------------------------------------------------------------


@login_required
def year_detail(request: HttpRequest, pk: int) -> HttpResponse:
    year, can_manage = year_for_user(request.user, pk)
    return _year_page(request, year, can_manage)


def _year_page(request, year: AcademicYear, can_manage: bool, **forms: Any) -> HttpResponse:
    counts = StudyGroup.objects.filter(year=year).aggregate(
        classes=Count("pk", filter=Q(kind=StudyGroup.Kind.CLASS)), groups=Count("pk")
    )
    context = {
        "year": year,
        "institution": year.institution,
        "can_manage": can_manage,
        "periods": list(year.periods.all()),
        "holidays": list(year.holidays.all()),
        "counts": counts,
        "lessons_count": Lesson.objects.filter(year=year).count(),
        "rounding_text": ROUNDING_HELP.get(year.rounding, ""),
        "holiday_form": forms.get("holiday_form") or HolidayForm(),
        "reopen_form": forms.get("reopen_form"),
        "reopen_period": forms.get("reopen_period"),
        "exports": [
            ("students", _("Students by class")),
            ("timetable", _("Timetable")),
            ("marks", _("Marks")),
            ("attendance", _("Attendance")),
            ("period_marks", _("Period and year marks")),
        ],
    }
    return form_page(request, "journal/structure/year.html", context)


@login_required
def year_settings(request: HttpRequest, pk: int) -> HttpResponse:
    year, _can = year_for_user(request.user, pk, write=True)
    initial = {name: getattr(year, name) for name in planning.YEAR_SETTINGS}
    form = YearSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and save_form(
        form, lambda data: planning.year_update(actor=request.user, year=year, **data)
    ):
        messages.success(request, _("The settings of the year are saved."))
        return redirect("journal:structure_year", pk=year.pk)
    context = {
        "year": year,
        "institution": year.institution,
        "form": form,
        "rounding_help": ROUNDING_HELP,
    }
    return form_page(request, "journal/structure/year_settings.html", context)


@login_required
@require_POST
def holiday_add(request: HttpRequest, pk: int) -> HttpResponse:
    year, can_manage = year_for_user(request.user, pk, write=True)
    form = HolidayForm(request.POST)
    if save_form(form, lambda data: planning.holiday_add(actor=request.user, year=year, **data)):
        messages.success(
            request,
            _("The holiday is added. If lessons are already generated for these days, "
              "rebuild the lessons from its first day on the “Generate lessons” page."),
        )  # fmt: skip
        return redirect("journal:structure_year", pk=year.pk)
    return _year_page(request, year, can_manage, holiday_form=form)


@login_required
@require_POST
def holiday_remove(request: HttpRequest, pk: int) -> HttpResponse:
    holidays = Holiday.objects.select_related("year__institution")
    holiday = part_for_change(request.user, holidays, pk, of="year", manage="journal.manage_year")
    year = holiday.year
    planning.holiday_remove(actor=request.user, holiday=holiday)
    messages.success(request, _("The holiday “%(name)s” is removed.") % {"name": holiday.name})
    return redirect("journal:structure_year", pk=year.pk)


@login_required
@require_POST
def period_close(request: HttpRequest, pk: int) -> HttpResponse:
    period = period_for_user(request.user, pk)
    records.period_close(actor=request.user, period=period)
    messages.success(
        request,
        _("“%(period)s” is closed: its marks can no longer be changed.") % {"period": period.name},
    )
    return redirect("journal:structure_year", pk=period.year_id)


@login_required
@require_POST
def period_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    period = period_for_user(request.user, pk)
    form = ReasonForm(request.POST)
    if save_form(
        form, lambda data: records.period_reopen(actor=request.user, period=period, **data)
    ):
        messages.success(request, _("“%(period)s” is open again.") % {"period": period.name})
        return redirect("journal:structure_year", pk=period.year_id)
    return _year_page(request, period.year, True, reopen_form=form, reopen_period=period)
