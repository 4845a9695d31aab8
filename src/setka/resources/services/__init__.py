"""Every write of the resource centres (see the modules): ``booking_create`` and
``booking_cancel`` are also the entry points of other modules (an event held in a shared
resource books it through them, with its ``event_ref``)."""

from .bookings import (
    BookingClash,
    BookingConflict,
    booking_approve,
    booking_cancel,
    booking_create,
    booking_refuse,
    validate_booking,
)
from .catalogue import resource_create, resource_update

__all__ = [
    "BookingClash",
    "BookingConflict",
    "booking_approve",
    "booking_cancel",
    "booking_create",
    "booking_refuse",
    "resource_create",
    "resource_update",
    "validate_booking",
]
