"""Reports of the journal for a class, a school and the municipality: успеваемость, качество
знаний, the average mark per subject, and attendance. Pure reads, a fixed number of queries
each whatever the size (all aggregation happens in SQL: see ``sql``), used by the pages, the
XLSX exports and the API alike. Access is checked by the callers (``access`` helpers below).

Definitions (also shown on the report pages):

- a student's *result* in a subject is the period mark (the year mark for the year) when the
  teacher has set one, otherwise the mark suggested from the weighted average of the current
  marks by the institution's rounding rule and minimum number of marks; "н/а" and "незачёт"
  are failing results, "зачёт" is neutral;
- **успеваемость** = students without a failing result (2, 1, н/а, незачёт) ÷ students with
  at least one result, in %;
- **качество знаний** = students whose results are all 4 and 5 ÷ the same students, in %;
- per subject the same shares are taken over the results in that subject;
- **average mark** = Σ(mark × weight of its kind) ÷ Σ(weights) over the current marks 1–5 of
  the window (the journal's weighted average, over all its marks together);
- **attendance**: absences by code (Н, Б, УП; ОП — late — is counted but is not an absence);
  *missed* = Н + Б + УП; *missed per student* = missed ÷ students; *share missed* = missed ÷
  the lessons held so far × the members of the group on each lesson's day.

Scope: the classes and the groups inside them (subgroups; electives whose class is set); the
marks of a subgroup count for its class. Groups outside any class (network programmes) are not
part of these reports. A municipal period compares schools with the same period scheme.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.http import Http404

from setka.core.clock import today
from setka.network.models import Institution, Municipality
from setka.network.roles import user_roles

from ..models import StudyGroup, Subject
from ..periods import current_period  # the one "current period" rule
from ..rules import group_journal_access
from ..selectors import group_students
from . import sql
from .figures import (
    AttendanceStats,
    Rates,
    ResultCell,
    StudentLine,
    SubjectLine,
    Unit,
    result_text,
)
from .windows import (
    YEAR,
    MunicipalOption,
    Window,
    current_year,
    default_municipal_option,
    municipal_options,
    municipal_window,
    window_for,
)

__all__ = [
    "YEAR",
    "AttendanceStats",
    "ClassReport",
    "MunicipalOption",
    "MunicipalReport",
    "Rates",
    "ResultCell",
    "SchoolReport",
    "StudentLine",
    "SubjectLine",
    "Unit",
    "Window",
    "can_view_class_report",
    "can_view_municipal_report",
    "class_report",
    "current_period",
    "current_year",
    "default_municipal_option",
    "municipal_options",
    "municipal_report",
    "municipal_window",
    "result_text",
    "school_report",
    "window_for",
]


def _subjects(ids: Iterable[int]) -> list[SubjectLine]:
    return [
        SubjectLine(s.pk, s.name, s.short_name)
        for s in Subject.objects.filter(pk__in=set(ids)).order_by("order", "name", "pk")
    ]


# --- access ---------------------------------------------------------------------------------


def can_view_class_report(user: Any, group: StudyGroup) -> bool:
    """The class teacher, the institution's admins and the municipal admin (readers of the
    whole class). Methodologists see only aggregated reports: never this one."""
    return group_journal_access(user, group, None) is not None


def class_for_report(user: Any, group_id: int) -> StudyGroup:
    """The class ``group_id`` (with its year, institution, parent and class teacher) when
    ``user`` may see its report; Http404 for any other group, and for a class they may not."""
    group = (
        StudyGroup.objects.filter(pk=group_id, kind=StudyGroup.Kind.CLASS)
        .select_related("year", "institution", "parent", "class_teacher")
        .first()
    )
    if group is None or not can_view_class_report(user, group):
        raise Http404
    return group


def can_view_municipal_report(user: Any, municipality: Municipality) -> bool:
    roles = user_roles(user)
    return municipality.pk in (roles.municipal_admin_of | roles.methodologist_of)


# --- the class ------------------------------------------------------------------------------


@dataclass
class ClassReport:
    group: StudyGroup
    window: Window
    subjects: list[SubjectLine]
    students: list[StudentLine]
    total: Rates
    attendance: AttendanceStats


def class_report(group: StudyGroup, window: Window) -> ClassReport:
    """Students × subjects with their results, and the totals. Four queries."""
    rows = sql.result_rows(window)
    students = [
        StudentLine(pid, name)
        for pid, name, _left in group_students(group, window.starts_on, window.ends_on)
    ]
    by_id = {s.id: s for s in students}
    subjects = _subjects(r["subject_id"] for r in rows)
    by_subject = {s.id: s for s in subjects}
    total = Rates()
    for row in rows:
        student = by_id.get(row["student_id"])
        if student is None:  # marks of someone no longer listed in the class: not shown
            continue
        r = row["r"]
        s, w = int(row["s"] or 0), int(row["w"] or 0)
        student.cells[row["subject_id"]] = ResultCell(
            r=r,
            text=result_text(r),
            is_period_mark=bool(row["has_pm"]),
            average=Rates(s=s, w=w).average,
            marks=int(row["n"] or 0),
        )
        rates = by_subject[row["subject_id"]].rates
        rates.marks += int(row["n"] or 0)
        rates.s += s
        rates.w += w
        if r is not None:
            rates.students += 1
            rates.passing += r >= 3
            rates.good += r >= 4
            bucket = "d2" if r <= 2 else f"d{r}"
            setattr(rates, bucket, getattr(rates, bucket) + 1)
            student.worst = r if student.worst is None else min(student.worst, r)
    for line in subjects:
        total.add_sums(line.rates)
    for student in students:
        student.row = [student.cells.get(line.id) for line in subjects]
        if student.worst is not None:
            total.students += 1
            total.passing += student.worst >= 3
            total.good += student.worst >= 4
    attendance = AttendanceStats()
    for row in sql.attendance_rows(window, ("student_id",), today()):
        stats = AttendanceStats.from_row(row)
        attendance.add(stats)
        if row["student_id"] in by_id:
            by_id[row["student_id"]].attendance = stats
    return ClassReport(group, window, subjects, students, total, attendance)


# --- the school -----------------------------------------------------------------------------


@dataclass
class SchoolReport:
    institution: Institution
    window: Window
    classes: list[Unit]
    parallels: list[Unit]
    subjects: list[SubjectLine]
    total: Rates
    attendance: AttendanceStats

    @property
    def class_rows(self) -> list[Unit]:
        """The classes, each grade followed by its parallel's subtotal."""
        rows: list[Unit] = []
        by_grade = {p.grade: p for p in self.parallels}
        for i, unit in enumerate(self.classes):
            rows.append(unit)
            following = self.classes[i + 1] if i + 1 < len(self.classes) else None
            if unit.grade in by_grade and (following is None or following.grade != unit.grade):
                rows.append(by_grade[unit.grade])
        return rows


