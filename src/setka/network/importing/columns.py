"""The columns of a people file (Russian and English headers, other accepted spellings, the
template's example row) and how this import reads and words a file it cannot take. The
reading itself is :mod:`setka.core.tabular`'s."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.translation import gettext as _

from setka.core.tabular import (
    XLSX_MAGIC,
    Column,
    ImportFileError,
    Spec,
    decode_text,
    read_csv,
    read_xlsx,
)


class PeopleSpec(Spec):
    """Reads only what is named .csv, .txt or .xlsx (or a zip-signed workbook), refuses a file
    that is neither UTF-8 nor Windows-1251, and words two errors its own way."""

    def records(self, data: bytes, filename: str) -> Iterable[Sequence[Any]]:
        name = filename.lower()
        if data.startswith(XLSX_MAGIC) or name.endswith(".xlsx"):
            return read_xlsx(data, self.max_rows)
        if name.endswith((".csv", ".txt")) or (not name and data):
            try:
                return read_csv(decode_text(data, errors="strict"))
            except UnicodeDecodeError as exc:
                raise ImportFileError(
                    _(
                        "The file could not be read. Save it as CSV in the UTF-8 or Windows-1251 "
                        "encoding, or as an Excel workbook (.xlsx)."
                    )
                ) from exc
        raise ImportFileError(
            _(
                "Unknown file format. Upload a CSV file or an Excel workbook (.xlsx): in Excel, "
                "choose File → Save as and pick one of these types."
            )
        )

    def too_large_message(self) -> str:
        return _("The file is too large: the limit is 5 MB. Split the list into several files.")

    def missing_message(self, missing: Sequence[str]) -> str:
        return _(
            "Required columns are missing: %(columns)s. The first row must contain the "
            "column names, as in the template."
        ) % {"columns": ", ".join(missing)}


PEOPLE = PeopleSpec(
    kind="people",
    columns=(
        Column("surname", "Фамилия", "surname", ("last name",), required=True,
               example="Иванова", example_en="Ivanova"),
        Column("given_name", "Имя", "given_name", ("first name", "name"), required=True,
               example="Мария", example_en="Maria"),
        Column("patronymic", "Отчество", "patronymic", ("middle name",),
               example="Петровна", example_en="Petrovna"),
        Column("role", "Роль", "role", required=True, example="ученик", example_en="student"),
        Column("position", "Должность", "position", example="7 «А» класс", example_en="7A"),
        Column("email", "E-mail", "email", ("эл. почта", "электронная почта", "почта")),
        Column("phone", "Телефон", "phone"),
        Column("birth_date", "Дата рождения", "birth_date", ("date of birth",),
               example="12.03.2012", example_en="2012-03-12"),
        Column("starts_on", "Дата начала", "starts_on", ("start date",),
               example="01.09.2024", example_en="2024-09-01"),
        Column("parent_surname", "Родитель: фамилия", "parent_surname",
               example="Иванова", example_en="Ivanova"),
        Column("parent_given_name", "Родитель: имя", "parent_given_name",
               example="Анна", example_en="Anna"),
        Column("parent_patronymic", "Родитель: отчество", "parent_patronymic",
               example="Сергеевна", example_en="Sergeevna"),
        Column("parent_email", "Родитель: e-mail", "parent_email", ("родитель: email",),
               example="ivanova.anna@example.org", example_en="ivanova.anna@example.org"),
        Column("parent_phone", "Родитель: телефон", "parent_phone",
               example="+7 900 123-45-67", example_en="+7 900 123-45-67"),
        Column("parent_kind", "Родитель: кем приходится", "parent_relation",
               example="мать", example_en="mother"),
    ),
    max_rows=5000,
    max_bytes=5 * 1024 * 1024,
)  # fmt: skip
MAX_FILE_SIZE = PEOPLE.max_bytes
MAX_ROWS = PEOPLE.max_rows
REQUIRED = [c.key for c in PEOPLE.columns if c.required]
