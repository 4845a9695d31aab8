"""The programmes' hand-written SQL, in the style of ``journal.sql`` (``docs/architecture.md``):
table names from the models, named parameters. Only the offers' search vectors are here: a
write (run with a cursor, not ``core.sqlrows.rows``, which reads rows), for PostgreSQL only
(SQLite searches with ``icontains``).

Each statement has a test against an ORM reference (``tests/programs/test_sql.py``), on
PostgreSQL; skipped, visibly, on SQLite."""

from __future__ import annotations

from setka.network.models import Institution

from .models import Offer

# The Russian full-text vectors of the offers ``%(offers)s`` (a list of ids): the title weighs
# most, then the description, then the provider's short name. One statement for any number of
# offers (the demo writes them in bulk).
SEARCH = f"""
UPDATE {Offer._meta.db_table} o
SET search = setweight(to_tsvector('russian', o.title), 'A')
          || setweight(to_tsvector('russian', o.description), 'B')
          || setweight(to_tsvector('russian', i.short_name), 'C')
FROM {Institution._meta.db_table} i
WHERE i.id = o.institution_id AND o.id = ANY(%(offers)s)
"""  # noqa: S608
