"""The events API: the calendar and one event, the organisers' writes, registration with a
409 for a second one, bad input as 422 problem documents naming the field, query budgets."""

from __future__ import annotations

import datetime as dt

import pytest

from setka.events import services
from setka.events.models import Event

from ..clock import TODAY, at
from .conftest import tomorrow

pytestmark = pytest.mark.django_db
A = "/api/v1"


def _post(client, url, data):
    return client.post(url, data, content_type="application/json")


def _new(world, **extra):
    day = TODAY + dt.timedelta(days=4)
    return {
        "institution_id": world.school.pk, "kind": "seminar", "title": "Семинар по ФГ",
        "starts_at": at(day, 15).isoformat(), "ends_at": at(day, 16).isoformat(),
        "venue_id": world.school.pk, "capacity_in_person": 10, "capacity_remote": 0, **extra,
    }  # fmt: skip


def test_create_an_event_answers_its_detail(client, world):
    client.force_login(world.users["teacher"])

    response = _post(client, f"{A}/events", _new(world, host_ids=[world.people["teacher"].pk]))

    body = response.json()
    assert response.status_code == 201
    assert (body["status"], body["free_in_person"], body["hosts"][0]["id"]) == (
        "draft", 10, world.people["teacher"].pk,
    )  # fmt: skip


def test_event_ending_before_it_starts_is_a_422_on_ends_at(client, world):
    client.force_login(world.users["teacher"])
    day = TODAY + dt.timedelta(days=4)

    response = _post(client, f"{A}/events", _new(world, ends_at=at(day, 14).isoformat()))

    assert response.status_code == 422
    assert response.json()["errors"] == [{
        "field": "ends_at", "message": "Мероприятие должно заканчиваться позже, чем начинается.",
        "code": "invalid",
    }]  # fmt: skip
    assert Event.objects.count() == 0


def test_unknown_subject_is_a_422(client, world):
    client.force_login(world.users["teacher"])

    response = _post(client, f"{A}/events", _new(world, subject_id=999999))

    assert (response.status_code, response.json()["errors"][0]["field"]) == (422, "subject_id")


def test_second_registration_is_a_409_with_the_first(client, world, make_event):
    event = make_event()
    client.force_login(world.users["partner"])
    first = _post(client, f"{A}/events/{event.pk}/registrations", {"mode": "remote"}).json()

    response = _post(client, f"{A}/events/{event.pk}/registrations", {"mode": "in_person"})

    assert response.status_code == 409
    assert response.json()["conflict"]["id"] == first["id"]


def test_full_mode_puts_on_the_waiting_list(client, world, make_event):
    event = make_event(capacity_remote=1)
    services.registration_create(actor=world.users["director"], event=event, mode="remote")
    client.force_login(world.users["partner"])

    response = _post(client, f"{A}/events/{event.pk}/registrations", {"mode": "remote"})

    assert response.json()["status"] == "waiting"


def test_registration_outside_the_window_is_a_422(client, world, make_event):
    event = make_event(registration_closes_at=at(TODAY, 10))
    client.force_login(world.users["partner"])

    response = _post(client, f"{A}/events/{event.pk}/registrations", {"mode": "remote"})

    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == "Регистрация закрыта."


def test_join_url_too_early_is_a_403_saying_why(client, world, make_event):
    event = make_event()
    services.registration_create(actor=world.users["partner"], event=event, mode="remote")
    client.force_login(world.users["partner"])

    response = client.get(f"{A}/events/{event.pk}/join-url")

    assert response.status_code == 403
    assert response.json()["detail"] == "Комната откроется за 15 минут до начала."


def test_bad_mode_is_a_422(client, world, make_event):
    event = make_event()
    client.force_login(world.users["partner"])

    response = _post(client, f"{A}/events/{event.pk}/registrations", {"mode": "telepathy"})

    assert (response.status_code, response.json()["errors"][0]["field"]) == (422, "mode")


def test_patch_tells_registered_people_of_a_new_time(client, world, make_event):
    event = make_event()
    services.registration_create(actor=world.users["partner"], event=event, mode="remote")
    client.force_login(world.users["director"])

    response = client.patch(
        f"{A}/events/{event.pk}",
        {"starts_at": tomorrow(16).isoformat(), "ends_at": tomorrow(17).isoformat()},
        content_type="application/json",
    )

    assert response.status_code == 200
    assert world.people["partner"].notifications.filter(kind="events.changed").count() == 1


@pytest.mark.parametrize("size", [1, 15])
def test_event_list_query_budget(client, world, make_event, size, django_assert_num_queries):
    for i in range(size):
        make_event(title=f"Семинар {i}")

    with django_assert_num_queries(2):  # count, page
        response = client.get(f"{A}/events", {"kind": "seminar"})

    assert response.json()["count"] == size


@pytest.mark.parametrize("size", [1, 4])
def test_registration_list_query_budget(client, world, make_event, size, django_assert_num_queries):
    event = make_event(capacity_in_person=10)
    for role in ["director", "partner", "other_teacher", "admin"][:size]:
        services.registration_create(actor=world.users[role], event=event, mode="in_person")
    client.force_login(world.users["metodist"])
    client.get(f"{A}/events/{event.pk}/registrations")

    # session, user, roles, event, host ids, count, page
    with django_assert_num_queries(7):
        client.get(f"{A}/events/{event.pk}/registrations")
