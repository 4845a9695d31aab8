"""Events through the API: the calendar with filters, one event, and the organisers' writes
(create, change, publish, cancel) through the same services as the pages."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from setka.core.api import PAGES, Pages, forbidden
from setka.core.api_auth import PUBLIC, PUBLIC_SECURITY
from setka.core.api_errors import Id, errors_for
from setka.network.models import Institution

from .. import selectors, services
from ..access import event_for_user
from ..models import Event
from .common import detail_out, forbid, service_fields
from .schemas import EventCancelIn, EventDetailOut, EventFilter, EventIn, EventOut, EventPatch

router = Router(tags=["events"])


@router.get(
    "/events",
    response={200: list[EventOut], **errors_for(422)},
    auth=PUBLIC,
    openapi_extra=PUBLIC_SECURITY,
    summary="The municipal calendar",
    description=(
        "Published, cancelled and finished events, by start, with filters (the same as the "
        "calendar's pages). Public."
    ),
)
@paginate(Pages, **PAGES)
def event_list(request: HttpRequest, filters: Query[EventFilter]) -> QuerySet[Event]:
    qs = selectors.apply_filters(
        selectors.calendar_events(),
        selectors.Filters(
            kind=filters.kind or "",
            subject=filters.subject_id,
            audience=filters.audience or "",
            institution=filters.institution_id,
            online=filters.online,
        ),
    )
    if filters.starts_after:
        qs = qs.filter(ends_at__gt=filters.starts_after)
    if filters.starts_before:
        qs = qs.filter(starts_at__lt=filters.starts_before)
    return qs


@router.get(
    "/events/{event_id}",
    response={200: EventDetailOut, **errors_for(404, 422)},
    auth=PUBLIC,
    openapi_extra=PUBLIC_SECURITY,
    summary="One event",
    description=(
        "Its hosts, audience, free places per mode and the caller's registration; the "
        "recording for registered participants; a draft only for its organisers and hosts."
    ),
)
def event_get(request: HttpRequest, event_id: Id) -> Event:
    return detail_out(request, event_for_user(request.user, event_id))


@router.post(
    "/events",
    response={201: EventDetailOut, **errors_for(401, 403, 422)},
    summary="Create an event",
    description=(
        "For the administrators and teachers of the organiser, and the municipality's "
        "methodologists. A draft unless `status` is `published`; `repeat` makes a series; "
        "`resource_id` books a shared resource for it. An event ending before it starts, "
        "online places without a provider, an open lesson without its class, subject or "
        "teacher: a 422 naming the field, nothing saved."
    ),
)
def event_create(request: HttpRequest, payload: EventIn) -> Status:
    institution = Institution.objects.filter(pk=payload.institution_id).first()
    if institution is None:
        raise forbidden(_("You cannot create events of this institution."))
    data = payload.model_dump(exclude_unset=True)
    data.pop("institution_id")
    repeat = data.pop("repeat", None)
    resource = data.pop("resource_id", None)
    fields = service_fields(data, institution.municipality_id)
    if repeat:
        fields["repeat"] = repeat
    if resource:
        fields["resource"] = resource
    try:
        event = services.event_create(actor=request.user, institution=institution, **fields)
    except PermissionDenied as exc:
        raise forbid(exc) from exc
    return Status(201, detail_out(request, event_for_user(request.user, event.pk)))


@router.patch(
    "/events/{event_id}",
    response={200: EventDetailOut, **errors_for(401, 403, 404, 422)},
    summary="Change an event",
    description=(
        "The organisers only. The people registered for a published event are told of a "
        "new time, place or online link. Places cannot go below those taken."
    ),
)
def event_update(request: HttpRequest, event_id: Id, payload: EventPatch) -> Event:
    event = event_for_user(request.user, event_id)
    fields = service_fields(payload.model_dump(exclude_unset=True), event.municipality_id)
    try:
        services.event_update(actor=request.user, event=event, **fields)
    except PermissionDenied as exc:
        raise forbid(exc) from exc
    return detail_out(request, event_for_user(request.user, event_id))


@router.post(
    "/events/{event_id}/publish",
    response={200: EventDetailOut, **errors_for(401, 403, 404, 422)},
    summary="Publish a draft",
    description="The organisers only: the event appears in the municipal calendar.",
)
def event_publish(request: HttpRequest, event_id: Id) -> Event:
    event = event_for_user(request.user, event_id)
    try:
        services.event_publish(actor=request.user, event=event)
    except PermissionDenied as exc:
        raise forbid(exc) from exc
    return detail_out(request, event_for_user(request.user, event_id))


@router.post(
    "/events/{event_id}/cancel",
    response={200: EventDetailOut, **errors_for(401, 403, 404, 422)},
    summary="Cancel an event",
    description="The organisers only; everyone registered or waiting is told, with the reason.",
)
def event_cancel(request: HttpRequest, event_id: Id, payload: EventCancelIn) -> Event:
    event = event_for_user(request.user, event_id)
    try:
        services.event_cancel(actor=request.user, event=event, reason=payload.reason)
    except PermissionDenied as exc:
        raise forbid(exc) from exc
    return detail_out(request, event_for_user(request.user, event_id))
