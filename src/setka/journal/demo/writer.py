"""Writing hundreds of thousands of demo rows fast: plain tuples, no model instances.

On PostgreSQL rows go in with ``COPY … FROM STDIN`` (psycopg's ``cursor.copy()``), on SQLite
with ``executemany``. Values must already be in the form the database stores: dates and
datetimes through :class:`Adapt` (UTC datetimes, as Django writes them), booleans as
``bool``, ``None`` for NULL. This is for seed data only: no validation happens here, so the
callers keep the invariants the services enforce."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.db import connection, models

UTC = dt.UTC


class Adapt:
    """Dates and datetimes as the database stores them (cached: the demo repeats them)."""

    def __init__(self) -> None:
        self.postgres = connection.vendor == "postgresql"
        self._dates: dict[dt.date, str] = {}

    def date(self, day: dt.date) -> str:
        text = self._dates.get(day)
        if text is None:
            text = self._dates[day] = day.isoformat()
        return text

    def moment(self, value: dt.datetime) -> str:
        """An aware datetime → UTC text: ``2026-09-01 02:30:00`` (SQLite, like Django) or
        ``2026-09-01 02:30:00+00:00`` (PostgreSQL)."""
        text = value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
        return text + "+00:00" if self.postgres else text


def _columns(model: type[models.Model], fields: Sequence[str]) -> list[str]:
    return [model._meta.get_field(name).column for name in fields]


def insert(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence], *, batch=5000
) -> int:
    """Insert ``rows`` (tuples in the order of ``fields``) into ``model``'s table."""
    table = model._meta.db_table
    columns = _columns(model, fields)
    count = 0
    if connection.vendor == "postgresql":
        names = ", ".join(connection.ops.quote_name(c) for c in columns)
        sql = f"COPY {connection.ops.quote_name(table)} ({names}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        return count
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        connection.ops.quote_name(table),
        ", ".join(connection.ops.quote_name(c) for c in columns),
        ", ".join("?" for _ in columns),
    )
    connection.ensure_connection()
    raw = connection.connection
    chunk: list[Sequence] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= batch:
            raw.executemany(sql, chunk)
            count += len(chunk)
            chunk = []
    if chunk:
        raw.executemany(sql, chunk)
        count += len(chunk)
    return count


def update(model: type[models.Model], fields: Sequence[str], rows: Sequence[Sequence]) -> int:
    """Set ``fields`` by primary key: each row is ``(pk, *values)``."""
    if not rows:
        return 0
    table = connection.ops.quote_name(model._meta.db_table)
    pk = connection.ops.quote_name(model._meta.pk.column)
    columns = _columns(model, fields)
    quoted = [connection.ops.quote_name(c) for c in columns]
    if connection.vendor == "postgresql":
        types = [model._meta.get_field(name).db_type(connection) for name in fields]
        staging = "journal_demo_staging"
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMPORARY TABLE {staging} ({pk} bigint, "
                + ", ".join(f"{c} {t}" for c, t in zip(quoted, types, strict=True))
                + ") ON COMMIT DROP"
            )
            with cursor.cursor.copy(f"COPY {staging} FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute(
                f"UPDATE {table} AS t SET "
                + ", ".join(f"{c} = s.{c}" for c in quoted)
                + f" FROM {staging} AS s WHERE t.{pk} = s.{pk}"
            )
            cursor.execute(f"DROP TABLE {staging}")
        return len(rows)
    sql = f"UPDATE {table} SET " + ", ".join(f"{c} = ?" for c in quoted) + f" WHERE {pk} = ?"
    connection.ensure_connection()
    connection.connection.executemany(sql, [(*row[1:], row[0]) for row in rows])
    return len(rows)


def bulk_mode() -> None:
    """Prepare the connection for loading millions of rows in this transaction.

    PostgreSQL: the foreign keys of every inserted row are checked by triggers, one query
    each — the most of the time of a load. A superuser (the benchmark and demo databases)
    switches them off for this transaction (``session_replication_role = replica``, as
    ``pg_restore --disable-triggers`` does): the demo's rows are consistent by construction,
    and the tests check them on SQLite, where foreign keys are checked. Otherwise they are
    checked at the end of each statement, so they do not pile up until the commit.
    SQLite: a page cache big enough for the indexes being filled (the default 2 MB makes
    every insert into a large index read and write pages)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            if cursor.fetchone()[0]:
                cursor.execute("SET LOCAL session_replication_role = replica")
            else:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        elif connection.vendor == "sqlite":
            cursor.execute("PRAGMA cache_size = -262144")  # KiB: 256 MiB, for this connection


def normal_mode() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = origin")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -2000")
