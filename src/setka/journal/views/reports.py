"""Report pages (class, school, municipality) with their XLSX exports, and the export of a
class journal for a period (XLSX, PDF). A forbidden report looks like a missing one (404).

Who sees what (``reports``): a class report — the class teacher, the institution's admins and
the municipal admin; a school report — the institution's admins, the municipal admin and the
methodologist (numbers only); the municipal report — the municipal admin and the methodologist.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from setka.core import clock
from setka.core.clock import today
from setka.core.permissions import get_for_user_or_404
from setka.network.models import Institution, Municipality
from setka.network.roles import user_roles

from .. import reports
from ..exports import charts, xlsx
from ..exports.journal import can_export_journal, class_journal
from ..models import AcademicYear, Period, StudyGroup, Subject

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The municipal report aggregates every mark of the municipality (seconds at ~7 M marks): it is
# kept in the cache this long, and the page says as of when its figures are.
MUNICIPAL_CACHE_SECONDS = 600


def _file(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    return response


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _choose_period(request: HttpRequest, periods: list[Period]) -> tuple[Period | None, str]:
    """``?period=<id>`` or ``?period=year``; by default the current period. Returns the period
    (None for the year) and the chosen value for the form."""
    value = request.GET.get("period", "")
    if value == reports.YEAR:
        return None, reports.YEAR
    wanted = _int(value)
    chosen = next((p for p in periods if p.pk == wanted), None)
    if chosen is None:
        chosen = reports.current_period(periods, today())
    return chosen, (str(chosen.pk) if chosen else reports.YEAR)


def _charts(units: list, total: reports.Rates, title: str) -> dict:
    return {
        "bars": charts.percent_bars(
            "chart-rates",
            title,
            [(u.name, u.rates.success, u.rates.quality) for u in units],
            (_("pass rate"), _("quality")),
        ),
        "distribution": charts.distribution(
            "chart-distribution", _("Results by mark"), total.distribution
        ),
    }


# --- the index ------------------------------------------------------------------------------


@login_required
@require_GET
def report_index(request: HttpRequest) -> HttpResponse:
    """The reports this user may open: the municipality, their schools, their classes."""
    roles = user_roles(request.user)
    municipalities = Municipality.objects.filter(
        pk__in=roles.municipal_admin_of | roles.methodologist_of
    )
    schools = Institution.objects.filter(pk__in=roles.admin_of).order_by("short_name")
    classes = (
        StudyGroup.objects.filter(class_teacher_id=roles.person_id, kind=StudyGroup.Kind.CLASS)
        .filter(year__starts_on__lte=today(), year__ends_on__gte=today())
        .select_related("institution")
        .order_by("grade", "name")
        if roles.person_id
        else StudyGroup.objects.none()
    )
    context = {
        "municipalities": list(municipalities),
        "schools": list(schools),
        "classes": list(classes),
    }
    if not any(context.values()):
        raise Http404
    return render(request, "journal/reports/index.html", context)


# --- the class ------------------------------------------------------------------------------


@login_required
@require_GET
def report_class(request: HttpRequest, group_id: int, fmt: str = "") -> HttpResponse:
    group = reports.class_for_report(request.user, group_id)
    periods = list(group.year.periods.all())
    period, chosen = _choose_period(request, periods)
    window = reports.window_for(group.year, period, group)
    report = reports.class_report(group, window)
    if fmt == "xlsx":
        name = f"{group.name} {window.label}.xlsx"
        return _file(xlsx.class_report_xlsx(report), name, XLSX)
    query = urlencode({"period": chosen})
    context = {
        "report": report,
        "group": group,
        "periods": periods,
        "chosen": chosen,
        "period": period,
        "xlsx_url": reverse("journal:export_class_report", args=[group.pk]) + "?" + query,
        "school_url": reverse("journal:report_school", args=[group.institution.slug])
        if request.user.has_perm("journal.view_reports", group.institution)
        else "",
        "charts": _charts(report.subjects, report.total, _("Pass rate and quality by subject")),
    }
    return render(request, "journal/reports/class.html", context)


# --- the school -----------------------------------------------------------------------------


@login_required
@require_GET
def report_school(request: HttpRequest, slug: str, fmt: str = "") -> HttpResponse:
    institution = get_for_user_or_404(
        request.user, "journal.view_reports", Institution.objects.all(), slug=slug
    )
    years = list(AcademicYear.objects.filter(institution=institution).order_by("-starts_on"))
    year = next((y for y in years if y.pk == _int(request.GET.get("year"))), None)
    year = year or reports.current_year(years, today())
    periods = list(year.periods.all()) if year else []
    period, chosen = _choose_period(request, periods)
    report = reports.school_report(institution, reports.window_for(year, period)) if year else None
    if fmt == "xlsx":
        if report is None:
            raise Http404
        name = f"{institution.short_name} {report.window.label}.xlsx"
        return _file(xlsx.school_report_xlsx(report), name, XLSX)
    roles = user_roles(request.user)
    can_open_classes = (
        institution.pk in roles.admin_of or institution.municipality_id in roles.municipal_admin_of
    )
    query = urlencode({"year": str(year.pk), "period": chosen}) if year else ""
    context = {
        "institution": institution,
        "report": report,
        "years": years,
        "year": year,
        "periods": periods,
        "chosen": chosen,
        "period": period,
        "can_open_classes": can_open_classes,
        "class_query": urlencode({"period": chosen}),
        "xlsx_url": reverse("journal:export_school_report", args=[institution.slug]) + "?" + query,
        "municipal_url": reverse("journal:report_municipality")
        if roles.is_registry_manager
        else "",
        "charts": _charts(report.classes, report.total, _("Pass rate and quality by class"))
        if report
        else {},
    }
    return render(request, "journal/reports/school.html", context)


# --- the municipality -----------------------------------------------------------------------


def _municipality(request: HttpRequest) -> Municipality:
    roles = user_roles(request.user)
    allowed = roles.municipal_admin_of | roles.methodologist_of
    if not allowed:
        raise Http404
    wanted = roles.municipality_id if roles.municipality_id in allowed else min(allowed)
    municipality = Municipality.objects.filter(pk=wanted).first()
    if municipality is None or not reports.can_view_municipal_report(request.user, municipality):
        raise Http404
    return municipality


def _municipal_report_cached(
    municipality: Municipality, option: reports.MunicipalOption
) -> tuple[reports.MunicipalReport, dt.datetime]:
    key = f"journal:report:municipal:{municipality.pk}:{option.key}:{get_language()}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    window = reports.municipal_window(municipality, option)
    value = (reports.municipal_report(municipality, window), clock.now())
    cache.set(key, value, MUNICIPAL_CACHE_SECONDS)
    return value


@login_required
@require_GET
def report_municipality(request: HttpRequest, fmt: str = "") -> HttpResponse:
    municipality = _municipality(request)
    options = reports.municipal_options(municipality)
    option = next((o for o in options if o.key == request.GET.get("window")), None)
    option = option or reports.default_municipal_option(options, today())
    report, computed_at = None, None
    if option is not None:
        report, computed_at = _municipal_report_cached(municipality, option)
    if fmt == "xlsx":
        if report is None:
            raise Http404
        name = f"{municipality.name} {report.window.label}.xlsx"
        return _file(xlsx.municipal_report_xlsx(report), name, XLSX)
    query = urlencode({"window": option.key}) if option else ""
    context = {
        "municipality": municipality,
        "report": report,
        "computed_at": computed_at,
        "cache_minutes": MUNICIPAL_CACHE_SECONDS // 60,
        "options": options,
        "chosen": option.key if option else "",
        "school_query": query,
        "xlsx_url": reverse("journal:export_municipal_report") + "?" + query,
        "charts": _charts(report.schools, report.total, _("Pass rate and quality by school"))
        if report
        else {},
    }
    return render(request, "journal/reports/municipality.html", context)


# --- the class journal as a file -----------------------------------------------------------


@login_required
@require_GET
def export_journal(request: HttpRequest, group_id: int, period_id: int, fmt: str) -> HttpResponse:
    """The journal of a group for a period in the layout of the paper journal: the whole class
    (class teacher, administration) or, with ``?subject=``, one subject (also its teacher)."""
    group = (
        StudyGroup.objects.filter(pk=group_id)
        .select_related("institution", "class_teacher", "year", "parent")
        .first()
    )
    subject_id = _int(request.GET.get("subject"))
    if request.GET.get("subject") and subject_id is None:
        raise Http404
    if group is None or not can_export_journal(request.user, group, subject_id):
        raise Http404
    if subject_id is not None and not Subject.objects.filter(pk=subject_id).exists():
        raise Http404
    period = Period.objects.filter(pk=period_id, year_id=group.year_id).first()
    if period is None:
        raise Http404
    data = class_journal(group, period, subject_id)
    name = f"{group.name} {period.name} {group.year.name}"
    if fmt == "pdf":
        from ..exports import pdf

        return _file(pdf.journal_pdf(data), f"{name}.pdf", "application/pdf")
    return _file(xlsx.journal_xlsx(data), f"{name}.xlsx", XLSX)
