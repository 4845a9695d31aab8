"""What the schedule builder tells people, through the notification centre (in-app and
e-mail by each person's preferences): the hosts and the teachers who must attend of each
published item; the same people when a published item moves or is cancelled (the people
registered for its event are told by the events module); the methodologist when a proposal
is ready. Two queries per call, whatever the number of people and items."""

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

from .models import Change, Item, Run, Schedule

GROUP = gettext_lazy("Municipal schedule")


def _when(value: str | None) -> str:
    if not value:
        return "—"
    return date_format(timezone.localtime(dt.datetime.fromisoformat(value)), "j E, H:i")


def _published(data) -> str:
    return _(
        "You are in the municipal schedule «%(schedule)s»: «%(title)s», %(when)s, %(venue)s"
    ) % {
        "schedule": data["schedule"],
        "title": data["title"],
        "when": _when(data["starts_at"]),
        "venue": data.get("venue", ""),
    }


def _changed(data) -> str:
    return _("«%(title)s» is moved: now %(when)s, %(venue)s (was %(before)s)") % {
        "title": data["title"],
        "when": _when(data["starts_at"]),
        "venue": data.get("venue", ""),
        "before": _when(data.get("before")),
    }


def _cancelled(data) -> str:
    text = _("«%(title)s» (%(when)s) is taken out of the municipal schedule") % {
        "title": data["title"],
        "when": _when(data.get("before")),
    }
    return f"{text}. {_('Reason')}: {data['note']}" if data.get("note") else text


def _ready(data) -> str:
    return _("The proposal of «%(schedule)s» is ready: %(placed)s of %(total)s items placed") % {
        "schedule": data["schedule"],
        "placed": data["placed"],
        "total": data["total"],
    }


kinds.register(
    kinds.Kind(
        "schedule.published",
        GROUP,
        gettext_lazy("I am in a published municipal schedule"),
        _published,
        default=Channel.EMAIL,
    ),
    kinds.Kind(
        "schedule.changed",
        GROUP,
        gettext_lazy("An item of the municipal schedule I am in has moved"),
        _changed,
        default=Channel.EMAIL,
    ),
    kinds.Kind(
        "schedule.cancelled",
        GROUP,
        gettext_lazy("An item of the municipal schedule I am in is cancelled"),
        _cancelled,
        default=Channel.EMAIL,
    ),
    kinds.Kind("schedule.ready", GROUP, gettext_lazy("A proposal of the builder is ready"), _ready),
)


def _event_url(item: Item) -> str:
    return reverse("events:detail", args=[item.event_id]) if item.event_id else ""


def published(schedule: Schedule, items: Iterable[Item]) -> None:
    notes = []
    for item in items:
        people = {p.pk for p in item.targets.all()} | ({item.host_id} if item.host_id else set())
        if people:
            notes.append(
                Note(
                    recipients=sorted(people),
                    municipality_id=schedule.municipality_id,
                    institution_id=item.venue_id,
                    data={
                        "schedule": schedule.title,
                        "title": item.title,
                        "starts_at": item.starts_at.isoformat() if item.starts_at else None,
                        "venue": item.venue.short_name if item.venue else "",
                    },
                    url=_event_url(item),
                )
            )
    if notes:
        publish_many("schedule.published", notes)


def changed(schedule: Schedule, item: Item, change: Change, people: list[int], *, actor) -> int:
    if not people:
        return 0
    note = Note(
        recipients=people,
        municipality_id=schedule.municipality_id,
        institution_id=item.venue_id,
        data={
            "title": item.title,
            "starts_at": change.after.get("starts_at"),
            "venue": change.after.get("venue", ""),
            "before": change.before.get("starts_at"),
        },
        url=_event_url(item),
    )
    return len(publish_many("schedule.changed", [note], actor=actor))


def cancelled(schedule: Schedule, item: Item, change: Change, people: list[int], *, actor) -> int:
    if not people:
        return 0
    note = Note(
        recipients=people,
        municipality_id=schedule.municipality_id,
        institution_id=item.venue_id,
        data={"title": item.title, "before": change.before.get("starts_at"), "note": change.note},
        url=_event_url(item),
    )
    return len(publish_many("schedule.cancelled", [note], actor=actor))


def proposal_ready(schedule: Schedule, run: Run) -> None:
    if run.requested_by_id is None or run.status != Run.Status.DONE:
        return
    publish_many(
        "schedule.ready",
        [
            Note(
                recipients=[run.requested_by_id],
                municipality_id=schedule.municipality_id,
                data={"schedule": schedule.title, "placed": run.placed, "total": run.items_total},
                url=reverse("schedule:detail", args=[schedule.pk]),
            )
        ],
    )
