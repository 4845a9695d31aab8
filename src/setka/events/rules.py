"""Who may do what with events.

- Anyone (even anonymous) sees a published, cancelled or finished event: the municipal
  calendar is public. A draft is seen by its organisers and hosts only.
- The organisers of an event manage it: the administrators of its institution, the
  methodologists and municipal administrators of its municipality (they run the municipal
  calendar), and the person who created it.
- Its hosts run it: they see the registrations, check people in and get moderator rights.
- An event is created for an institution by its administrators and teachers, or by the
  municipality's methodologists and administrators for any institution of it.
- Registration is open to the event's audience (:func:`in_audience`).
"""

from __future__ import annotations

from collections.abc import Iterable

import rules

from setka.network.roles import UserRoles, user_roles

from .models import Event, Status


def _municipal(roles: UserRoles) -> frozenset[int]:
    return roles.methodologist_of | roles.municipal_admin_of


def manages(roles: UserRoles, event: Event) -> bool:
    return (
        event.institution_id in roles.admin_of
        or event.municipality_id in _municipal(roles)
        or (roles.person_id is not None and event.created_by_id == roles.person_id)
    )


def hosts(roles: UserRoles, event: Event, host_ids: Iterable[int] | None = None) -> bool:
    if roles.person_id is None:
        return False
    if host_ids is None:
        host_ids = getattr(event, "host_ids", None)
    if host_ids is None:
        return event.hosts.filter(pk=roles.person_id).exists()
    return roles.person_id in set(host_ids)


def runs(roles: UserRoles, event: Event) -> bool:
    return manages(roles, event) or hosts(roles, event)


def sees(roles: UserRoles, event: Event) -> bool:
    return event.status != Status.DRAFT or runs(roles, event)


def creates_for(roles: UserRoles, institution) -> bool:
    """May create events organised by ``institution``."""
    return (
        institution.pk in roles.admin_of
        or institution.pk in roles.teacher_of
        or institution.municipality_id in _municipal(roles)
    )


def creates_any(roles: UserRoles) -> bool:
    return bool(roles.admin_of or roles.teacher_of or _municipal(roles))


def sees_all_protocols(roles: UserRoles, event: Event) -> bool:
    """Each observer's protocol: the methodologists of the municipality (and its admins)."""
    return event.municipality_id in _municipal(roles)


@rules.predicate
def can_manage_event(user, event: Event | None) -> bool:
    return event is not None and manages(user_roles(user), event)


@rules.predicate
def can_run_event(user, event: Event | None) -> bool:
    return event is not None and runs(user_roles(user), event)


@rules.predicate
def can_manage_criteria(user, municipality=None) -> bool:
    roles = user_roles(user)
    if municipality is None:
        return bool(_municipal(roles))
    return municipality.pk in _municipal(roles)


rules.add_perm("events.manage_event", can_manage_event)
rules.add_perm("events.run_event", can_run_event)
rules.add_perm("events.manage_criteria", can_manage_criteria)
