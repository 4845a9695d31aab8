"""The iCalendar feed of a resource: RFC 5545 read back with the ``icalendar`` library, busy
time only (nothing personal), for public resources."""

from __future__ import annotations

import pytest
from django.urls import reverse
from icalendar import Calendar

from setka.resources import services
from setka.resources.models import Status

pytestmark = pytest.mark.django_db


def _events(response):
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    cal = Calendar.from_ical(response.content)
    return cal, list(cal.walk("VEVENT"))


def test_the_feed_round_trips_the_bookings(client_for, world, rw):
    confirmed = rw.book(world.users["director"], institution=world.school, purpose="Опыт Петрова")
    waiting = rw.book(world.users["other_director"], institution=world.other_school, offset=1)
    cancelled = rw.book(world.users["other_director"], institution=world.other_school, offset=2)
    services.booking_cancel(actor=world.users["other_director"], booking=cancelled)

    cal, events = _events(client_for("anonymous").get(reverse("resources:feed", args=[rw.lab.pk])))

    assert cal["version"] == "2.0"
    assert str(cal["x-wr-calname"]).startswith("Лаборатория химии")
    got = [
        (str(e["uid"]), e.decoded("dtstart"), e.decoded("dtend"), str(e["status"])) for e in events
    ]
    assert got == [
        (f"booking-{confirmed.pk}@testserver", confirmed.starts_at, confirmed.ends_at, "CONFIRMED"),
        (f"booking-{waiting.pk}@testserver", waiting.starts_at, waiting.ends_at, "TENTATIVE"),
    ]
    body = client_for("anonymous").get(reverse("resources:feed", args=[rw.lab.pk])).content
    assert "Петрова".encode() not in body  # nothing of the purpose
    assert world.other_school.short_name.encode() not in body  # nor who booked
    assert waiting.status == Status.PENDING


def test_the_feed_is_public_and_cacheable(client_for, rw):
    response = client_for("anonymous").get(reverse("resources:feed", args=[rw.lab.pk]))

    assert response.status_code == 200
    assert "public" in response["Cache-Control"]


def test_a_resource_without_a_public_calendar_has_no_feed(client_for, world, rw):
    services.resource_update(
        actor=world.users["director"], resource=rw.lab, data={"is_public": False}
    )

    assert (
        client_for("anonymous").get(reverse("resources:feed", args=[rw.lab.pk])).status_code == 404
    )
    assert (
        client_for("director").get(reverse("resources:feed", args=[rw.lab.pk])).status_code == 404
    )


def test_the_resource_page_links_the_webcal_subscription(client_for, rw):
    html = (
        client_for("anonymous")
        .get(reverse("resources:resource", args=[rw.lab.pk]))
        .content.decode()
    )

    assert f'href="webcal://testserver/resources/{rw.lab.pk}/feed.ics"' in html
