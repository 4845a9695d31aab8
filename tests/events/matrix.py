"""The events module in the permission matrix. A seminar of school №3 (created by the
methodologist, hosted by the teacher) starting in ten minutes, and an open lesson of 7Б that
began ten minutes ago."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from setka.core.clock import now
from setka.events import services
from setka.events.models import Kind, Provider

from ..matrix import Row

A = "/api/v1"
ALL_200 = "200 200 200 200 200 200 200 200 200 200"
ALL_404 = "404 404 404 404 404 404 404 404 404 404"
SIGNED_IN = "L 200 200 200 200 200 200 200 200 200"
API_SIGNED_IN = "401 200 200 200 200 200 200 200 200 200"
RUNNERS = "L 200 200 200 200 404 404 404 404 404"  # organisers and the host
MANAGERS = "L 200 200 200 404 404 404 404 404 404"
API_RUNNERS = "401 200 200 200 200 404 404 404 404 404"
ALL_R = "L R R R R R R R R R"


def _seminar(w, j=None):
    starts = now() + dt.timedelta(minutes=10)
    return services.event_create(
        actor=w.users["metodist"], institution=w.school, kind=Kind.SEMINAR, title="Семинар",
        starts_at=starts, ends_at=starts + dt.timedelta(hours=1), venue=w.school, room="12",
        capacity_in_person=5, capacity_remote=5, provider=Provider.JITSI, status="published",
        hosts=[w.people["teacher"]],
    )  # fmt: skip


def _open_lesson(w, j):
    starts = now() - dt.timedelta(minutes=10)
    return services.event_create(
        actor=w.users["metodist"], institution=w.school, kind=Kind.OPEN_LESSON,
        title="Открытый урок", starts_at=starts, ends_at=starts + dt.timedelta(minutes=40),
        venue=w.school, capacity_in_person=5, status="published", hosts=[w.people["teacher"]],
        group=j.klass, subject=j.maths,
    )  # fmt: skip


def _partners_registration(w, j=None) -> int:
    event = _seminar(w)
    return services.registration_create(actor=w.users["partner"], event=event, mode="remote").pk


def _feed_token(w, j=None) -> str:
    return services.feed_token_of(w.people["teacher"].pk).token


def _e(name, make=_seminar):
    return lambda w, j: reverse(f"events:{name}", args=[make(w, j).pk])


PAGES = [
    Row("events:list", lambda w, j: reverse("events:list"), ALL_200),
    Row("events:month", lambda w, j: reverse("events:month"), ALL_200),
    Row("events:week", lambda w, j: reverse("events:week"), ALL_200),
    Row("events:feed", lambda w, j: reverse("events:feed"), ALL_200),
    Row("events:institution_feed",
        lambda w, j: reverse("events:institution_feed", args=["school-3"]), ALL_200),
    Row("events:personal_feed", lambda w, j: reverse("events:personal_feed", args=[_feed_token(w)]),
        ALL_200),
    Row("events:my", lambda w, j: reverse("events:my"), SIGNED_IN),
    Row("events:feed_reset", lambda w, j: reverse("events:feed_reset"), ALL_R, method="post"),
    Row("events:check", lambda w, j: reverse("events:check"), ALL_200),
    Row("events:check_code", lambda w, j: reverse("events:check_code", args=["NOSUCHCODE"]),
        ALL_404),
    Row("events:criteria", lambda w, j: reverse("events:criteria"),
        "L 200 200 403 403 403 403 403 403 403"),
    Row("events:create", lambda w, j: reverse("events:create"),
        "L 200 200 200 200 403 403 200 200 403"),
    Row("events:detail", _e("detail"), ALL_200),
    Row("events:ics", _e("ics"), ALL_200),
    Row("events:register", _e("register"), ALL_R, method="post", data={"mode": "remote"}),
    Row("events:unregister", _e("unregister"), ALL_R, method="post"),
    Row("events:join", _e("join"), "L 200 200 200 200 403 403 403 403 403"),
    Row("events:certificate", _e("certificate"), ALL_R),
    Row("events:edit", _e("edit"), MANAGERS),
    Row("events:publish", _e("publish"), "L R R R 404 404 404 404 404 404", method="post"),
    Row("events:cancel", _e("cancel"), "L R R R 404 404 404 404 404 404", method="post"),
    Row("events:registrations", _e("registrations"), RUNNERS),
    Row("events:recording", _e("recording"), RUNNERS),
    Row("events:protocol", _e("protocol", _open_lesson), "L 403 200 403 403 403 403 403 403 403"),
    Row("events:protocols", _e("protocols", _open_lesson), RUNNERS),
]  # fmt: skip


def _api(path, make=_seminar):
    return lambda w, j: f"{A}/events/{make(w, j).pk}{path}"


API_ROWS = [
    Row("GET /events", lambda w, j: f"{A}/events", ALL_200),
    Row("GET /events/{event_id}", _api(""), ALL_200),
    Row("POST /events", lambda w, j: f"{A}/events", "401 422 422 422 422 422 422 422 422 422",
        method="post", data={}),
    Row("PATCH /events/{event_id}", _api(""), "401 200 200 200 403 403 403 403 403 403",
        method="patch", data={"title": "Новое название"}),
    Row("POST /events/{event_id}/publish", _api("/publish"),
        "401 422 422 422 403 403 403 403 403 403", method="post"),
    Row("POST /events/{event_id}/cancel", _api("/cancel"),
        "401 200 200 200 403 403 403 403 403 403", method="post", data={"reason": "Карантин"}),
    Row("POST /events/{event_id}/registrations", _api("/registrations"),
        "401 201 201 201 201 403 403 201 201 403", method="post", data={"mode": "remote"}),
    Row("GET /events/{event_id}/registrations", _api("/registrations"), API_RUNNERS),
    Row("GET /event-registrations", lambda w, j: f"{A}/event-registrations", API_SIGNED_IN),
    Row("DELETE /event-registrations/{registration_id}",
        lambda w, j: f"{A}/event-registrations/{_partners_registration(w)}",
        "401 200 200 200 200 404 404 200 404 404", method="delete"),
    Row("POST /event-registrations/{registration_id}/check-in",
        lambda w, j: f"{A}/event-registrations/{_partners_registration(w)}/check-in",
        "401 200 200 200 200 404 404 403 404 404", method="post", data={"present": True}),
    Row("GET /events/{event_id}/join-url", _api("/join-url"),
        "401 200 200 200 200 403 403 403 403 403"),
    Row("POST /events/{event_id}/recording", _api("/recording"),
        "401 422 422 422 422 404 404 404 404 404", method="post", data={"url": "https://v.example.org/1"}),
    Row("PUT /events/{event_id}/protocol", _api("/protocol", _open_lesson),
        "401 403 422 403 403 403 403 403 403 403", method="put", data={"scores": {}}),
    Row("GET /events/{event_id}/protocols", _api("/protocols", _open_lesson), API_RUNNERS),
    Row("GET /event-criteria", lambda w, j: f"{A}/event-criteria", API_SIGNED_IN),
    Row("POST /events/{event_id}/certificate", _api("/certificate"),
        "401 422 422 422 422 422 422 422 422 422", method="post"),
    Row("GET /certificates/{code}", lambda w, j: f"{A}/certificates/NOSUCHCODE", ALL_404),
    Row("GET /event-feed", lambda w, j: f"{A}/event-feed", API_SIGNED_IN),
    Row("POST /event-feed/reset", lambda w, j: f"{A}/event-feed/reset", API_SIGNED_IN,
        method="post"),
]  # fmt: skip
