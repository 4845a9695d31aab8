"""The pages: the catalogue, a resource's week and month, booking through the form (errors
on the form with nothing stored, a clash as a 409 naming the holder), a booking's page with
its decisions, the lists, and the centre's own pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from setka.resources.models import Booking, Resource, Status

from .conftest import next_monday, slot

pytestmark = pytest.mark.django_db


def _form(day, start="10:00", end="11:30", **extra):
    return {"day": day.isoformat(), "starts": start, "ends": end, "purpose": "Опыты 9А",
            "institution": extra.pop("institution"), **extra}  # fmt: skip


def test_the_catalogue_lists_the_resources_for_everyone(client_for, rw):
    html = client_for("anonymous").get(reverse("resources:catalogue")).content.decode()

    assert "Лаборатория химии" in html
    assert "Комплект ВКС" in html


def test_the_catalogue_filters_by_kind(client_for, rw):
    response = client_for("teacher").get(reverse("resources:catalogue"), {"kind": "equipment"})

    assert [r.name for r in response.context["resources"]] == ["Комплект ВКС"]


def test_the_week_shows_bookings_by_what_one_may_see(client_for, world, rw):
    rw.book(world.users["other_director"], institution=world.other_school, purpose="Секретный опыт")
    url = reverse("resources:resource", args=[rw.lab.pk]) + f"?week={next_monday().isoformat()}"

    anonymous = client_for("anonymous").get(url).content.decode()
    colleague = client_for("teacher").get(url).content.decode()
    owner = client_for("director").get(url).content.decode()

    assert "Секретный опыт" not in anonymous
    assert world.other_school.short_name not in anonymous
    assert world.other_school.short_name in colleague
    assert "Секретный опыт" not in colleague
    assert "Секретный опыт" in owner


def test_the_month_shows_the_bookings(client_for, world, rw):
    booking = rw.book(world.users["director"], institution=world.school)
    month = next_monday().strftime("%Y-%m")

    response = client_for("director").get(
        reverse("resources:month", args=[rw.lab.pk]), {"month": month}
    )

    days = [d for week in response.context["weeks"] for d in week if d.slots]
    assert [s.booking.pk for d in days for s in d.slots] == [booking.pk]


@pytest.mark.parametrize("value", ["", "garbage", "99999-01-01", "2026-13-01", "0001-01-01"])
def test_bad_week_and_month_parameters_show_this_week(client_for, rw, value):
    client = client_for("teacher")

    week = client.get(reverse("resources:resource", args=[rw.lab.pk]), {"week": value})
    month = client.get(reverse("resources:month", args=[rw.lab.pk]), {"month": value})

    assert (week.status_code, month.status_code) == (200, 200)


def test_booking_through_the_form(client_for, world, rw):
    client = client_for("other_director")

    response = client.post(
        reverse("resources:book", args=[rw.lab.pk]),
        _form(next_monday(), institution=world.other_school.pk),
    )

    booking = Booking.objects.get()
    assert response.url == reverse("resources:booking", args=[booking.pk])
    assert booking.status == Status.PENDING
    assert booking.institution == world.other_school


def test_a_bad_booking_form_is_a_422_with_the_errors_and_nothing_stored(client_for, world, rw):
    response = client_for("other_director").post(
        reverse("resources:book", args=[rw.lab.pk]),
        _form(next_monday(), start="12:00", end="11:00", institution=world.other_school.pk),
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 422
    assert "The booking ends before it starts." in response.content.decode()
    assert Booking.objects.count() == 0


def test_a_clash_in_the_form_is_a_409_naming_the_holder(client_for, world, rw):
    rw.book(world.users["director"], institution=world.school)

    response = client_for("other_director").post(
        reverse("resources:book", args=[rw.lab.pk]),
        _form(next_monday(), start="11:00", end="12:00", institution=world.other_school.pk),
    )

    assert response.status_code == 409
    assert response.context["conflict"].institution == world.school
    assert Booking.objects.count() == 1


def test_booking_for_an_institution_one_may_not_book_for_is_refused(client_for, world, rw):
    response = client_for("other_director").post(
        reverse("resources:book", args=[rw.lab.pk]),
        _form(next_monday(), institution=world.school.pk),
    )

    assert response.status_code == 422
    assert Booking.objects.count() == 0


def test_the_owner_approves_on_the_booking_page(client_for, world, rw):
    booking = rw.book(world.users["other_director"], institution=world.other_school)
    client = client_for("director")

    page = client.get(reverse("resources:booking", args=[booking.pk]))
    client.post(reverse("resources:approve", args=[booking.pk]))

    assert page.context["may_decide"] is True
    booking.refresh_from_db()
    assert booking.status == Status.CONFIRMED


def test_refusing_and_cancelling_on_the_page(client_for, world, rw):
    first = rw.book(world.users["other_director"], institution=world.other_school)
    second = rw.book(world.users["other_director"], institution=world.other_school, offset=1)

    client_for("director").post(reverse("resources:refuse", args=[first.pk]), {"reason": "Ремонт"})
    client_for("other_director").post(
        reverse("resources:cancel", args=[second.pk]), {"reason": "x"}
    )

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.note, second.status) == (Status.REFUSED, "Ремонт", Status.CANCELLED)


def test_the_lists_of_bookings(client_for, world, rw):
    waiting = rw.book(world.users["other_director"], institution=world.other_school)
    ours = rw.book(world.users["director"], institution=world.school, offset=1)

    client = client_for("director")
    to_approve = client.get(reverse("resources:bookings"), {"show": "approve"}).context["bookings"]
    mine = client.get(reverse("resources:bookings"), {"show": "ours"}).context["bookings"]
    theirs = client_for("other_director").get(reverse("resources:bookings")).context["bookings"]

    assert list(to_approve) == [waiting]
    assert list(mine) == [ours]
    assert list(theirs) == [waiting]


def test_the_centre_publishes_and_edits_a_resource(client_for, world, rw):
    client = client_for("director")
    data = {"name": "Актовый зал", "kind": "room", "category": "assembly_hall", "capacity": "200",
            "features": "сцена, проектор", "needs_approval": "on", "is_public": "on",
            "is_active": "on", "hours_0": "9:00–13:00, 14:00–18:00",
            "hours_5": "10:00-14:00"}  # fmt: skip

    created = client.post(reverse("resources:create", args=["school-3"]), data)
    hall = Resource.objects.get(name="Актовый зал")
    edited = client.post(reverse("resources:edit", args=[hall.pk]), {**data, "hours_5": ""})

    assert created.status_code == edited.status_code == 302
    assert hall.features == ["сцена", "проектор"]
    assert [(w.weekday, f"{w.starts_at:%H:%M}") for w in hall.windows.all()] == [
        (0, "09:00"),
        (0, "14:00"),
    ]
    assert (
        "Актовый зал" in client.get(reverse("resources:centre", args=["school-3"])).content.decode()
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [("hours_0", "9-17"), ("hours_0", "17:00–9:00"), ("hours_0", "9:00–12:00, 11:00–13:00"),
     ("hours_0", "25:00–26:00"), ("name", ""), ("capacity", "0")],
)  # fmt: skip
def test_a_bad_resource_form_is_a_422_and_nothing_changes(client_for, rw, field, value):
    data = {"name": "Зал", "kind": "room", "category": "assembly_hall", field: value}

    response = client_for("director").post(reverse("resources:create", args=["school-3"]), data)

    assert response.status_code == 422
    assert response.context["form"].errors[field]
    assert Resource.objects.count() == 2


def test_a_school_that_is_not_a_resource_centre_cannot_publish(client_for, world, rw):
    response = client_for("other_director").get(reverse("resources:create", args=["school-5"]))

    assert response.status_code == 403


def test_pages_with_bookings_are_private(client_for, world, rw):
    booking = rw.book(world.users["director"], institution=world.school)

    response = client_for("director").get(reverse("resources:booking", args=[booking.pk]))

    assert "no-store" in response["Cache-Control"]
    assert slot()[0] == booking.starts_at
