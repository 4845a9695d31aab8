"""The resource centres through the API: the catalogue, publishing, the calendar, booking
(422 on the field, 409 with the booking that holds the time), decisions, and the lists."""

from __future__ import annotations

import datetime as dt

import pytest

from setka.resources.models import Booking, Resource, Status

from ..api.conftest import ApiClient, assert_problem, error_fields
from .conftest import next_monday, slot

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client_for, client):
    return ApiClient(client_for, client)


def _body(world, start=None, end=None, **extra):
    start, end = (start, end) if start else slot()
    return {"institution_id": world.other_school.pk, "starts_at": start.isoformat(),
            "ends_at": end.isoformat(), "purpose": "Лабораторная работа", **extra}  # fmt: skip


def test_the_catalogue_and_one_resource(api, rw):
    items = api.as_("anonymous").get("/resources").json()["items"]
    lab = api.get(f"/resources/{rw.lab.pk}").json()

    assert [r["name"] for r in items] == ["Комплект ВКС", "Лаборатория химии"]
    assert lab["hours"][0] == {"weekday": 0, "starts_at": "08:00:00", "ends_at": "18:00:00"}
    assert lab["feed"] == f"/resources/{rw.lab.pk}/feed.ics"
    assert lab["features"] == ["вытяжной шкаф", "15 микроскопов"]


def test_publishing_and_changing_a_resource(api, world, rw):
    created = api.as_("director").post("/resources", {
        "institution_id": world.school.pk, "kind": "specialist", "category": "psychologist",
        "name": "Педагог-психолог",
        "hours": [{"weekday": 1, "starts_at": "09:00", "ends_at": "12:00"}],
    })  # fmt: skip
    changed = api.patch(f"/resources/{created.json()['id']}", {"capacity": 5, "hours": []})

    assert created.status_code == 201, created.content
    assert changed.json()["capacity"] == 5
    assert changed.json()["hours"] == []


def test_a_school_that_is_not_a_resource_centre_gets_a_403_saying_why(api, world, rw):
    response = api.as_("other_director").post("/resources", {
        "institution_id": world.other_school.pk, "kind": "room", "name": "Спортзал",
    })  # fmt: skip

    body = assert_problem(response, 403)
    assert "resource centres" in body["detail"]


@pytest.mark.parametrize(
    ("patch", "field"),
    [({"kind": "room", "category": "psychologist"}, "category"),
     ({"name": ""}, "name"), ({"name": None}, "name"), ({"capacity": 0}, "capacity"),
     ({"features": ["x"] * 21}, "features"),
     ({"hours": [{"weekday": 7, "starts_at": "09:00", "ends_at": "10:00"}]}, "hours.0.weekday"),
     ({"hours": [{"weekday": 1, "starts_at": "10:00", "ends_at": "09:00"}]}, "hours"),
     ({"colour": "red"}, "colour")],
)  # fmt: skip
def test_bad_resource_input_is_a_422_on_its_field(api, rw, patch, field):
    response = api.as_("director").patch(f"/resources/{rw.lab.pk}", patch)

    assert_problem(response, 422)
    assert field in error_fields(response)
    assert Resource.objects.get(pk=rw.lab.pk).name == "Лаборатория химии"


def test_booking_and_the_decisions(api, world, rw):
    booked = api.as_("other_director").post(f"/resources/{rw.lab.pk}/bookings", _body(world))
    booking_id = booked.json()["id"]
    approved = api.as_("director").post(f"/bookings/{booking_id}/approve")
    cancelled = api.as_("other_director").post(
        f"/bookings/{booking_id}/cancel", {"reason": "Карантин"}
    )

    assert booked.status_code == 201, booked.content
    assert booked.json()["status"] == "pending"
    assert approved.json()["status"] == "confirmed"
    assert (cancelled.json()["status"], cancelled.json()["note"]) == ("cancelled", "Карантин")


def test_refusing_without_a_body(api, world, rw):
    booking = rw.book(world.users["other_director"], institution=world.other_school)

    response = api.as_("director").post(f"/bookings/{booking.pk}/refuse")

    assert response.json()["status"] == "refused"


