"""Importing people from CSV and XLSX: all rows or nothing, with a row-level report."""

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from setka.core.models import AuditEntry
from setka.network import importing
from setka.network.models import Guardianship, Membership, Person

pytestmark = pytest.mark.django_db

URL = reverse("network:people_import", args=["school-3"])
RU_HEADER = [
    "Фамилия",
    "Имя",
    "Отчество",
    "Роль",
    "Должность",
    "E-mail",
    "Телефон",
    "Дата рождения",
    "Дата начала",
    "Родитель: фамилия",
    "Родитель: имя",
    "Родитель: отчество",
    "Родитель: e-mail",
    "Родитель: телефон",
    "Родитель: кем приходится",
]
GOOD_ROWS = [
    ["Кузнецова", "Ирина", "Павловна", "учитель", "учитель физики", "kuz@example.org",
     "", "", "01.09.2024", "", "", "", "", "", ""],
    ["Кузнецов", "Миша", "Олегович", "ученик", "5 А", "", "", "10.10.2014", "",
     "Кузнецова", "Ирина", "Павловна", "kuz@example.org", "", "мать"],
    ["Кузнецова", "Таня", "Олеговна", "ученица", "3 Б", "", "", "2016-04-01", "",
     "Кузнецова", "Ирина", "Павловна", "kuz@example.org", "", "мать"],
    ["Сторожев", "Иван", "", "сотрудник", "сторож", "", "+7 900 111-22-33", "", "",
     "", "", "", "", "", ""],
]  # fmt: skip


def _csv(rows, *, header=RU_HEADER, delimiter=",", encoding="utf-8-sig") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows([header, *rows])
    return out.getvalue().encode(encoding)


def _xlsx(rows, header=RU_HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in [header, *rows]:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(client, data: bytes, name: str = "people.csv", **extra):
    return client.post(URL, {"file": SimpleUploadedFile(name, data), **extra})


def _people_count() -> int:
    return Person.objects.count()


# --- good files -----------------------------------------------------------------------------


def test_import_good_csv_creates_everything(client_for, world):
    before = _people_count()

    response = _upload(client_for("director"), _csv(GOOD_ROWS))

    assert response.status_code == 302
    assert response["Location"] == reverse("network:people", args=["school-3"])
    assert _people_count() == before + 4  # the mother is also the physics teacher
    mother = Person.objects.get(email="kuz@example.org")
    assert mother.memberships.get().role == Membership.Role.TEACHER
    children = {g.student.given_name: g.kind for g in Guardianship.objects.filter(guardian=mother)}
    assert children == {"Миша": "mother", "Таня": "mother"}
    misha = Person.objects.get(given_name="Миша")
    assert misha.birth_date == dt.date(2014, 10, 10)
    assert misha.memberships.get().position == "5 А"
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert actions.count("network.person.create") == 4
    assert actions.count("network.membership.create") == 4
    assert actions.count("network.guardianship.create") == 2


def test_import_good_xlsx_with_spreadsheet_dates_and_numbers(client_for, world):
    rows = [
        ["Белова", "Вера", "", "Учитель", "", "", 89001234567, None, dt.datetime(2024, 9, 2)],  # noqa: DTZ001
        ["Белов", "Артём", "", "ученик", "", "", None, dt.datetime(2012, 1, 31), None],  # noqa: DTZ001
    ]

    response = _upload(
        client_for("director"), _xlsx(rows, header=RU_HEADER[:9]), name="Список.xlsx"
    )

    assert response.status_code == 302
    vera = Person.objects.get(surname="Белова")
    assert vera.phone == "89001234567"
    assert vera.memberships.get().starts_on == dt.date(2024, 9, 2)
    assert Person.objects.get(given_name="Артём").birth_date == dt.date(2012, 1, 31)


def test_import_cp1251_semicolon_csv(client_for, world):
    data = _csv(GOOD_ROWS[3:], delimiter=";", encoding="cp1251")

    response = _upload(client_for("director"), data)

    assert response.status_code == 302
    assert Person.objects.get(surname="Сторожев").memberships.get().role == "staff"


def test_import_english_headers_and_values(client_for, world):
    header = ["surname", "given_name", "role", "email", "birth_date"]
    rows = [["Smith", "John", "teacher", "john@example.org", ""]]

    response = _upload(client_for("admin"), _csv(rows, header=header, encoding="utf-8"))

    assert response.status_code == 302
    assert Person.objects.get(surname="Smith").memberships.get().role == "teacher"


def test_import_attaches_existing_people(client_for, world):
    header = RU_HEADER[:9] + RU_HEADER[9:]
    rows = [
        ["Другов", "Олег", "Сергеевич", "ученик", "", "", "", "02.01.2013", "", "Ученикова",
         "Светлана", "", "parent@example.org", "", "мать"],
    ]  # fmt: skip
    before = _people_count()

    response = _upload(client_for("director"), _csv(rows, header=header))

    assert response.status_code == 302
    assert _people_count() == before
    student = world.people["other_student"]
    assert student.memberships.filter(institution=world.school).exists()
    assert Guardianship.objects.filter(guardian=world.people["parent"], student=student).exists()


def test_import_dry_run_writes_nothing(client_for, world):
    before = _people_count()

    response = _upload(client_for("director"), _csv(GOOD_ROWS), dry_run="on")

    assert response.status_code == 200
    report = response.context["report"]
    assert report.ok
    assert (report.people_created, report.memberships, report.guardianships) == (4, 4, 2)
    assert _people_count() == before
    assert not AuditEntry.objects.exists()


# --- bad files ------------------------------------------------------------------------------


def test_import_bad_rows_report_every_row_and_write_nothing(client_for, world):
    rows = [
        GOOD_ROWS[0],
        ["", "Пётр", "", "ученик", "", "", "", "", "", "", "", "", "", "", ""],
        ["Сидоров", "Пётр", "", "директор", "", "", "", "", "", "", "", "", "", "", ""],
        ["Сидоров", "Иван", "", "ученик", "", "ivan@", "", "31.02.2014", "", "", "", "", "", "",
         ""],
        ["Сидоров", "Олег", "", "учитель", "", "", "", "", "", "Сидорова", "Анна", "", "", "", ""],
        GOOD_ROWS[0],
        ["Учителева", "Мария", "", "учитель", "", "teacher@example.org", "", "", "", "", "", "",
         "", "", ""],
        ["Иванов", "Иван", "", "ученик", "", "student@example.org", "", "", "", "", "", "", "",
         "", ""],
    ]  # fmt: skip
    before = _people_count()

    response = _upload(client_for("director"), _csv(rows), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    found = [(e["row"], e["column"]) for e in response.context["errors"]]
    assert found == [
        (3, "Фамилия"),
        (4, "Роль"),
        (5, "E-mail"),
        (5, "Дата рождения"),
        (6, "Родитель: фамилия"),
        (7, ""),
        (8, "Роль"),
        (9, "E-mail"),
    ]
    assert "уже есть эта роль" in response.context["errors"][6]["message"]
    assert _people_count() == before
    assert not AuditEntry.objects.exists()
    assert "Ничего не загружено" in response.content.decode()


def test_import_existing_role_can_be_skipped(client_for, world):
    rows = [["Учителева", "Мария", "", "учитель", "", "teacher@example.org"] + [""] * 9]

    response = _upload(client_for("director"), _csv(rows), skip_existing="on", dry_run="on")

    assert response.status_code == 200
    assert response.context["report"].skipped == 1
    assert response.context["report"].memberships == 0


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"%PDF-1.4 something", "list.pdf"),
        (b"\xd0\xcf\x11\xe0 old excel", "list.xls"),
        (b"PK\x03\x04 broken zip", "list.xlsx"),
        (b"", "empty.csv"),
        ("Фамилия,Имя\nИванов,Иван\n".encode(), "no-role.csv"),
        ("Фамилия,Имя,Роль\n".encode(), "only-header.csv"),
        ("Фамилия,Имя,Роль,Фамилия\nА,Б,ученик,В\n".encode(), "twice.csv"),
    ],
)
def test_import_unreadable_files_are_400(client_for, world, data, name):
    response = _upload(client_for("director"), data, name=name)

    assert response.status_code == 400
    assert "file" in response.context["form"].errors
    assert not AuditEntry.objects.exists()


