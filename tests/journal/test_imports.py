"""Imports into the journal: classes and students, the timetable, a thematic plan (КТП) and
marks — good and bad files (CSV in Windows-1251 with ``;``, UTF-8 with ``,``, XLSX), the
row-level report, "only check", all-or-nothing, permissions, templates."""

from __future__ import annotations

import csv
import datetime as dt
import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from setka.core.models import AuditEntry
from setka.journal import importing
from setka.journal.importing import ImportFileError, read_table
from setka.journal.models import (
    GroupMember,
    Homework,
    Lesson,
    Mark,
    StudyGroup,
    TeachingAssignment,
    TimetableEntry,
)
from setka.journal.services import records, structure
from setka.network.models import Membership, Person

from .. import factories as f
from ..clock import TODAY, d, iso

pytestmark = pytest.mark.django_db


def csv_bytes(rows, *, encoding="cp1251", delimiter=";"):
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, url, data, name="file.csv", **extra):
    payload = {"file": SimpleUploadedFile(name, data), **extra}
    return client.post(url, payload, HTTP_ACCEPT_LANGUAGE="en")


def import_url(jw, kind):
    return reverse("journal:import_file", args=[jw.year.pk, kind])


def counts():
    return (
        StudyGroup.objects.count(),
        Person.objects.count(),
        Membership.objects.count(),
        GroupMember.objects.count(),
        TimetableEntry.objects.count(),
        Mark.objects.count(),
        AuditEntry.objects.count(),
    )


# --- the file reader ------------------------------------------------------------------------------


def test_read_table_cp1251_semicolons():
    data = csv_bytes([["Класс", "Фамилия", "Имя"], ["7Б", "Ёлкина", "Аня"]])

    table = read_table(data, "x.csv", importing.CLASSES)

    assert table.rows[0].values == {"group": "7Б", "surname": "Ёлкина", "given_name": "Аня"}
    assert table.rows[0].number == 2


def test_read_table_utf8_commas_and_english_headers():
    data = csv_bytes([["class", "surname", "given_name", "note"], ["7Б", "Ivanova", "Maria", "x"]],
                     encoding="utf-8-sig", delimiter=",")  # fmt: skip

    table = read_table(data, "x.csv", importing.CLASSES)

    assert table.rows[0].values["surname"] == "Ivanova"
    assert table.ignored == ["note"]


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"", "x.csv"),
        (csv_bytes([["Фамилия", "Имя"], ["А", "Б"]]), "x.csv"),  # no Класс
        (csv_bytes([["Класс", "Класс"], ["7Б", "7А"]]), "x.csv"),
        (csv_bytes([["Класс"]]), "x.csv"),
        (b"\xd0\xcf\x11\xe0old excel", "x.xls"),
        (b"PK\x03\x04broken", "x.xlsx"),
    ],
    ids=["empty", "missing column", "twice", "no rows", "xls", "broken xlsx"],
)
def test_read_table_bad_files_raise_a_plain_message(data, name):
    with pytest.raises(ImportFileError) as exc:
        read_table(data, name, importing.CLASSES)

    assert exc.value.message


# --- classes and students -------------------------------------------------------------------------

CLASS_HEADER = ["Класс", "Классный руководитель", "Фамилия", "Имя", "Отчество", "Дата рождения"]


def test_classes_import_cp1251_creates_classes_and_students(client_for, world, jw):
    data = csv_bytes([
        CLASS_HEADER,
        ["8А", "Учителева М.", "Петров", "Пётр", "Иванович", "01.02.2012"],
        ["8А", "", "Ученикова", "Дарья", "", "04.05.2012"],  # the world's student, in 7Б
        ["8Б", "", "", "", "", ""],
    ])  # fmt: skip

    response = upload(client_for("director"), import_url(jw, "classes"), data)

    assert response.status_code == 400  # Ученикова is in 7Б already
    assert [e["column"] for e in response.context["errors"]] == ["Фамилия"]
    assert "7Б" in response.context["errors"][0]["message"]
    assert not StudyGroup.objects.filter(name__in=["8А", "8Б"]).exists()
    assert not Person.objects.filter(surname="Петров").exists()


