"""Stamps of the domains' data, kept by the database itself.

Every table of the apps in :data:`DOMAINS` gets a trigger (installed after ``migrate`` by
:func:`install`, idempotent) that appends a row to ``core_change`` naming its domain on every
INSERT, UPDATE, DELETE (and TRUNCATE on PostgreSQL) — whoever writes: a form, a service, an
``.update()``, a ``bulk_create``, a migration or hand-written SQL. A domain's stamp is the
highest id of its rows with the sum of their weights (:func:`stamps`, one query for any
number of domains): when it has not moved, nothing of the domain has changed since, so what
was made from it may be served again (``core.pagecache``).

- PostgreSQL: a statement-level trigger appends one row per statement. Rows are only ever
  added, so concurrent writers never wait for each other on them; the row becomes visible
  with the writer's commit, together with the change it stamps. Ids are taken in the order
  of the statements, not of the commits, so the stamp is the highest id *and the sum of the
  weights* (each row weighs 1): a write committed after a later one still moves it.
  ``prune`` (a job every few minutes) folds each domain's rows into its last one, which
  takes their weight: the stamps read the same before and after.
- SQLite: a row-level trigger replaces the domain's one row with a new one (ids are
  ``AUTOINCREMENT``: never reused); SQLite has one writer at a time, so there is nothing to
  wait for.

A reader asks the stamps *before* it reads the data: the data it then reads is at least as
new as the stamp, so a page stored under a stamp is never older than the stamp says."""

from __future__ import annotations

from collections.abc import Iterable

from django.apps import apps
from django.db import connections, transaction

from . import sql, sqlrows

#: The apps whose tables are stamped: what the cached pages are made of. The accounts, the
#: sessions and the notifications are not (the pages' keys carry the user's own fields and
#: their unread count instead), nor the audit log.
DOMAINS = ("network", "journal", "programs", "resources", "events", "readiness")

TRIGGER = sql.TRIGGER


def tables(domains: Iterable[str] = DOMAINS) -> list[tuple[str, str]]:
    """(table, domain) for every concrete table of the domains, many-to-many tables included."""
    out = []
    for label in domains:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            meta = model._meta
            if meta.managed and not meta.proxy and not meta.swapped:
                out.append((meta.db_table, label))
    return sorted(set(out))


def _installed(cursor, vendor: str) -> int:
    """How many tables have their trigger."""
    if vendor == "postgresql":
        cursor.execute(sql.PG_TRIGGERS, [TRIGGER])
        return cursor.fetchone()[0]
    cursor.execute(sql.SQLITE_TRIGGERS, [TRIGGER + "_%"])
    return cursor.fetchone()[0] // 3  # one per operation


def install(using: str = "default", **_kwargs) -> int:
    """Create the triggers that are missing (after every ``migrate``). Returns how many tables
    got one; 0 when every table has it already (one query)."""
    connection = connections[using]
    vendor = connection.vendor
    if vendor not in ("postgresql", "sqlite"):  # pragma: no cover - the two databases we run
        return 0
    wanted = tables()
    existing = set(connection.introspection.table_names())
    if sql.TABLE not in existing:  # migrated back before the change log: no triggers
        return 0
    wanted = [(table, domain) for table, domain in wanted if table in existing]
    with connection.cursor() as cursor:
        if _installed(cursor, vendor) == len(wanted):
            return 0
        qn = connection.ops.quote_name
        statements = (
            [sql.PG_CHANGE_FUNCTION, *(sql.pg_trigger(qn(t), d) for t, d in wanted)]
            if vendor == "postgresql"
            else [sql.sqlite_trigger(qn, t, d) for t, d in wanted]
        )
        for statement in statements:
            for part in statement if isinstance(statement, tuple) else (statement,):
                cursor.execute(part)
    return len(wanted)


def uninstall(using: str = "default") -> None:
    """Drop every trigger of the change log (the reverse of its migration: without its table
    the triggers would refuse every write)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        for statement in sql.drop_triggers(connection.vendor, cursor):
            cursor.execute(statement)


def stamps(domains: Iterable[str]) -> tuple[tuple[int, int], ...]:
    """The stamp of each domain — (highest id, sum of weights); (0, 0) when nothing was ever
    written — in one query (prepared on PostgreSQL: every cached page asks it)."""
    names = tuple(domains)
    if not names:
        return ()
    row = sqlrows.rows(sql.stamps(len(names)), {f"d{i}": n for i, n in enumerate(names)})[0]
    return tuple((row[i] or 0, int(row[i + 1] or 0)) for i in range(0, len(row), 2))


def prune(using: str = "default") -> int:
    """Fold the rows of each domain into its last one (a job every few minutes: the stamps
    read every row of a domain since); the stamps do not change. Returns how many rows went."""
    connection = connections[using]
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute(sql.COUNT)
        before = cursor.fetchone()[0]
        if connection.vendor == "postgresql":
            cursor.execute(sql.PG_PRUNE)
        else:
            for statement in sql.SQLITE_PRUNE:
                cursor.execute(statement)
        cursor.execute(sql.COUNT)
        return before - cursor.fetchone()[0]
