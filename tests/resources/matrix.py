"""The resource centres in the permission matrix. School №3 is made a resource centre with a
laboratory and a videoconference kit (``conftest.make_resources``); the booking is the kit's,
asked by ``other_teacher`` for school №5 and waiting for the approval of school №3's
``director``."""

from __future__ import annotations

from django.urls import reverse

from ..matrix import Row
from .conftest import make_resources, slot

A = "/api/v1"
ALL = "200 200 200 200 200 200 200 200 200 200"
SIGNED_IN = "L 200 200 200 200 200 200 200 200 200"
_START, _END = slot(3, 14)
BOOKING_BODY = {"starts_at": _START.isoformat(), "ends_at": _END.isoformat(), "purpose": "Вебинар"}


def _lab(w) -> int:
    return make_resources(w).lab.pk


def _kit(w) -> int:
    return make_resources(w).kit.pk


def _booking(w) -> int:
    rw = make_resources(w)
    return rw.book(w.users["other_teacher"], rw.kit, institution=w.other_school).pk


def _centre(w, name: str) -> str:
    make_resources(w)
    return reverse(name, args=["school-3"])


def _week(w) -> str:
    return f"?first={_START.date()}&last={_END.date()}"


# anon admin metodist director teacher student parent partner other_teacher other_parent
PAGES = [
    Row("resources:catalogue", lambda w, j: reverse("resources:catalogue"), ALL),
    Row("resources:resource", lambda w, j: reverse("resources:resource", args=[_lab(w)]), ALL),
    Row("resources:month", lambda w, j: reverse("resources:month", args=[_lab(w)]), ALL),
    Row("resources:feed", lambda w, j: reverse("resources:feed", args=[_lab(w)]), ALL),
    Row("resources:book", lambda w, j: reverse("resources:book", args=[_kit(w)]),
        "L 200 200 200 200 403 403 200 200 403"),
    Row("resources:edit", lambda w, j: reverse("resources:edit", args=[_lab(w)]),
        "L 403 403 200 403 403 403 403 403 403"),
    Row("resources:bookings", lambda w, j: reverse("resources:bookings"), SIGNED_IN),
    Row("resources:booking", lambda w, j: reverse("resources:booking", args=[_booking(w)]),
        "L 200 200 200 404 404 404 404 200 404"),
    Row("resources:approve", lambda w, j: reverse("resources:approve", args=[_booking(w)]),
        "L 403 403 R 404 404 404 404 403 404", method="post"),
    Row("resources:refuse", lambda w, j: reverse("resources:refuse", args=[_booking(w)]),
        "L 403 403 R 404 404 404 404 403 404", method="post"),
    Row("resources:cancel", lambda w, j: reverse("resources:cancel", args=[_booking(w)]),
        "L 403 403 R 404 404 404 404 R 404", method="post"),
    Row("resources:centre", lambda w, j: _centre(w, "resources:centre"),
        "L 404 404 200 404 404 404 404 404 404"),
    Row("resources:create", lambda w, j: _centre(w, "resources:create"),
        "L 404 404 200 404 404 404 404 404 404"),
]  # fmt: skip

API_ROWS = [
    Row("GET /resources", lambda w, j: (make_resources(w), f"{A}/resources")[1], ALL),
    Row("POST /resources", lambda w, j: (make_resources(w), f"{A}/resources")[1],
        "401 403 403 201 403 403 403 403 403 403", method="post",
        data={"kind": "room", "name": "Зал"}),
    Row("GET /resources/{resource_id}", lambda w, j: f"{A}/resources/{_lab(w)}", ALL),
    Row("PATCH /resources/{resource_id}", lambda w, j: f"{A}/resources/{_lab(w)}",
        "401 403 403 200 403 403 403 403 403 403", method="patch", data={"capacity": 12}),
    Row("GET /resources/{resource_id}/calendar",
        lambda w, j: f"{A}/resources/{_lab(w)}/calendar{_week(w)}", ALL),
    # the municipality's officials may book for any institution: they must say which (422)
    Row("POST /resources/{resource_id}/bookings", lambda w, j: f"{A}/resources/{_kit(w)}/bookings",
        "401 422 422 201 201 403 403 201 201 403", method="post", data=BOOKING_BODY),
    Row("GET /bookings", lambda w, j: f"{A}/bookings", "401 200 200 200 200 200 200 200 200 200"),
    Row("GET /bookings/{booking_id}", lambda w, j: f"{A}/bookings/{_booking(w)}",
        "401 200 200 200 404 404 404 404 200 404"),
    Row("POST /bookings/{booking_id}/approve", lambda w, j: f"{A}/bookings/{_booking(w)}/approve",
        "401 403 403 200 404 404 404 404 403 404", method="post"),
    Row("POST /bookings/{booking_id}/refuse", lambda w, j: f"{A}/bookings/{_booking(w)}/refuse",
        "401 403 403 200 404 404 404 404 403 404", method="post", data={"reason": "Ремонт"}),
    Row("POST /bookings/{booking_id}/cancel", lambda w, j: f"{A}/bookings/{_booking(w)}/cancel",
        "401 403 403 200 404 404 404 404 200 404", method="post", data={}),
]  # fmt: skip