def test_classes_import_matches_existing_students_and_creates_new(client_for, world, jw):
    existing = f.PersonFactory(
        municipality=world.municipality,
        surname="Сидорова",
        given_name="Анна",
        patronymic="",
        birth_date=dt.date(2012, 3, 3),
    )
    f.MembershipFactory(person=existing, institution=world.school, role=Membership.Role.STUDENT)
    data = csv_bytes([
        CLASS_HEADER,
        ["8А", "Учителева М.", "Петров", "Пётр", "Иванович", "01.02.2012"],
        ["8А", "", "сидорова", "анна", "", ""],
        ["8Б", "", "", "", "", ""],
    ])  # fmt: skip

    response = upload(client_for("director"), import_url(jw, "classes"), data)

    assert response.status_code == 200, response.context.get("errors")
    klass = StudyGroup.objects.get(year=jw.year, name="8А")
    assert (klass.grade, klass.letter, klass.class_teacher) == (8, "А", world.people["teacher"])
    assert StudyGroup.objects.filter(year=jw.year, name="8Б").exists()
    new = Person.objects.get(surname="Петров")
    assert Membership.objects.filter(person=new, role="student", institution=world.school).exists()
    members = set(GroupMember.objects.filter(group=klass).values_list("student", flat=True))
    assert members == {new.pk, existing.pk}
    assert Person.objects.filter(surname="Сидорова").count() == 1


def test_classes_import_dry_run_writes_nothing(client_for, world, jw):
    data = csv_bytes([CLASS_HEADER, ["8А", "", "Петров", "Пётр", "", "01.02.2012"]])
    before = counts()

    response = upload(client_for("director"), import_url(jw, "classes"), data, dry_run="on")

    assert response.status_code == 200
    assert response.context["report"].ok
    assert response.context["report"].counts["people"] == 1
    assert counts() == before


def test_classes_import_xlsx(client_for, world, jw):
    data = xlsx_bytes([CLASS_HEADER, ["9В", None, "Орлов", "Олег", None, dt.date(2011, 1, 5)]])

    response = upload(client_for("director"), import_url(jw, "classes"), data, name="c.xlsx")

    assert response.status_code == 200
    assert Person.objects.get(surname="Орлов").birth_date == dt.date(2011, 1, 5)
    assert StudyGroup.objects.get(name="9В").grade == 9


def test_classes_import_bad_rows_are_reported_and_nothing_is_written(client_for, world, jw):
    data = csv_bytes([
        [*CLASS_HEADER, "Параллель"],
        ["8А", "Неизвестный", "Петров", "Пётр", "", "01.02.2012", "8"],
        ["8А", "", "Петров", "Пётр", "", "01.02.2012", "8"],
        ["Кружок", "", "Орлов", "", "", "31.02.2012", ""],
        ["10А", "", "Лисин", "Лев", "", "", "15"],
    ])  # fmt: skip
    before = counts()

    response = upload(client_for("director"), import_url(jw, "classes"), data)

    assert response.status_code == 400
    found = {(e["row"], e["column"]) for e in response.context["errors"]}
    assert found == {
        (2, "Классный руководитель"),
        (3, "Фамилия"),  # the same student as row 2
        (4, "Параллель"),  # no grade in "Кружок"
        (4, "Имя"),
        (4, "Дата рождения"),
        (5, "Параллель"),
    }
    assert counts() == before


# --- the timetable --------------------------------------------------------------------------------

TT_HEADER = ["Класс", "День недели", "Номер урока", "Предмет", "Учитель", "Кабинет", "Действует с"]


def test_timetable_import_creates_entries_and_assignments(client_for, world, jw):
    other = structure.group_create(actor=world.users["director"], year=jw.year, name="7А",
                                   grade=7, letter="А")  # fmt: skip
    data = csv_bytes([
        TT_HEADER,
        ["7А", "пн", "1", "Математика", "Учителева Мария", "21", f"{d(2026, 12, 1):%d.%m.%Y}"],
        ["7а", "Среда", "1", "мат", "Учителева М.", "21", ""],
        ["7А", "5", "3", "Математика", "Директорова", "", ""],
    ])  # fmt: skip

    response = upload(client_for("director"), import_url(jw, "timetable"), data)

    assert response.status_code == 200, response.context.get("errors")
    entries = TimetableEntry.objects.filter(group=other).order_by("weekday")
    assert [(e.weekday, e.number, e.teacher.surname) for e in entries] == [
        (1, 1, "Учителева"), (3, 1, "Учителева"), (5, 3, "Директорова")
    ]  # fmt: skip
    assert entries[0].valid_from == d(2026, 12, 1)
    hours = TeachingAssignment.objects.get(group=other, teacher=world.people["teacher"])
    assert hours.hours_per_week == 2


