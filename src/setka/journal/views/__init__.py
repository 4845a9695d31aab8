"""The journal pages. What the teacher's pages share lives where the API finds it too: fetching
a journal or a lesson with the user's access (``journal.access``), choosing the period
(``journal.periods``), the errors of the grid's JSON (``journal.errors``); here only the
formatting of numbers remains."""

from __future__ import annotations

from decimal import Decimal

from django.utils import formats


def fmt_average(value: Decimal | None) -> str:
    return formats.number_format(value, 2) if value is not None else ""
