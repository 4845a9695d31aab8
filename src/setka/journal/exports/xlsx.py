"""XLSX files (openpyxl): the three reports, and the class journal in the layout of the paper
journal (a title sheet, then for each subject a sheet of marks and a sheet of topics)."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from setka.core.exports import safe_row

from .. import reports
from .journal import ClassJournal

PERCENT = "0.0"
AVERAGE = "0.00"


def _book():
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    return book


def _append(sheet, row: list[Any]) -> None:
    """Every row goes through ``safe_cell``: no text becomes a formula."""
    sheet.append(safe_row(row))


def _bytes(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet_title(text: str, used: set[str]) -> str:
    title = re.sub(r"[\[\]:*?/\\]", " ", text).strip()[:31] or "-"
    base, n = title, 2
    while title.lower() in used:
        suffix = f" ({n})"
        title = base[: 31 - len(suffix)] + suffix
        n += 1
    used.add(title.lower())
    return title


def _head(sheet, lines: list[str], header: list[str]) -> None:
    from openpyxl.styles import Alignment, Font

    for i, line in enumerate(lines):
        _append(sheet, [line])
        sheet.cell(row=i + 1, column=1).font = Font(bold=i == 0, size=13 if i == 0 else 11)
    _append(sheet, [])
    _append(sheet, header)
    row = sheet.max_row
    for cell in sheet[row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = f"B{row + 1}"  # (asking for a cell would create an empty row)


def _widths(sheet, first: int = 28, rest: int = 11) -> None:
    from openpyxl.utils import get_column_letter

    for i in range(1, sheet.max_column + 1):
        sheet.column_dimensions[get_column_letter(i)].width = first if i == 1 else rest


def _formats(sheet, start_row: int, formats: dict[int, str]) -> None:
    for row in sheet.iter_rows(min_row=start_row):
        for cell in row:
            fmt = formats.get(cell.column)
            if fmt and isinstance(cell.value, int | float | Decimal):
                cell.number_format = fmt


def _rates_header() -> list[str]:
    return [
        _("Students with results"),
        _("Pass rate, %"),
        _("Quality, %"),
        _("Average mark"),
    ]


def _attendance_header() -> list[str]:
    return [
        "Н",
        "Б",
        "УП",
        "ОП",
        _("Missed per student"),
        _("Share of lessons missed, %"),
    ]


def _rates(rates: reports.Rates) -> list[Any]:
    return [rates.students, rates.success, rates.quality, rates.average]


def _attendance(a: reports.AttendanceStats) -> list[Any]:
    return [a.absent, a.ill, a.excused, a.late, a.per_student, a.share]


def _definitions() -> list[str]:
    return [
        _(
            "Pass rate: students without a 2, н/а or незачёт among the students with results. "
            "Quality: students with only 4 and 5 among them. A result is the period mark, or "
            "when there is none, the mark suggested from the weighted average."
        )
    ]


def _units_sheet(book, used, *, title, lines, label, units, total_label, total, attendance) -> None:
    sheet = book.create_sheet(_sheet_title(title, used))
    _head(sheet, lines, [label, *_rates_header(), *_attendance_header()])
    start = sheet.max_row + 1
    for unit in units:
        _append(sheet, [unit.name, *_rates(unit.rates), *_attendance(unit.attendance)])
    _append(sheet, [total_label, *_rates(total), *_attendance(attendance)])
    _formats(sheet, start, {3: PERCENT, 4: PERCENT, 5: AVERAGE, 11: PERCENT})
    _widths(sheet)


def _subjects_sheet(book, used, lines, subjects, total) -> None:
    sheet = book.create_sheet(_sheet_title(_("Subjects"), used))
    header = [_("Subject"), _("Results"), _("Pass rate, %"), _("Quality, %"), _("Average mark")]
    _head(sheet, lines, [*header, "2", "3", "4", "5", _("Marks")])
    start = sheet.max_row + 1
    for line in subjects:
        r = line.rates
        _append(sheet, [line.name, *_rates(r), r.d2, r.d3, r.d4, r.d5, r.marks])
    totals = [total.average, total.d2, total.d3, total.d4, total.d5]
    _append(sheet, [_("All subjects"), None, None, None, *totals])
    _formats(sheet, start, {3: PERCENT, 4: PERCENT, 5: AVERAGE})
    _widths(sheet)


def _matrix_sheet(book, used, *, lines, label, units, subjects) -> None:
    sheet = book.create_sheet(_sheet_title(_("Average marks"), used))
    _head(sheet, lines, [label, *[s.short_name or s.name for s in subjects]])
    start = sheet.max_row + 1
    for unit in units:
        _append(sheet, [unit.name, *[unit.averages.get(s.id) for s in subjects]])
    _append(sheet, [_("Average"), *[s.rates.average for s in subjects]])
    _formats(sheet, start, dict.fromkeys(range(2, len(subjects) + 2), AVERAGE))
    _widths(sheet)


def class_report_xlsx(report: reports.ClassReport) -> bytes:
    book = _book()
    used: set[str] = set()
    sheet = book.create_sheet(_sheet_title(report.group.name, used))
    lines = [
        _("Class report: %(group)s") % {"group": report.group.name},
        f"{report.group.institution.short_name} · {report.window.label}",
        *_definitions(),
    ]
    header = [_("Student"), *[s.short_name or s.name for s in report.subjects], _("Status")]
    _head(sheet, lines, [*header, *_attendance_header()])
    start = sheet.max_row + 1
    status = {"good": _("only 4 and 5"), "passing": _("passes"), "failing": _("fails")}
    for student in report.students:
        cells = [student.cells.get(s.id) for s in report.subjects]
        _append(
            sheet,
            [
                student.name,
                *[_cell_value(c) for c in cells],
                status.get(student.status, ""),
                *_attendance(student.attendance),
            ],
        )
    n = len(report.subjects)
    _formats(sheet, start, {n + 7: "0.0", n + 8: PERCENT})
    footer = sheet.max_row + 1
    subjects, total = report.subjects, report.total
    _append(sheet, [_("Pass rate, %"), *[s.rates.success for s in subjects], total.success])
    _append(sheet, [_("Quality, %"), *[s.rates.quality for s in subjects], total.quality])
    _append(sheet, [_("Average mark"), *[s.rates.average for s in subjects], total.average])
    _formats(sheet, footer, dict.fromkeys(range(2, n + 3), PERCENT))
    _formats(sheet, footer + 2, dict.fromkeys(range(2, n + 3), AVERAGE))
    _append(sheet, [_("Total"), *([None] * (n + 1)), *_attendance(report.attendance)])
    _formats(sheet, footer + 3, {n + 7: "0.0", n + 8: PERCENT})
    _widths(sheet, rest=9)
    return _bytes(book)


def _cell_value(cell: reports.ResultCell | None) -> Any:
    if cell is None or cell.r is None:
        return None
    return cell.r if cell.r > 0 else cell.text


def school_report_xlsx(report: reports.SchoolReport) -> bytes:
    units = []
    for grade in report.parallels:
        units += [c for c in report.classes if c.grade == grade.grade]
        grade_line = reports.Unit(grade.id, _("Grade %(grade)s in all") % {"grade": grade.grade})
        grade_line.rates, grade_line.attendance = grade.rates, grade.attendance
        units.append(grade_line)
    units += [c for c in report.classes if c.grade is None]
    return _summary_book(
        report,
        heading=_("School report: %(school)s") % {"school": report.institution.short_name},
        title=_("Classes"),
        label=_("Class"),
        units=units,
        matrix_units=report.classes,
        total_label=_("School"),
    )


def municipal_report_xlsx(report: reports.MunicipalReport) -> bytes:
    return _summary_book(
        report,
        heading=_("Municipal report: %(name)s") % {"name": report.municipality.name},
        title=_("Institutions"),
        label=_("Institution"),
        units=report.schools,
        matrix_units=report.schools,
        total_label=_("Municipality"),
    )


def _summary_book(
    report: reports.SchoolReport | reports.MunicipalReport,
    *,
    heading: str,
    title: str,
    label: str,
    units: list[reports.Unit],
    matrix_units: list[reports.Unit],
    total_label: str,
) -> bytes:
    """The sheets of a school or municipal report: the units (classes with their grade lines,
    or schools) with the total, the subjects, and the averages of unit × subject."""
    book = _book()
    used: set[str] = set()
    lines = [heading, report.window.label, *_definitions()]
    _units_sheet(
        book,
        used,
        title=title,
        lines=lines,
        label=label,
        units=units,
        total_label=total_label,
        total=report.total,
        attendance=report.attendance,
    )
    _subjects_sheet(book, used, lines, report.subjects, report.total)
    _matrix_sheet(
        book, used, lines=lines, label=label, units=matrix_units, subjects=report.subjects
    )
    return _bytes(book)


# --- the class journal ----------------------------------------------------------------------


def journal_xlsx(data: ClassJournal) -> bytes:
    from openpyxl.styles import Alignment, Font

    book = _book()
    used: set[str] = set()
    title = book.create_sheet(_sheet_title(_("Title page"), used))
    for line in _title_lines(data):
        _append(title, [line])
    title["A1"].font = Font(bold=True, size=14)
    _append(title, [])
    _append(title, ["№", _("Student")])
    for i, (_pid, name) in enumerate(data.students, start=1):
        _append(title, [i, name])
    title.column_dimensions["A"].width = 6
    title.column_dimensions["B"].width = 40
    for n, page in enumerate(data.pages, start=1):
        name = f"{n} {page.subject_short or page.subject_name}"[:20]
        left = book.create_sheet(_sheet_title(f"{name} {_('marks')}", used))
        _append(left, [f"{page.subject_name} · {page.group_name} · {page.teachers}"])
        left["A1"].font = Font(bold=True)
        dates = [f"{x.date:%d.%m}" for x in page.lessons]
        _append(left, ["№", _("Student"), *dates, _("Period mark")])
        for cell in left[2]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center")
        for i, student in enumerate(page.students, start=1):
            cells = [student.cells.get(x.id, "") for x in page.lessons]
            _append(left, [i, student.name, *cells, student.period_mark])
        left.freeze_panes = "C3"
        left.column_dimensions["A"].width = 5
        left.column_dimensions["B"].width = 28
        right = book.create_sheet(_sheet_title(f"{name} {_('topics')}", used))
        _append(right, [f"{page.subject_name} · {page.group_name}"])
        right["A1"].font = Font(bold=True)
        _append(right, [_("Date"), _("Lesson topic"), _("Homework"), _("Teacher")])
        for cell in right[2]:
            cell.font = Font(bold=True)
        for lesson in page.lessons:
            _append(right, [lesson.date, lesson.topic, lesson.homework, lesson.teacher])
            right.cell(row=right.max_row, column=1).number_format = "DD.MM.YYYY"
            for col in (2, 3):
                right.cell(row=right.max_row, column=col).alignment = Alignment(wrap_text=True)
        right.freeze_panes = "A3"
        for letter, width in zip("ABCD", (12, 50, 50, 24), strict=True):
            right.column_dimensions[letter].width = width
    return _bytes(book)


def _title_lines(data: ClassJournal) -> list[str]:
    return [
        _("Class journal"),
        data.institution_name,
        _("Class: %(group)s") % {"group": data.group.name},
        _("%(period)s, %(year)s school year")
        % {"period": data.period.name, "year": data.group.year.name},
        _("Class teacher: %(name)s") % {"name": data.class_teacher or "—"},
        _("Printed on %(date)s") % {"date": f"{data.made_on:%d.%m.%Y}"},
    ]