def test_timetable_import_refuses_clashes_and_unknowns(client_for, world, jw):
    data = csv_bytes([
        TT_HEADER,
        ["7Б", "пн", "2", "Математика", "Директорова", "", ""],  # 7Б busy
        ["7Б", "вт", "5", "Математика", "Учителева", "", ""],
        ["7Б", "вт", "5", "Математика", "Директорова", "", ""],  # the row above
        ["7Я", "чт", "1", "Астрология", "Иванов", "", "01.01.2030"],
        ["7Б", "вс", "x", "Математика", "Учителева", "", ""],
    ])  # fmt: skip
    before = counts()

    response = upload(client_for("director"), import_url(jw, "timetable"), data)

    found = {(e["row"], e["column"]) for e in response.context["errors"]}
    assert found == {
        (2, "Номер урока"), (4, "Номер урока"), (5, "Класс"), (5, "Предмет"), (5, "Учитель"),
        (5, "Действует с"), (6, "День недели"), (6, "Номер урока"),
    }  # fmt: skip
    assert response.status_code == 400
    assert counts() == before


# --- the thematic plan ----------------------------------------------------------------------------

PLAN_HEADER = ["№ урока", "Тема урока", "Контрольная работа", "Домашнее задание"]


def plan_url(jw):
    return reverse("journal:import_plan", args=[jw.klass.pk])


def plan_rows(n, start=1):
    return [[str(i), f"Тема {i}", "да" if i == 3 else "", f"§ {i}" if i < 3 else ""]
            for i in range(start, start + n)]  # fmt: skip


def test_plan_is_laid_onto_lessons_in_date_order(client_for, jw):
    data = csv_bytes([PLAN_HEADER, *reversed(plan_rows(4))], encoding="utf-8", delimiter=",")

    response = upload(client_for("teacher"), plan_url(jw), data, subject=jw.maths.pk,
                      starts_on=iso(2026, 11, 26))  # fmt: skip

    assert response.status_code == 200, response.context.get("errors")
    lessons = list(jw.lessons().filter(date__gte=d(2026, 11, 26))[:5])
    assert [lesson.topic for lesson in lessons] == ["Тема 1", "Тема 2", "Тема 3", "Тема 4", ""]
    assert lessons[2].kind == Lesson.Kind.CONTROL
    assert Homework.objects.get(lesson=lessons[0]).text == "§ 1"
    assert lessons[0].date == d(2026, 11, 27)


def test_plan_import_xlsx_by_the_admin_without_homework(client_for, jw):
    rows = [["№ урока", "Тема урока"], [1, "Введение"], [2, "Дроби"]]

    response = upload(client_for("director"), plan_url(jw), xlsx_bytes(rows), name="p.xlsx",
                      subject=jw.maths.pk, starts_on=iso(2026, 9, 1))  # fmt: skip

    assert response.status_code == 200
    assert [lesson.topic for lesson in jw.lessons()[:2]] == ["Введение", "Дроби"]


def test_plan_homework_by_the_admin_is_refused(client_for, jw):
    data = csv_bytes([PLAN_HEADER, *plan_rows(2)])

    response = upload(client_for("director"), plan_url(jw), data, subject=jw.maths.pk,
                      starts_on=iso(2026, 11, 26))  # fmt: skip

    assert response.status_code == 400
    assert {e["column"] for e in response.context["errors"]} == {"Домашнее задание"}
    assert not jw.lessons().exclude(topic="").exists()


def test_plan_longer_than_the_lessons_left_is_refused(client_for, jw):
    left = jw.lessons().filter(date__gte=d(2027, 5, 1)).count()
    data = csv_bytes([PLAN_HEADER[:2], *[[str(i), f"Тема {i}"] for i in range(1, left + 3)]])

    response = upload(client_for("teacher"), plan_url(jw), data, subject=jw.maths.pk,
                      starts_on=iso(2027, 5, 1))  # fmt: skip

    assert response.status_code == 400
    assert [e["row"] for e in response.context["errors"]] == [left + 2]
    assert not jw.lessons().exclude(topic="").exists()


