"""Query budgets: every list page, calendar, feed and list endpoint of the resource centres
asks the database the same number of times for one booking (or resource) and for many."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from setka.resources import services
from setka.resources.models import Booking, Resource, Status

from .. import clock
from .conftest import HOURS, next_monday

pytestmark = pytest.mark.django_db
SIZES = [2, 14]  # a confirmed and a waiting booking, and many of each


def _bookings(world, rw, n: int, resource=None) -> None:
    """``n`` bookings of the laboratory next week: the director's confirmed ones and the
    other school's waiting ones, in turn."""
    resource = resource or rw.lab
    rows = []
    for i in range(n):
        day = next_monday() + dt.timedelta(days=i % 5)
        start = clock.at(day, 8 + i // 5)
        institution = world.other_school if i % 2 else world.school
        rows.append(Booking(
            resource=resource, owner=world.school, institution=institution,
            booked_by=world.people["other_director" if i % 2 else "director"],
            starts_at=start, ends_at=start + dt.timedelta(minutes=45), purpose=f"Занятие {i}",
            status=Status.PENDING if i % 2 else Status.CONFIRMED,
        ))  # fmt: skip
    Booking.objects.bulk_create(rows)


def _resources(world, n: int) -> None:
    for i in range(n - 2):
        services.resource_create(
            actor=world.users["director"], institution=world.school,
            data={"kind": "room", "category": "classroom", "name": f"Кабинет {i}"}, windows=HOURS,
        )  # fmt: skip
    assert Resource.objects.count() == max(n, 2)


@pytest.fixture
def counted(client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(role: str, url: str) -> int:
        client = client_for(role)
        client.get(url)  # the session and the roles are warm
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, response.content[:300]
        return len(ctx.captured_queries)

    return count


def _week_url(rw) -> str:
    return reverse("resources:resource", args=[rw.lab.pk]) + f"?week={next_monday()}"


def _month_url(rw) -> str:
    return reverse("resources:month", args=[rw.lab.pk]) + f"?month={next_monday():%Y-%m}"


PAGES = {
    "week": ("director", _week_url),
    "week_colleague": ("teacher", _week_url),
    "week_anonymous": ("anonymous", _week_url),
    "month": ("director", _month_url),
    "month_anonymous": ("anonymous", _month_url),
    "feed": ("anonymous", lambda rw: reverse("resources:feed", args=[rw.lab.pk])),
    "bookings": ("director", lambda rw: reverse("resources:bookings") + "?show=all"),
    "to_approve": ("director", lambda rw: reverse("resources:bookings") + "?show=approve"),
    "bookings_api": ("director", lambda rw: "/api/v1/bookings"),
    "calendar_api": ("teacher", lambda rw: f"/api/v1/resources/{rw.lab.pk}/calendar?first="
                     f"{next_monday()}&last={next_monday() + dt.timedelta(days=27)}"),
    "home": ("director", lambda rw: reverse("home")),
    "home_booker": ("other_director", lambda rw: reverse("home")),
}  # fmt: skip


@pytest.mark.parametrize("page", PAGES)
def test_pages_ask_the_same_whatever_the_number_of_bookings(world, rw, counted, page):
    role, url = PAGES[page]
    counts = []
    for n in SIZES:
        Booking.objects.all().delete()
        _bookings(world, rw, n)
        counts.append(counted(role, url(rw)))

    assert counts[0] == counts[1]


@pytest.mark.parametrize("role", ["anonymous", "director"])
def test_the_catalogue_asks_the_same_whatever_the_number_of_resources(world, rw, counted, role):
    small = counted(role, reverse("resources:catalogue"))
    small_api = counted(role, "/api/v1/resources")
    _resources(world, 14)

    assert (counted(role, reverse("resources:catalogue")), counted(role, "/api/v1/resources")) == (
        small,
        small_api,
    )
