"""Items through the API: the proposal (each item's place, or why it has none), adding and
changing items, moving one by hand, removing (or cancelling) one."""

from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from setka.core.api import PAGES, Pages
from setka.core.api_errors import Id, Text, errors_for
from setka.network.models import Institution

from .. import services
from ..access import item_for_user, schedule_for_user
from ..models import Item
from .common import busy, conflict, forbid
from .schemas import (
    ScheduleItemDeleteOut,
    ScheduleItemIn,
    ScheduleItemMoveIn,
    ScheduleItemOut,
    ScheduleItemPatch,
)

router = Router(tags=["schedule"])


def _items() -> QuerySet[Item]:
    return Item.objects.select_related("subject", "host", "group", "venue").prefetch_related(
        Prefetch("venues"), Prefetch("targets"), Prefetch("audience")
    )


def _one(pk: int) -> Item:
    return _items().get(pk=pk)


class ItemFilter(Schema):
    placed: bool | None = None


class NoteQuery(Schema):
    note: Annotated[Text, Field(max_length=300)] = ""


@router.get(
    "/schedules/{schedule_id}/items",
    response={200: list[ScheduleItemOut], **errors_for(401, 404, 422)},
    summary="The items and the proposal",
    description=(
        "Every item in the methodologist's order with its place (when, where, by hand or by "
        "the builder, published) or the reason it has none, in the language of the request; "
        "`?placed=false`: the unplaced ones."
    ),
)
@paginate(Pages, **PAGES)
def item_list(request: HttpRequest, schedule_id: Id, filters: Query[ItemFilter]) -> QuerySet[Item]:
    schedule = schedule_for_user(request.user, schedule_id)
    qs = _items().filter(schedule=schedule)
    if filters.placed is not None:
        qs = qs.filter(starts_at__isnull=not filters.placed)
    return qs


@router.post(
    "/schedules/{schedule_id}/items",
    response={201: ScheduleItemOut, **errors_for(401, 403, 404, 409, 422)},
    summary="Add an item",
    description=(
        "An open lesson (`host_id`, `group_id`, `subject_id`) or a group viewing of a webinar "
        "(`venue_ids`, `subject_id`; `fixed_start`/`fixed_end` or `webinar_event_id` for a "
        "live one). Unknown teachers, classes or schools, an end before the start, a fixed "
        "time outside the period's days and hours: a 422 naming the field. While the builder "
        "runs: 409."
    ),
)
def item_create(request: HttpRequest, schedule_id: Id, payload: ScheduleItemIn) -> Any:
    schedule = schedule_for_user(request.user, schedule_id)
    data = payload.model_dump(exclude_unset=True)
    teachers = data.pop("subject_teachers", False)
    try:
        item = services.item_create(
            actor=request.user, schedule=schedule, subject_teachers=teachers, **data
        )
    except PermissionDenied as exc:
        raise forbid(exc) from exc
    except services.Busy as exc:
        return busy(request, exc)
    return Status(201, _one(item.pk))


@router.patch(
    "/schedule-items/{item_id}",
    response={200: ScheduleItemOut, **errors_for(401, 403, 404, 409, 422)},
    summary="Change an item",
    description=(
        "An item not published yet (a published one is moved or cancelled: 422). Its place "
        "is cleared for the builder; `pinned: false` alone lets the builder place it again."
    ),
)
def item_update(request: HttpRequest, item_id: Id, payload: ScheduleItemPatch) -> Any:
    item = item_for_user(request.user, item_id)
    try:
        services.item_update(
            actor=request.user, item=item, **payload.model_dump(exclude_unset=True)
        )
    except PermissionDenied as exc:
        raise forbid(exc) from exc
    except services.Busy as exc:
        return busy(request, exc)
    return _one(item_id)


@router.post(
    "/schedule-items/{item_id}/move",
    response={200: ScheduleItemOut, **errors_for(401, 403, 404, 409, 422)},
    summary="Move an item by hand",
    description=(
        "Put the item at `starts_at` in a venue (one of its own, or a videoconference kit "
        "there). A time outside the period, or when its host, class or a teacher who must "
        "attend has a lesson, or a venue that cannot take it: 422 naming the field. Another "
        "item of the same host, class, audience or venue then: 409 with that item. A published "
        "item's event moves, the change is written to the changelog and those affected are "
        "told."
    ),
)
def item_move(request: HttpRequest, item_id: Id, payload: ScheduleItemMoveIn) -> Any:
    item = item_for_user(request.user, item_id)
    venue = None
    if payload.venue_id is not None:
        venue = Institution.objects.filter(pk=payload.venue_id).first()
        if venue is None:
            raise ValidationError({"venue_id": _("Choose one of the item's venues.")})
    starts = payload.starts_at
    if timezone.is_naive(starts):
        starts = timezone.make_aware(starts)
    try:
        services.item_adjust(
            actor=request.user,
            item=item,
            starts_at=starts,
            venue=venue,
            resource_id=payload.resource_id,
            note=payload.note,
        )
    except PermissionDenied as exc:
        raise forbid(exc) from exc
    except services.Busy as exc:
        return busy(request, exc)
    except services.Clash as exc:
        other = exc.other
        return conflict(
            request,
            str(exc),
            {
                "item_id": other.pk,
                "title": other.title,
                "starts_at": other.starts_at,
                "ends_at": other.ends_at,
            },
        )
    return _one(item_id)


@router.delete(
    "/schedule-items/{item_id}",
    response={200: ScheduleItemDeleteOut, **errors_for(401, 403, 404, 409, 422)},
    summary="Remove an item (cancel a published one)",
    description=(
        "An item not published is removed. A published one's event is cancelled (`?note=`: "
        "the reason, told to those affected) and the changelog entry is answered."
    ),
)
def item_delete(request: HttpRequest, item_id: Id, query: Query[NoteQuery]) -> Any:
    item = item_for_user(request.user, item_id)
    try:
        change = services.item_delete(actor=request.user, item=item, note=query.note)
    except PermissionDenied as exc:
        raise forbid(exc) from exc
    except services.Busy as exc:
        return busy(request, exc)
    return {"change": change}