def test_plan_does_not_overwrite_topics_unless_asked(client_for, world, jw):
    lesson = jw.lessons().filter(date__gte=d(2026, 11, 26)).first()
    lesson.topic = "Своя тема"
    lesson.save()
    data = csv_bytes([PLAN_HEADER[:2], ["1", "Тема 1"], ["2", "Тема 2"]])
    client = client_for("teacher")

    refused = upload(client, plan_url(jw), data, subject=jw.maths.pk, starts_on=iso(2026, 11, 26))
    lesson.refresh_from_db()
    assert refused.status_code == 400
    assert lesson.topic == "Своя тема"

    upload(
        client, plan_url(jw), data, subject=jw.maths.pk, starts_on=iso(2026, 11, 26), replace="on"
    )
    lesson.refresh_from_db()
    assert lesson.topic == "Тема 1"


def test_plan_into_a_closed_period_is_refused(client_for, world, jw):
    records.period_close(actor=world.users["director"], period=jw.q1)
    data = csv_bytes([PLAN_HEADER[:2], ["1", "Тема 1"]])

    response = upload(client_for("teacher"), plan_url(jw), data, subject=jw.maths.pk,
                      starts_on=iso(2026, 9, 1))  # fmt: skip

    assert response.status_code == 400
    assert not jw.lessons().exclude(topic="").exists()


@pytest.mark.parametrize(
    ("role", "expected"),
    [("director", 200), ("teacher", 200), ("admin", 404), ("other_teacher", 404),
     ("student", 404), ("partner", 404), ("anonymous", 302)],
)  # fmt: skip
def test_plan_page_by_role(client_for, jw, role, expected):
    assert client_for(role).get(plan_url(jw)).status_code == expected


# --- marks ----------------------------------------------------------------------------------------

MARK_HEADER = ["Код ученика", "ФИО ученика", "Дата", "Номер урока", "Предмет", "Оценка",
               "Вид оценки"]  # fmt: skip


def maths_rows(jw, n_lessons):
    """Marks of every student at the last ``n_lessons`` maths lessons before today (marks are
    not taken ahead of a lesson)."""
    lessons = list(jw.lessons().filter(date__lt=TODAY))[-n_lessons:]
    return [[s.pk, s.surname, lesson.date.strftime("%d.%m.%Y"), lesson.number, "Математика",
             (s.pk + lesson.pk) % 4 + 2, ""]
            for lesson in lessons for s in jw.students]  # fmt: skip


def test_marks_import_thousands_of_rows_with_one_audit_entry(client_for, world, jw):
    rows = maths_rows(jw, 20) * 30  # 3,000 marks
    data = csv_bytes([MARK_HEADER, *rows], encoding="utf-8", delimiter=",")
    director = world.users["director"]
    table = read_table(data, "marks.csv", importing.MARKS)
    audits = AuditEntry.objects.count()

    started = time.monotonic()
    report = importing.marks_import(actor=director, year=jw.year, rows=table.rows,
                                    filename="marks.csv")  # fmt: skip
    elapsed = time.monotonic() - started

    assert report.ok, report.errors[:3]
    assert Mark.objects.count() == 3000
    assert elapsed < 20
    entry = AuditEntry.objects.get(action="journal.marks.import")
    assert entry.changes == {"file": "marks.csv", "count": 3000, "skipped": 0}
    assert AuditEntry.objects.count() == audits + 1
    mark = Mark.objects.select_related("lesson", "kind").first()
    assert (mark.group_id, mark.date, mark.created_by) == (jw.klass.pk, mark.lesson.date, director)
    assert mark.kind.name == "Ответ на уроке"


def test_marks_import_twice_adds_nothing(world, jw):
    data = csv_bytes([MARK_HEADER, *maths_rows(jw, 3)])
    importing.marks_import_file(actor=world.users["director"], year=jw.year, data=data,
                                filename="m.csv")  # fmt: skip

    report = importing.marks_import_file(actor=world.users["director"], year=jw.year, data=data,
                                         filename="m.csv")  # fmt: skip

    assert report.counts == {"marks": 0, "skipped": 15}
    assert Mark.objects.count() == 15


