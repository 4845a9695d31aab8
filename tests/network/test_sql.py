"""The network's hand-written SQL (``network.sql``) against ORM references, on SQLite and
PostgreSQL alike: the roles of a signed-in user (``sql.ROLES``) are the user's memberships,
municipal roles and guardianships in force on a day (``ActiveQuerySet.active``), over rows
that ended the day before, end that day, start that day, start the day after or never end,
and the rows of other people; and ``active_on`` is the ORM rule for a dated row."""

from __future__ import annotations

import datetime as dt

import pytest

from setka.core.sqlrows import rows
from setka.network import sql
from setka.network.models import Guardianship, Membership, MunicipalRole

from .. import factories as f
from ..clock import TODAY

pytestmark = pytest.mark.django_db

ONE_DAY = dt.timedelta(days=1)
# (starts, ends) in days from TODAY: ended the day before, ends today, open, starts today,
# starts the day after, a day long in the future
SPANS = [(-30, -1), (-30, 0), (-30, None), (0, None), (1, None), (3, 3)]


def _on(days: int | None) -> dt.date | None:
    return None if days is None else TODAY + days * ONE_DAY


@pytest.fixture
def person(world):
    """A teacher and parent with a row of each kind for each span, and the municipal role and
    guardianship of the world's other people around."""
    someone = f.PersonFactory(municipality=world.municipality, with_user=True)
    institutions = [world.school, world.ddt, world.other_school, world.imc]
    for n, (starts, ends) in enumerate(SPANS):
        f.MembershipFactory(
            person=someone,
            institution=institutions[n % len(institutions)],
            role=list(Membership.Role)[n % len(Membership.Role)],
            starts_on=_on(starts),
            ends_on=_on(ends),
        )
        f.MunicipalRoleFactory(
            person=someone,
            role=list(MunicipalRole.Role)[n % len(MunicipalRole.Role)],
            starts_on=_on(starts),
            ends_on=_on(ends),
        )
        f.GuardianshipFactory(
            guardian=someone,
            student=f.PersonFactory(municipality=world.municipality),
            starts_on=_on(starts),
            ends_on=_on(ends),
        )
    return someone


def _expected(user, day: dt.date) -> list[tuple]:
    """The ORM's answer: the user's rows in force on ``day``."""
    memberships = Membership.objects.active(day).filter(person__user=user)
    roles = MunicipalRole.objects.active(day).filter(person__user=user)
    guardianships = Guardianship.objects.active(day).filter(guardian__user=user)
    return sorted(
        [("m", m.person_id, m.person.municipality_id, m.institution_id, m.role)
         for m in memberships.select_related("person")]
        + [("r", r.person_id, r.person.municipality_id, r.municipality_id, r.role)
           for r in roles.select_related("person")]
        + [("g", g.guardian_id, g.guardian.municipality_id, g.student_id, "")
           for g in guardianships.select_related("guardian")]
    )  # fmt: skip


@pytest.mark.parametrize("days", [-1, 0, 1, 3])
@pytest.mark.parametrize("who", ["person", "parent", "admin", "student", "no person"])
def test_roles_are_the_orm_rows_in_force_on_the_day(world, person, who, days):
    day = TODAY + days * ONE_DAY
    user = {
        "person": person.user,
        "no person": f.UserFactory(username="nobody"),
    }.get(who) or world.users[who]

    found = rows(sql.ROLES, {"user": user.pk, "on": day})

    assert sorted(found) == _expected(user, day)
    if who == "person":  # each kind: the rows in force, not the others
        in_force = sum(1 for s, e in SPANS if s <= days and (e is None or e >= days))
        assert len(found) == 3 * in_force


@pytest.mark.parametrize(("starts", "ends"), SPANS)
def test_active_on_is_the_orm_rule_for_a_dated_row(world, person, starts, ends):
    row = Membership.objects.filter(person=person).first()
    Membership.objects.filter(pk=row.pk).update(starts_on=_on(starts), ends_on=_on(ends))
    statement = (
        f"SELECT m.id FROM {Membership._meta.db_table} m "  # noqa: S608 - names from the model
        f"WHERE m.id = %(id)s AND {sql.active_on('m', '%(day)s')}"
    )

    found = bool(rows(statement, {"id": row.pk, "day": TODAY}))

    assert found == Membership.objects.active(TODAY).filter(pk=row.pk).exists()