def _fold(
    units: dict[int, Unit], rows: list[dict[str, Any]], key: str
) -> tuple[list[SubjectLine], Rates]:
    """Put summary rows onto units (by ``key``), per-subject lines and the grand total."""
    total = Rates()
    per_subject: dict[int, Rates] = {}
    for row in rows:
        rates = Rates.from_row(row)
        unit = units.get(row[key]) if key else None
        if row["kind"] == "st":
            if unit is not None:
                unit.rates.students += rates.students
                unit.rates.passing += rates.passing
                unit.rates.good += rates.good
            total.students += rates.students
            total.passing += rates.passing
            total.good += rates.good
            continue
        subject_id = row["subject_id"]
        per_subject.setdefault(subject_id, Rates()).add(rates)
        total.add_sums(rates)
        if unit is not None:
            unit.rates.add_sums(rates)
            unit.averages[subject_id] = rates.average
    subjects = _subjects(per_subject)
    for line in subjects:
        line.rates = per_subject[line.id]
    for unit in units.values():
        unit.average_row = [unit.averages.get(line.id) for line in subjects]
    return subjects, total


def _fold_attendance(units: dict[int, Unit], window: Window, key: str) -> AttendanceStats:
    """Put each unit's attendance (rows grouped by ``key``) onto it; returns the total."""
    attendance = AttendanceStats()
    for row in sql.attendance_rows(window, (key,), today()):
        stats = AttendanceStats.from_row(row)
        attendance.add(stats)
        if row[key] in units:
            units[row[key]].attendance = stats
    return attendance


def school_report(institution: Institution, window: Window) -> SchoolReport:
    """Per class (with the parallels of a grade) and per subject. Four queries."""
    classes = {
        g.pk: Unit(g.pk, g.name, grade=g.grade)
        for g in StudyGroup.objects.filter(
            institution=institution, year_id__in=window.year_ids, kind=StudyGroup.Kind.CLASS
        ).only("id", "name", "grade", "letter")
    }
    rows = sql.summary_rows(window, ("class_id",))
    subjects, total = _fold(classes, rows, "class_id")
    attendance = _fold_attendance(classes, window, "class_id")
    parallels: dict[int, Unit] = {}
    for unit in classes.values():
        if unit.grade is None:
            continue
        parallel = parallels.setdefault(
            unit.grade, Unit(unit.grade, str(unit.grade), grade=unit.grade, is_subtotal=True)
        )
        parallel.rates.add(unit.rates)
        parallel.attendance.add(unit.attendance)
    ordered = sorted(classes.values(), key=lambda u: (u.grade or 0, u.name))
    return SchoolReport(
        institution=institution,
        window=window,
        classes=ordered,
        parallels=[parallels[g] for g in sorted(parallels)],
        subjects=subjects,
        total=total,
        attendance=attendance,
    )


# --- the municipality -----------------------------------------------------------------------


@dataclass
class MunicipalReport:
    municipality: Municipality
    window: Window
    schools: list[Unit]
    subjects: list[SubjectLine]
    total: Rates
    attendance: AttendanceStats


def municipal_report(municipality: Municipality, window: Window) -> MunicipalReport:
    """Per school and per subject, with the municipal totals. Four queries; the marks are
    aggregated in the database, never read one by one."""
    schools = {
        i.pk: Unit(i.pk, i.short_name, slug=i.slug)
        for i in Institution.objects.filter(
            Q(pk__in=window.institution_ids), municipality=municipality
        ).only("id", "short_name", "slug")
    }
    rows = sql.summary_rows(window, ("institution_id",))
    subjects, total = _fold(schools, rows, "institution_id")
    attendance = _fold_attendance(schools, window, "institution_id")
    return MunicipalReport(
        municipality=municipality,
        window=window,
        schools=sorted(schools.values(), key=lambda u: u.name),
        subjects=subjects,
        total=total,
        attendance=attendance,
    )
