"""The notification centre through the API: the signed-in person's notifications, marking
them read, and their preferences. Each person sees only their own."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.pagination import paginate

from setka.core.api import PAGES, Pages
from setka.core.api_errors import ApiProblem, Id, errors_for
from setka.network.roles import user_roles

from . import selectors, services
from .access import notification_for_user
from .models import Notification
from .schemas import (
    CountOut,
    NotificationFilter,
    NotificationOut,
    PreferencesIn,
    PreferencesOut,
    UnreadOut,
)

router = Router(tags=["notifications"])


def _person_id(request: HttpRequest) -> int:
    person_id = user_roles(request.user).person_id
    if person_id is None:
        raise ApiProblem(
            403,
            _("Forbidden"),
            _("Notifications are for people of the network; this account has no person."),
        )
    return person_id


@router.get(
    "/notifications",
    response={200: list[NotificationOut], **errors_for(401, 403, 422)},
    summary="My notifications",
    description="The signed-in person's notifications, newest first (`?unread=true`: unread).",
)
@paginate(Pages, **PAGES)
def notification_list(
    request: HttpRequest, filters: Query[NotificationFilter]
) -> QuerySet[Notification]:
    return selectors.notifications_of(_person_id(request), unread_only=filters.unread)


@router.get(
    "/notifications/unread-count",
    response={200: UnreadOut, **errors_for(401, 403)},
    summary="How many are unread",
    description="The number of the signed-in person's unread notifications (for a badge).",
)
def notification_unread(request: HttpRequest) -> dict[str, int]:
    return {"unread": selectors.unread_count(_person_id(request))}


@router.post(
    "/notifications/{notification_id}/read",
    response={200: NotificationOut, **errors_for(401, 403, 404, 422)},
    summary="Mark a notification read",
    description="Marks one of the signed-in person's notifications read and answers it.",
)
def notification_read(request: HttpRequest, notification_id: Id) -> Notification:
    note = notification_for_user(request.user, notification_id)
    return services.mark_read(person_id=note.recipient_id, notification=note)


@router.post(
    "/notifications/read-all",
    response={200: CountOut, **errors_for(401, 403)},
    summary="Mark all my notifications read",
    description="Answers how many were unread.",
)
def notification_read_all(request: HttpRequest) -> dict[str, int]:
    return {"count": services.mark_all_read(person_id=_person_id(request))}


def _preferences(person_id: int) -> dict[str, Any]:
    prefs = selectors.preferences_of(person_id)
    return {
        "digest_frequency": prefs.digest_frequency,
        "kinds": [
            {
                "kind": k.key,
                "group": k.group,
                "label": k.label,
                "channel": k.channel,
                "default": k.default,
                "email_always": k.email_always,
            }
            for k in prefs.kinds
        ],
    }


@router.get(
    "/notifications/preferences",
    response={200: PreferencesOut, **errors_for(401, 403)},
    summary="How I am told of each kind of event",
    description=(
        "Every kind of notification with its channel for the signed-in person (their choice "
        "or the kind's default), and how often their digest goes out."
    ),
)
def preferences_get(request: HttpRequest) -> dict[str, Any]:
    return _preferences(_person_id(request))


@router.put(
    "/notifications/preferences",
    response={200: PreferencesOut, **errors_for(401, 403, 422)},
    summary="Change how I am told",
    description=(
        "`channels` maps kinds to `in_app` (the bell only), `email` (at once) or `digest`; "
        "kinds not given keep their channel. All or nothing: an unknown kind is a 422."
    ),
)
def preferences_put(request: HttpRequest, payload: PreferencesIn) -> dict[str, Any]:
    person_id = _person_id(request)
    services.preferences_set(
        person_id=person_id,
        channels={k: str(v) for k, v in payload.channels.items()},
        digest_frequency=payload.digest_frequency,
    )
    return _preferences(person_id)
