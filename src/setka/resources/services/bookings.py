"""Bookings: made, approved, refused, cancelled. Every write takes the ``actor``, checks the
actor's rights itself, runs in one transaction with its audit entry and its notifications.

Bookings of a resource never overlap while active. On PostgreSQL the exclusion constraint
``BOOKING_NO_OVERLAP`` guarantees it even between parallel transactions, and its
IntegrityError becomes the same :class:`BookingClash` as the check made before the insert.
Parallel inserts into an exclusion constraint can also end in "deadlock detected" (each
waits for the other's index entry), so a booking first locks its resource's row: bookings of
one resource are made one at a time, and the check before the insert sees the one before it.
On SQLite every transaction is IMMEDIATE (settings), so the check and the insert run under
the database's write lock.

Other modules (the events module: an event held in a shared resource) call
:func:`booking_create` and :func:`booking_cancel` with an ``event_ref`` of their own."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from setka.core.audit import audit_log
from setka.core.clock import now
from setka.core.plurals import too_long_text
from setka.network.models import Institution
from setka.network.roles import user_roles

from .. import notify
from ..models import ACTIVE, BOOKING_NO_OVERLAP, Booking, Resource, Status
from ..rules import cancels_booking, decides_booking, may_book_for
from ..timing import within_hours, zone

#: How far ahead a booking may start.
HORIZON = dt.timedelta(days=400)
PURPOSE_MAX = 300


class BookingConflict(Exception):  # noqa: N818 - a 409 answer, not a failure of the code
    """The booking cannot take this step in its state (a 409)."""

    def __init__(self, message: str, conflict: Booking | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.conflict = conflict


class BookingClash(BookingConflict):
    """The time is taken: ``conflict`` is the booking that holds it."""

    def __init__(self, conflict: Booking) -> None:
        super().__init__(_("This time is already booked."), conflict)


def _person_id(actor: Any) -> int | None:
    return user_roles(actor).person_id


def _moment(value: dt.datetime, tz: dt.tzinfo) -> dt.datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=tz)


def validate_booking(
    *,
    resource: Resource,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    purpose: str,
    party_size: int | None,
    event_ref: str,
) -> None:
    """Raise ValidationError with every problem of the request, by field."""
    tz = zone(resource.institution.municipality.time_zone)
    errors: dict[str, str] = {}
    if not purpose:
        errors["purpose"] = _("Say what the resource is booked for.")
    elif len(purpose) > PURPOSE_MAX:
        errors["purpose"] = too_long_text(PURPOSE_MAX)
    if len(event_ref) > 100:
        errors["event_ref"] = too_long_text(100)
    if party_size is not None:
        if party_size < 1:
            errors["party_size"] = _("The number of people is at least 1.")
        elif resource.capacity and party_size > resource.capacity:
            errors["party_size"] = ngettext(
                "%(resource)s takes at most %(capacity)d person at a time.",
                "%(resource)s takes at most %(capacity)d people at a time.",
                resource.capacity,
            ) % {"resource": resource.name, "capacity": resource.capacity}
    moment = now()
    if ends_at <= starts_at:
        errors["ends_at"] = _("The booking ends before it starts.")
    elif starts_at < moment:
        errors["starts_at"] = _("The booking starts in the past.")
    elif starts_at > moment + HORIZON:
        errors["starts_at"] = _("Bookings are taken up to a year ahead.")
    else:
        windows = [(w.weekday, w.starts_at, w.ends_at) for w in resource.windows.all()]
        if not within_hours(windows, starts_at, ends_at, tz):
            errors["starts_at"] = _(
                "The time is outside the bookable hours of %(resource)s (see its hours)."
            ) % {"resource": resource.name}
    if errors:
        raise ValidationError(errors)


def _clash(resource_id: int, start: dt.datetime, end: dt.datetime) -> Booking | None:
    return (
        Booking.objects.active()
        .filter(resource_id=resource_id)
        .overlapping(start, end)
        .select_related("institution", "owner")
        .order_by("starts_at")
        .first()
    )


def booking_create(
    *,
    actor: Any,
    resource: Resource,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    purpose: str,
    institution: Institution,
    event_ref: str = "",
    party_size: int | None = None,
) -> Booking:
    """Book ``resource`` for ``institution`` from ``starts_at`` to ``ends_at``.

    Confirmed at once when the resource needs no approval or the actor administers its
    owner; otherwise it waits for the owner's approval (holding its time). Raises
    PermissionDenied, ValidationError (by field: past, outside the hours, ends before it
    starts, …) or :class:`BookingClash` with the booking that holds the time; nothing is
    stored then."""
    if not may_book_for(actor, resource, institution):
        raise PermissionDenied(_("You may not book this resource for this institution."))
    tz = zone(resource.institution.municipality.time_zone)
    starts_at, ends_at = _moment(starts_at, tz), _moment(ends_at, tz)
    purpose = (purpose or "").strip()
    event_ref = (event_ref or "").strip()
    validate_booking(
        resource=resource,
        starts_at=starts_at,
        ends_at=ends_at,
        purpose=purpose,
        party_size=party_size,
        event_ref=event_ref,
    )
    owner_admin = resource.institution_id in user_roles(actor).admin_of
    booking = Booking(
        resource=resource,
        owner=resource.institution,
        institution=institution,
        booked_by_id=_person_id(actor),
        starts_at=starts_at,
        ends_at=ends_at,
        purpose=purpose,
        party_size=party_size,
        event_ref=event_ref,
        status=Status.PENDING if resource.needs_approval and not owner_admin else Status.CONFIRMED,
    )
    with transaction.atomic():
        # One booking of a resource at a time (PostgreSQL: the resource's row; SQLite: this
        # transaction began IMMEDIATE and holds the write lock): the check and the insert
        # cannot interleave with another booking's.
        list(Resource.objects.select_for_update().filter(pk=resource.pk).values_list("pk"))
        conflict = _clash(resource.pk, starts_at, ends_at)
        if conflict is not None:
            raise BookingClash(conflict)
        try:
            with transaction.atomic():
                booking.save(force_insert=True)
        except IntegrityError as exc:
            if BOOKING_NO_OVERLAP not in str(exc):
                raise
            conflict = _clash(resource.pk, starts_at, ends_at)
            if conflict is None:  # pragma: no cover - the holder was cancelled meanwhile
                raise BookingConflict(_("This time was just booked; try again.")) from exc
            raise BookingClash(conflict) from exc
        if booking.status == Status.CONFIRMED:
            booking.decided_by_id, booking.decided_at = booking.booked_by_id, booking.created_at
            booking.save(update_fields=["decided_by", "decided_at"])
        audit_log(
            "resources.booking.create",
            actor=actor,
            obj=booking,
            institution_id=booking.owner_id,
            changes={
                "resource": resource.pk,
                "institution": institution.pk,
                "starts_at": starts_at,
                "ends_at": ends_at,
                "status": booking.status,
                "event_ref": event_ref,
            },
        )
        notify.booked(booking, actor=actor)
    return booking


def _locked(booking: Booking) -> Booking:
    """The booking as it is now, its row locked until the transaction ends."""
    return (
        Booking.objects.select_for_update(of=("self",))
        .select_related("resource", "owner__municipality", "institution")
        .get(pk=booking.pk)
    )


def _decide(actor: Any, booking: Booking, status: str, action: str, note: str = "") -> Booking:
    if not decides_booking(actor, booking):
        raise PermissionDenied(_("Only the administrators of the resource centre decide."))
    with transaction.atomic():
        current = _locked(booking)
        if current.status != Status.PENDING:
            raise BookingConflict(
                _("The booking does not wait for a decision: it is %(status)s.")
                % {"status": current.get_status_display()}
            )
        if status == Status.CONFIRMED and current.starts_at <= now():
            raise BookingConflict(_("The booking's time has begun: it can no longer be approved."))
        current.status = status
        current.note = note
        current.decided_by_id = _person_id(actor)
        current.decided_at = now()
        current.save(update_fields=["status", "note", "decided_by", "decided_at", "updated_at"])
        audit_log(
            action,
            actor=actor,
            obj=current,
            institution_id=current.owner_id,
            changes={"status": [Status.PENDING, status]},
            reason=note,
        )
        if status == Status.CONFIRMED:
            notify.approved(current, actor=actor)
        else:
            notify.refused(current, actor=actor)
    return current


def booking_approve(*, actor: Any, booking: Booking) -> Booking:
    """The owner confirms a booking that waits for approval."""
    return _decide(actor, booking, Status.CONFIRMED, "resources.booking.approve")


def booking_refuse(*, actor: Any, booking: Booking, reason: str = "") -> Booking:
    """The owner refuses a booking that waits for approval; its time is free again."""
    reason = (reason or "").strip()
    if len(reason) > PURPOSE_MAX:
        raise ValidationError({"reason": too_long_text(PURPOSE_MAX)})
    return _decide(actor, booking, Status.REFUSED, "resources.booking.refuse", reason)


def booking_cancel(*, actor: Any, booking: Booking, reason: str = "") -> Booking:
    """The booker (or their institution's administrators) or the owner cancels a booking
    that has not ended; its time is free again. The other side is told."""
    if not cancels_booking(actor, booking):
        raise PermissionDenied(_("You may not cancel this booking."))
    reason = (reason or "").strip()
    if len(reason) > PURPOSE_MAX:
        raise ValidationError({"reason": too_long_text(PURPOSE_MAX)})
    with transaction.atomic():
        current = _locked(booking)
        if current.status not in ACTIVE:
            raise BookingConflict(
                _("The booking is already %(status)s.") % {"status": current.get_status_display()}
            )
        if current.ends_at <= now():
            raise BookingConflict(_("The booking is over: it can no longer be cancelled."))
        roles = user_roles(actor)
        by_owner = current.owner_id in roles.admin_of and not (
            current.institution_id in roles.admin_of or current.booked_by_id == roles.person_id
        )
        before = current.status
        current.status = Status.CANCELLED
        current.note = reason
        current.cancelled_by_id = roles.person_id
        current.cancelled_at = now()
        current.save(update_fields=["status", "note", "cancelled_by", "cancelled_at", "updated_at"])
        audit_log(
            "resources.booking.cancel",
            actor=actor,
            obj=current,
            institution_id=current.owner_id,
            changes={"status": [before, Status.CANCELLED]},
            reason=reason,
        )
        notify.cancelled(current, actor=actor, by_owner=by_owner)
    return current
