"""Importing people and their memberships from a CSV or XLSX file.

:func:`read_table` reads the file into :class:`ImportRow` objects (its columns are
:data:`~.columns.PEOPLE`), :func:`parse_row` checks each row (no database), and
:func:`people_import` writes every row through the services in one transaction, or nothing
at all when any row is bad or on a dry run. The API can pass rows of its own to
:func:`people_import`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from setka.core import tabular
from setka.core.clock import today
from setka.core.names import name_problem
from setka.core.plurals import too_long_text
from setka.core.tabular import ImportFileError, ImportReport, ImportRow, RowError, Table, norm

from ..models import Guardianship, Institution, Membership
from .columns import MAX_FILE_SIZE, MAX_ROWS, PEOPLE, REQUIRED
from .enrol import PERSON_KEYS, Enrolment, EnrolResult, PersonIndex, guardian_link, person_enrol

__all__ = [
    "MAX_FILE_SIZE",
    "MAX_ROWS",
    "PEOPLE",
    "PERSON_KEYS",
    "EnrolResult",
    "Enrolment",
    "ImportFileError",
    "ImportRow",
    "PeopleReport",
    "PersonIndex",
    "RowError",
    "Table",
    "guardian_link",
    "parse_row",
    "people_import",
    "person_enrol",
    "read_table",
]

PARENT_KEYS = ["parent_" + k for k in PERSON_KEYS if k != "birth_date"]
NAME_KEYS = [p + k for p in ("", "parent_") for k in ("surname", "given_name", "patronymic")]
MAX_LENGTH = {"surname": 100, "given_name": 100, "patronymic": 100, "phone": 50, "position": 200}
ROLE_WORDS = {
    Membership.Role.STUDENT: ("ученик", "ученица", "учащийся", "обучающийся", "student"),
    Membership.Role.TEACHER: ("учитель", "педагог", "преподаватель", "teacher"),
    Membership.Role.STAFF: ("сотрудник", "staff"),
    Membership.Role.INSTITUTION_ADMIN: ("администратор", "admin", "administrator"),
}
KIND_WORDS = {
    Guardianship.Kind.MOTHER: ("мать", "мама", "mother"),
    Guardianship.Kind.FATHER: ("отец", "папа", "father"),
    Guardianship.Kind.GUARDIAN: ("опекун", "попечитель", "guardian"),
    Guardianship.Kind.OTHER: ("другое", "законный представитель", "other"),
}
ROLE_BY_WORD = {norm(w): role for role, words in ROLE_WORDS.items() for w in words}
KIND_BY_WORD = {norm(w): kind for kind, words in KIND_WORDS.items() for w in words}


def read_table(data: bytes, filename: str = "") -> Table:
    """Read a people file (the columns of :data:`~.columns.PEOPLE`). Raises ImportFileError."""
    return tabular.read_table(data, filename, PEOPLE)


@dataclass(kw_only=True)
class PeopleReport(ImportReport):
    """The report of a people import with what it wrote, by kind."""

    kind: str = "people"
    people_created: int = 0
    people_attached: int = 0
    memberships: int = 0
    skipped: int = 0
    parents_created: int = 0
    guardianships: int = 0


def _is_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def _dates(row: ImportRow, error: Callable[[str, str], None]) -> dict[str, dt.date | None]:
    """The row's dates; a date of birth in the future is an error."""
    dates: dict[str, dt.date | None] = {}
    for key in ("birth_date", "starts_on"):
        try:
            dates[key] = tabular.parse_date(row.values.get(key))
        except tabular.DateOutOfRangeError as exc:
            error(key, str(exc))
        except ValueError:
            error(key, _("This is not a date. Write it as DD.MM.YYYY, for example 01.09.2024."))
    born = dates.get("birth_date")
    if born and born > today():
        error("birth_date", _("The date of birth cannot be in the future."))
    return dates


def _check_parent(
    text: dict[str, str], role: str | None, error: Callable[[str, str], None]
) -> None:
    """A row with parent columns: a student's, with the parent's names and a known relation."""
    if role and role != Membership.Role.STUDENT:
        error("parent_surname", _("Parent columns can be filled in only for students."))
    for key in ("parent_surname", "parent_given_name"):
        if not text.get(key):
            error(
                key,
                _(
                    "Fill in the parent's surname and given name, or leave all the parent "
                    "columns empty."
                ),
            )
    if text.get("parent_kind") and norm(text["parent_kind"]) not in KIND_BY_WORD:
        error("parent_kind", _("Unknown relation. Write one of: мать, отец, опекун."))


