"""Creating, changing, publishing and cancelling events: the API other modules use (the
municipal schedule builder creates and changes events through these).

    event_create(*, actor, **fields) -> Event
    event_update(*, actor, event, **fields) -> Event
    event_publish(*, actor, event) -> Event
    event_cancel(*, actor, event, reason="") -> Event

``fields`` are the model's fields (``institution``, ``kind``, ``title``, ``starts_at``,
``ends_at``, ``venue``, ``room``, ``capacity_in_person``, ``capacity_remote``, ``provider``,
…) plus ``hosts`` (people or their ids), ``audience_subjects`` (subjects or ids),
``resource`` (a shared resource of the resource centres: booked for the event) and
``repeat`` (``{"frequency": "WEEKLY", "interval": 1, "count": 5}``: a series, on create).
Each checks the actor's rights itself (PermissionDenied), validates everything before
writing (ValidationError naming the fields; nothing is half-saved), writes the audit log,
and tells the registered people of a change that concerns them (time, place, online)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dateutil.relativedelta import relativedelta  # type: ignore[import-untyped]
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from setka.core.audit import audit_log, diff, snapshot
from setka.core.clock import now
from setka.network.models import Institution, Person
from setka.network.roles import user_roles

from .. import notify, rules
from ..models import Event, Kind, Mode, Provider, Series, Status
from . import venues
from .common import active_person_ids, promote_waiting

PLAIN_FIELDS = [
    "kind", "title", "description", "subject", "for_teachers", "for_students", "for_parents",
    "for_public", "grade_min", "grade_max", "starts_at", "ends_at", "venue", "room",
    "capacity_in_person", "capacity_remote", "provider", "external_url",
    "registration_opens_at", "registration_closes_at", "materials", "group", "topic", "goals",
    "planned_results", "recording_url",
]  # fmt: skip
# The changes registered people are told of.
NOTICED = {
    "starts_at": "time",
    "ends_at": "time",
    "venue": "place",
    "room": "place",
    "provider": "online",
    "external_url": "online",
}
CANCEL_REASON_MAX = 300
TEXT_FIELDS = {"description", "room", "external_url", "materials", "topic", "goals",
               "planned_results", "recording_url"}  # fmt: skip
AUDITED = [*PLAIN_FIELDS, "status", "cancel_reason", "lesson", "booking_id", "resource_id"]
FREQ_STEP = {
    Series.Frequency.DAILY: lambda n: relativedelta(days=n),
    Series.Frequency.WEEKLY: lambda n: relativedelta(weeks=n),
    Series.Frequency.MONTHLY: lambda n: relativedelta(months=n),
}


def _person_ids(values) -> list[int]:
    return [v if isinstance(v, int) else v.pk for v in values or []]


def _check(event: Event, hosts: list[int] | None) -> None:
    """Every rule of an event, with the fields named: raises before anything is written."""
    errors: dict[str, str] = {}
    try:
        event.full_clean(
            exclude=["municipality", "institution", "created_by", "lesson", "series"],
            validate_constraints=False,  # checked below, each on its field
        )
    except ValidationError as exc:
        errors.update({k: " ".join(str(m) for m in v) for k, v in exc.message_dict.items()})
    if event.starts_at and event.ends_at and event.ends_at <= event.starts_at:
        errors["ends_at"] = _("The event must end after it starts.")
    if (
        event.starts_at
        and event.ends_at
        and event.ends_at - event.starts_at > dt.timedelta(days=14)
    ):
        errors["ends_at"] = _("An event lasts at most two weeks; make a series for longer ones.")
    if event.grade_min and event.grade_max and event.grade_max < event.grade_min:
        errors["grade_max"] = _("The last grade cannot be below the first one.")
    opens, closes = event.registration_opens_at, event.registration_closes_at
    if opens and closes and closes <= opens:
        errors["registration_closes_at"] = _("Registration must close after it opens.")
    if closes and event.ends_at and closes > event.ends_at:
        errors["registration_closes_at"] = _("Registration cannot close after the event ends.")
    if event.capacity_in_person == 0 and event.capacity_remote == 0:
        errors["capacity_in_person"] = _("Give the places in person, online, or both.")
    if event.capacity_in_person and not (event.venue_id or event.resource_id):
        errors["venue"] = _("Participation in person needs a venue.")
    if event.capacity_remote and not event.provider:
        errors["provider"] = _("Online participation needs a video service or a link.")
    if event.provider == Provider.EXTERNAL and not event.external_url:
        errors["external_url"] = _("Give the link to the webinar.")
    if event.provider == Provider.BBB and not venues.bbb_configured():
        errors["provider"] = _("BigBlueButton is not configured on this server.")
    if event.kind == Kind.OPEN_LESSON:
        if not hosts:
            errors["hosts"] = _("An open lesson needs its host teacher.")
        if event.group_id is None:
            errors["group"] = _("An open lesson needs the class.")
        if event.subject_id is None:
            errors["subject"] = _("An open lesson needs the subject.")
    group, subject, venue = event.group, event.subject, event.venue
    if group is not None and group.institution_id not in (event.institution_id, event.venue_id):
        errors["group"] = _("The class must be of the organiser or of the venue.")
    if subject is not None and subject.municipality_id != event.municipality_id:
        errors["subject"] = _("Choose a subject of this municipality.")
    if venue is not None and venue.municipality_id != event.municipality_id:
        errors["venue"] = _("Choose a venue of this municipality.")
    if (
        hosts
        and Person.objects.filter(pk__in=hosts)
        .exclude(municipality_id=event.municipality_id)
        .exists()
    ):
        errors["hosts"] = _("The hosts must be people of this municipality.")
    if hosts and Person.objects.filter(pk__in=hosts).count() != len(set(hosts)):
        errors["hosts"] = _("There is no such person.")
    if errors:
        raise ValidationError(errors)


def _apply(event: Event, fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(PLAIN_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be set here.") for name in unknown})
    for name, value in fields.items():
        setattr(event, name, "" if value is None and name in TEXT_FIELDS else value)


@transaction.atomic
def event_create(*, actor, **fields: Any) -> Event:
    roles = user_roles(actor)
    institution: Institution | None = fields.pop("institution", None)
    if institution is None:
        raise ValidationError({"institution": _("Choose the organiser.")})
    if not rules.creates_for(roles, institution):
        raise PermissionDenied(_("You cannot create events of this institution."))
    hosts = _person_ids(fields.pop("hosts", []))
    subjects = fields.pop("audience_subjects", [])
    resource = fields.pop("resource", None)
    repeat = fields.pop("repeat", None)
    status = fields.pop("status", Status.DRAFT)
    if status not in (Status.DRAFT, Status.PUBLISHED):
        raise ValidationError({"status": _("A new event is a draft or published.")})
    event = Event(
        municipality_id=institution.municipality_id,
        institution=institution,
        created_by_id=roles.person_id,
        status=status,
    )
    _apply(event, fields)
    if resource is not None:
        event.resource_id = getattr(resource, "pk", resource)
    _check(event, hosts)
    series = None
    if repeat:
        series = _series(event, repeat)
    occurrences = _occurrences(event, series)
    created = []
    for index, starts_at in enumerate(occurrences):
        copy = Event(**{f.attname: getattr(event, f.attname) for f in Event._meta.concrete_fields})
        copy.pk = None
        copy.room_key = Event._meta.get_field("room_key").get_default()
        copy.moderator_password = Event._meta.get_field("moderator_password").get_default()
        copy.attendee_password = Event._meta.get_field("attendee_password").get_default()
        shift = starts_at - event.starts_at
        copy.starts_at, copy.ends_at = event.starts_at + shift, event.ends_at + shift
        if event.registration_closes_at:
            copy.registration_closes_at = event.registration_closes_at + shift
        if event.registration_opens_at:
            copy.registration_opens_at = event.registration_opens_at + shift
        copy.series, copy.occurrence = series, index
        copy.save()
        copy.hosts.set(hosts)
        copy.audience_subjects.set(subjects)
        venues.link_lesson(copy, hosts)
        if resource is not None:
            venues.book(copy, actor=actor, resource=resource)
        audit_log("events.event.create", actor=actor, obj=copy,
                  changes=snapshot(copy, AUDITED))  # fmt: skip
        created.append(copy)
    return created[0]


def _series(event: Event, repeat: dict[str, Any]) -> Series:
    series = Series(
        municipality_id=event.municipality_id,
        institution_id=event.institution_id,
        frequency=repeat.get("frequency", ""),
        interval=repeat.get("interval") or 1,
        count=repeat.get("count") or 0,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
    )
    try:
        series.full_clean(exclude=["municipality", "institution"])
    except ValidationError as exc:
        raise ValidationError(
            {f"repeat.{k}": " ".join(str(m) for m in v) for k, v in exc.message_dict.items()}
        ) from exc
    series.save()
    return series


def _occurrences(event: Event, series: Series | None) -> list[dt.datetime]:
    if series is None:
        return [event.starts_at]
    return [occurrence_start(series, i) for i in range(series.count)]


def occurrence_start(series: Series, index: int) -> dt.datetime:
    """When the rule places occurrence ``index`` (in local time, so that 15:00 stays 15:00
    across a change of the clocks)."""
    step = FREQ_STEP[Series.Frequency(series.frequency)]
    local = timezone.localtime(series.starts_at)
    moved = local.replace(tzinfo=None) + step(index * series.interval)
    return timezone.make_aware(moved, local.tzinfo)


@transaction.atomic
def event_update(*, actor, event: Event, **fields: Any) -> Event:
    roles = user_roles(actor)
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not rules.manages(roles, event):
        raise PermissionDenied(_("Only the organisers change an event."))
    closed = event.status in (Status.CANCELLED, Status.FINISHED)
    if closed and set(fields) - {"recording_url", "materials"}:
        raise ValidationError({"status": _("A cancelled or finished event cannot be changed.")})
    before = snapshot(event, AUDITED)
    hosts = _person_ids(fields.pop("hosts")) if "hosts" in fields else None
    subjects = fields.pop("audience_subjects", None)
    _apply(event, fields)
    current_hosts = hosts if hosts is not None else list(event.hosts.values_list("pk", flat=True))
    _check(event, current_hosts)
    counts = _taken(event)
    errors = {}
    if event.capacity_in_person < counts[Mode.IN_PERSON]:
        errors["capacity_in_person"] = _(
            "%(n)s people are registered in person: the places cannot be fewer."
        ) % {"n": counts[Mode.IN_PERSON]}
    if event.capacity_remote < counts[Mode.REMOTE]:
        errors["capacity_remote"] = _(
            "%(n)s people are registered online: the places cannot be fewer."
        ) % {"n": counts[Mode.REMOTE]}
    if errors:
        raise ValidationError(errors)
    changes = diff(before, snapshot(event, AUDITED))
    if changes:
        event.sequence += 1
    event.updated_at = now()
    event.save()
    if hosts is not None:
        event.hosts.set(hosts)
    if subjects is not None:
        event.audience_subjects.set(subjects)
    if {"starts_at", "ends_at", "group", "subject"} & set(changes) or hosts is not None:
        venues.link_lesson(event, current_hosts)
    if {"starts_at", "ends_at"} & set(changes) and event.booking_id:
        venues.rebook(event, actor=actor)
    promoted = promote_waiting(event)
    notify.promoted(event, promoted)
    if changes or hosts is not None:
        audit_log("events.event.update", actor=actor, obj=event, changes=changes)
    noticed = sorted({NOTICED[k] for k in changes if k in NOTICED})
    if noticed and event.status == Status.PUBLISHED:
        notify.changed(event, active_person_ids(event), noticed, actor=actor)
    return event


def _taken(event: Event) -> dict[str, int]:
    from ..selectors import taken

    return taken(event)


@transaction.atomic
def event_publish(*, actor, event: Event) -> Event:
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not rules.manages(user_roles(actor), event):
        raise PermissionDenied(_("Only the organisers publish an event."))
    if event.status != Status.DRAFT:
        raise ValidationError({"status": _("Only a draft can be published.")})
    if event.ends_at <= now():
        raise ValidationError({"starts_at": _("This event is over: it cannot be published.")})
    event.status = Status.PUBLISHED
    event.sequence += 1
    event.updated_at = now()
    event.save(update_fields=["status", "sequence", "updated_at"])
    audit_log("events.event.publish", actor=actor, obj=event,
              changes={"status": [Status.DRAFT, Status.PUBLISHED]})  # fmt: skip
    return event


@transaction.atomic
def event_cancel(*, actor, event: Event, reason: str = "") -> Event:
    """Cancel the event: everyone registered or waiting is told (with the reason); its
    booking of a shared resource is released."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not rules.manages(user_roles(actor), event):
        raise PermissionDenied(_("Only the organisers cancel an event."))
    if event.status in (Status.CANCELLED, Status.FINISHED):
        raise ValidationError({"status": _("This event is already cancelled or finished.")})
    if len(reason) > CANCEL_REASON_MAX:
        raise ValidationError({"reason": _("The reason is too long.")})
    old = event.status
    event.status = Status.CANCELLED
    event.cancel_reason = reason.strip()
    event.sequence += 1
    event.updated_at = now()
    event.save(update_fields=["status", "cancel_reason", "sequence", "updated_at"])
    if event.booking_id:
        venues.release(event, actor=actor)
    audit_log("events.event.cancel", actor=actor, obj=event, reason=event.cancel_reason,
              changes={"status": [old, Status.CANCELLED]})  # fmt: skip
    if old == Status.PUBLISHED:
        notify.cancelled(event, active_person_ids(event), actor=actor)
    return event


def events_finish_past() -> int:
    """Published events that have ended become finished (the reminders' sweep runs it)."""
    moment = now()
    return Event.objects.filter(status=Status.PUBLISHED, ends_at__lt=moment).update(
        status=Status.FINISHED, updated_at=moment
    )
