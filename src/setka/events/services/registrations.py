"""Registration (in person or online, within the places of each mode, with a waiting list
that moves up by itself), cancellation, check-in, joining online, and the recording.

The places of a mode are never exceeded, also when many register at once: a registration
locks the event's row (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite's writes are
serialised by its IMMEDIATE transactions) and counts the taken places under the lock; a
partial unique index refuses a second active registration of one person."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from setka.core.audit import audit_log
from setka.core.clock import now
from setka.network.roles import user_roles

from .. import notify, rules, selectors
from ..models import Event, Mode, Registration, Status
from ..video import join_url
from .common import active_person_ids, capacity, promote_waiting


class AlreadyRegistered(ValidationError):  # noqa: N818 - a 409 answer, named for it
    """A second registration of one person (a 409 in the API, with the first one)."""

    def __init__(self, registration: Registration) -> None:
        super().__init__(
            {"event": _("You are already registered for this event.")}, code="conflict"
        )
        self.registration = registration


def _window_error(event: Event) -> str | None:
    moment = now()
    if event.status != Status.PUBLISHED or event.ends_at <= moment:
        return _("Registration is closed: the event is not open for registration.")
    if event.registration_opens_at and moment < event.registration_opens_at:
        return _("Registration has not opened yet.")
    if moment >= event.closes_at:
        return _("Registration is closed.")
    return None


@transaction.atomic
def registration_create(
    *, actor, event: Event, mode: str, person_id: int | None = None
) -> Registration:
    """Register the actor (or, for the organisers, ``person_id``) for ``event`` in ``mode``:
    a place if there is one, else the waiting list. The person is told either way."""
    roles = user_roles(actor)
    event = Event.objects.select_for_update().get(pk=event.pk)
    if person_id is not None and person_id != roles.person_id and not rules.runs(roles, event):
        raise PermissionDenied(_("Only the organisers register other people."))
    person_id = person_id if person_id is not None else roles.person_id
    if mode not in Mode.values:
        raise ValidationError({"mode": _("Choose in person or online.")})
    if capacity(event, mode) == 0 or (mode == Mode.REMOTE and not event.provider):
        raise ValidationError(
            {"mode": _("This event has no participation %(mode)s.")
             % {"mode": _("online") if mode == Mode.REMOTE else _("in person")}}
        )  # fmt: skip
    problem = _window_error(event)
    if problem:
        raise ValidationError({"event": problem})
    if person_id == roles.person_id:
        refusal = selectors.audience_refusal(roles, event)
        if refusal:
            raise PermissionDenied(refusal)
    if person_id is None:
        raise PermissionDenied(_("Registration is for people of the network."))
    existing = selectors.registration_of(person_id, event)
    if existing is not None:
        raise AlreadyRegistered(existing)
    taken = Registration.objects.filter(
        event=event, mode=mode, status=Registration.Status.REGISTERED
    ).count()
    status = (
        Registration.Status.REGISTERED
        if taken < capacity(event, mode)
        else Registration.Status.WAITING
    )
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                event=event, person_id=person_id, mode=mode, status=status
            )
    except IntegrityError as exc:  # a parallel request of the same person won
        winner = selectors.registration_of(person_id, event)
        if winner is None:
            raise
        raise AlreadyRegistered(winner) from exc
    position = 0
    if status == Registration.Status.WAITING:
        position = Registration.objects.filter(
            event=event, mode=mode, status=Registration.Status.WAITING, id__lte=registration.pk
        ).count()
    audit_log("events.registration.create", actor=actor, obj=registration,
              changes={"status": status, "mode": mode, "event": event.pk},
              institution_id=event.institution_id,
              municipality_id=event.municipality_id)  # fmt: skip
    notify.registered(event, registration, position=position)
    return registration


@transaction.atomic
def registration_cancel(*, actor, registration: Registration) -> Registration:
    """The person (or an organiser) cancels; the first on the waiting list of that mode
    takes the place and is told."""
    roles = user_roles(actor)
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.person_id != roles.person_id and not rules.runs(roles, event):
        raise PermissionDenied(_("You cannot cancel another person's registration."))
    if registration.status == Registration.Status.CANCELLED:
        raise ValidationError({"registration": _("This registration is already cancelled.")})
    if event.ends_at <= now():
        raise ValidationError({"registration": _("The event is over.")})
    old = registration.status
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = now()
    registration.save(update_fields=["status", "cancelled_at"])
    audit_log("events.registration.cancel", actor=actor, obj=registration,
              changes={"status": [old, registration.status]},
              institution_id=event.institution_id,
              municipality_id=event.municipality_id)  # fmt: skip
    if old == Registration.Status.REGISTERED and event.status == Status.PUBLISHED:
        notify.promoted(event, promote_waiting(event))
    return registration


@transaction.atomic
def checkin_set(*, actor, registration: Registration, present: bool = True) -> Registration:
    """Hosts and organisers mark who is present, from an hour before the start."""
    event = registration.event
    if not rules.runs(user_roles(actor), event):
        raise PermissionDenied(_("Only the hosts and organisers check people in."))
    if registration.status != Registration.Status.REGISTERED:
        raise ValidationError({"registration": _("Only registered people can be checked in.")})
    if now() < event.starts_at - _checkin_early() or event.status == Status.CANCELLED:
        raise ValidationError({"registration": _("Check-in opens an hour before the start.")})
    registration.checked_in_at = now() if present else None
    registration.save(update_fields=["checked_in_at"])
    audit_log("events.registration.checkin", actor=actor, obj=registration,
              changes={"present": present}, institution_id=event.institution_id,
              municipality_id=event.municipality_id)  # fmt: skip
    return registration


def _checkin_early():
    import datetime as dt

    return dt.timedelta(hours=1)


def join_refusal(roles, event: Event, registration: Registration | None) -> str | None:
    """Why this person cannot join the event online now (None: they can)."""
    if not event.provider:
        return _("This event has no online participation.")
    if event.status != Status.PUBLISHED:
        return _("This event is not taking place.")
    moment = now()
    runner = rules.runs(roles, event)
    if not runner and (
        registration is None or registration.status != Registration.Status.REGISTERED
    ):
        return _("Only registered participants can join. Register first.")
    if moment < event.joins_from:
        return _("The room opens 15 minutes before the start.")
    if moment > event.ends_at:
        return _("The event is over.")
    return None


@transaction.atomic
def join(*, actor, event: Event) -> str:
    """The address of the event's online room for the actor (moderator rights for hosts and
    organisers); records their attendance. Raises ValidationError when they cannot."""
    roles = user_roles(actor)
    registration = selectors.registration_of(roles.person_id, event)
    problem = join_refusal(roles, event, registration)
    if problem:
        raise ValidationError({"event": problem})
    moderator = rules.runs(roles, event)
    if registration is not None and registration.joined_at is None:
        registration.joined_at = now()
        registration.save(update_fields=["joined_at"])
    return join_url(event, actor=actor, moderator=moderator)


@transaction.atomic
def recording_publish(*, actor, event: Event, url: str) -> Event:
    """After the event, the recording's link is published for its registered participants
    (who are told)."""
    if not rules.runs(user_roles(actor), event):
        raise PermissionDenied(_("Only the hosts and organisers publish the recording."))
    if event.ends_at > now():
        raise ValidationError({"url": _("The recording is published after the event.")})
    event.recording_url = (url or "").strip()
    try:
        event.clean_fields(
            exclude=[f.name for f in Event._meta.fields if f.name != "recording_url"]
        )
    except ValidationError as exc:
        raise ValidationError({"url": exc.message_dict.get("recording_url", [])}) from exc
    event.save(update_fields=["recording_url"])
    audit_log("events.event.recording", actor=actor, obj=event,
              changes={"recording_url": event.recording_url})  # fmt: skip
    if event.recording_url:
        ids = list(
            Registration.objects.filter(
                event=event, status=Registration.Status.REGISTERED
            ).values_list("person_id", flat=True)
        )
        notify.recording(event, ids, actor=actor)
    return event


def registered_person_ids(event: Event) -> list[int]:
    return active_person_ids(event)


__all__: list[Any] = [
    "AlreadyRegistered",
    "checkin_set",
    "join",
    "join_refusal",
    "recording_publish",
    "registration_cancel",
    "registration_create",
]