def test_a_clash_is_a_409_with_the_booking_that_holds_the_time(api, world, rw):
    holder = rw.book(world.users["director"], institution=world.school, purpose="Опыт")
    start, end = slot(0, 11)

    response = api.as_("other_director").post(
        f"/resources/{rw.lab.pk}/bookings", _body(world, start, end), lang="ru"
    )

    body = assert_problem(response, 409)
    assert body["detail"] == "Это время уже занято."
    assert body["conflict"]["id"] == holder.pk
    assert body["conflict"]["institution"] == {
        "id": world.school.pk,
        "name": world.school.short_name,
    }
    assert body["conflict"]["purpose"] is None  # another institution's purpose is not shown
    assert Booking.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [({"ends_at": slot(0, 9)[0].isoformat()}, "ends_at"),
     ({"starts_at": slot(0, 6)[0].isoformat(), "ends_at": slot(0, 7)[0].isoformat()},
      "starts_at"),
     ({"starts_at": "2020-01-01T10:00:00+08:00", "ends_at": "2020-01-01T11:00:00+08:00"},
      "starts_at"),
     ({"purpose": ""}, "purpose"), ({"purpose": "x" * 301}, "purpose"),
     ({"party_size": 0}, "party_size"), ({"party_size": 17}, "party_size"),
     ({"starts_at": "завтра"}, "starts_at"), ({"institution_id": 0}, "institution_id"),
     ({"event_ref": "e" * 101}, "event_ref")],
)  # fmt: skip
def test_bad_bookings_are_a_422_on_their_field_and_nothing_is_stored(api, world, rw, change, field):
    response = api.as_("other_director").post(
        f"/resources/{rw.lab.pk}/bookings", {**_body(world), **change}
    )

    assert_problem(response, 422)
    assert field in error_fields(response)
    assert Booking.objects.count() == 0


def test_a_local_time_without_an_offset_is_the_municipalitys(api, world, rw):
    day = next_monday().isoformat()
    body = {**_body(world), "starts_at": f"{day}T10:00:00", "ends_at": f"{day}T11:00:00"}

    response = api.as_("other_director").post(f"/resources/{rw.lab.pk}/bookings", body)

    assert Booking.objects.get().starts_at == slot(0, 10)[0]
    assert response.status_code == 201


def test_decisions_in_the_wrong_state_are_409(api, world, rw):
    booking = rw.book(world.users["director"], institution=world.school)

    approve = api.as_("director").post(f"/bookings/{booking.pk}/approve")

    assert_problem(approve, 409)


def test_the_calendar_tells_each_what_they_may_see(api, world, rw):
    rw.book(world.users["other_director"], institution=world.other_school, purpose="Опыт")
    monday = next_monday()
    url = f"/resources/{rw.lab.pk}/calendar?first={monday}&last={monday + dt.timedelta(days=6)}"

    owner = api.as_("director").get(url).json()
    colleague = api.as_("teacher").get(url).json()
    anonymous = api.as_("anonymous").get(url).json()

    assert [(s["detail"], s["purpose"]) for s in owner] == [("full", "Опыт")]
    assert [(s["detail"], s["institution"]["id"]) for s in colleague] == [
        ("institution", world.other_school.pk)
    ]
    assert [(s["detail"], s["institution"]) for s in anonymous] == [("busy", None)]


@pytest.mark.parametrize(
    "query",
    ["first=2026-01-10&last=2026-01-01", "first=2026-01-01&last=2026-12-31",
     "first=0001-01-01&last=0001-01-02", "first=x&last=y", ""],
)  # fmt: skip
def test_a_bad_calendar_range_is_a_422(api, rw, query):
    assert_problem(api.as_("teacher").get(f"/resources/{rw.lab.pk}/calendar?{query}"), 422)


def test_my_bookings_by_side(api, world, rw):
    waiting = rw.book(world.users["other_director"], institution=world.other_school)
    ours = rw.book(world.users["director"], institution=world.school, offset=1)

    owner = api.as_("director").get("/bookings?side=owner&status=pending").json()["items"]
    booker = api.get("/bookings?side=booker&upcoming=true").json()["items"]
    other = api.as_("other_director").get("/bookings").json()["items"]

    assert [b["id"] for b in owner] == [waiting.pk]
    assert [b["id"] for b in booker] == [ours.pk]
    assert [(b["id"], b["status"]) for b in other] == [(waiting.pk, Status.PENDING)]
