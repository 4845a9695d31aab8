"""«Сегодня»: the bookings waiting for my approval, and my next bookings."""

from __future__ import annotations

import pytest
from django.urls import reverse

from setka.resources import services

pytestmark = pytest.mark.django_db


def test_the_owners_admin_sees_the_bookings_to_approve(client_for, world, rw):
    booking = rw.book(world.users["other_director"], institution=world.other_school)

    html = client_for("director").get(reverse("home")).content.decode()

    assert 'id="resources-approve"' in html
    assert reverse("resources:booking", args=[booking.pk]) in html


def test_the_booker_sees_their_next_bookings_until_they_are_cancelled(client_for, world, rw):
    booking = rw.book(world.users["other_teacher"], rw.kit, institution=world.other_school)
    client = client_for("other_teacher")

    before = client.get(reverse("home")).content.decode()
    services.booking_cancel(actor=world.users["other_teacher"], booking=booking)
    after = client.get(reverse("home")).content.decode()

    assert 'id="resources-next"' in before
    assert "Комплект ВКС" in before
    assert 'id="resources-next"' not in after


@pytest.mark.parametrize("role", ["student", "parent"])
def test_people_who_do_not_book_have_no_blocks(client_for, world, rw, role):
    rw.book(world.users["director"], institution=world.school)

    html = client_for(role).get(reverse("home")).content.decode()

    assert "resources-" not in html
