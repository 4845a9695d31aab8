"""Exports: the XLSX of each report, and the class journal of a period as XLSX and PDF in the
layout of the paper journal (opened again with openpyxl and pypdf: Cyrillic must come out)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from setka.journal import reports
from setka.journal.exports import journal as journal_export
from setka.journal.exports.journal import class_journal
from setka.journal.models import Homework, Lesson, Mark, MarkKind, StudyGroup

from ..clock import d
from .test_reports import ON, _empty_cache, build_report_data  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def rd(world, jw, monkeypatch):
    monkeypatch.setattr(reports, "today", lambda: ON)
    return build_report_data(world, jw)


def _rows(sheet):
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _find(rows, first):
    return next(row for row in rows if row and row[0] == first)


def _book(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content))


# --- reports as XLSX ------------------------------------------------------------------------


def test_class_report_xlsx_has_students_results_and_rates(rd, client_for):
    url = reverse("journal:export_class_report", args=[rd.jw.klass.pk])

    response = client_for("teacher").get(f"{url}?period={rd.jw.q2.pk}", HTTP_ACCEPT_LANGUAGE="en")

    book = _book(response)
    assert "attachment" in response["Content-Disposition"]
    rows = _rows(book.worksheets[0])
    header = _find(rows, "Student")
    assert header[1:4] == ["мат", "рус", "физ-ра"]
    assert _find(rows, "Ученикова Дарья")[:4] == ["Ученикова Дарья", 5, 4, None]
    assert _find(rows, "Ученик3 Иван")[1:4] == [None, None, "нз"]
    assert _find(rows, "Pass rate, %")[1:5] == [75, 100, 0, 60]
    assert _find(rows, "Average mark")[1:3] == [3.23, 4.56]


def test_school_report_xlsx_has_classes_parallels_and_subjects(rd, world, client_for):
    url = reverse("journal:export_school_report", args=[world.school.slug])

    response = client_for("director").get(url, HTTP_ACCEPT_LANGUAGE="en")

    book = _book(response)
    assert book.sheetnames == ["Classes", "Subjects", "Average marks"]
    rows = _rows(book["Classes"])
    assert [r[0] for r in rows[rows.index(_find(rows, "Class")) + 1 :]] == [
        "7Б",
        "Grade 7 in all",
        "8А",
        "Grade 8 in all",
        "School",
    ]
    assert _find(rows, "7Б")[1:5] == [5, 60, 40, 3.77]
    assert _find(rows, "School")[1:5] == [6, 66.7, 50, 3.92]
    subjects = _rows(book["Subjects"])
    assert _find(subjects, "Математика")[1:4] == [5, 80, 60]


def test_municipal_report_xlsx_has_schools_and_municipal_total(rd, client_for):
    url = reverse("journal:export_municipal_report")

    response = client_for("metodist").get(url, HTTP_ACCEPT_LANGUAGE="en")

    book = _book(response)
    rows = _rows(book["Institutions"])
    assert _find(rows, "Школа № 5")[1:4] == [1, 0, 0]
    assert _find(rows, "Municipality")[1:4] == [7, 57.1, 42.9]
    averages = _rows(book["Average marks"])
    assert _find(averages, "Average")[1] == 3.32
    text = " ".join(str(c) for row in rows + averages for c in row if c is not None)
    assert [name for name in ("Ученикова", "Другов", "Восьмов") if name in text] == []


@pytest.mark.parametrize(
    ("role", "status"),
    [("teacher", 404), ("other_teacher", 404), ("student", 404), ("metodist", 200)],
)
def test_school_report_xlsx_permissions(rd, world, client_for, role, status):
    url = reverse("journal:export_school_report", args=[world.school.slug])

    assert client_for(role).get(url).status_code == status


# --- the class journal ----------------------------------------------------------------------


def _journal_url(rd, fmt, subject=None):
    url = reverse(f"journal:export_journal_{fmt}", args=[rd.jw.klass.pk, rd.jw.q2.pk])
    return f"{url}?subject={subject.pk}" if subject is not None else url


@pytest.fixture
def topics(rd, world):
    """A topic, a homework and a substitute on the first maths lesson of the quarter."""
    lesson = rd.jw.lessons(period=rd.jw.q2).first()
    Lesson.objects.filter(pk=lesson.pk).update(topic="Линейные уравнения с одним неизвестным")
    Homework.objects.create(
        institution=world.school,
        lesson=lesson,
        group=rd.jw.klass,
        due_on=lesson.date + dt.timedelta(days=3),
        text="№ 124, 125 (решить уравнения)",
    )
    return lesson


def test_class_journal_reads_a_fixed_number_of_queries(rd, django_assert_num_queries):
    group = StudyGroup.objects.select_related("institution", "class_teacher", "year").get(
        pk=rd.jw.klass.pk
    )

    with django_assert_num_queries(6):
        data = class_journal(group, rd.jw.q2)

    assert [p.subject_name for p in data.pages] == [
        "Математика",
        "Русский язык",
        "Физическая культура",
    ]


def test_journal_xlsx_has_the_paper_journal_layout(rd, topics, client_for):
    response = client_for("teacher").get(_journal_url(rd, "xlsx"), HTTP_ACCEPT_LANGUAGE="en")

    book = _book(response)
    assert book.sheetnames[0] == "Title page"
    title = _rows(book["Title page"])
    assert ["Class: 7Б"] in [r[:1] for r in title]
    maths_left = next(n for n in book.sheetnames if "мат" in n and "marks" in n)
    maths_right = next(n for n in book.sheetnames if "мат" in n and "topics" in n)
    left = _rows(book[maths_left])
    assert left[1][:4] == ["№", "Student", f"{d(2026, 11, 6):%d.%m}", f"{d(2026, 11, 9):%d.%m}"]
    assert left[1][-1] == "Period mark"
    dasha = _find([r[1:] for r in left], "Ученикова Дарья")
    assert dasha[1:5] == ["Н 5", "5", "4", None]
    assert _find([r[1:] for r in left], "Ученик0 Иван")[-1] == "4"
    assert _find([r[1:] for r in left], "Ученик2 Иван")[1:5] == ["2", "Б 2", "Б 3", None]
    right = _rows(book[maths_right])
    assert right[1] == ["Date", "Lesson topic", "Homework", "Teacher"]
    assert right[2][1:] == [
        "Линейные уравнения с одним неизвестным",
        "№ 124, 125 (решить уравнения)",
        "Учителева М.С.",
    ]


def test_journal_pdf_has_cyrillic_text_and_a_page_pair_per_subject(rd, topics, client_for):
    response = client_for("director").get(_journal_url(rd, "pdf"), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    pages = [page.extract_text() for page in reader.pages]
    assert len(pages) == 1 + 2 * 3  # the title, then left and right pages of three subjects
    assert "Class journal" in pages[0]
    assert "Муниципальное бюджетное общеобразовательное учреждение «Школа № 3»" in pages[0]
    assert "7Б" in pages[0]
    assert "Учителева Мария Сергеевич" in pages[0]
    maths_left = next(p for p in pages[1:] if p.startswith("Математика") and "Ученикова" in p)
    assert "Ученикова Дарья" in maths_left
    assert "Н 5" in maths_left
    assert any("Линейные уравнения с одним неизвестным" in p for p in pages)
    assert any("№ 124, 125 (решить уравнения)" in p for p in pages)


def test_long_period_takes_several_spreads(rd, world, client_for, monkeypatch):
    monkeypatch.setattr(journal_export, "LESSONS_PER_SPREAD", 10)
    lessons = list(rd.jw.lessons(period=rd.jw.q2))
    kind = MarkKind.objects.get(institution=world.school, name="Ответ на уроке")
    Mark.objects.create(
        institution=world.school,
        lesson=lessons[-1],
        student=rd.s[0],
        group=rd.jw.klass,
        subject=rd.jw.maths,
        date=lessons[-1].date,
        value=3,
        kind=kind,
    )

    response = client_for("teacher").get(_journal_url(rd, "pdf", subject=rd.jw.maths))

    reader = PdfReader(io.BytesIO(response.content))
    assert len(lessons) == 23
    assert len(reader.pages) == 1 + 2 * 3  # the title, then three spreads of maths
    last_left = reader.pages[5].extract_text()
    assert "Ученикова Дарья" in last_left
    assert f"{lessons[-1].date:%d}" in last_left


@pytest.mark.parametrize(
    ("role", "subject", "status"),
    [
        ("teacher", False, 200),  # the class teacher: the whole class
        ("director", False, 200),
        ("admin", False, 200),
        ("metodist", False, 404),
        ("student", False, 404),
        ("parent", False, 404),
        ("other_teacher", False, 404),
        ("other_teacher", True, 404),
        ("partner", True, 404),
    ],
)
def test_journal_export_permissions(rd, client_for, role, subject, status):
    url = _journal_url(rd, "xlsx", subject=rd.jw.maths if subject else None)

    assert client_for(role).get(url).status_code == status


def test_subject_teacher_who_is_not_class_teacher_exports_only_their_subject(rd, world, client_for):
    StudyGroup.objects.filter(pk=rd.jw.klass.pk).update(class_teacher=None)
    client = client_for("teacher")

    whole = client.get(_journal_url(rd, "xlsx"))
    maths = client.get(_journal_url(rd, "xlsx", subject=rd.jw.maths))
    russian = client.get(_journal_url(rd, "xlsx", subject=rd.russian))

    assert (whole.status_code, maths.status_code, russian.status_code) == (404, 200, 404)
    book = load_workbook(io.BytesIO(maths.content))
    assert len(book.sheetnames) == 3  # the title, the marks and the topics of maths


@pytest.mark.parametrize("query", ["?subject=abc", "?subject=999999"])
def test_journal_export_with_a_bad_subject_is_404(rd, client_for, query):
    url = _journal_url(rd, "pdf") + query

    assert client_for("director").get(url).status_code == 404


def test_journal_export_of_a_period_of_another_year_is_404(rd, client_for):
    other_period = rd.other_year.periods.get(number=2)
    url = reverse("journal:export_journal_xlsx", args=[rd.jw.klass.pk, other_period.pk])

    assert client_for("director").get(url).status_code == 404


def test_export_links_include_renders_the_journal_urls(rd):
    from django.template.loader import render_to_string

    html = render_to_string(
        "journal/reports/_export_links.html",
        {"group": rd.jw.klass, "period": rd.jw.q2, "subject": rd.jw.maths},
    )

    assert _journal_url(rd, "xlsx", subject=rd.jw.maths) in html
    assert _journal_url(rd, "pdf", subject=rd.jw.maths) in html
    assert "report_class" not in html


def test_substitute_lessons_are_marked_on_the_right_page(rd, world):
    lesson = rd.jw.lessons(period=rd.jw.q2).first()
    Lesson.objects.filter(pk=lesson.pk).update(substitute=world.people["director"])
    group = StudyGroup.objects.select_related("institution", "class_teacher", "year").get(
        pk=rd.jw.klass.pk
    )

    data = class_journal(group, rd.jw.q2, rd.jw.maths.pk)

    assert data.pages[0].lessons[0].teacher.startswith("Директорова Е.С.")
    assert data.pages[0].teachers == "Учителева М.С."
