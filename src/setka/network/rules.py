"""Permission predicates of the network registry (django-rules). Pages, the API and exports
all ask these through ``user.has_perm(name, obj)``; later modules add their own in their
``rules.py``, built from the same :func:`~setka.network.roles.user_roles`."""

from __future__ import annotations

import rules
from django.contrib.auth import get_user_model
from django.db.models import Q

from setka.core.clock import today

from .models import Guardianship, Institution, Membership, MunicipalRole, Person
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


def _current(qs):
    """Rows in force today or later (an ended role gives no rights any more)."""
    return qs.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today()))


@rules.predicate
def governs_every_role(user, person: Person | None) -> bool:
    """Whether ``user`` governs every role that ``person`` holds today or later: each
    membership (its institution's administrators, or the municipal admins), each municipal
    role (the municipal admins) and each guardianship (whoever governs every institution of
    the child). An account of the site's staff is governed by superusers only.

    The sign-in e-mail is the key to an account (a password reset goes there): only someone
    who governs all that the account can reach may change it."""
    if person is None:
        return False
    if user.is_superuser:
        return True
    if person.user_id is not None:
        account = get_user_model().objects.filter(pk=person.user_id)
        if account.filter(Q(is_staff=True) | Q(is_superuser=True)).exists():
            return False
    roles = user_roles(user)
    governed = Q(institution_id__in=roles.admin_of) | Q(
        institution__municipality_id__in=roles.municipal_admin_of
    )
    municipal = _current(MunicipalRole.objects.filter(person=person))
    if municipal.exclude(municipality_id__in=roles.municipal_admin_of).exists():
        return False
    if _current(Membership.objects.filter(person=person)).exclude(governed).exists():
        return False
    children = _current(Guardianship.objects.filter(guardian=person)).values("student_id")
    schools = _current(Membership.objects.filter(person_id__in=children))
    if schools.exclude(governed).exists():
        return False
    # a child without any institution is governed by the municipal admins only
    return not (
        Person.objects.filter(pk__in=children)
        .exclude(pk__in=schools.values("person_id"))
        .exclude(municipality_id__in=roles.municipal_admin_of)
        .exists()
    )


@rules.predicate
def administers_in_municipality(user, municipality) -> bool:
    """An institution's administrator adds people (a new student, a parent) to the
    municipality of the institutions they administer."""
    roles = user_roles(user)
    return bool(roles.admin_of) and _municipality_of(municipality) == roles.municipality_id


@rules.predicate
def has_no_account(user, person: Person | None) -> bool:
    return person is not None and person.user_id is None


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
rules.add_perm("network.add_person", is_municipal_admin | administers_in_municipality)
rules.add_perm(
    "network.view_person",
    is_self | is_guardian_of | is_municipal_admin | administers_person | is_colleague_employee,
)
rules.add_perm("network.change_person", is_municipal_admin | administers_person)
# The e-mail of a person with an account is the account's sign-in address.
rules.add_perm(
    "network.change_sign_in_email",
    (is_municipal_admin | administers_person) & (has_no_account | governs_every_role),
)
