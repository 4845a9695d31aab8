"""Hand-written SQL for the journal's hottest reads (the journal grid and the diary week):
compiling their querysets cost as much as running them. The SQL is plain enough for SQLite
and PostgreSQL alike (the tests run both); rows come back as tuples, and these helpers turn
SQLite's text dates and times, 0/1 booleans and numeric decimals into Python values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import connection


def rows(sql: str, params: dict[str, Any]) -> list[tuple]:
    """Run ``sql`` with named parameters (dates are adapted for the database)."""
    adapted = {
        k: connection.ops.adapt_datefield_value(v)
        if isinstance(v, dt.date) and not isinstance(v, dt.datetime)
        else v
        for k, v in params.items()
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, adapted)
        return cursor.fetchall()


def as_date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def as_bool(value: Any) -> bool | None:
    return None if value is None else bool(value)


def as_decimal(value: Any, places: int) -> Decimal | None:
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places))


def as_time(value: Any) -> dt.time | None:
    return dt.time.fromisoformat(value[:8]) if isinstance(value, str) else value
