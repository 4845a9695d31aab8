"""Where an event takes place: the lesson of the journal an open lesson is, the booking of a
shared resource of the resource centres, and whether a video provider is configured."""

from __future__ import annotations

import contextlib
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from setka.core.clock import now
from setka.journal.models import Bell, Lesson

from ..models import Event, Kind


def bbb_configured() -> bool:
    return bool(settings.BBB_URL and settings.BBB_SECRET)


def link_lesson(event: Event, host_ids: list[int]) -> None:
    """An open lesson is the host teacher's lesson of its class and subject at its time in
    the journal: link it (or unlink it when there is none any more). Two queries."""
    found = None
    if event.kind == Kind.OPEN_LESSON and event.group_id and event.subject_id and host_ids:
        local = timezone.localtime(event.starts_at)
        lessons = list(
            Lesson.objects.filter(
                group_id=event.group_id, subject_id=event.subject_id, date=local.date()
            )
            .exclude(status=Lesson.Status.CANCELLED)
            .select_related("group")
            .order_by("number")
        )
        lessons = [
            lesson
            for lesson in lessons
            if lesson.teacher_id in host_ids or lesson.substitute_id in host_ids
        ]
        if lessons:
            bells = {
                (b.shift, b.number): b for b in Bell.objects.filter(year_id=lessons[0].year_id)
            }
            for lesson in lessons:
                bell = bells.get((lesson.group.shift, lesson.number))
                if bell and bell.starts_at <= local.time() < bell.ends_at:
                    found = lesson
                    break
            else:
                found = lessons[0] if len(lessons) == 1 else None
    if found is not None:
        taken = Event.objects.filter(lesson=found).exclude(pk=event.pk).first()
        if taken is not None:
            raise ValidationError(
                {"starts_at": _("This lesson is already the open lesson «%(title)s».")
                 % {"title": taken.title}}
            )  # fmt: skip
    if event.lesson_id != (found.pk if found else None):
        event.lesson = found
        event.save(update_fields=["lesson"])


def _resources():
    try:
        from setka.resources import services
        from setka.resources.models import Booking, Resource
    except ImportError as exc:  # the resource centres are not installed
        raise ValidationError({"resource": _("Shared resources are not available.")}) from exc
    return services, Resource, Booking


def book(event: Event, *, actor: Any, resource: Any) -> None:
    """Book the shared resource for the event (its venue becomes the resource's owner)."""
    services, resource_model, _booking = _resources()
    if not isinstance(resource, resource_model):
        resource = resource_model.objects.filter(pk=resource).select_related("institution").first()
        if resource is None:
            raise ValidationError({"resource": _("There is no such resource.")})
    try:
        booking = services.booking_create(
            actor=actor,
            resource=resource,
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            purpose=event.title[:300],
            institution=event.institution,
            event_ref=f"events:{event.pk}",
            party_size=event.capacity_in_person or None,
        )
    except services.BookingConflict as exc:
        raise ValidationError({"resource": exc.message}) from exc
    except PermissionDenied as exc:
        raise ValidationError({"resource": _("You may not book this resource.")}) from exc
    event.resource_id = resource.pk
    event.booking_id = booking.pk
    event.venue_id = resource.institution_id
    if not event.room:
        event.room = resource.name[:100]
    event.updated_at = now()  # the feeds' stamp: the event's place changed
    event.save(update_fields=["resource_id", "booking_id", "venue", "room", "updated_at"])


def release(event: Event, *, actor: Any) -> None:
    services, _resource, booking_model = _resources()
    booking = booking_model.objects.filter(pk=event.booking_id).first()
    if booking is not None:
        # Already over or cancelled there: nothing is held any more.
        with contextlib.suppress(services.BookingConflict, PermissionDenied):
            services.booking_cancel(
                actor=actor, booking=booking, reason=_("The event is cancelled.")
            )
    event.booking_id = None
    event.save(update_fields=["booking_id"])


def rebook(event: Event, *, actor: Any) -> None:
    """The event moved: its booking moves with it (or the change is refused)."""
    resource_id = event.resource_id
    release(event, actor=actor)
    book(event, actor=actor, resource=resource_id)