def test_marks_import_bad_rows_are_reported_and_nothing_is_written(client_for, world, jw):
    records.period_close(actor=world.users["director"], period=jw.q1)
    q1_lesson = jw.lessons(period=jw.q1).first()
    q2_lesson = jw.lessons(period=jw.q2).first()
    q2 = q2_lesson.date.strftime("%d.%m.%Y")
    pupil = jw.students[1]
    outsider = world.people["other_student"]
    data = csv_bytes([
        MARK_HEADER,
        [pupil.pk, pupil.surname, q2, q2_lesson.number, "Математика", "5", "Контрольная работа"],
        [outsider.pk, "Другов", q2, "2", "Математика", "4", ""],  # not a member
        [pupil.pk, "", q2, "2", "", "6", ""],  # mark 6
        [pupil.pk, "", f"{d(2027, 7, 15):%d.%m.%Y}", "2", "", "5", ""],  # outside the year
        [pupil.pk, "", q1_lesson.date.strftime("%d.%m.%Y"), "2", "", "4", ""],  # locked period
        [pupil.pk, "Иванов", q2, "2", "", "4", ""],  # the code is someone else's
        [pupil.pk, "", q2, "", "Физика", "4", "Сочинение на ходу"],  # unknown subject and kind
        [pupil.pk, "", iso(2026, 11, 10), "2", "Физическая культура", "5", ""],  # pass / fail
        ["abc", "", "32.13.2026", "", "", "", ""],
    ])  # fmt: skip
    before = counts()

    response = upload(client_for("director"), import_url(jw, "marks"), data)

    assert response.status_code == 400
    found = {(e["row"], e["column"]) for e in response.context["errors"]}
    assert found == {
        (3, "Код ученика"), (4, "Оценка"), (5, "Дата"), (6, "Дата"), (7, "ФИО ученика"),
        (8, "Предмет"), (8, "Вид оценки"), (9, "Дата"), (10, "Код ученика"), (10, "Дата"),
        (10, "Оценка"), (10, "Номер урока"),
    }  # fmt: skip
    assert counts() == before


def test_marks_import_pass_fail_subject(world, jw):
    pe = Lesson.objects.filter(group=jw.klass, subject=jw.pe, period=jw.q2).first()
    data = csv_bytes([
        ["Код ученика", "Дата", "Предмет", "Оценка"],
        [jw.students[0].pk, pe.date.strftime("%d.%m.%Y"), "физ-ра", "зач"],
        [jw.students[1].pk, pe.date.strftime("%d.%m.%Y"), "физ-ра", "5"],
    ])  # fmt: skip

    report = importing.marks_import_file(actor=world.users["director"], year=jw.year, data=data,
                                         filename="m.csv")  # fmt: skip

    assert [(e.row, e.column) for e in report.errors] == [(3, "value")]
    assert Mark.objects.count() == 0


def test_marks_import_dry_run_writes_nothing(client_for, jw):
    data = csv_bytes([MARK_HEADER, *maths_rows(jw, 2)])
    before = counts()

    response = upload(client_for("director"), import_url(jw, "marks"), data, dry_run="on")

    assert response.status_code == 200
    assert response.context["report"].counts == {"marks": 10, "skipped": 0}
    assert counts() == before


def test_marks_import_by_a_teacher_is_refused(client_for, jw):
    data = csv_bytes([MARK_HEADER, *maths_rows(jw, 1)])

    response = upload(client_for("teacher"), import_url(jw, "marks"), data)

    assert response.status_code == 404
    assert Mark.objects.count() == 0


def test_import_unknown_kind_is_404(client_for, jw):
    assert client_for("director").get(import_url(jw, "attendance")).status_code == 404


def test_import_unreadable_file_shows_the_reason(client_for, jw):
    response = upload(client_for("director"), import_url(jw, "marks"), b"PK\x03\x04junk",
                      name="m.xlsx")  # fmt: skip

    assert response.status_code == 400
    assert "Excel" in str(response.context["form"].errors["file"])


