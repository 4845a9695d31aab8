"""Permission predicates of the network registry (django-rules). Pages, the API and exports
all ask these through ``user.has_perm(name, obj)``; later modules add their own in their
``rules.py``, built from the same :func:`~setka.network.roles.user_roles`."""

from __future__ import annotations

import rules

from .models import Guardianship, Institution, Membership, Person
from .roles import user_roles


@rules.predicate
def is_municipal_admin(user, obj=None) -> bool:
    roles = user_roles(user)
    municipality_id = _municipality_of(obj)
    if municipality_id is None:
        return roles.is_municipal_admin
    return municipality_id in roles.municipal_admin_of


@rules.predicate
def is_methodologist(user, obj=None) -> bool:
    roles = user_roles(user)
    municipality_id = _municipality_of(obj)
    if municipality_id is None:
        return roles.is_methodologist
    return municipality_id in roles.methodologist_of


@rules.predicate
def is_institution_admin(user, institution: Institution | None) -> bool:
    if institution is None:
        return bool(user_roles(user).admin_of)
    return institution.pk in user_roles(user).admin_of


@rules.predicate
def is_employee(user, institution: Institution | None) -> bool:
    if institution is None:
        return bool(user_roles(user).employee_of)
    return institution.pk in user_roles(user).employee_of


@rules.predicate
def is_self(user, person: Person | None) -> bool:
    return person is not None and person.pk == user_roles(user).person_id


@rules.predicate
def is_guardian_of(user, person: Person | None) -> bool:
    return person is not None and person.pk in user_roles(user).children


@rules.predicate
def administers_person(user, person: Person | None) -> bool:
    """An institution admin of a place where the person is (or was) a member, or where a
    child of theirs is a member."""
    if person is None:
        return False
    admin_of = user_roles(user).admin_of
    if not admin_of:
        return False
    if Membership.objects.filter(person=person, institution_id__in=admin_of).exists():
        return True
    return Guardianship.objects.filter(
        guardian=person, student__memberships__institution_id__in=admin_of
    ).exists()


@rules.predicate
def is_colleague_employee(user, person: Person | None) -> bool:
    """Employees of one institution see each other (a staff directory), not students."""
    if person is None:
        return False
    employee_of = user_roles(user).employee_of
    if not employee_of:
        return False
    return (
        Membership.objects.active()
        .filter(person=person, institution_id__in=employee_of)
        .exclude(role=Membership.Role.STUDENT)
        .exists()
    )


def _municipality_of(obj) -> int | None:
    if obj is None:
        return None
    if hasattr(obj, "municipality_id"):
        return obj.municipality_id
    if obj.__class__.__name__ == "Municipality":
        return obj.pk
    return None


is_registry_manager = is_municipal_admin | is_methodologist
can_manage_people = is_municipal_admin | is_institution_admin

rules.add_perm("network.manage_registry", is_registry_manager)
rules.add_perm("network.add_institution", is_registry_manager)
rules.add_perm("network.change_institution", is_registry_manager)
rules.add_perm("network.change_institution_contacts", is_registry_manager | is_institution_admin)
rules.add_perm("network.manage_people", can_manage_people)
rules.add_perm("network.view_people", can_manage_people | is_methodologist)
rules.add_perm("network.manage_municipal_roles", is_municipal_admin)
rules.add_perm(
    "network.view_person",
    is_self | is_guardian_of | is_municipal_admin | administers_person | is_colleague_employee,
)
rules.add_perm("network.change_person", is_municipal_admin | administers_person)
