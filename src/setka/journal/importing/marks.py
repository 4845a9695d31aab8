"""Importing marks in the exchange format (``docs/journal-exchange.md``): fast and all-or-nothing.

The whole file is checked in memory against a handful of queries (the year's group members,
its lessons in the file's dates, subjects, mark kinds and the marks already there); then, when
no row has an error, the marks are written in bulk (``COPY`` on PostgreSQL, ``bulk_create``
elsewhere) and ONE audit entry names the
file and the count. Rows repeating a mark already in the journal (same lesson, student, value
and kind) are skipped, so importing the same file twice adds nothing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils.translation import ngettext

from setka.core import clock
from setka.core.audit import audit_log
from setka.core.tabular import Column, ImportReport, ImportRow, Spec, read_table

from ..models import AcademicYear, Mark
from .marks_check import NewMark, YearIndex, parse_rows, resolve

MARKS = Spec(
    kind="marks",
    columns=(
        Column("student", "Код ученика", "student_id", ("id ученика", "код", "student"),
               required=True, example="1024"),
        Column("student_name", "ФИО ученика", "student_name", ("ученик", "фио"),
               example="Иванова Мария Петровна"),
        Column("external_id", "Внешний код", "external_id", ("код рсэж",), example=""),
        Column("institution", "Учреждение", "institution", ("школа",), example="school-3"),
        Column("group", "Класс", "group", ("группа", "класс/группа"), example="7Б"),
        Column("date", "Дата", "date", ("дата урока",), required=True, example="15.09.2026"),
        Column("number", "Номер урока", "lesson_number", ("№ урока", "урок"), example="2"),
        Column("subject", "Предмет", "subject", (), example="Математика"),
        Column("value", "Оценка", "mark", ("отметка", "value"), required=True, example="5"),
        Column("kind", "Вид оценки", "mark_kind", ("вид", "вид работы", "kind"),
               example="Ответ на уроке"),
        Column("comment", "Комментарий", "comment", (), example=""),
    ),
    max_rows=200_000,
    max_bytes=40 * 1024 * 1024,
    one_of=(("number", "subject"),),
)  # fmt: skip

BATCH = 5000


def marks_import_file(
    *, actor: Any, year: AcademicYear, data: bytes, filename: str, dry_run: bool = False
) -> ImportReport:
    """Read and import a file; raises :class:`~.files.ImportFileError` when it is unreadable."""
    table = read_table(data, filename, MARKS)
    return marks_import(actor=actor, year=year, rows=table.rows, filename=filename, dry_run=dry_run)


def marks_import(
    *,
    actor: Any,
    year: AcademicYear,
    rows: Sequence[ImportRow],
    filename: str = "",
    dry_run: bool = False,
) -> ImportReport:
    """Check every row, then write all the marks (or, on any error or a dry run, nothing)."""
    if not actor.has_perm("journal.manage_year", year):
        raise PermissionDenied
    report = ImportReport(kind="marks", dry_run=dry_run, filename=filename, rows=len(rows))
    with transaction.atomic():
        ctx = YearIndex(year)
        parsed = parse_rows(rows, ctx, report)
        marks, skipped = resolve(parsed, ctx, report) if parsed else ([], 0)
        if report.errors or dry_run:
            transaction.set_rollback(True)
        else:
            write_marks(marks, institution_id=year.institution_id, actor=actor)
            audit_log(
                "journal.marks.import",
                actor=actor,
                obj=year,
                institution_id=year.institution_id,
                changes={"file": filename, "count": len(marks), "skipped": skipped},
            )
    report.counts = {"marks": len(marks), "skipped": skipped}
    report.summary = [
        ngettext("%(n)d mark is added.", "%(n)d marks are added.", len(marks)) % {"n": len(marks)}
        if not dry_run
        else ngettext("%(n)d mark will be added.", "%(n)d marks will be added.", len(marks))
        % {"n": len(marks)}
    ]
    if skipped:
        report.summary.append(
            ngettext(
                "%(n)d row repeats a mark already in the journal and is skipped.",
                "%(n)d rows repeat marks already in the journal and are skipped.",
                skipped,
            )
            % {"n": skipped}
        )
    report.sort(MARKS)
    return report


def write_marks(marks: list[NewMark], *, institution_id: int, actor: Any) -> None:
    """Insert the marks in bulk: COPY on PostgreSQL (100,000 rows in a few seconds),
    ``bulk_create`` elsewhere. Every concrete field of Mark gets its value or its default."""
    now = clock.now()
    actor_id = actor.pk if getattr(actor, "pk", None) else None
    names = ("lesson", "student", "group", "subject", "date", "value", "passed", "kind", "comment")
    fixed = {
        "institution": institution_id,
        "created_by": actor_id,
        "created_at": now,
        "updated_at": now,
        "is_deleted": False,
    }
    if connection.vendor != "postgresql":
        Mark.objects.bulk_create(
            (
                Mark(
                    institution_id=institution_id,
                    created_by_id=actor_id,
                    **{f"{n}_id" if n in _FKS else n: v for n, v in zip(names, m, strict=True)},
                )
                for m in marks
            ),
            batch_size=BATCH,
        )
        return
    fields = [f for f in Mark._meta.concrete_fields if not f.primary_key]
    position = {n: i for i, n in enumerate(names)}
    plan = []  # per column: ("row", index) or ("value", constant)
    for f in fields:
        if f.name in position:
            plan.append((True, position[f.name]))
        elif f.name in fixed:
            plan.append((False, fixed[f.name]))
        else:
            plan.append((False, f.get_default()))
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(Mark._meta.db_table)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(
            f"COPY {table} ({columns}) FROM STDIN"  # names from the model, not from the file
        ) as copy,
    ):
        for m in marks:
            copy.write_row([m[x] if from_row else x for from_row, x in plan])


_FKS = {"lesson", "student", "group", "subject", "kind"}
