"""The resource centres of the demo municipality (``setka.resources.demo``), on the reduced
demo of the tests, built once for the module inside a transaction rolled back at the end."""

from __future__ import annotations

from itertools import pairwise

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse

from setka.network.demo import build_demo
from setka.notifications.models import Notification
from setka.resources.models import Booking, Kind, Resource, Status
from setka.resources.timing import within_hours, zone

from .. import clock

TODAY = clock.TODAY


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with (
        time_machine.travel(clock.at(TODAY), tick=True),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        ctx = build_demo(students_per_class=2, today=TODAY)
        yield ctx
        transaction.set_rollback(True)


@pytest.fixture
def frozen_clock(_frozen_session_clock):
    with time_machine.travel(clock.at(TODAY), tick=True) as traveller:
        yield traveller


def test_school_3_lends_a_laboratory_a_hall_and_a_videoconference_kit(demo, db):
    names = set(
        Resource.objects.filter(institution__slug="school-3").values_list("category", flat=True)
    )
    centres = set(Resource.objects.values_list("institution__slug", flat=True))

    assert {"laboratory", "assembly_hall", "videoconference"} <= names
    assert centres == {"school-3", "lyceum", "ddt"}
    assert Resource.objects.filter(kind=Kind.SPECIALIST).count() >= 3
    assert all(
        r.institution.is_resource_centre for r in Resource.objects.select_related("institution")
    )


def test_other_institutions_book_over_the_coming_weeks(demo, db):
    coming = Booking.objects.filter(starts_at__date__gt=TODAY, owner__slug="school-3")
    statuses = set(coming.values_list("status", flat=True))

    assert coming.exclude(institution__slug="school-3").count() >= 10
    assert statuses == {Status.CONFIRMED, Status.PENDING, Status.CANCELLED}


def test_the_demo_bookings_keep_the_rules(demo, db):
    tz = zone(demo.municipality.time_zone)
    for resource in Resource.objects.prefetch_related("windows"):
        windows = [(w.weekday, w.starts_at, w.ends_at) for w in resource.windows.all()]
        active = list(resource.bookings.filter(status__in=[Status.PENDING, Status.CONFIRMED]))
        assert all(within_hours(windows, b.starts_at, b.ends_at, tz) for b in active)
        assert all(
            a.ends_at <= b.starts_at for a, b in pairwise(sorted(active, key=lambda b: b.starts_at))
        )


def test_the_director_is_asked_to_approve(demo, client):
    director = demo.municipality.people.get(user__username="director").user
    client.force_login(director)

    html = client.get(reverse("home")).content.decode()

    assert 'id="resources-approve"' in html
    assert Notification.objects.filter(
        recipient__user=director, kind="resources.booking.requested"
    ).exists()


def test_a_second_build_adds_nothing(demo, db):
    before = (Resource.objects.count(), Booking.objects.count())

    build_demo(students_per_class=2, today=TODAY)

    assert (Resource.objects.count(), Booking.objects.count()) == before
