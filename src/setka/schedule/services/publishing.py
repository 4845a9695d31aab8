"""Publishing a proposal, and changing a published schedule.

- ``schedule_publish``: every placed item that is not published yet becomes an event of the
  municipal calendar (``setka.events.services.event_create``, published; a videoconference
  kit is booked for it), the schedule's version grows by one and is recorded; its hosts and
  the teachers who must attend are told. All or nothing: an item the events module refuses
  names itself and nothing is published.
- ``item_adjust``: the methodologist puts an item at a time and venue. Before publication it
  is pinned there (the builder keeps it); after, its event moves
  (``event_update``), a changelog entry records from → to, and those affected are told
  (the registered people by the events module, hosts and teachers who must attend here).
- ``item_delete``: an item that is not published is removed; a published one is cancelled
  (``event_cancel``), with its changelog entry and the same people told."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from setka.core.audit import audit_log
from setka.core.clock import now
from setka.core.plurals import too_long_text
from setka.events import services as events
from setka.events.models import Event, Kind, Provider, Registration, Status
from setka.network.models import Institution

from .. import notify
from ..models import Change, Item, Schedule, Version
from ..solver.candidates import venue_key
from .placing import check_place
from .schedules import _locked, _not_running, check_builder

NOTE_MAX = 300


class NothingToPublish(Exception):  # noqa: N818 - a 422 answer
    pass


def _place(item: Item) -> dict[str, Any]:
    venue = item.venue.short_name if item.venue else ""
    return {
        "starts_at": item.starts_at.isoformat() if item.starts_at else None,
        "ends_at": item.ends_at.isoformat() if item.ends_at else None,
        "venue_id": item.venue_id,
        "venue": venue,
    }


def _event_fields(item: Item) -> dict[str, Any]:
    targets = list(item.targets.all())
    common: dict[str, Any] = {
        "institution": item.venue,
        "title": item.title,
        "subject": item.subject,
        "starts_at": item.starts_at,
        "ends_at": item.ends_at,
        "venue": item.venue,
        "audience_subjects": [item.subject],
        "status": Status.PUBLISHED,
        "description": item.note,
    }
    if item.resource_id:
        common["resource"] = item.resource_id
    if item.kind == Item.Kind.OPEN_LESSON:
        return {
            **common,
            "kind": Kind.OPEN_LESSON,
            "hosts": [item.host_id],
            "group": item.group,
            "capacity_in_person": max(10, len(targets)),
            "capacity_remote": 30 if item.online else 0,
            "provider": Provider.JITSI if item.online else "",
        }
    link = item.webinar_url or (item.webinar_event.get_absolute_url() if item.webinar_event else "")
    return {
        **common,
        "kind": Kind.WEBINAR,
        "capacity_in_person": max(10, len(targets) + 5),
        "materials": link if link.startswith("http") else "",
        "description": "\n\n".join(
            p for p in (item.note, link and _("Webinar: %(link)s") % {"link": link}) if p
        ),
    }


@transaction.atomic
def schedule_publish(*, actor, schedule: Schedule) -> Version:
    person_id = check_builder(actor, schedule.municipality_id)
    schedule = _locked(schedule)
    _not_running(schedule)
    items = list(
        schedule.items.filter(event__isnull=True, starts_at__isnull=False)
        .select_related("subject", "host", "group", "venue", "webinar_event")
        .prefetch_related("targets")
    )
    if not items:
        raise ValidationError(
            {"items": _("Nothing to publish: run the builder, or place items by hand.")}
        )
    moment = now()
    for item in items:
        if item.starts_at <= moment:  # type: ignore[operator]
            raise ValidationError(
                {
                    "items": _("«%(title)s» is in the past: move it or run the builder again.")
                    % {"title": item.title}
                }
            )
        try:
            item.event = events.event_create(actor=actor, **_event_fields(item))
        except ValidationError as exc:
            messages = "; ".join(m for ms in exc.message_dict.values() for m in ms)
            raise ValidationError(
                {
                    "items": _("«%(title)s» cannot be published: %(why)s")
                    % {"title": item.title, "why": messages}
                }
            ) from exc
        item.pinned = True
        item.save(update_fields=["event", "pinned"])
    schedule.version += 1
    schedule.state = Schedule.State.PUBLISHED
    schedule.published_at = moment
    schedule.updated_at = moment
    schedule.save(update_fields=["version", "state", "published_at", "updated_at"])
    published = schedule.items.filter(event__isnull=False).select_related("venue")
    version = Version.objects.create(
        schedule=schedule,
        number=schedule.version,
        published_at=moment,
        published_by_id=person_id,
        placed=len(published),
        added=len(items),
        snapshot=[
            {"item": i.pk, "event": i.event_id, "title": i.title, **_place(i)} for i in published
        ],
    )
    if schedule.version > 1:
        Change.objects.bulk_create(
            Change(
                schedule=schedule,
                version=schedule.version - 1,
                item=i,
                event_id=i.event_id,
                kind=Change.Kind.ADDED,
                title=i.title,
                after=_place(i),
                actor_id=person_id,
                created_at=moment,
            )
            for i in items
        )
    notify.published(schedule, items)
    audit_log(
        "schedule.publish",
        actor=actor,
        obj=schedule,
        municipality_id=schedule.municipality_id,
        changes={"version": [schedule.version - 1, schedule.version]},
    )
    return version


def _affected(item: Item) -> list[int]:
    """Hosts and teachers who must attend, less those the events module tells (registered
    or waiting for the event)."""
    people = {p.pk for p in item.targets.all()}
    if item.host_id:
        people.add(item.host_id)
    if item.event_id:
        people -= set(
            Registration.objects.filter(
                event_id=item.event_id,
                status__in=[Registration.Status.REGISTERED, Registration.Status.WAITING],
            ).values_list("person_id", flat=True)
        )
    return sorted(people)


def _note(note: str) -> str:
    note = (note or "").strip()
    if "\x00" in note:
        raise ValidationError({"note": _("The text contains a forbidden null character.")})
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": too_long_text(NOTE_MAX)})
    return note


@transaction.atomic
def item_adjust(
    *,
    actor,
    item: Item,
    starts_at: dt.datetime,
    venue: Institution | None = None,
    resource_id: int | None = None,
    note: str = "",
) -> Item:
    """Put the item at ``starts_at`` (aware) in ``venue`` (or its kit ``resource_id``;
    its current or only venue when not given). Raises ValidationError by field for a time
    or venue that breaks a rule, ``placing.Clash`` for another item in the way."""
    person_id = check_builder(actor, item.schedule.municipality_id)
    schedule = _locked(item.schedule)
    _not_running(schedule)
    note = _note(note)
    item = (
        Item.objects.select_for_update(of=("self",))
        .select_related("subject", "host", "group", "venue", "schedule")
        .get(pk=item.pk)
    )
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    if item.fixed_start and starts_at != item.fixed_start:
        raise ValidationError(
            {
                "starts_at": _(
                    "A viewing of a live webinar stays at the webinar's time; change "
                    "its venue only."
                )
            }
        )
    spot = check_place(schedule, item, starts_at, venue, resource_id)
    before = _place(item)
    key_before = venue_key(item)
    item.starts_at, item.ends_at = starts_at, starts_at + dt.timedelta(minutes=item.duration)
    item.venue_id, item.resource_id = spot.institution_id, spot.resource_id
    item.reason, item.warnings = {}, spot.warnings
    item.pinned = True
    if item.event_id:
        if key_before != venue_key(item) and (
            spot.resource_id or (key_before or "").startswith("r")
        ):
            raise ValidationError(
                {
                    "venue_id": _(
                        "A published item keeps its videoconference kit: cancel it and "
                        "add it again to use another one."
                    )
                }
            )
        if item.starts_at <= now():
            raise ValidationError({"starts_at": _("A published item cannot move to the past.")})
        event = Event.objects.get(pk=item.event_id)
        events.event_update(
            actor=actor,
            event=event,
            starts_at=item.starts_at,
            ends_at=item.ends_at,
            venue=Institution.objects.get(pk=item.venue_id),
        )
    item.save()
    after = _place(item)
    if item.event_id and before != after:
        item.venue = Institution.objects.get(pk=item.venue_id)
        after = _place(item)
        change = Change.objects.create(
            schedule=schedule,
            version=schedule.version,
            item=item,
            event_id=item.event_id,
            kind=Change.Kind.MOVED,
            title=item.title,
            before=before,
            after=after,
            note=note,
            actor_id=person_id,
        )
        change.notified = notify.changed(schedule, item, change, _affected(item), actor=actor)
        change.save(update_fields=["notified"])
    audit_log(
        "schedule.item.adjust",
        actor=actor,
        obj=item,
        municipality_id=schedule.municipality_id,
        reason=note,
        changes={"place": [before, after]},
    )
    return item


@transaction.atomic
def item_delete(*, actor, item: Item, note: str = "") -> Change | None:
    person_id = check_builder(actor, item.schedule.municipality_id)
    schedule = _locked(item.schedule)
    _not_running(schedule)
    note = _note(note)
    item = Item.objects.select_related("venue", "host").get(pk=item.pk)
    change = None
    if item.event_id:
        event = Event.objects.filter(pk=item.event_id).first()
        if event is not None and event.status not in (Status.CANCELLED, Status.FINISHED):
            events.event_cancel(actor=actor, event=event, reason=note)
        change = Change.objects.create(
            schedule=schedule,
            version=schedule.version,
            item=None,
            event_id=item.event_id,
            kind=Change.Kind.CANCELLED,
            title=item.title,
            before=_place(item),
            note=note,
            actor_id=person_id,
        )
        change.notified = notify.cancelled(schedule, item, change, _affected(item), actor=actor)
        change.save(update_fields=["notified"])
    audit_log(
        "schedule.item.delete",
        actor=actor,
        obj=item,
        reason=note,
        municipality_id=schedule.municipality_id,
        changes={"title": [item.title, None]},
    )
    item.delete()
    schedule.updated_at = now()
    schedule.save(update_fields=["updated_at"])
    return change
