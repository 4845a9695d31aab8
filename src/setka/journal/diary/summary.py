"""The summary of a student's year: per subject the weighted average of the current period,
the period and year marks so far, attendance, and the results of other institutions' courses
that the school credits (the network programmes' selector). Six queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count

from setka.programs.selectors.credits import Credit, credited_results

from ..averages import suggest_mark, weighted_average
from ..marktext import mark_text
from ..models import (
    Attendance,
    AttendanceCode,
    GroupMember,
    Mark,
    Period,
    PeriodMark,
    TeachingAssignment,
)
from .common import ABSENCE_CODES, groups_of


@dataclass
class SummaryPeriod:
    id: int
    number: int
    name: str
    starts_on: dt.date
    ends_on: dt.date


@dataclass
class SummarySubject:
    id: int
    name: str
    order: int
    is_pass_fail: bool
    average: Decimal | None = None
    count: int = 0
    suggested: int | None = None
    period_marks: dict[int, str] = field(default_factory=dict)  # period id -> text
    year_mark: str = ""
    absences: int = 0  # in the current period
    marks: list[tuple[int, Decimal]] = field(default_factory=list)
    period_row: list[tuple[str, str]] = field(default_factory=list)  # (period name, mark)


@dataclass
class SummaryYear:
    id: int
    name: str
    institution: str
    starts_on: dt.date
    ends_on: dt.date
    rounding: str
    min_marks: int
    periods: list[SummaryPeriod] = field(default_factory=list)
    current: SummaryPeriod | None = None
    subjects: dict[int, SummarySubject] = field(default_factory=dict)
    attendance_period: dict[str, int] = field(default_factory=dict)  # code -> count
    attendance_year: dict[str, int] = field(default_factory=dict)
    institution_id: int = 0
    # Courses of other institutions credited here as a subject, with their results.
    credits: list[Credit] = field(default_factory=list)

    @property
    def attendance_rows(self) -> list[tuple[str, str, int, int]]:
        """(code, label, in the current period, in the year) for every code."""
        return [
            (
                code,
                str(label),
                self.attendance_period.get(code, 0),
                self.attendance_year.get(code, 0),
            )
            for code, label in AttendanceCode.choices
        ]

    @property
    def subject_list(self) -> list[SummarySubject]:
        return sorted(self.subjects.values(), key=lambda s: (s.order, s.name))

    def subject(self, subject_id: int, name: str, order: int, grading: str) -> SummarySubject:
        if subject_id not in self.subjects:
            self.subjects[subject_id] = SummarySubject(
                subject_id, name, order, grading == "pass_fail"
            )
        return self.subjects[subject_id]


@dataclass
class Summary:
    student_id: int
    today: dt.date
    years: list[SummaryYear]


def _current_years(years: list[SummaryYear], today: dt.date) -> list[SummaryYear]:
    """The years that contain today; out of term, the latest year already begun (else the
    earliest to come)."""
    current = [y for y in years if y.starts_on <= today <= y.ends_on]
    if current:
        return current
    begun = [y for y in years if y.starts_on <= today]
    if begun:
        latest = max(y.ends_on for y in begun)
        return [y for y in begun if y.ends_on == latest]
    if years:
        earliest = min(y.starts_on for y in years)
        return [y for y in years if y.starts_on == earliest]
    return []


def _current_period(periods: list[SummaryPeriod], today: dt.date) -> SummaryPeriod | None:
    started = [p for p in periods if p.starts_on <= today]
    if started:
        return max(started, key=lambda p: p.starts_on)
    return periods[0] if periods else None


def _years(student_id: int) -> list[SummaryYear]:
    """The years of the student's groups with their periods (one query)."""
    years: dict[int, SummaryYear] = {}
    for row in (
        Period.objects.filter(
            year_id__in=GroupMember.objects.filter(student_id=student_id).values("group__year_id")
        )
        .order_by("year__starts_on", "year_id", "number")
        .values(
            "id",
            "number",
            "name",
            "starts_on",
            "ends_on",
            "year_id",
            "year__name",
            "year__institution__short_name",
            "year__institution_id",
            "year__starts_on",
            "year__ends_on",
            "year__rounding",
            "year__min_marks_for_period",
        )
    ):
        year = years.get(row["year_id"])
        if year is None:
            year = years[row["year_id"]] = SummaryYear(
                id=row["year_id"],
                name=row["year__name"],
                institution=row["year__institution__short_name"],
                starts_on=row["year__starts_on"],
                ends_on=row["year__ends_on"],
                rounding=row["year__rounding"],
                min_marks=row["year__min_marks_for_period"],
                institution_id=row["year__institution_id"],
            )
        year.periods.append(
            SummaryPeriod(row["id"], row["number"], row["name"], row["starts_on"], row["ends_on"])
        )
    return list(years.values())


