"""Reading an import file (CSV in UTF-8 or Windows-1251 with ``;``, ``,`` or tab, or an XLSX
workbook) into rows keyed by column, and writing the empty templates. Pure: no database.

Each kind of file is described by a :class:`Spec`: its columns with the Russian header (the
one the templates use), the English header and other accepted spellings. A kind of file that
must word an error or pick its readers its own way subclasses :class:`Spec` and overrides
:meth:`Spec.records`, :meth:`Spec.too_large_message` or :meth:`Spec.missing_message`."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .dates import in_range, range_message
from .exports import safe_row

XLSX_MAGIC = b"PK\x03\x04"  # an XLSX workbook is a zip archive
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # an old Excel (.xls) workbook
UTF8_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Column:
    key: str
    ru: str  # the header in the templates and in the documentation
    en: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    example: str = ""
    example_en: str = ""  # for a template with English headers

    def header(self, *, english: bool = False) -> str:
        return self.en if english else self.ru


@dataclass(frozen=True)
class Spec:
    kind: str
    columns: tuple[Column, ...]
    max_rows: int = 5000
    max_bytes: int = 5 * 1024 * 1024
    # Groups of columns of which at least one must be present, e.g. lesson number or subject.
    one_of: tuple[tuple[str, ...], ...] = ()

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns)

    @property
    def header_keys(self) -> dict[str, str]:
        out = {}
        for c in self.columns:
            for alias in (c.ru, c.en, c.key, *c.aliases):
                out[norm_header(alias)] = c.key
        return out

    def records(self, data: bytes, filename: str) -> Iterable[Sequence[Any]]:
        """The file's records: an XLSX workbook by its content, anything else as CSV."""
        if not data.strip():
            raise ImportFileError(_("The file is empty."))
        name = (filename or "").lower()
        if data.startswith(XLSX_MAGIC):
            return read_xlsx(data, self.max_rows)
        if name.endswith((".xlsx", ".xls", ".ods")) or data.startswith(OLE_MAGIC):
            raise ImportFileError(
                _(
                    "This spreadsheet format cannot be read. In Excel choose File → Save as and "
                    "save the file as “Excel workbook (.xlsx)” or as CSV."
                )
            )
        return read_csv(decode_text(data))

    def too_large_message(self) -> str:
        return _("The file is too large: the limit is %(mb)d MB. Split it into several files.") % {
            "mb": self.max_bytes // (1024 * 1024)
        }

    def missing_message(self, missing: Sequence[str]) -> str:
        return ngettext(
            "A required column is missing: %(columns)s. The first row must contain the "
            "column names, as in the template.",
            "Required columns are missing: %(columns)s. The first row must contain the "
            "column names, as in the template.",
            len(missing),
        ) % {"columns": ", ".join(missing)}


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


@dataclass
class RowError:
    row: int
    column: str  # a column key of the spec, or "" for the whole row
    value: str
    message: str


# --- cells ----------------------------------------------------------------------------------


def text(value: Any) -> str:
    """A cell as text: ``None`` → "", ``2.0`` → "2", a date as ``DD.MM.YYYY``, spaces folded."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.date):  # a datetime too: a spreadsheet's date
        return value.strftime("%d.%m.%Y")
    return " ".join(str(value).split())


class DateOutOfRangeError(ValueError):
    """A date, but of a year outside 1900–2100; the message says so to a person."""


def parse_date(value: Any) -> dt.date | None:
    """A date cell: ``DD.MM.YYYY`` (also ``D.M.YYYY`` and ``/`` between the parts), ISO
    ``YYYY-MM-DD``, or a spreadsheet date. Empty → None. Raises ValueError for anything else,
    and a two-digit year (is ``01.05.98`` 1998 or 2098?); :class:`DateOutOfRangeError` for a year
    outside 1900–2100 (``core.dates``)."""
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    else:
        raw = text(value)
        if not raw:
            return None
        if "." in raw or "/" in raw:
            parts = raw.replace("/", ".").split(".")
            if len(parts) != 3 or len(parts[2].strip()) != 4:
                raise ValueError(raw)
            d, m, y = (int(p) for p in parts)
            day = dt.date(y, m, d)
        else:
            day = dt.date.fromisoformat(raw[:10])
    if not in_range(day):
        raise DateOutOfRangeError(range_message())
    return day


def norm(text: Any) -> str:
    """Lower case, "ё" as "е", single spaces: how names, words and headers are compared."""
    return " ".join(str(text or "").lower().replace("ё", "е").split())


def norm_header(text: Any) -> str:
    text = norm(str(text or "").replace("_", " ").replace(":", ": ").replace("*", ""))
    return text.strip(" :.")


def read_table(data: bytes, filename: str, spec: Spec) -> Table:
    """Read ``data`` into a :class:`Table` of ``spec``'s columns. Raises ImportFileError."""
    if len(data) > spec.max_bytes:
        raise ImportFileError(spec.too_large_message())
    records = spec.records(data, filename or "")
    try:
        return _to_table(records, spec)
    except csv.Error as exc:
        raise ImportFileError(
            _("The file could not be read as CSV. Save it again as CSV or as .xlsx.")
        ) from exc


def decode_text(data: bytes, errors: str = "replace") -> str:
    """UTF-8 with or without a BOM, else Windows-1251. With ``errors="strict"`` a byte that
    Windows-1251 does not have raises UnicodeDecodeError."""
    if data.startswith(UTF8_BOM):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1251", errors=errors)


