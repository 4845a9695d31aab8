"""Who may use the municipal schedule builder: the methodologists of the municipality and
its municipal administrators, nobody else. Published items reach everyone else as events of
the municipal calendar (``setka.events``)."""

from __future__ import annotations

import rules

from setka.network.roles import UserRoles, user_roles


def builds_for(roles: UserRoles) -> frozenset[int]:
    """The municipalities whose schedules this person builds."""
    return roles.methodologist_of | roles.municipal_admin_of


def builds(roles: UserRoles, municipality_id: int | None = None) -> bool:
    municipalities = builds_for(roles)
    if municipality_id is None:
        return bool(municipalities)
    return municipality_id in municipalities


@rules.predicate
def can_build_schedules(user, schedule=None) -> bool:
    roles = user_roles(user)
    return builds(roles, None if schedule is None else schedule.municipality_id)


rules.add_perm("schedule.build", can_build_schedules)
