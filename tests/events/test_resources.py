"""An event held in a shared resource books it through the resource centres (one booking,
``event_ref`` naming the event), moves the booking with the event, releases it when the event
is cancelled, and is refused whole when the time is taken."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from setka.events import services
from setka.events.models import Event, Kind
from setka.resources.models import Booking

from ..resources.conftest import make_resources, slot

pytestmark = pytest.mark.django_db


def _in_lab(world, rw, hour=10):
    start, end = slot(0, hour, 60)
    return services.event_create(
        actor=world.users["director"], institution=world.school, kind=Kind.MASTER_CLASS,
        title="Мастер-класс: химический эксперимент", starts_at=start, ends_at=end,
        resource=rw.lab, capacity_in_person=12, status="published",
    )  # fmt: skip


def test_event_in_a_shared_resource_books_it(world):
    rw = make_resources(world)

    event = _in_lab(world, rw)

    booking = Booking.objects.get()
    assert (booking.resource_id, booking.event_ref, booking.starts_at) == (
        rw.lab.pk, f"events:{event.pk}", event.starts_at,
    )  # fmt: skip
    assert (event.booking_id, event.venue_id, event.room) == (booking.pk, world.school.pk,
                                                              rw.lab.name)  # fmt: skip


def test_moving_the_event_moves_its_booking_and_cancelling_releases_it(world):
    rw = make_resources(world)
    event = _in_lab(world, rw)
    start, end = slot(1, 14, 60)

    services.event_update(actor=world.users["director"], event=event, starts_at=start, ends_at=end)
    event.refresh_from_db()
    moved = Booking.objects.get(pk=event.booking_id)
    services.event_cancel(actor=world.users["director"], event=event)

    assert (moved.starts_at, moved.status in ("confirmed", "pending")) == (start, True)
    assert Booking.objects.get(pk=moved.pk).status == "cancelled"


def test_a_taken_time_refuses_the_event_whole(world):
    rw = make_resources(world)
    rw.book(world.users["director"], institution=world.school, hour=10)

    with pytest.raises(ValidationError) as exc:
        _in_lab(world, rw, hour=10)

    assert "resource" in exc.value.message_dict
    assert Event.objects.count() == 0
    assert Booking.objects.count() == 1


def test_later_occurrences_are_not_left_without_their_booking(world):
    rw = make_resources(world)
    start, end = slot(0, 10, 60)

    first = services.event_create(
        actor=world.users["director"], institution=world.school, kind=Kind.SEMINAR,
        title="Практикум", starts_at=start, ends_at=end, resource=rw.lab,
        capacity_in_person=10, repeat={"frequency": "WEEKLY", "interval": 1, "count": 2},
    )  # fmt: skip

    assert Booking.objects.filter(event_ref__startswith="events:").count() == 2
    assert (
        first.starts_at + dt.timedelta(weeks=1)
        == Event.objects.exclude(pk=first.pk).get().starts_at
    )