def read_csv(text: str) -> Iterable[Sequence[Any]]:
    """The records of a CSV text, separated by whichever of ``;``, ``,`` and tab the first
    line has most of."""
    if "\x00" in text:
        raise ImportFileError(_("This is not a CSV file. Upload a CSV or an XLSX file."))
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(";,\t", key=first.count) if first else ";"
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def read_xlsx(data: bytes, max_rows: int) -> Iterable[Sequence[Any]]:
    """The records of the first sheet (a few more than ``max_rows``, so that a longer file is
    refused rather than cut)."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        records = []
        for record in sheet.iter_rows(values_only=True):
            records.append(record)
            if len(records) > max_rows + 100:
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
    # any() stops at the first filled cell: usually the first one.
    return not any(v is not None and (type(v) is not str or v.strip()) for v in record)


def _header_positions(
    header: Sequence[Any], spec: Spec
) -> tuple[dict[str, int], dict[str, str], list[str]]:
    """Where each column of ``spec`` is, as the file names it, and the headers not known."""
    keys = spec.header_keys
    positions: dict[str, int] = {}
    columns: dict[str, str] = {}
    ignored: list[str] = []
    for i, title in enumerate(header):
        text = str(title or "").strip()
        key = keys.get(norm_header(text))
        if key is None:
            if text:
                ignored.append(text)
            continue
        if key in positions:
            raise ImportFileError(_("The column “%(column)s” appears twice.") % {"column": text})
        positions[key], columns[key] = i, text
    missing = [c.ru for c in spec.columns if c.required and c.key not in positions]
    for group in spec.one_of:
        if not any(k in positions for k in group):
            missing.append(" / ".join(spec.column(k).ru for k in group))
    if missing:
        raise ImportFileError(spec.missing_message(missing))
    return positions, columns, ignored


def _to_table(records: Iterable[Sequence[Any]], spec: Spec) -> Table:
    it = iter(enumerate(records, start=1))
    header: Sequence[Any] = ()
    for _number, record in it:
        if not _blank(record):
            header = record
            break
    if not header:
        raise ImportFileError(_("The file is empty: the first row must contain the column names."))
    positions, columns, ignored = _header_positions(header, spec)
    rows: list[ImportRow] = []
    items = list(positions.items())
    for number, record in it:
        if _blank(record):
            continue
        if len(rows) >= spec.max_rows:
            raise ImportFileError(
                ngettext(
                    "The file has more than %(limit)d row. Split it into several files.",
                    "The file has more than %(limit)d rows. Split it into several files.",
                    spec.max_rows,
                )
                % {"limit": spec.max_rows}
            )
        size = len(record)
        rows.append(ImportRow(number, {k: record[i] if i < size else None for k, i in items}))
    if not rows:
        raise ImportFileError(_("The file has no rows under the header row."))
    return Table(columns=columns, rows=rows, ignored=ignored)


# --- the row-level report -------------------------------------------------------------------


def report_rows(
    errors: Sequence[RowError], table: Table, spec: Spec, *, limit: int, english: bool = False
) -> tuple[list[dict[str, Any]], int]:
    """The first ``limit`` errors as rows of ``includes/import_report.html`` (the column as
    the file names it, else its template header), and how many more there are."""
    rows = [
        {
            "row": e.row,
            "column": table.columns.get(e.column)
            or (spec.column(e.column).header(english=english) if e.column else ""),
            "value": e.value[:100],
            "message": e.message,
        }
        for e in errors[:limit]
    ]
    return rows, max(0, len(errors) - len(rows))


@dataclass(kw_only=True)
class ImportReport:
    """What an import did or would do: every row's errors (nothing is written when there is
    one), the counts by what was written and plain sentences for the page."""

    kind: str
    dry_run: bool
    filename: str = ""
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    summary: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, row: ImportRow | int, column: str, message: str, value: Any = None) -> None:
        number = row if isinstance(row, int) else row.number
        if value is None and not isinstance(row, int) and column:
            value = row.values.get(column)
        self.errors.append(RowError(number, column, text(value)[:200], message))

    def add_validation_error(
        self, row: ImportRow, exc: ValidationError, columns: dict[str, str] | Spec
    ) -> None:
        """A service's ValidationError, put on the file's column when one matches (``columns``
        maps a field to a column, or is the file's spec whose keys are the fields)."""
        items = exc.error_dict.items() if hasattr(exc, "error_dict") else [("", exc.error_list)]
        names = {k: k for k in columns.keys} if isinstance(columns, Spec) else columns
        for key, errors in items:
            column = names.get(key, key if key in row.values else "")
            for e in errors:
                for message in e.messages:
                    self.error(row, column, message)

    def sort(self, spec: Spec) -> None:
        """By row, and within a row in the order of the file's columns (the whole row first)."""
        order = spec.keys
        self.errors.sort(key=lambda e: (e.row, order.index(e.column) if e.column in order else -1))


# --- templates ------------------------------------------------------------------------------


def template_rows(spec: Spec, *, english: bool = False) -> list[list[str]]:
    """The header and an example row: Russian headers, or English ones with their examples."""
    return [
        [c.header(english=english) for c in spec.columns],
        [c.example_en if english else c.example for c in spec.columns],
    ]


def template_csv(spec: Spec, *, english: bool = False) -> bytes:
    """UTF-8 with a BOM and ``;``: what Excel opens correctly in a Russian locale."""
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(
        safe_row(row) for row in template_rows(spec, english=english)
    )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx(spec: Spec, *, english: bool = False) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = spec.kind[:31]
    for row in template_rows(spec, english=english):
        sheet.append(safe_row(row))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = max(14, len(str(cell.value)) + 4)
    for cell in sheet[2]:
        cell.number_format = "@"  # keep "01.09.2026" and "7Б" as typed
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
