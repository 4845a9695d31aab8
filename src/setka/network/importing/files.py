"""Reading a people list from a CSV or XLSX file into rows keyed by column, and writing the
empty template. Pure: no database."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

MAX_FILE_SIZE = 5 * 1024 * 1024
MAX_ROWS = 5000
REQUIRED = ["surname", "given_name", "role"]

# key: (the Russian header, the English header, other accepted spellings)
COLUMNS: dict[str, tuple[str, ...]] = {
    "surname": ("Фамилия", "surname", "last name"),
    "given_name": ("Имя", "given_name", "first name", "name"),
    "patronymic": ("Отчество", "patronymic", "middle name"),
    "role": ("Роль", "role"),
    "position": ("Должность", "position"),
    "email": ("E-mail", "email", "эл. почта", "электронная почта", "почта"),
    "phone": ("Телефон", "phone"),
    "birth_date": ("Дата рождения", "birth_date", "date of birth"),
    "starts_on": ("Дата начала", "starts_on", "start date"),
    "parent_surname": ("Родитель: фамилия", "parent_surname"),
    "parent_given_name": ("Родитель: имя", "parent_given_name"),
    "parent_patronymic": ("Родитель: отчество", "parent_patronymic"),
    "parent_email": ("Родитель: e-mail", "parent_email", "родитель: email"),
    "parent_phone": ("Родитель: телефон", "parent_phone"),
    "parent_kind": ("Родитель: кем приходится", "parent_relation", "parent_kind"),
}
EXAMPLE = {
    "ru": ["Иванова", "Мария", "Петровна", "ученик", "7 «А» класс", "", "", "12.03.2012",
           "01.09.2024", "Иванова", "Анна", "Сергеевна", "ivanova.anna@example.org",
           "+7 900 123-45-67", "мать"],
    "en": ["Ivanova", "Maria", "Petrovna", "student", "7A", "", "", "2012-03-12", "2024-09-01",
           "Ivanova", "Anna", "Sergeevna", "ivanova.anna@example.org", "+7 900 123-45-67",
           "mother"],
}  # fmt: skip


def norm(text: Any) -> str:
    """Lower case, "yo" as "ye", single spaces: how names, words and headers are compared."""
    return " ".join(str(text or "").lower().replace("ё", "е").split())


def _norm_header(text: Any) -> str:
    text = norm(str(text or "").replace("_", " ").replace(":", ": ").replace("*", ""))
    return text.strip(" :")


HEADER_KEYS = {_norm_header(alias): key for key, names in COLUMNS.items() for alias in names}


class ImportFileError(Exception):
    """The file as a whole cannot be read; ``message`` says why, in plain words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class ImportRow:
    number: int  # as the spreadsheet shows it: the header is row 1
    values: dict[str, Any]


@dataclass
class Table:
    columns: dict[str, str]  # key -> the header as written in the file
    rows: list[ImportRow]
    ignored: list[str] = field(default_factory=list)


def read_table(data: bytes, filename: str = "") -> Table:
    """Read a CSV (UTF-8 with or without BOM, or Windows-1251; ``;``, ``,`` or tab) or XLSX
    file into rows keyed by column. Raises :class:`ImportFileError`."""
    if len(data) > MAX_FILE_SIZE:
        raise ImportFileError(
            _("The file is too large: the limit is 5 MB. Split the list into several files.")
        )
    name = filename.lower()
    if data.startswith(b"PK\x03\x04") or name.endswith(".xlsx"):
        records = _read_xlsx(data)
    elif name.endswith((".csv", ".txt")) or (not name and data):
        records = _read_csv(data)
    else:
        raise ImportFileError(
            _(
                "Unknown file format. Upload a CSV file or an Excel workbook (.xlsx): in Excel, "
                "choose File → Save as and pick one of these types."
            )
        )
    try:
        return _to_table(records)
    except csv.Error as exc:
        raise ImportFileError(
            _("The file could not be read as CSV. Save it again as CSV or as .xlsx.")
        ) from exc


def _read_csv(data: bytes) -> Iterable[Sequence[Any]]:
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="replace")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1251")
            except UnicodeDecodeError as exc:
                raise ImportFileError(
                    _(
                        "The file could not be read. Save it as CSV in the UTF-8 or Windows-1251 "
                        "encoding, or as an Excel workbook (.xlsx)."
                    )
                ) from exc
    if "\x00" in text:
        raise ImportFileError(_("This is not a CSV file. Upload a CSV or an XLSX file."))
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(";,\t", key=first.count) if first else ","
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _read_xlsx(data: bytes) -> Iterable[Sequence[Any]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        records = []
        for record in sheet.iter_rows(values_only=True):
            records.append(record)
            if len(records) > MAX_ROWS + 100:
                break
        book.close()
    except Exception as exc:  # a damaged workbook fails in many ways; none of them is a 500
        raise ImportFileError(
            _(
                "The file could not be read as an Excel workbook. Open it in Excel and save it "
                "again as .xlsx, or save it as CSV."
            )
        ) from exc
    return records


def _blank(record: Sequence[Any]) -> bool:
    return all(v is None or str(v).strip() == "" for v in record)


def _to_table(records: Iterable[Sequence[Any]]) -> Table:
    it = iter(enumerate(records, start=1))
    header: Sequence[Any] = ()
    for _number, record in it:
        if not _blank(record):
            header = record
            break
    if not header:
        raise ImportFileError(_("The file is empty: the first row must contain the column names."))
    positions: dict[str, int] = {}
    columns: dict[str, str] = {}
    ignored: list[str] = []
    for i, title in enumerate(header):
        text = str(title or "").strip()
        key = HEADER_KEYS.get(_norm_header(text))
        if key is None:
            if text:
                ignored.append(text)
            continue
        if key in positions:
            raise ImportFileError(_("The column “%(column)s” appears twice.") % {"column": text})
        positions[key], columns[key] = i, text
    missing = [COLUMNS[k][0] for k in REQUIRED if k not in positions]
    if missing:
        raise ImportFileError(
            _(
                "Required columns are missing: %(columns)s. The first row must contain the "
                "column names, as in the template."
            )
            % {"columns": ", ".join(missing)}
        )
    rows: list[ImportRow] = []
    for number, record in it:
        if _blank(record):
            continue
        if len(rows) >= MAX_ROWS:
            raise ImportFileError(
                _("The file has more than %(limit)d rows. Split it into several files.")
                % {"limit": MAX_ROWS}
            )
        values = {k: record[i] if i < len(record) else None for k, i in positions.items()}
        rows.append(ImportRow(number=number, values=values))
    if not rows:
        raise ImportFileError(_("The file has no rows under the header row."))
    return Table(columns=columns, rows=rows, ignored=ignored)


def template_rows(language: str) -> list[list[str]]:
    ru = language.startswith("ru")
    header = [names[0] if ru else names[1] for names in COLUMNS.values()]
    return [header, EXAMPLE["ru" if ru else "en"]]


def template_csv(language: str) -> bytes:
    """UTF-8 with a BOM and ``;``: what Excel opens correctly in a Russian locale."""
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(template_rows(language))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx(language: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "people"
    for row in template_rows(language):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = max(14, len(str(cell.value)) + 2)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
