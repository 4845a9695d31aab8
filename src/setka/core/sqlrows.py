"""Hand-written SQL for the hottest reads (the journal grid, the diary week, a mark's lesson,
a bearer token): compiling their querysets cost as much as running them. The SQL is plain
enough for SQLite and PostgreSQL alike (the tests run both); rows come back as tuples, and
these helpers turn SQLite's text dates and times, 0/1 booleans and numeric decimals into
Python values, or rows into model instances."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, TypeVar

from django.db import connection, models

try:
    from django.db.backends.postgresql.base import (  # type: ignore[attr-defined]
        ServerBindingCursor,
    )
except ImportError:  # pragma: no cover - psycopg missing: SQLite only
    ServerBindingCursor = None


def rows(sql: str, params: dict[str, Any]) -> list[tuple]:
    """Run ``sql`` with named parameters (dates are adapted for the database)."""
    ops = connection.ops
    adapted = {
        k: ops.adapt_datetimefield_value(v)
        if isinstance(v, dt.datetime)
        else ops.adapt_datefield_value(v)
        if isinstance(v, dt.date)
        else v
        for k, v in params.items()
    }
    if connection.vendor == "postgresql":
        # Server-side binding: the statement can be prepared (``prepare_threshold`` in the
        # settings), so PostgreSQL plans it once per connection; still logged by Django.
        connection.close_if_health_check_failed()
        connection.ensure_connection()
        with connection.wrap_database_errors:
            raw = ServerBindingCursor(connection.connection)
        cursor = connection._prepare_cursor(raw)  # type: ignore[attr-defined]
    else:
        cursor = connection.cursor()
    with cursor:
        cursor.execute(sql, adapted)
        return cursor.fetchall()


T = TypeVar("T")


def required(value: T | None) -> T:
    """A value of a NOT NULL column, typed as such."""
    if value is None:
        raise ValueError("NULL where the column is NOT NULL")
    return value


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


# --- model instances from SQL rows ------------------------------------------------------------

_CONVERTERS: dict[tuple[str, type, str], list] = {}
M = TypeVar("M", bound=models.Model)


def columns(model: type[models.Model], alias: str) -> str:
    """``alias."col", …`` for every concrete field of ``model``, in the order of
    :func:`instance`."""
    quote = connection.ops.quote_name
    return ", ".join(f"{alias}.{quote(f.column)}" for f in model._meta.concrete_fields)


def loaded(obj: M) -> M:
    """Mark an instance built from a row (not by :func:`instance`) as coming from the
    database, so that saving it updates the row."""
    obj._state.adding = False
    obj._state.db = connection.alias
    return obj


def instance(model: type[M], values: tuple | list) -> M:
    """A model instance from the values of :func:`columns`, converted as the ORM would (the
    database's converters: SQLite's text dates, 0/1 booleans, numeric decimals)."""
    fields = model._meta.concrete_fields
    key = (connection.vendor, model, connection.alias)
    converters = _CONVERTERS.get(key)
    if converters is None:
        converters = []
        for f in fields:
            col = f.get_col(model._meta.db_table)
            found = connection.ops.get_db_converters(col) + f.get_db_converters(connection)  # type: ignore[attr-defined]
            converters.append([(c, col) for c in found])
        _CONVERTERS[key] = converters
    out = []
    for raw, field_converters in zip(values, converters, strict=True):
        value = raw
        for converter, col in field_converters:
            value = converter(value, col, connection)
        out.append(value)
    return model.from_db(connection.alias, [f.attname for f in fields], out)
