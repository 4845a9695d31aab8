"""Schedules through the API: list, create, read and change them, publish a proposal, and
read the published versions and the changelog. For the municipality's methodologists and
administrators only."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from setka.core.api import PAGES, Pages
from setka.core.api_errors import Id, errors_for
from setka.network.models import Municipality
from setka.network.roles import user_roles

from .. import selectors, services
from ..access import schedule_for_user
from ..models import Change, Schedule, Version
from .common import busy, forbid, municipality_or_403
from .schemas import (
    ScheduleChangeOut,
    ScheduleDetailOut,
    ScheduleIn,
    ScheduleOut,
    SchedulePatch,
    ScheduleVersionOut,
)

router = Router(tags=["schedule"])


def _detail(schedule: Schedule) -> Schedule:
    schedule.last_run = selectors.last_run(schedule)  # type: ignore[attr-defined]
    return schedule


@router.get(
    "/schedules",
    response={200: list[ScheduleOut], **errors_for(401, 403, 422)},
    summary="Municipal schedules",
    description="The schedules of the caller's municipality, newest period first.",
)
@paginate(Pages, **PAGES)
def schedule_list(request: HttpRequest) -> QuerySet[Schedule]:
    municipality_or_403(request)
    return selectors.schedules_of(user_roles(request.user))


@router.post(
    "/schedules",
    response={201: ScheduleDetailOut, **errors_for(401, 403, 422)},
    summary="Create a schedule",
    description=(
        "A period (at most 92 days, not over) with the allowed days and hours, the grid of "
        "start times, the preferred days and the builder's time limit. A period ending before "
        "it starts, hours ending before they start: a 422 naming the field."
    ),
)
def schedule_create(request: HttpRequest, payload: ScheduleIn) -> Status:
    municipality = Municipality.objects.get(pk=municipality_or_403(request))
    fields = {k: v for k, v in payload.model_dump().items() if v is not None}
    try:
        schedule = services.schedule_create(actor=request.user, municipality=municipality, **fields)
    except PermissionDenied as exc:
        raise forbid(exc) from exc
    return Status(201, _detail(schedule))


@router.get(
    "/schedules/{schedule_id}",
    response={200: ScheduleDetailOut, **errors_for(401, 404, 422)},
    summary="One schedule",
    description="Its settings, state, published version and the last run of the builder.",
)
def schedule_get(request: HttpRequest, schedule_id: Id) -> Schedule:
    return _detail(schedule_for_user(request.user, schedule_id))


@router.patch(
    "/schedules/{schedule_id}",
    response={200: ScheduleDetailOut, **errors_for(401, 403, 404, 409, 422)},
    summary="Change a schedule's settings",
    description=(
        "Changing the days or hours clears the proposal of the items not placed by hand. A "
        "published item may not fall outside (422); while the builder runs: 409."
    ),
)
def schedule_update(request: HttpRequest, schedule_id: Id, payload: SchedulePatch) -> Any:
    schedule = schedule_for_user(request.user, schedule_id)
    try:
        services.schedule_update(
            actor=request.user, schedule=schedule, **payload.model_dump(exclude_unset=True)
        )
    except PermissionDenied as exc:
        raise forbid(exc) from exc
    except services.Busy as exc:
        return busy(request, exc)
    return _detail(schedule_for_user(request.user, schedule_id))


@router.post(
    "/schedules/{schedule_id}/publish",
    response={200: ScheduleVersionOut, **errors_for(401, 403, 404, 409, 422)},
    summary="Publish the proposal",
    description=(
        "Every placed item not published yet becomes an event of the municipal calendar; the "
        "schedule's version grows by one and its hosts and teachers who must attend are told. "
        "All or nothing: an item the calendar refuses is named in a 422 and nothing is "
        "published. Nothing placed: 422; while the builder runs: 409."
    ),
)
def schedule_publish(request: HttpRequest, schedule_id: Id) -> Any:
    schedule = schedule_for_user(request.user, schedule_id)
    try:
        return services.schedule_publish(actor=request.user, schedule=schedule)
    except PermissionDenied as exc:
        raise forbid(exc) from exc
    except services.Busy as exc:
        return busy(request, exc)


@router.get(
    "/schedules/{schedule_id}/versions",
    response={200: list[ScheduleVersionOut], **errors_for(401, 404, 422)},
    summary="Published versions",
    description="Every publication of the schedule, newest first.",
)
def version_list(request: HttpRequest, schedule_id: Id) -> list[Version]:
    return selectors.versions(schedule_for_user(request.user, schedule_id))


@router.get(
    "/schedules/{schedule_id}/changes",
    response={200: list[ScheduleChangeOut], **errors_for(401, 404, 422)},
    summary="The changelog",
    description=(
        "Changes of the published schedule, newest first: items added by a later version, "
        "moved (from → to, with the reason) and cancelled, with how many people were told."
    ),
)
@paginate(Pages, **PAGES)
def change_list(request: HttpRequest, schedule_id: Id) -> QuerySet[Change]:
    return selectors.changes(schedule_for_user(request.user, schedule_id))
