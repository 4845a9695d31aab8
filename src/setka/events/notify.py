"""What the events module tells people, through the notification centre: registrations,
waiting-list moves, changes and cancellations of an event they are registered for,
reminders (e-mail by default), and a published recording. Each call is a constant number of
queries, whatever the number of people."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from setka.notifications import kinds
from setka.notifications.models import Channel
from setka.notifications.services import Event as Note
from setka.notifications.services import publish_many

from .models import Event, Registration

GROUP = gettext_lazy("Events")


def _when(data) -> str:
    moment = timezone.localtime(dt.datetime.fromisoformat(data["starts_at"]))
    return date_format(moment, "j E, H:i")


def _registered(data) -> str:
    how = _("online") if data.get("mode") == "remote" else _("in person")
    return _("You are registered for «%(title)s» (%(when)s), %(how)s") % {
        "title": data["title"],
        "when": _when(data),
        "how": how,
    }


def _waiting(data) -> str:
    return _("«%(title)s» (%(when)s) is full: you are on the waiting list, number %(n)s") % {
        "title": data["title"],
        "when": _when(data),
        "n": data.get("position", 1),
    }


def _promoted(data) -> str:
    return _("A place became free: you are now registered for «%(title)s» (%(when)s)") % {
        "title": data["title"],
        "when": _when(data),
    }


CHANGES = {
    "time": gettext_lazy("the time"),
    "place": gettext_lazy("the place"),
    "online": gettext_lazy("the online link"),
}


def _changed(data) -> str:
    what = ", ".join(str(CHANGES.get(k, k)) for k in data.get("what", []))
    return _("«%(title)s» has changed: %(what)s. Now: %(when)s") % {
        "title": data["title"],
        "what": what,
        "when": _when(data),
    }


def _cancelled(data) -> str:
    text = _("«%(title)s» (%(when)s) is cancelled") % {"title": data["title"], "when": _when(data)}
    return f"{text}. {_('Reason')}: {data['reason']}" if data.get("reason") else text


def _reminder(data) -> str:
    if data.get("soon"):
        return _("«%(title)s» starts soon, at %(when)s") % {
            "title": data["title"],
            "when": _when(data),
        }
    return _("Tomorrow: «%(title)s», %(when)s") % {"title": data["title"], "when": _when(data)}


def _recording(data) -> str:
    return _("The recording of «%(title)s» is available") % {"title": data["title"]}


kinds.register(
    kinds.Kind("events.registered", GROUP, gettext_lazy("Registration for an event"), _registered),
    kinds.Kind("events.waiting", GROUP, gettext_lazy("Put on a waiting list"), _waiting),
    kinds.Kind(
        "events.promoted",
        GROUP,
        gettext_lazy("A place from the waiting list"),
        _promoted,
        default=Channel.EMAIL,
    ),
    kinds.Kind(
        "events.changed",
        GROUP,
        gettext_lazy("An event I am registered for has changed"),
        _changed,
        default=Channel.EMAIL,
    ),
    kinds.Kind(
        "events.cancelled",
        GROUP,
        gettext_lazy("An event I am registered for is cancelled"),
        _cancelled,
        default=Channel.EMAIL,
    ),
    kinds.Kind(
        "events.reminder",
        GROUP,
        gettext_lazy("Reminders before an event"),
        _reminder,
        default=Channel.EMAIL,
    ),
    kinds.Kind("events.recording", GROUP, gettext_lazy("The recording of an event"), _recording),
)


def _data(event: Event, **extra) -> dict:
    return {
        "title": event.title,
        "starts_at": event.starts_at.isoformat(),
        "event": event.pk,
        **extra,
    }


def _note(event: Event, recipients: Iterable, **extra) -> Note:
    return Note(
        recipients=list(recipients),
        municipality_id=event.municipality_id,
        institution_id=event.institution_id,
        data=_data(event, **extra),
        url=reverse("events:detail", args=[event.pk]),
    )


def registered(event: Event, registration: Registration, *, position: int = 0, actor=None) -> None:
    if registration.status == Registration.Status.WAITING:
        publish_many(
            "events.waiting",
            [_note(event, [registration.person_id], position=position, mode=registration.mode)],
        )
    else:
        publish_many(
            "events.registered", [_note(event, [registration.person_id], mode=registration.mode)]
        )


def promoted(event: Event, person_ids: list[int]) -> None:
    if person_ids:
        publish_many("events.promoted", [_note(event, person_ids)])


def changed(event: Event, person_ids: list[int], what: list[str], *, actor=None) -> None:
    if person_ids:
        publish_many("events.changed", [_note(event, person_ids, what=what)], actor=actor)


def cancelled(event: Event, person_ids: list[int], *, actor=None) -> None:
    if person_ids:
        publish_many(
            "events.cancelled", [_note(event, person_ids, reason=event.cancel_reason)], actor=actor
        )


def recording(event: Event, person_ids: list[int], *, actor=None) -> None:
    if person_ids:
        publish_many("events.recording", [_note(event, person_ids)], actor=actor)


def reminders(pairs: list[tuple[Event, list[int]]], *, soon: bool) -> None:
    """One notification per person and event: two queries for all of them."""
    notes = [_note(event, ids, soon=soon) for event, ids in pairs if ids]
    if notes:
        publish_many("events.reminder", notes)
