"""The journal API: the reports (успеваемость, качество знаний, the average mark per
subject, attendance) of a class, a school and the municipality — the same numbers as the
report pages (``journal.reports``, where the definitions are), with the same permissions:

- a class (its students one by one): the class teacher, the institution's administrators and
  the municipal admins;
- a school (classes, parallels, subjects): the institution's administrators, the municipal
  admins and the methodologists;
- the municipality (schools, subjects): the municipal admins and the methodologists.

Methodologists thus see aggregates only. A report you may not open answers 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from setka.core.api_errors import Id, Text, errors_for
from setka.core.clock import today
from setka.core.permissions import get_for_user_or_404
from setka.network.models import Institution, Municipality

from .. import reports
from ..models import AcademicYear, Period
from ..schemas import RefOut
from .common import invalid, num

router = Router(tags=["journal"])

PeriodChoice = Annotated[Text, Field(pattern=r"^(year|[1-9][0-9]{0,15})$")]


# --- schemas --------------------------------------------------------------------------------


class ReportQuery(Schema):
    period: PeriodChoice | None = Field(
        None, description="A period id, or `year` for the whole year; the current period if absent."
    )


class SchoolReportQuery(ReportQuery):
    year_id: Id | None = Field(None, description="The current school year if not given.")


class MunicipalReportQuery(Schema):
    window: Annotated[Text, Field(max_length=100)] | None = Field(
        None, description="A key from `windows`; the current period if not given."
    )


class RatesOut(Schema):
    students: int = Field(description="Students (per subject: results) with a result.")
    passing: int = Field(description="… of them without a failing result (2, 1, н/а, нз).")
    good: int = Field(description="… of them with only 4 and 5.")
    success: float | None = Field(description="Успеваемость, %.")
    quality: float | None = Field(description="Качество знаний, %.")
    average: float | None = Field(description="The weighted average of the current marks.")
    marks: int = Field(description="The number of current marks.")
    distribution: dict[str, int] = Field(description="Results by mark: 2 (and worse), 3, 4, 5.")


class AttendanceStatsOut(Schema):
    students: int
    absent: int = Field(description="Н")
    ill: int = Field(description="Б")
    excused: int = Field(description="УП")
    late: int = Field(description="ОП (not an absence)")
    missed: int = Field(description="Н + Б + УП")
    per_student: float | None
    share: float | None = Field(description="Missed ÷ the seats of the lessons held, %.")


class ReportWindowOut(Schema):
    label: str
    period_number: int | None = Field(description="Null for the whole year.")
    starts_on: dt.date
    ends_on: dt.date


class SubjectLineOut(Schema):
    id: int
    name: str
    short_name: str
    rates: RatesOut


class ResultOut(Schema):
    subject_id: int
    result: int | None = Field(description="1–5; 0 for н/а and нз; null: no result.")
    text: str
    is_period_mark: bool = Field(description="Set by the teacher, not suggested.")
    average: float | None
    marks: int


class StudentLineOut(Schema):
    id: int
    name: str
    status: str = Field(description="`good`, `passing`, `failing`, or empty without results.")
    results: list[ResultOut]
    attendance: AttendanceStatsOut


class ClassReportOut(Schema):
    group: RefOut
    window: ReportWindowOut
    subjects: list[SubjectLineOut]
    students: list[StudentLineOut]
    total: RatesOut
    attendance: AttendanceStatsOut


class AverageOut(Schema):
    subject_id: int
    average: float | None


class UnitOut(Schema):
    id: int
    name: str
    grade: int | None
    rates: RatesOut
    attendance: AttendanceStatsOut
    averages: list[AverageOut] = Field(description="The average mark per subject.")


class SchoolReportOut(Schema):
    institution: RefOut
    year: RefOut | None = Field(description="Null when the school has no school year yet.")
    window: ReportWindowOut | None
    classes: list[UnitOut]
    parallels: list[UnitOut]
    subjects: list[SubjectLineOut]
    total: RatesOut
    attendance: AttendanceStatsOut


class WindowOptionOut(Schema):
    key: str
    label: str


class MunicipalReportOut(Schema):
    municipality: RefOut
    windows: list[WindowOptionOut] = Field(description="The years and periods to choose from.")
    window_key: str | None
    window: ReportWindowOut | None
    schools: list[UnitOut]
    subjects: list[SubjectLineOut]
    total: RatesOut
    attendance: AttendanceStatsOut


# --- output -----------------------------------------------------------------------------------


def _rates(r: reports.Rates) -> dict[str, Any]:
    return {
        "students": r.students,
        "passing": r.passing,
        "good": r.good,
        "success": num(r.success),
        "quality": num(r.quality),
        "average": num(r.average),
        "marks": r.marks,
        "distribution": dict(r.distribution),
    }


def _attendance(a: reports.AttendanceStats) -> dict[str, Any]:
    return {
        "students": a.students,
        "absent": a.absent,
        "ill": a.ill,
        "excused": a.excused,
        "late": a.late,
        "missed": a.missed,
        "per_student": num(a.per_student),
        "share": num(a.share),
    }


def _window(w: reports.Window) -> dict[str, Any]:
    return {
        "label": w.label,
        "period_number": w.number,
        "starts_on": w.starts_on,
        "ends_on": w.ends_on,
    }


def _subjects(lines: list[Any]) -> list[dict[str, Any]]:
    return [
        {"id": s.id, "name": s.name, "short_name": s.short_name, "rates": _rates(s.rates)}
        for s in lines
    ]


def _units(units: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "id": u.id,
            "name": u.name,
            "grade": u.grade,
            "rates": _rates(u.rates),
            "attendance": _attendance(u.attendance),
            "averages": [
                {"subject_id": k, "average": num(v)} for k, v in sorted(u.averages.items())
            ],
        }
        for u in units
    ]


def _period(periods: list[Period], chosen: str | None) -> Period | None:
    """The chosen period (None for the year); the current one when nothing is chosen."""
    if chosen == reports.YEAR:
        return None
    if chosen is None:
        return reports.current_period(periods, today())
    period = next((p for p in periods if str(p.pk) == chosen), None)
    if period is None:
        raise invalid("period", _("This period is not in the school year."), "bad_period")
    return period


# --- endpoints --------------------------------------------------------------------------------


@router.get(
    "/journal/reports/classes/{group_id}",
    response={200: ClassReportOut, **errors_for(401, 404, 422)},
    summary="The report of a class",
    description=(
        "Each student's result in each subject (the period mark, or the suggested one), "
        "успеваемость and качество знаний per subject and for the class, the average marks "
        "and attendance. For the class teacher, the institution's administrators and the "
        "municipal admins."
    ),
)
def report_class(request: HttpRequest, group_id: Id, query: Query[ReportQuery]) -> Any:
    group = reports.class_for_report(request.user, group_id)
    period = _period(list(group.year.periods.all()), query.period)
    report = reports.class_report(group, reports.window_for(group.year, period, group))
    return {
        "group": {"id": group.pk, "name": group.name},
        "window": _window(report.window),
        "subjects": _subjects(report.subjects),
        "students": [
            {
                "id": s.id,
                "name": s.name,
                "status": s.status,
                "results": [
                    {
                        "subject_id": sid,
                        "result": c.r,
                        "text": c.text,
                        "is_period_mark": c.is_period_mark,
                        "average": num(c.average),
                        "marks": c.marks,
                    }
                    for sid, c in sorted(s.cells.items())
                ],
                "attendance": _attendance(s.attendance),
            }
            for s in report.students
        ],
        "total": _rates(report.total),
        "attendance": _attendance(report.attendance),
    }


@router.get(
    "/journal/reports/institutions/{institution_id}",
    response={200: SchoolReportOut, **errors_for(401, 404, 422)},
    summary="The report of a school",
    description=(
        "Per class, per parallel and per subject, with the school's totals: numbers only, no "
        "student one by one. For the institution's administrators, the municipal admins and "
        "the methodologists."
    ),
)
def report_school(request: HttpRequest, institution_id: Id, query: Query[SchoolReportQuery]) -> Any:
    institution = get_for_user_or_404(
        request.user, "journal.view_reports", Institution.objects.all(), pk=institution_id
    )
    years = list(AcademicYear.objects.filter(institution=institution).order_by("-starts_on"))
    if query.year_id is not None:
        year = next((y for y in years if y.pk == query.year_id), None)
        if year is None:
            raise invalid("year_id", _("This school year is not of this institution."), "bad_year")
    else:
        year = reports.current_year(years, today())
    empty: dict[str, Any] = {
        "institution": {"id": institution.pk, "name": institution.short_name},
        "year": None,
        "window": None,
        "classes": [],
        "parallels": [],
        "subjects": [],
        "total": _rates(reports.Rates()),
        "attendance": _attendance(reports.AttendanceStats()),
    }
    if year is None:
        return empty
    period = _period(list(year.periods.all()), query.period)
    report = reports.school_report(institution, reports.window_for(year, period))
    return {
        **empty,
        "year": {"id": year.pk, "name": year.name},
        "window": _window(report.window),
        "classes": _units(report.classes),
        "parallels": _units(report.parallels),
        "subjects": _subjects(report.subjects),
        "total": _rates(report.total),
        "attendance": _attendance(report.attendance),
    }


@router.get(
    "/journal/reports/municipalities/{municipality_id}",
    response={200: MunicipalReportOut, **errors_for(401, 404, 422)},
    summary="The report of the municipality",
    description=(
        "Per school and per subject, with the municipal totals, for a period (compared "
        "between the schools that use the same periods) or a whole year. For the municipal "
        "admins and the methodologists."
    ),
)
def report_municipality(
    request: HttpRequest, municipality_id: Id, query: Query[MunicipalReportQuery]
) -> Any:
    municipality = Municipality.objects.filter(pk=municipality_id).first()
    if municipality is None or not reports.can_view_municipal_report(request.user, municipality):
        raise Http404
    options = reports.municipal_options(municipality)
    if query.window is not None:
        option = next((o for o in options if o.key == query.window), None)
        if option is None:
            raise invalid(
                "window", _("Choose one of the periods listed in “windows”."), "bad_window"
            )
    else:
        option = reports.default_municipal_option(options, today())
    out: dict[str, Any] = {
        "municipality": {"id": municipality.pk, "name": municipality.name},
        "windows": [{"key": o.key, "label": o.label} for o in options],
        "window_key": option.key if option else None,
        "window": None,
        "schools": [],
        "subjects": [],
        "total": _rates(reports.Rates()),
        "attendance": _attendance(reports.AttendanceStats()),
    }
    if option is None:
        return out
    report = reports.municipal_report(municipality, reports.municipal_window(municipality, option))
    out.update(
        window=_window(report.window),
        schools=_units(report.schools),
        subjects=_subjects(report.subjects),
        total=_rates(report.total),
        attendance=_attendance(report.attendance),
    )
    return out