# --- templates ------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["classes", "timetable", "plan", "marks"])
def test_templates_have_russian_headers_and_an_example(client_for, jw, kind):
    client = client_for("director")

    as_csv = client.get(reverse("journal:import_template", args=[kind, "csv"]))
    as_xlsx = client.get(reverse("journal:import_template", args=[kind, "xlsx"]))

    text = as_csv.content.decode("utf-8")
    assert text.startswith("\ufeff")
    header, example = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert header == [c.ru for c in importing.SPECS[kind].columns]
    assert any(example)
    sheet = load_workbook(io.BytesIO(as_xlsx.content)).active
    assert [c.value for c in sheet[1]] == header
    assert read_table(as_csv.content, "t.csv", importing.SPECS[kind]).rows


@pytest.mark.parametrize(
    ("role", "expected"),
    [("teacher", 200), ("admin", 200), ("student", 403), ("parent", 403), ("anonymous", 302)],
)
def test_template_download_by_role(client_for, jw, role, expected):
    url = reverse("journal:import_template", args=["marks", "csv"])

    assert client_for(role).get(url).status_code == expected


def test_template_unknown_is_404(client_for, jw):
    url = reverse("journal:import_template", args=["marks", "pdf"])

    assert client_for("director").get(url).status_code == 404


# --- exports in the exchange format --------------------------------------------------------------


def export_url(jw, kind, fmt="csv"):
    return reverse("journal:import_export", args=[jw.year.pk, kind, fmt])


def csv_of(response):
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_marks_export_imports_back_without_duplicates(client_for, world, jw):
    lesson = jw.lessons(period=jw.q2).first()
    records.mark_create(actor=world.users["teacher"], lesson=lesson, student=jw.students[0],
                        value=4, comment="у доски")  # fmt: skip
    client = client_for("director")

    exported = client.get(export_url(jw, "marks"))
    header, *rows = csv_of(exported)
    data = csv_bytes([header, *rows], encoding="utf-8")
    report = importing.marks_import_file(actor=world.users["director"], year=jw.year, data=data,
                                         filename="back.csv")  # fmt: skip

    assert rows == [[str(jw.students[0].pk), "", jw.students[0].full_name, "school-3", "7Б",
                     lesson.date.strftime("%d.%m.%Y"), "2", "Математика", "4", "Ответ на уроке",
                     "1,0", "у доски"]]  # fmt: skip
    assert report.ok
    assert report.counts == {"marks": 0, "skipped": 1}


def test_attendance_and_period_marks_export(client_for, world, jw):
    lesson = jw.lessons(period=jw.q2).first()
    teacher = world.users["teacher"]
    records.attendance_set(actor=teacher, lesson=lesson, student=jw.students[1], code="Б")
    records.period_mark_set(actor=teacher, group=jw.klass, subject=jw.maths,
                            student=jw.students[1], period=jw.q1, value=5)  # fmt: skip
    client = client_for("admin")

    attendance = csv_of(client.get(export_url(jw, "attendance")))
    period_marks = csv_of(client.get(export_url(jw, "period_marks")))

    assert [row[-1] for row in attendance[1:]] == ["Б"]
    assert period_marks[1][5:9] == ["Математика", "1 четверть", "1", "5"]


def test_students_and_timetable_export_xlsx(client_for, jw):
    client = client_for("director")

    students = load_workbook(io.BytesIO(client.get(export_url(jw, "students", "xlsx")).content))
    tt = load_workbook(io.BytesIO(client.get(export_url(jw, "timetable", "xlsx")).content))

    rows = list(students.active.iter_rows(values_only=True))
    assert rows[0][:2] == ("Учреждение", "Класс")
    assert len(rows) == 1 + 5
    assert [r[2] for r in list(tt.active.iter_rows(values_only=True))[1:]] == ["пн", "вт", "ср",
                                                                              "пт"]  # fmt: skip


@pytest.mark.parametrize(
    ("role", "expected"),
    [("director", 200), ("admin", 200), ("teacher", 404), ("parent", 404), ("anonymous", 302)],
)
def test_export_by_role(client_for, jw, role, expected):
    assert client_for(role).get(export_url(jw, "marks")).status_code == expected


def test_export_unknown_kind_is_404(client_for, jw):
    assert client_for("director").get(export_url(jw, "grades")).status_code == 404
