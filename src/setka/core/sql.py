"""The core's hand-written SQL (``docs/architecture.md``, "Hand-written SQL"): the change log's
triggers and the stamps of the domains (``core.changes``), with their tests on SQLite and
PostgreSQL in ``tests/core/test_changes.py`` (the stamps against an ORM reference)."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from .models import Change

TABLE = Change._meta.db_table
TRIGGER = "setka_change"

#: The stamped tables' triggers (named ``setka_change``; on SQLite ``setka_change_<table>_<op>``).
PG_TRIGGERS = "SELECT count(*) FROM pg_trigger WHERE tgname = %s AND NOT tgisinternal"
SQLITE_TRIGGERS = "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s"

#: PostgreSQL: one function for every stamped table; the trigger passes its domain.
PG_CHANGE_FUNCTION = (
    f"CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$ "  # noqa: S608
    f"BEGIN INSERT INTO {TABLE} (domain) VALUES (TG_ARGV[0]); RETURN NULL; END $$"
)


def pg_trigger(table: str, domain: str) -> tuple[str, str]:
    """A statement-level trigger on ``table`` (quoted) appending a row of ``domain``."""
    return (
        f"DROP TRIGGER IF EXISTS {TRIGGER} ON {table}",
        f"CREATE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {TRIGGER}('{domain}')",
    )


def drop_triggers(vendor: str, cursor) -> list[str]:
    """The statements that drop every trigger of the change log (and its function)."""
    if vendor == "postgresql":
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = %s AND NOT t.tgisinternal",
            [TRIGGER],
        )
        tables = [row[0] for row in cursor.fetchall()]
        return [f'DROP TRIGGER IF EXISTS {TRIGGER} ON "{table}"' for table in tables] + [
            f"DROP FUNCTION IF EXISTS {TRIGGER}()"
        ]
    cursor.execute(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s", [TRIGGER + "_%"]
    )
    return [f'DROP TRIGGER IF EXISTS "{row[0]}"' for row in cursor.fetchall()]


def sqlite_trigger(qn: Callable[[str], str], table: str, domain: str) -> tuple[str, ...]:
    """Row-level triggers on ``table`` replacing the one row of ``domain`` by a new one."""
    body = (
        f"DELETE FROM {TABLE} WHERE domain = '{domain}'; "  # noqa: S608 - an app label
        f"INSERT INTO {TABLE} (domain) VALUES ('{domain}');"
    )
    return tuple(
        f"CREATE TRIGGER IF NOT EXISTS {qn(f'{TRIGGER}_{table}_{op.lower()}')} "
        f"AFTER {op} ON {qn(table)} BEGIN {body} END"
        for op in ("INSERT", "UPDATE", "DELETE")
    )


@lru_cache(maxsize=32)
def stamps(count: int) -> str:
    """For each of ``count`` domains (parameters ``d0``, ``d1``, …) its highest id and the sum
    of its weights, two columns each. The sum is what makes the stamp exact on PostgreSQL:
    ids are taken in the order of the statements, not of the commits, so a write committed
    after a later one adds no higher id — but it adds its weight. Each subquery reads the
    rows of one domain down the (domain, id) index; the prune keeps them few."""
    top = f"(SELECT MAX(id) FROM {TABLE} WHERE domain = %(d{{0}})s)"  # noqa: S608 - the table
    weight = f"(SELECT SUM(weight) FROM {TABLE} WHERE domain = %(d{{0}})s)"  # noqa: S608
    return "SELECT " + ", ".join(f"{top}, {weight}".format(i) for i in range(count))


#: PostgreSQL: the rows of each domain folded into its last one, which takes their weight —
#: one statement, so one snapshot: a row committed meanwhile is neither deleted nor counted
#: (it stays, with its weight). The stamps read the same before and after.
PG_PRUNE = f"""
WITH last AS (
    SELECT domain, MAX(id) AS id, SUM(weight) AS weight FROM {TABLE} GROUP BY domain
), gone AS (
    DELETE FROM {TABLE} c USING last WHERE c.domain = last.domain AND c.id < last.id
    RETURNING c.id
)
UPDATE {TABLE} c SET weight = last.weight FROM last WHERE c.id = last.id
"""  # noqa: S608 - the model's table

COUNT = f"SELECT count(*) FROM {TABLE}"  # noqa: S608 - the model's table

#: SQLite (one writer at a time): the same in two statements of one transaction.
SQLITE_PRUNE = (
    f"""UPDATE {TABLE} SET weight = (
        SELECT SUM(c.weight) FROM {TABLE} c WHERE c.domain = {TABLE}.domain)
    WHERE id = (SELECT MAX(m.id) FROM {TABLE} m WHERE m.domain = {TABLE}.domain)""",  # noqa: S608
    f"""DELETE FROM {TABLE}
    WHERE id < (SELECT MAX(m.id) FROM {TABLE} m WHERE m.domain = {TABLE}.domain)""",  # noqa: S608
)
