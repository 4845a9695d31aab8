"""The network's hand-written SQL, in the style of ``journal.sql`` (``docs/architecture.md``):
table names from the models, named parameters run through ``core.sqlrows.rows``, rows read by
position. Only the roles of a signed-in user (``roles.user_roles``: every request asks it)
are here, and the rule every dated row of the network and the journal repeats in SQL:
:func:`active_on`, the SQL form of ``ActiveQuerySet.active``.

Each statement has a test against an ORM reference on SQLite and PostgreSQL
(``tests/network/test_sql.py``)."""

from __future__ import annotations

from .models import Guardianship, Membership, MunicipalRole, Person


def active_on(alias: str, day: str) -> str:
    """A dated row (``starts_on``, ``ends_on``: a membership, a role, a guardianship, a
    teaching assignment) in force on ``day`` (an SQL expression): the SQL form of
    ``ActiveQuerySet.active(day)``."""
    return f"{alias}.starts_on <= {day} AND ({alias}.ends_on IS NULL OR {alias}.ends_on >= {day})"


PERSON = Person._meta.db_table

# What the user's person (``%(user)s``: the user's id) is on ``%(on)s``, a row per dated row
# in force: ``'m'`` a membership (the institution, the role), ``'r'`` a municipal role (the
# municipality, the role), ``'g'`` a guardianship (the child, no role); each with the person
# and their municipality. One UNION for the three: compiling three querysets cost more than
# running them.
ROLES = f"""
SELECT 'm', m.person_id, p.municipality_id, m.institution_id, m.role
FROM {Membership._meta.db_table} m JOIN {PERSON} p ON p.id = m.person_id
WHERE p.user_id = %(user)s AND {active_on("m", "%(on)s")}
UNION ALL
SELECT 'r', r.person_id, p.municipality_id, r.municipality_id, r.role
FROM {MunicipalRole._meta.db_table} r JOIN {PERSON} p ON p.id = r.person_id
WHERE p.user_id = %(user)s AND {active_on("r", "%(on)s")}
UNION ALL
SELECT 'g', g.guardian_id, p.municipality_id, g.student_id, ''
FROM {Guardianship._meta.db_table} g JOIN {PERSON} p ON p.id = g.guardian_id
WHERE p.user_id = %(user)s AND {active_on("g", "%(on)s")}
"""  # noqa: S608
