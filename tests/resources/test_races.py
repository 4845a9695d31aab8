"""Bookings never overlap, also in parallel: the exclusion constraint of PostgreSQL (tested
there, with real parallel clients against ``live_server``; skipped, visibly, on SQLite,
whose IMMEDIATE transactions serialise the writers), and its IntegrityError answered like
the service's own check."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import IntegrityError, connection, transaction

from setka.accounts.services import token_create
from setka.resources import services
from setka.resources.models import Booking, Status
from setka.resources.services import bookings as booking_services

from .conftest import make_resources, slot

PARALLEL = 20


def postgres(test):
    for mark in (
        pytest.mark.postgres_only,
        pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
    ):
        test = mark(test)
    return test


def _post(base: str, token: str, path: str, body: dict) -> tuple[int, dict]:
    request = urllib.request.Request(  # noqa: S310 - the test's own live server
        f"{base}/api/v1{path}",
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


@postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_bookings_of_one_slot_make_exactly_one(live_server, world):
    rw = make_resources(world)
    bookers = [world.users["other_director"], world.users["director"], world.users["admin"]]
    tokens = [token_create(actor=u, name="race")[1] for u in bookers]
    institutions = [world.other_school.pk, world.school.pk, world.imc.pk]
    start, end = slot(1, 12)
    barrier = threading.Barrier(PARALLEL)

    def book(i: int) -> tuple[int, dict]:
        body = {"institution_id": institutions[i % 3], "starts_at": start.isoformat(),
                "ends_at": end.isoformat(), "purpose": f"Заявка {i}"}  # fmt: skip
        barrier.wait()
        return _post(live_server.url, tokens[i % 3], f"/resources/{rw.lab.pk}/bookings", body)

    with ThreadPoolExecutor(PARALLEL) as pool:
        answers = list(pool.map(book, range(PARALLEL)))

    codes = sorted(code for code, _ in answers)
    assert codes == [201] + [409] * (PARALLEL - 1)
    winner = Booking.objects.get()
    assert {body["conflict"]["id"] for code, body in answers if code == 409} == {winner.pk}


@postgres
@pytest.mark.django_db
def test_the_database_refuses_an_overlap_the_service_did_not_see(world):
    rw = make_resources(world)
    first = rw.book(world.users["director"], institution=world.school, hour=10)
    overlap = Booking(resource=rw.lab, owner=world.school, institution=world.other_school,
                      starts_at=first.starts_at, ends_at=first.ends_at, purpose="в обход",
                      status=Status.CONFIRMED)  # fmt: skip

    with pytest.raises(IntegrityError, match="resources_booking_no_overlap"), transaction.atomic():
        overlap.save()


@postgres
@pytest.mark.django_db
def test_the_constraints_error_is_the_same_clash(world, monkeypatch):
    """A parallel writer committed between the check and the insert: the insert fails on
    the constraint and the answer is the clash with that writer's booking."""
    rw = make_resources(world)
    holder = rw.book(world.users["director"], institution=world.school, hour=10)
    real = booking_services._clash
    calls = []

    def blind_first(*args):
        calls.append(args)
        return None if len(calls) == 1 else real(*args)

    monkeypatch.setattr(booking_services, "_clash", blind_first)

    with pytest.raises(services.BookingClash) as clash:
        rw.book(world.users["other_director"], institution=world.other_school, hour=11)

    assert clash.value.conflict == holder
    assert len(calls) == 2
    assert Booking.objects.count() == 1


@pytest.mark.django_db
def test_the_constraint_ignores_cancelled_bookings(world):
    """Both databases: a cancelled booking's time is free (on PostgreSQL the constraint's
    condition; on SQLite the service's check)."""
    rw = make_resources(world)
    first = rw.book(world.users["director"], institution=world.school)
    services.booking_cancel(actor=world.users["director"], booking=first)

    again = rw.book(world.users["director"], institution=world.school)

    assert again.status == Status.CONFIRMED
