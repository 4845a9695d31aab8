"""Bookings through the API: book a resource (a clash is a 409 naming the booking that holds
the time), a person's bookings, one booking, and its decisions: approve, refuse, cancel."""

import json
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from setka.core.api import PAGES, Pages, forbidden
from setka.core.api_errors import PROBLEM, ApiProblem, Id, errors_for
from setka.network.roles import user_roles

from .. import calendar, selectors, services
from ..access import booking_for_user, institution_in_municipality, resource_for_user
from ..models import Booking
from ..selectors import CalendarBooking
from .resources import slot_of
from .schemas import BookingFilter, BookingIn, BookingOut, BookingReasonIn

router = Router(tags=["resources"])


def _conflict(request: HttpRequest, exc: services.BookingConflict) -> HttpResponse:
    """A 409 problem document; for a clash with ``conflict``: the booking that holds the time
    (with what the caller may see of it)."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": _("Conflict"),
        "status": 409,
        "detail": exc.message,
        "instance": request.path,
    }
    if exc.conflict is not None:
        booking = exc.conflict
        municipality_id = booking.owner.municipality_id
        detail = calendar.detail(user_roles(request.user), booking, municipality_id)
        slot = slot_of(CalendarBooking.of(booking), detail)
        body["conflict"] = {
            **slot,
            "starts_at": booking.starts_at.isoformat(),
            "ends_at": booking.ends_at.isoformat(),
        }
    return HttpResponse(json.dumps(body, ensure_ascii=False), status=409, content_type=PROBLEM)


def _forbidden(exc: PermissionDenied) -> ApiProblem:
    return forbidden(str(exc) or "")


@router.post(
    "/resources/{resource_id}/bookings",
    response={201: BookingOut, **errors_for(401, 403, 404, 409, 422)},
    summary="Book a shared resource",
    description=(
        "For the administrators of any institution of the municipality, its teachers when "
        "the resource allows it, and the municipality's officials. Confirmed at once, or "
        "waiting for the resource centre's approval (`needs_approval`). A time in the past, "
        "outside the bookable hours or ending before it starts is a 422 on its field; a time "
        "taken by another booking is a 409 whose problem document has a `conflict` member: the "
        "booking that holds it (`id`, `starts_at`, `ends_at`, `status`, `detail`, and the "
        "`institution` and `purpose` as far as you may see them, as in the calendar)."
    ),
)
def booking_create(request: HttpRequest, resource_id: Id, payload: BookingIn) -> Any:
    resource = resource_for_user(request.user, resource_id)
    institution_id = payload.institution_id
    if institution_id is None:
        choices = selectors.booking_institutions(user_roles(request.user), resource)
        if not choices:
            raise forbidden(_("You may not book this resource."))
        if len(choices) > 1:
            message = _("Choose the institution you book for.")
            raise ValidationError({"institution_id": message})
        institution_id = choices[0][0]
    institution = institution_in_municipality(institution_id, resource.institution.municipality_id)
    if institution is None:
        raise forbidden(_("You may not book this resource for this institution."))
    try:
        booking = services.booking_create(
            actor=request.user,
            resource=resource,
            institution=institution,
            starts_at=payload.starts_at,
            ends_at=payload.ends_at,
            purpose=payload.purpose,
            party_size=payload.party_size,
            event_ref=payload.event_ref,
        )
    except PermissionDenied as exc:
        raise _forbidden(exc) from exc
    except services.BookingConflict as exc:
        return _conflict(request, exc)
    return Status(201, booking_for_user(request.user, booking.pk))


@router.get(
    "/bookings",
    response={200: list[BookingOut], **errors_for(401, 422)},
    summary="My bookings",
    description=(
        "The bookings you may see in full: of the resource centres you administer, of the "
        "institutions you administer, those you made, and (for the municipality's officials) "
        "all of the municipality. Newest first, or soonest first with `upcoming=true`."
    ),
)
@paginate(Pages, **PAGES)
def booking_list(request: HttpRequest, filters: Query[BookingFilter]) -> QuerySet[Booking]:
    return selectors.bookings_list(
        user_roles(request.user),
        side=filters.side,
        status=filters.status or "",
        upcoming=filters.upcoming,
    )


@router.get(
    "/bookings/{booking_id}",
    response={200: BookingOut, **errors_for(401, 404, 422)},
    summary="One booking",
    description="For its two sides and the municipality's officials.",
)
def booking_detail(request: HttpRequest, booking_id: Id) -> Booking:
    return booking_for_user(request.user, booking_id)


def _step(request: HttpRequest, booking_id: int, step) -> Any:
    booking = booking_for_user(request.user, booking_id)
    try:
        step(booking)
    except PermissionDenied as exc:
        raise _forbidden(exc) from exc
    except services.BookingConflict as exc:
        return _conflict(request, exc)
    return booking_for_user(request.user, booking_id)


@router.post(
    "/bookings/{booking_id}/approve",
    response={200: BookingOut, **errors_for(401, 403, 404, 409, 422)},
    summary="Approve a booking",
    description="The resource centre's administrators confirm a waiting booking (409 if it "
    "does not wait, or its time has begun). The booker is told.",
)
def booking_approve(request: HttpRequest, booking_id: Id) -> Any:
    return _step(
        request, booking_id, lambda b: services.booking_approve(actor=request.user, booking=b)
    )


@router.post(
    "/bookings/{booking_id}/refuse",
    response={200: BookingOut, **errors_for(401, 403, 404, 409, 422)},
    summary="Refuse a booking",
    description="The resource centre's administrators refuse a waiting booking, with a "
    "reason the booker sees; its time is free again.",
)
def booking_refuse(
    request: HttpRequest, booking_id: Id, payload: BookingReasonIn | None = None
) -> Any:
    reason = payload.reason if payload else ""
    return _step(
        request,
        booking_id,
        lambda b: services.booking_refuse(actor=request.user, booking=b, reason=reason),
    )


@router.post(
    "/bookings/{booking_id}/cancel",
    response={200: BookingOut, **errors_for(401, 403, 404, 409, 422)},
    summary="Cancel a booking",
    description="Its booker, their institution's administrators or the resource centre's "
    "cancel a booking that is not over (409 otherwise); the other side is told.",
)
def booking_cancel(
    request: HttpRequest, booking_id: Id, payload: BookingReasonIn | None = None
) -> Any:
    reason = payload.reason if payload else ""
    return _step(
        request,
        booking_id,
        lambda b: services.booking_cancel(actor=request.user, booking=b, reason=reason),
    )