def parse_row(row: ImportRow) -> tuple[Enrolment | None, list[RowError]]:
    """Check one row without the database: required columns, words, dates, e-mails."""
    errors: list[RowError] = []
    text = {k: tabular.text(v) for k, v in row.values.items()}

    def error(column: str, message: str) -> None:
        errors.append(RowError(row.number, column, text.get(column, ""), message))

    for key in REQUIRED:
        if not text.get(key):
            error(key, _("This column must be filled in."))
    for key, limit in MAX_LENGTH.items():
        for k in (key, f"parent_{key}"):
            if len(text.get(k, "")) > limit:
                error(k, too_long_text(limit))
    for key in NAME_KEYS:
        problem = name_problem(text.get(key, ""))
        if problem is not None:
            error(key, problem[1])
    for key in ("email", "parent_email"):
        if text.get(key) and not _is_email(text[key]):
            error(key, _("This is not a valid e-mail address."))
    role = ROLE_BY_WORD.get(norm(text.get("role")))
    if text.get("role") and role is None:
        error("role", _("Unknown role. Write one of: ученик, учитель, сотрудник, администратор."))
    dates = _dates(row, error)
    born = dates.get("birth_date")
    parent = {k.removeprefix("parent_"): text.get(k, "") for k in PARENT_KEYS}
    has_parent = any(parent.values()) or bool(text.get("parent_kind"))
    if has_parent:
        _check_parent(text, role, error)
    if errors or role is None:
        return None, errors
    person: dict[str, Any] = {k: text.get(k, "") for k in PERSON_KEYS if k != "birth_date"}
    person["birth_date"] = born
    enrolment = Enrolment(
        person=person,
        role=role,
        position=text.get("position", ""),
        starts_on=dates.get("starts_on"),
        parent=parent if has_parent else None,
        parent_kind=KIND_BY_WORD.get(norm(text.get("parent_kind")), Guardianship.Kind.OTHER),
    )
    return enrolment, errors


def _row_key(e: Enrolment) -> tuple:
    p = e.person
    return (norm(p["surname"]), norm(p["given_name"]), norm(p["patronymic"]),
            p["birth_date"], e.role)  # fmt: skip


def people_import(
    *,
    actor,
    institution: Institution,
    rows: Sequence[ImportRow],
    dry_run: bool = False,
    skip_existing: bool = False,
) -> PeopleReport:
    """Import ``rows`` into ``institution``: every row is checked, then either all of them are
    written through the services (each change audited) or, when any row is bad or on a
    ``dry_run``, nothing. ``skip_existing`` leaves people who already have the role alone."""
    if not actor.has_perm("network.manage_people", institution):
        raise PermissionDenied
    report = PeopleReport(dry_run=dry_run, rows=len(rows))
    parsed: list[tuple[ImportRow, Enrolment]] = []
    seen: dict[tuple, int] = {}
    for row in rows:
        enrolment, errors = parse_row(row)
        report.errors.extend(errors)
        if enrolment is None:
            continue
        key = _row_key(enrolment)
        if key in seen:
            message = _(
                "The same person with the same role is already in row %(row)d. If these are two "
                "different people, fill in their dates of birth."
            )
            report.errors.append(RowError(row.number, "", "", message % {"row": seen[key]}))
            continue
        seen[key] = row.number
        parsed.append((row, enrolment))
    people = [e.person for _r, e in parsed] + [e.parent for _r, e in parsed if e.parent]
    index = PersonIndex.load(institution.municipality, people)
    with transaction.atomic():
        for row, enrolment in parsed:
            try:
                result = person_enrol(
                    actor=actor,
                    institution=institution,
                    enrolment=enrolment,
                    index=index,
                    skip_existing=skip_existing,
                )
            except ValidationError as exc:
                report.add_validation_error(row, exc, PEOPLE)
                continue
            report.people_created += result.person_created
            report.people_attached += not result.person_created
            report.memberships += result.membership is not None
            report.skipped += result.membership is None
            report.parents_created += result.parent_created
            report.guardianships += result.guardianship is not None
        if report.errors or dry_run:
            transaction.set_rollback(True)
    report.sort(PEOPLE)
    return report