SUBJECT_FIELDS = ("subject_id", "subject__name", "subject__order", "subject__grading")


def _add_subjects(
    by_id: dict[int, SummaryYear], student_id: int, start: dt.date, end: dt.date
) -> None:
    """The subjects taught in the student's groups of each year."""
    for year_id, *subject in (
        TeachingAssignment.objects.filter(
            group_id__in=groups_of(student_id, start, end), group__year_id__in=list(by_id)
        )
        .values_list("group__year_id", *SUBJECT_FIELDS)
        .distinct()
    ):
        by_id[year_id].subject(*subject)


def _add_marks(
    by_id: dict[int, SummaryYear], student_id: int, start: dt.date, end: dt.date
) -> None:
    """The marks of each year's current period (a subject with marks of other periods only is
    still listed)."""
    for year_id, s_id, s_name, s_order, grading, date, value, weight in (
        Mark.objects.filter(
            student_id=student_id,
            date__gte=start,
            date__lte=end,
            is_deleted=False,
            group__year_id__in=list(by_id),
        )
        .order_by()
        .values_list("group__year_id", *SUBJECT_FIELDS, "date", "value", "kind__weight")
    ):
        year = by_id[year_id]
        current = year.current
        if value is None or current is None or not current.starts_on <= date <= current.ends_on:
            year.subject(s_id, s_name, s_order, grading)
            continue
        year.subject(s_id, s_name, s_order, grading).marks.append((value, weight))


def _add_period_marks(by_id: dict[int, SummaryYear], student_id: int) -> None:
    for year_id, s_id, s_name, s_order, grading, period_id, value, passed, not_certified in (
        PeriodMark.objects.filter(student_id=student_id, group__year_id__in=list(by_id))
        .order_by()
        .values_list(
            "group__year_id", *SUBJECT_FIELDS, "period_id", "value", "passed", "not_certified"
        )
    ):
        text = mark_text(value, passed, not_certified)
        if value is None and passed is None and not not_certified:
            continue
        subject = by_id[year_id].subject(s_id, s_name, s_order, grading)
        if period_id is None:
            subject.year_mark = text
        else:
            subject.period_marks[period_id] = text


def _add_attendance(
    by_id: dict[int, SummaryYear], student_id: int, start: dt.date, end: dt.date
) -> None:
    """Attendance codes counted over the year and the current period; absences by subject."""
    for year_id, period_id, subject_id, code, n in (
        Attendance.objects.filter(
            student_id=student_id,
            date__gte=start,
            date__lte=end,
            lesson__year_id__in=list(by_id),
        )
        .exclude(code="")
        .values_list("lesson__year_id", "lesson__period_id", "lesson__subject_id", "code")
        .annotate(n=Count("id"))
        .order_by()
    ):
        year = by_id[year_id]
        year.attendance_year[code] = year.attendance_year.get(code, 0) + n
        if year.current is not None and period_id == year.current.id:
            year.attendance_period[code] = year.attendance_period.get(code, 0) + n
            if code in ABSENCE_CODES and subject_id in year.subjects:
                year.subjects[subject_id].absences += n


def _finish(year: SummaryYear) -> None:
    """Each subject's average, suggested mark and row of period marks."""
    for subject in year.subjects.values():
        subject.count = len(subject.marks)
        subject.average = weighted_average(subject.marks)
        subject.suggested = suggest_mark(
            subject.average, subject.count, rounding=year.rounding, min_marks=year.min_marks
        )
        subject.period_row = [(p.name, subject.period_marks.get(p.id, "")) for p in year.periods]


def diary_summary(student_id: int, today: dt.date) -> Summary:
    chosen = _current_years(_years(student_id), today)
    for year in chosen:
        year.current = _current_period(year.periods, today)
    by_id = {y.id: y for y in chosen}
    if not by_id:
        return Summary(student_id=student_id, today=today, years=[])
    start = min(y.starts_on for y in chosen)
    end = max(y.ends_on for y in chosen)
    _add_subjects(by_id, student_id, start, end)
    _add_marks(by_id, student_id, start, end)
    _add_period_marks(by_id, student_id)
    _add_attendance(by_id, student_id, start, end)
    credits = credited_results([student_id], first=start, last=end).get(student_id, [])
    for year in chosen:
        _finish(year)
        year.credits = [c for c in credits if c.home_institution_id == year.institution_id]
    return Summary(student_id=student_id, today=today, years=chosen)
