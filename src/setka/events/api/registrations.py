"""Registrations through the API: register (a place or the waiting list), cancel, the
organisers' list with check-in, and one's own registrations."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Router, Status
from ninja.pagination import paginate

from setka.core.api import PAGES, Pages
from setka.core.api_errors import Id, errors_for
from setka.network.roles import user_roles

from .. import services
from ..access import event_for_user, event_to_run, registration_for_user
from ..models import Registration
from .common import conflict, forbid
from .schemas import CheckInIn, EventRegistrationOut, RegistrationIn

router = Router(tags=["events"])


@router.post(
    "/events/{event_id}/registrations",
    response={201: EventRegistrationOut, **errors_for(401, 403, 404, 409, 422)},
    summary="Register for an event",
    description=(
        "`mode`: `in_person` or `remote`. A free place gives `registered`, a full mode "
        "`waiting` (the list moves up by itself and tells the person). Outside the "
        "registration window, or a mode the event does not have: a 422; not in the event's "
        "audience: a 403; registered already: a 409 with the registration (`conflict`)."
    ),
)
def registration_create(request: HttpRequest, event_id: Id, payload: RegistrationIn) -> Any:
    event = event_for_user(request.user, event_id)
    try:
        registration = services.registration_create(
            actor=request.user, event=event, mode=payload.mode, person_id=payload.person_id
        )
    except services.AlreadyRegistered as exc:
        return conflict(request, exc.messages[0], exc.registration)
    except PermissionDenied as exc:
        raise forbid(exc) from exc
    return Status(201, Registration.objects.select_related("person").get(pk=registration.pk))


@router.get(
    "/events/{event_id}/registrations",
    response={200: list[EventRegistrationOut], **errors_for(401, 404, 422)},
    summary="Who is registered",
    description="The hosts and organisers: registered and waiting people (not the cancelled).",
)
@paginate(Pages, **PAGES)
def registration_list(request: HttpRequest, event_id: Id) -> QuerySet[Registration]:
    event = event_to_run(request.user, event_id)
    return (
        Registration.objects.filter(event=event)
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("person")
        .order_by("status", "created_at", "id")
    )


@router.get(
    "/event-registrations",
    response={200: list[EventRegistrationOut], **errors_for(401, 422)},
    summary="My registrations",
    description="The signed-in person's registrations (not the cancelled), newest first.",
)
@paginate(Pages, **PAGES)
def registration_mine(request: HttpRequest) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(person_id=user_roles(request.user).person_id or 0)
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("person")
        .order_by("-created_at", "-id")
    )


@router.delete(
    "/event-registrations/{registration_id}",
    response={200: EventRegistrationOut, **errors_for(401, 403, 404, 422)},
    summary="Cancel a registration",
    description=(
        "One's own, or (for the organisers) anyone's. The first on the waiting list of that "
        "mode takes the place and is told."
    ),
)
def registration_cancel(request: HttpRequest, registration_id: Id) -> Registration:
    registration = registration_for_user(request.user, registration_id)
    try:
        services.registration_cancel(actor=request.user, registration=registration)
    except PermissionDenied as exc:
        raise forbid(exc) from exc
    return Registration.objects.select_related("person").get(pk=registration.pk)


@router.post(
    "/event-registrations/{registration_id}/check-in",
    response={200: EventRegistrationOut, **errors_for(401, 403, 404, 422)},
    summary="Check a participant in",
    description="The hosts and organisers, from an hour before the start; `present: false` undoes.",
)
def registration_checkin(
    request: HttpRequest, registration_id: Id, payload: CheckInIn
) -> Registration | HttpResponse:
    registration = registration_for_user(request.user, registration_id)
    try:
        services.checkin_set(actor=request.user, registration=registration, present=payload.present)
    except PermissionDenied as exc:
        raise forbid(exc) from exc
    return Registration.objects.select_related("person").get(pk=registration.pk)
