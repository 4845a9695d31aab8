"""Shared resources through the API: the catalogue, one resource, publishing and changing
one (its resource centre's administrators only), and its calendar."""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import Query, Router, Status
from ninja.pagination import paginate

from setka.core.api import PAGES, Pages, forbidden
from setka.core.api_auth import PUBLIC, PUBLIC_SECURITY
from setka.core.api_errors import Id, errors_for
from setka.network.models import Institution
from setka.network.roles import user_roles

from .. import calendar, selectors, services
from ..access import resource_for_user
from ..models import Resource
from ..rules import manages_resource
from ..selectors import CalendarBooking
from ..timing import day_bounds, zone
from .schemas import (
    CalendarFilter,
    ResourceFilter,
    ResourceIn,
    ResourceOut,
    ResourcePatchIn,
    SlotOut,
)

router = Router(tags=["resources"])
MAX_DAYS = 92


def _windows(hours) -> dict[int, list[tuple[dt.time, dt.time]]]:
    out: dict[int, list[tuple[dt.time, dt.time]]] = {}
    for w in hours:
        out.setdefault(w.weekday, []).append((w.starts_at, w.ends_at))
    return out


@router.get(
    "/resources",
    auth=PUBLIC,
    openapi_extra=PUBLIC_SECURITY,
    response={200: list[ResourceOut], **errors_for(401, 422)},
    summary="The catalogue of shared resources",
    description=(
        "Rooms, equipment and specialists that resource centres lend: public ones for "
        "anyone, every one of your municipality when signed in, and all of the centres you "
        "administer (also those not available now)."
    ),
)
@paginate(Pages, **PAGES)
def resource_list(request: HttpRequest, filters: Query[ResourceFilter]) -> QuerySet[Resource]:
    return selectors.catalogue(
        user_roles(request.user),
        kind=filters.kind or "",
        institution_id=filters.institution_id,
        text=filters.q,
    ).prefetch_related("windows")


@router.get(
    "/resources/{resource_id}",
    auth=PUBLIC,
    openapi_extra=PUBLIC_SECURITY,
    response={200: ResourceOut, **errors_for(401, 404, 422)},
    summary="One shared resource",
    description="With its bookable hours (local time of the municipality).",
)
def resource_detail(request: HttpRequest, resource_id: Id) -> Resource:
    return resource_for_user(request.user, resource_id)


@router.post(
    "/resources",
    response={201: ResourceOut, **errors_for(401, 403, 422)},
    summary="Publish a shared resource",
    description=(
        "For the administrators of a resource centre (an institution the municipality marked "
        "as one). `hours`: the bookable windows by weekday, in local time."
    ),
)
def resource_create(request: HttpRequest, payload: ResourceIn) -> Status[Any]:
    admin_of = user_roles(request.user).admin_of
    institution_id = payload.institution_id
    if institution_id is None and len(admin_of) > 1:
        raise ValidationError({"institution_id": _("Choose the resource centre.")})
    if institution_id is None and admin_of:
        institution_id = next(iter(admin_of))
    institution = Institution.objects.filter(pk=institution_id).first() if institution_id else None
    if institution is None or institution.pk not in admin_of:
        raise forbidden(_("Only the administrators of the resource centre do this."))
    data = payload.model_dump(exclude={"institution_id", "hours"})
    try:
        resource = services.resource_create(
            actor=request.user, institution=institution, data=data, windows=_windows(payload.hours)
        )
    except PermissionDenied as exc:
        raise forbidden(str(exc)) from exc
    return Status(201, resource_for_user(request.user, resource.pk))


@router.patch(
    "/resources/{resource_id}",
    response={200: ResourceOut, **errors_for(401, 403, 404, 422)},
    summary="Change a shared resource",
    description=(
        "Only the fields sent change; `hours`, when sent, replace all the hours. Existing "
        "bookings stay. `is_active: false` takes it out of booking."
    ),
)
def resource_update(request: HttpRequest, resource_id: Id, payload: ResourcePatchIn) -> Resource:
    resource = resource_for_user(request.user, resource_id)
    if not manages_resource(request.user, resource):
        raise forbidden(_("Only the administrators of the resource centre do this."))
    data = payload.model_dump(exclude_unset=True, exclude={"hours"})
    nulls = sorted(k for k, v in data.items() if v is None and k != "capacity")
    if nulls:
        raise ValidationError({k: _("This field cannot be empty.") for k in nulls})
    windows = _windows(payload.hours) if payload.hours is not None else None
    services.resource_update(actor=request.user, resource=resource, data=data, windows=windows)
    return resource_for_user(request.user, resource.pk)


@router.get(
    "/resources/{resource_id}/calendar",
    auth=PUBLIC,
    openapi_extra=PUBLIC_SECURITY,
    response={200: list[SlotOut], **errors_for(401, 404, 422)},
    summary="A resource's busy time",
    description=(
        "The bookings (waiting or confirmed) from `first` to `last` (local days, at most 92), "
        "each with what you may see of it: everything for its two sides and the "
        "municipality's officials, the institution that holds it for people of the "
        "municipality, only the time for anyone else."
    ),
)
def resource_calendar(
    request: HttpRequest, resource_id: Id, filters: Query[CalendarFilter]
) -> list[dict[str, Any]]:
    resource = resource_for_user(request.user, resource_id)
    first, last = filters.first, filters.last
    if not (1900 <= first.year <= 2100 and 1900 <= last.year <= 2100):
        raise ValidationError({"first": _("Enter a date between the years 1900 and 2100.")})
    if last < first or (last - first).days > MAX_DAYS:
        raise ValidationError(
            {
                "last": ngettext(
                    "The last day is from the first to %(n)d day after it.",
                    "The last day is from the first to %(n)d days after it.",
                    MAX_DAYS,
                )
                % {"n": MAX_DAYS}
            }
        )
    municipality = resource.institution.municipality
    start, end = day_bounds(first, last, zone(municipality.time_zone))
    roles = user_roles(request.user)
    return [
        slot_of(b, calendar.detail(roles, b, municipality.pk))
        for b in selectors.bookings_between(resource, start, end)
    ]


def slot_of(booking: CalendarBooking, detail: str) -> dict[str, Any]:
    shown = detail != calendar.BUSY
    return {
        "id": booking.pk,
        "starts_at": booking.starts_at,
        "ends_at": booking.ends_at,
        "status": booking.status,
        "detail": detail,
        "institution": (
            {"id": booking.institution_id, "name": booking.institution_name} if shown else None
        ),
        "purpose": booking.purpose if detail == calendar.FULL else None,
    }
