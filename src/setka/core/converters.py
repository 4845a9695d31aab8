"""The ids in page addresses: ``path("lessons/<id:pk>/", …)``.

Django's ``int`` converter takes any number of digits, so ``/journal/18446744073709551616/6/``
reached the database with a number no integer column can hold (a 500 on SQLite, an error on
PostgreSQL). ``id`` takes only what a database id can be — 1 to 2⁶³−1, the range of a
``bigint`` — and answers anything else with 404, like a missing object. It is registered once,
in ``CoreConfig.ready``; every URL pattern of every app that takes an id uses it."""

from __future__ import annotations

from django.urls import register_converter
from django.urls.converters import get_converters

#: The largest value of a signed 64-bit integer column (PostgreSQL's bigint, SQLite's INTEGER).
DB_INT_MAX = 2**63 - 1


class IdConverter:
    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= DB_INT_MAX:
            raise ValueError(value)  # the pattern does not match: 404
        return number

    def to_url(self, value: int | str) -> str:
        return str(int(value))


def parse_id(raw: object) -> int | None:
    """An id from a query string or a form (``?group=12``): None for anything that is not one
    (empty, not digits, 0, beyond the database's integers)."""
    text = str(raw or "").strip()
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 1 <= number <= DB_INT_MAX else None


def register() -> None:
    if "id" not in get_converters():  # once, even if the app registry is set up again
        register_converter(IdConverter, "id")
