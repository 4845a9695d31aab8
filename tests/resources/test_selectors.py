"""The selectors other modules read: the links of the map of the network."""

from __future__ import annotations

import datetime as dt

import pytest

from setka.resources import selectors, services

from .conftest import next_monday

pytestmark = pytest.mark.django_db


def test_booking_links_count_confirmed_bookings_between_institutions(
    world, rw, django_assert_num_queries
):
    first = rw.book(world.users["other_director"], institution=world.other_school, offset=0)
    rw.book(world.users["other_director"], rw.kit, institution=world.other_school, offset=1)
    services.booking_approve(actor=world.users["director"], booking=first)
    second = rw.book(world.users["other_director"], institution=world.other_school, offset=2)
    services.booking_approve(actor=world.users["director"], booking=second)
    rw.book(world.users["metodist"], institution=world.imc, offset=3)  # waiting: not a link
    rw.book(world.users["director"], institution=world.school, offset=4)  # its own: not a link
    monday = next_monday()

    with django_assert_num_queries(2):  # the municipality's time zone, then the aggregate
        links = selectors.booking_links(
            world.municipality.pk, monday, monday + dt.timedelta(days=6)
        )

    assert links == [(world.other_school.pk, world.school.pk, 2)]


def test_booking_links_take_local_days_and_nothing_outside(world, rw):
    booking = rw.book(world.users["director"], rw.kit, institution=world.school)
    services.booking_cancel(actor=world.users["director"], booking=booking)
    confirmed = rw.book(world.users["other_teacher"], rw.kit, institution=world.other_school)
    services.booking_approve(actor=world.users["director"], booking=confirmed)
    day = next_monday()

    assert selectors.booking_links(world.municipality.pk, day, day) == [
        (world.other_school.pk, world.school.pk, 1)
    ]
    assert (
        selectors.booking_links(
            world.municipality.pk, day + dt.timedelta(days=1), day + dt.timedelta(days=9)
        )
        == []
    )
    assert selectors.booking_links(world.municipality.pk + 1000, day, day) == []
