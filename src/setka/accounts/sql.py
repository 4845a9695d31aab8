"""The accounts' hand-written SQL, in the style of ``journal.sql`` (``docs/architecture.md``):
table names from the models, named parameters run through ``core.sqlrows.rows``, rows read by
position (here into model instances, ``sqlrows.instance``). The bearer token of an API call
(every call with a token runs it) and the user of a session (every signed-in page runs it).

Each statement has a test against an ORM reference on SQLite and PostgreSQL
(``tests/accounts/test_sql.py``)."""

from __future__ import annotations

from setka.core.sqlrows import columns

from .models import ApiToken, User

# The token whose hash is ``%(hash)s``, neither revoked nor expired at ``%(now)s``
# (``ApiToken.objects.active``), with its user: the token's columns, then the user's.
TOKEN = f"""
SELECT {columns(ApiToken, "t")}, {columns(User, "u")}
FROM {ApiToken._meta.db_table} t JOIN {User._meta.db_table} u ON u.id = t.user_id
WHERE t.key_hash = %(hash)s AND t.revoked_at IS NULL
  AND (t.expires_at IS NULL OR t.expires_at > %(now)s)
"""  # noqa: S608
TOKEN_SIZE = len(ApiToken._meta.concrete_fields)

# The user of a signed-in session by id (``User.objects.get(pk=…)``), every column.
USER = f"""
SELECT {columns(User, "u")} FROM {User._meta.db_table} u WHERE u.id = %(id)s
"""  # noqa: S608
