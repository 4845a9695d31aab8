"""Exports in the exchange format (``docs/journal-exchange.md``) for the regional state journal
system: students by class, the timetable, marks, attendance and period marks of a year. The
marks file is the import format, so it can be imported back (a re-import adds nothing).

Each export is one query (with joins) producing rows of plain values; ``csv_response`` streams
them as CSV (UTF-8 with a BOM, ``;``), ``xlsx_bytes`` writes a workbook; both pass every cell
through ``safe_cell``, so no text (a surname, a topic, a comment) is written as a formula."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.http import StreamingHttpResponse

from setka.core.exports import safe_row

from ..marktext import mark_text
from ..models import AcademicYear, Attendance, GroupMember, Mark, PeriodMark, TimetableEntry
from ..models.timetable import Weekday

WEEKDAY_CODES = {1: "пн", 2: "вт", 3: "ср", 4: "чт", 5: "пт", 6: "сб"}


@dataclass(frozen=True)
class Export:
    kind: str
    header: tuple[str, ...]


STUDENTS = Export(
    "students",
    ("Учреждение", "Класс", "Параллель", "Литера", "Классный руководитель", "Смена",
     "Код ученика", "Внешний код", "Фамилия", "Имя", "Отчество", "Дата рождения", "Дата зачисления",
     "Дата выбытия"),
)  # fmt: skip
TIMETABLE = Export(
    "timetable",
    ("Учреждение", "Класс", "День недели", "Номер урока", "Предмет", "Учитель", "Кабинет",
     "Действует с", "Действует по"),
)  # fmt: skip
MARKS = Export(
    "marks",
    ("Код ученика", "Внешний код", "ФИО ученика", "Учреждение", "Класс", "Дата", "Номер урока",
     "Предмет", "Оценка", "Вид оценки", "Вес", "Комментарий"),
)  # fmt: skip
ATTENDANCE = Export(
    "attendance",
    ("Код ученика", "Внешний код", "ФИО ученика", "Учреждение", "Класс", "Дата", "Номер урока",
     "Предмет", "Код"),
)  # fmt: skip
PERIOD_MARKS = Export(
    "period_marks",
    ("Код ученика", "Внешний код", "ФИО ученика", "Учреждение", "Класс", "Предмет", "Период",
     "Номер периода", "Оценка", "Средний балл"),
)  # fmt: skip

EXPORTS = {e.kind: e for e in (STUDENTS, TIMETABLE, MARKS, ATTENDANCE, PERIOD_MARKS)}


def _d(day: dt.date | None) -> str:
    return day.strftime("%d.%m.%Y") if day else ""


def _name(surname: str, given: str, patronymic: str) -> str:
    return " ".join(p for p in (surname, given, patronymic) if p)


def export_rows(
    kind: str, year: AcademicYear, *, since: dt.date | None = None, until: dt.date | None = None
) -> Iterator[list[Any]]:
    """The rows (without the header) of an export of ``year``; marks and attendance between
    ``since`` and ``until`` (the whole year by default)."""
    slug = year.institution.slug
    since = since or year.starts_on
    until = until or year.ends_on
    if kind == "students":
        members = (
            GroupMember.objects.filter(group__year=year)
            .order_by("group__grade", "group__letter", "group__name", "student__surname",
                      "student__given_name", "starts_on")
            .values_list("group__name", "group__grade", "group__letter",
                         "group__class_teacher__surname", "group__class_teacher__given_name",
                         "group__class_teacher__patronymic", "group__shift", "student_id",
                         "student__surname",
                         "student__given_name", "student__patronymic", "student__birth_date",
                         "starts_on", "ends_on")
        )  # fmt: skip
        for (
            g,
            grade,
            letter,
            ts,
            tg,
            tp,
            shift,
            sid,
            s,
            gn,
            p,
            born,
            start,
            end,
        ) in members.iterator():
            yield [slug, g, grade or "", letter, _name(ts or "", tg or "", tp or ""), shift, sid,
                   "", s, gn, p, _d(born), _d(start), _d(end)]  # fmt: skip
    elif kind == "timetable":
        entries = (
            TimetableEntry.objects.filter(group__year=year)
            .order_by("group__name", "weekday", "number", "valid_from")
            .values_list("group__name", "weekday", "number", "subject__name", "teacher__surname",
                         "teacher__given_name", "teacher__patronymic", "room", "valid_from",
                         "valid_to")
        )  # fmt: skip
        for g, weekday, n, subject, ts, tg, tp, room, start, end in entries.iterator():
            yield [slug, g, WEEKDAY_CODES.get(weekday, Weekday(weekday).label), n, subject,
                   _name(ts, tg, tp), room, _d(start), _d(end)]  # fmt: skip
    elif kind == "marks":
        marks = (
            Mark.objects.filter(
                institution_id=year.institution_id,
                date__gte=since,
                date__lte=until,
                is_deleted=False,
                group__year=year,
            )
            .order_by("date", "lesson__number", "group__name", "student__surname", "id")
            .values_list("student_id", "student__surname", "student__given_name",
                         "student__patronymic", "group__name", "date", "lesson__number",
                         "subject__name", "value", "passed", "kind__name", "kind__weight",
                         "comment")
        )  # fmt: skip
        for sid, s, g, p, group, day, n, subject, value, passed, kind_, w, c in marks.iterator(
            chunk_size=5000
        ):
            yield [sid, "", _name(s, g, p), slug, group, _d(day), n, subject,
                   mark_text(value, passed), kind_, str(w).replace(".", ","), c]  # fmt: skip
    elif kind == "attendance":
        rows = (
            Attendance.objects.filter(
                institution_id=year.institution_id,
                date__gte=since,
                date__lte=until,
                group__year=year,
            )
            .exclude(code="")
            .order_by("date", "lesson__number", "group__name", "student__surname")
            .values_list("student_id", "student__surname", "student__given_name",
                         "student__patronymic", "group__name", "date", "lesson__number",
                         "lesson__subject__name", "code")
        )  # fmt: skip
        for sid, s, g, p, group, day, n, subject, code in rows.iterator(chunk_size=5000):
            yield [sid, "", _name(s, g, p), slug, group, _d(day), n, subject, code]
    elif kind == "period_marks":
        rows = (
            PeriodMark.objects.filter(group__year=year)
            .filter(Q(period__isnull=True) | Q(period__year=year))
            .order_by("group__name", "subject__name", "student__surname", "period__number")
            .values_list("student_id", "student__surname", "student__given_name",
                         "student__patronymic", "group__name", "subject__name", "period__name",
                         "period__number", "value", "passed", "not_certified", "average")
        )  # fmt: skip
        for sid, s, g, p, group, subject, period, number, value, passed, na, avg in rows:
            mark = mark_text(value, passed, na)
            average = str(avg).replace(".", ",") if avg is not None else ""
            yield [sid, "", _name(s, g, p), slug, group, subject, period or "год", number or "",
                   mark, average]  # fmt: skip
    else:
        raise KeyError(kind)


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(export: Export, rows: Iterable[list[Any]], filename: str):
    """A streamed CSV: UTF-8 with a BOM and ``;``, as Excel opens it in a Russian locale."""
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")

    def lines() -> Iterator[bytes]:
        yield ("\ufeff" + writer.writerow(safe_row(export.header))).encode("utf-8")
        for row in rows:
            yield writer.writerow(safe_row(row)).encode("utf-8")

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_bytes(export: Export, rows: Iterable[list[Any]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(export.kind[:31])
    sheet.append(safe_row(export.header))
    for row in rows:
        sheet.append(safe_row(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