def test_import_too_large_file_is_refused(client_for, world):
    data = _csv(GOOD_ROWS) + b"#" * importing.MAX_FILE_SIZE

    response = _upload(client_for("director"), data, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert "5 МБ" in response.context["form"].errors["file"][0]


def test_read_table_refuses_too_many_rows():
    data = _csv([["Иванов", f"Иван{i}", "", "ученик"] for i in range(importing.MAX_ROWS + 1)])

    with pytest.raises(importing.ImportFileError):
        importing.read_table(data, "big.csv")


def test_import_into_another_school_is_404(client_for):
    response = client_for("director").post(
        reverse("network:people_import", args=["school-5"]),
        {"file": SimpleUploadedFile("p.csv", _csv(GOOD_ROWS))},
    )

    assert response.status_code == 404
    assert not AuditEntry.objects.exists()


def test_people_import_service_checks_permission(world):
    with pytest.raises(PermissionDenied):
        importing.people_import(actor=world.users["teacher"], institution=world.school, rows=[])


# --- reading and templates ------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_read_table_detects_the_delimiter(delimiter):
    table = importing.read_table(_csv(GOOD_ROWS[:1], delimiter=delimiter), "a.csv")

    assert table.rows[0].values["surname"] == "Кузнецова"
    assert table.rows[0].number == 2


def test_read_table_reports_unknown_columns():
    table = importing.read_table("Фамилия;Имя;Роль;Класс\nА;Б;ученик;5\n".encode(), "a.csv")

    assert table.ignored == ["Класс"]


@pytest.mark.parametrize(("language", "first"), [("ru", "Фамилия"), ("en", "surname")])
def test_import_templates_download(client_for, language, first):
    client = client_for("director")
    base = reverse("network:people_import_template", args=["school-3", "csv"])

    as_csv = client.get(base, HTTP_ACCEPT_LANGUAGE=language)
    as_xlsx = client.get(base.replace(".csv", ".xlsx"), HTTP_ACCEPT_LANGUAGE=language)

    assert as_csv.status_code == 200
    assert as_csv["Content-Disposition"] == 'attachment; filename="people-template.csv"'
    assert as_csv.content.startswith(b"\xef\xbb\xbf")
    sheet = load_workbook(io.BytesIO(as_xlsx.content)).active
    assert sheet["A1"].value == first
    for data, name in ((as_csv.content, "t.csv"), (as_xlsx.content, "t.xlsx")):
        table = importing.read_table(data, name)
        assert len(table.columns) == 15
        assert importing.parse_row(table.rows[0])[1] == []


def test_import_template_unknown_format_is_404(client_for):
    url = reverse("network:people_import_template", args=["school-3", "pdf"])

    assert client_for("director").get(url).status_code == 404
