"""Who may do what with shared resources and their bookings (django-rules predicates built
from :func:`setka.network.roles.user_roles`). Pages, the API and the services ask these.

- A resource centre's administrators publish and manage its resources, and approve, refuse
  or cancel the bookings of them. Nobody else manages them (not even the municipality).
- Administrators of any institution of the municipality book for their institution;
  teachers book for an institution where they teach when the resource allows teachers to
  book (``teachers_may_book``: e.g. a videoconference kit, not the assembly hall);
  municipal administrators and methodologists book for any institution of their
  municipality (they run the municipal calendar: a seminar of the ИМЦ at a school).
- A booking is seen in full by the owner's administrators, the booking institution's
  administrators, the person who booked it and the municipality's administrators and
  methodologists; the booker, their institution's administrators and the owner's
  administrators cancel it.
- A public resource's calendar shows busy time to everyone (anonymous visitors too, without
  details); other people of the municipality see which institution holds each slot."""

from __future__ import annotations

import rules

from setka.network.models import Institution
from setka.network.roles import UserRoles, user_roles

from .models import Booking, Resource


def municipal_roles(roles: UserRoles) -> frozenset[int]:
    return roles.municipal_admin_of | roles.methodologist_of


def owner_municipality(resource: Resource) -> int:
    return resource.institution.municipality_id


@rules.predicate
def manages_institution_resources(user, institution: Institution | None) -> bool:
    """An administrator of a resource centre (its resources and their bookings)."""
    roles = user_roles(user)
    if institution is None:
        return bool(roles.admin_of)
    return institution.is_resource_centre and institution.pk in roles.admin_of


@rules.predicate
def manages_resource(user, resource: Resource | None) -> bool:
    return resource is not None and resource.institution_id in user_roles(user).admin_of


@rules.predicate
def sees_resource(user, resource: Resource | None) -> bool:
    if resource is None:
        return False
    roles = user_roles(user)
    if resource.institution_id in roles.admin_of:
        return True
    if not resource.is_active:
        return False
    return resource.is_public or roles.municipality_id == owner_municipality(resource)


def may_book_for(user, resource: Resource, institution: Institution) -> bool:
    """May ``user`` book ``resource`` on behalf of ``institution``?"""
    roles = user_roles(user)
    municipality_id = owner_municipality(resource)
    if not resource.is_active or not institution.is_active:
        return False
    if institution.municipality_id != municipality_id:
        return False
    if institution.pk in roles.admin_of or municipality_id in municipal_roles(roles):
        return True
    return resource.teachers_may_book and institution.pk in roles.teacher_of


@rules.predicate
def may_book(user, resource: Resource | None) -> bool:
    """May ``user`` book ``resource`` for some institution? (Which ones: ``booking_for``.)"""
    if resource is None or not resource.is_active:
        return False
    roles = user_roles(user)
    municipality_id = owner_municipality(resource)
    if municipality_id in municipal_roles(roles):
        return True
    if roles.municipality_id != municipality_id:
        return False
    return bool(roles.admin_of or (resource.teachers_may_book and roles.teacher_of))


@rules.predicate
def decides_booking(user, booking: Booking | None) -> bool:
    return booking is not None and booking.owner_id in user_roles(user).admin_of


@rules.predicate
def cancels_booking(user, booking: Booking | None) -> bool:
    if booking is None:
        return False
    roles = user_roles(user)
    return (
        booking.owner_id in roles.admin_of
        or booking.institution_id in roles.admin_of
        or (booking.booked_by_id is not None and booking.booked_by_id == roles.person_id)
    )


@rules.predicate
def sees_booking(user, booking: Booking | None) -> bool:
    if booking is None:
        return False
    if cancels_booking(user, booking):
        return True
    municipality_id = booking.owner.municipality_id
    return municipality_id in municipal_roles(user_roles(user))


rules.add_perm("resources.manage_resources", manages_institution_resources)
rules.add_perm("resources.change_resource", manages_resource)
rules.add_perm("resources.view_resource", sees_resource)
rules.add_perm("resources.book", may_book)
rules.add_perm("resources.decide_booking", decides_booking)
rules.add_perm("resources.cancel_booking", cancels_booking)
rules.add_perm("resources.view_booking", sees_booking)
