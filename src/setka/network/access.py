"""Fetch and authorize in one call: the network's objects as a user may reach them.

Pages and the API ask these, never ``Model.objects.get`` followed by a check of their own.
An object the user may not see answers 404, like a missing one (``Http404``); what the user
may then *do* to an object they can see is the service's own check (``services._require``),
or the caller's when it words a 403 of its own."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from setka.core.permissions import get_for_user_or_404

from .models import Guardianship, Institution, Membership, MunicipalRole, Person


def institution_for_user(
    user: Any, *, pk: int | None = None, slug: str | None = None, perm: str | None = None
) -> Institution:
    """An institution by id or slug. Without ``perm``: a public (active) one, a closed one only
    for the registry managers; with ``perm``: only when the user has it on the institution."""
    lookup: dict[str, Any] = {"pk": pk} if pk is not None else {"slug": slug}
    qs = Institution.objects.select_related("municipality")
    if perm is not None:
        return get_for_user_or_404(user, perm, qs, **lookup)
    institution = qs.filter(**lookup).first()
    if institution is None or (
        not institution.is_active and not user.has_perm("network.manage_registry", institution)
    ):
        raise Http404
    return institution


def person_for_user(user: Any, pk: int, perm: str = "network.view_person") -> Person:
    """A person the user may see (``network.view_person``), or change (``change_person``)."""
    return get_for_user_or_404(
        user, perm, Person.objects.select_related("user", "municipality"), pk=pk
    )


def membership_for_user(user: Any, pk: int) -> Membership:
    """A membership whose institution's people the user manages, or whose person they see."""
    membership = Membership.objects.select_related("institution", "person").filter(pk=pk).first()
    if membership is None or not (
        user.has_perm("network.manage_people", membership.institution)
        or user.has_perm("network.view_person", membership.person)
    ):
        raise Http404
    return membership


def guardianship_for_user(user: Any, pk: int) -> Guardianship:
    """A guardianship whose student the user may see."""
    guardianship = Guardianship.objects.select_related("guardian", "student").filter(pk=pk).first()
    if guardianship is None or not user.has_perm("network.view_person", guardianship.student):
        raise Http404
    return guardianship


def municipal_role_for_user(user: Any, pk: int) -> MunicipalRole:
    """A municipal role of a municipality whose roles the user manages."""
    return get_for_user_or_404(
        user,
        "network.manage_municipal_roles",
        MunicipalRole.objects.select_related("person"),
        pk=pk,
    )
