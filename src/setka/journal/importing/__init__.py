"""Imports into the journal from CSV (UTF-8 or Windows-1251, ``;`` or ``,``) and XLSX files:
classes and students, the timetable, a thematic plan (КТП) and marks. Every import checks the
whole file first and writes either everything or nothing, with a row-level report of errors
(row, column, value, message); a dry run only checks. The formats are documented in
``docs/journal-exchange.md``."""

from __future__ import annotations

from setka.core.tabular import (
    ImportFileError,
    ImportReport,
    ImportRow,
    RowError,
    Spec,
    read_table,
    template_csv,
    template_xlsx,
)

from .classes import CLASSES, classes_import, classes_import_file
from .marks import MARKS, marks_import, marks_import_file
from .plan import PLAN, can_import_plan, plan_import, plan_import_file
from .timetable import TIMETABLE, timetable_import, timetable_import_file

SPECS: dict[str, Spec] = {s.kind: s for s in (CLASSES, TIMETABLE, PLAN, MARKS)}

__all__ = [
    "CLASSES",
    "MARKS",
    "PLAN",
    "SPECS",
    "TIMETABLE",
    "ImportFileError",
    "ImportReport",
    "ImportRow",
    "RowError",
    "Spec",
    "can_import_plan",
    "classes_import",
    "classes_import_file",
    "marks_import",
    "marks_import_file",
    "plan_import",
    "plan_import_file",
    "read_table",
    "template_csv",
    "template_xlsx",
    "timetable_import",
    "timetable_import_file",
]
