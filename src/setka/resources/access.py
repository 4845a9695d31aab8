"""Fetch-and-authorize for resources and bookings: what the user may not see answers 404,
like what does not exist."""

from __future__ import annotations

from django.http import Http404

from setka.network.models import Institution
from setka.network.roles import user_roles

from .models import Booking, Resource
from .rules import sees_booking, sees_resource


def resource_for_user(user, pk: int) -> Resource:
    resource = (
        Resource.objects.select_related("institution__municipality")
        .prefetch_related("windows")
        .filter(pk=pk)
        .first()
    )
    if resource is None or not sees_resource(user, resource):
        raise Http404
    return resource


def booking_for_user(user, pk: int) -> Booking:
    booking = (
        Booking.objects.select_related(
            "resource__institution__municipality",
            "owner__municipality",
            "institution",
            "booked_by",
            "decided_by",
            "cancelled_by",
        )
        .filter(pk=pk)
        .first()
    )
    if booking is None or not sees_booking(user, booking):
        raise Http404
    return booking


def centre_for_admin(user, slug: str) -> Institution:
    """An institution the user administers (its resources page): 404 for anyone else."""
    institution = Institution.objects.filter(slug=slug).select_related("municipality").first()
    if institution is None or institution.pk not in user_roles(user).admin_of:
        raise Http404
    return institution


def institution_in_municipality(pk: int, municipality_id: int) -> Institution | None:
    return (
        Institution.objects.filter(pk=pk, municipality_id=municipality_id)
        .select_related("municipality")
        .first()
    )
