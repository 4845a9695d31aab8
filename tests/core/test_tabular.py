"""The cells and the report every import shares (``core.tabular``): one date rule for the
people import and the journal's imports."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from setka.core.tabular import (
    Column,
    DateOutOfRangeError,
    ImportReport,
    ImportRow,
    Spec,
    parse_date,
    text,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("01.09.2024", dt.date(2024, 9, 1)),
        ("1.9.2024", dt.date(2024, 9, 1)),
        ("01/09/2024", dt.date(2024, 9, 1)),
        ("2024-09-01", dt.date(2024, 9, 1)),
        ("2024-09-01 00:00:00", dt.date(2024, 9, 1)),
        (" 01.09.2024 ", dt.date(2024, 9, 1)),
        ("", None),
        (None, None),
        (dt.date(2024, 9, 1), dt.date(2024, 9, 1)),
        (dt.datetime(2024, 9, 1, 0, 0), dt.date(2024, 9, 1)),  # noqa: DTZ001 (as in a workbook)
    ],
)
def test_parse_date_accepts_common_forms(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    "value", ["31.02.2024", "01.09.24", "1.9.98", "сентябрь", "2024/13/01", "01.09", "1.2.3.4"]
)
def test_parse_date_refuses_the_rest(value):
    with pytest.raises(ValueError):  # noqa: PT011
        parse_date(value)


@pytest.mark.parametrize("value", ["01.01.1899", "1899-12-31", "01.01.2101", dt.date(9999, 12, 31)])
def test_parse_date_refuses_years_outside_the_range_with_a_message(value):
    with pytest.raises(DateOutOfRangeError, match="1900"):
        parse_date(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        (2.0, "2"),
        (2.5, "2.5"),
        ("  Иванова   Анна ", "Иванова Анна"),
        (dt.date(2024, 9, 1), "01.09.2024"),
        (dt.datetime(2024, 9, 1, 8, 30), "01.09.2024"),  # noqa: DTZ001 (as in a workbook)
    ],
)
def test_text_of_a_cell(value, expected):
    assert text(value) == expected


SPEC = Spec("test", (Column("surname", "Фамилия", "surname"), Column("born", "Дата", "born")))


def test_report_puts_a_validation_error_on_its_column_and_sorts_by_the_file():
    report = ImportReport(kind="test", dry_run=False)
    row = ImportRow(2, {"surname": "=Иванов", "born": dt.date(2024, 9, 1)})

    report.add_validation_error(row, ValidationError({"born": ["bad"], "other": ["x"]}), SPEC)
    report.error(row, "surname", "formula")
    report.sort(SPEC)

    assert [(e.row, e.column, e.value, e.message) for e in report.errors] == [
        (2, "", "", "x"),
        (2, "surname", "=Иванов", "formula"),
        (2, "born", "01.09.2024", "bad"),
    ]
    assert not report.ok
