"""Capacity is never exceeded, also under concurrent requests: 50 students apply at once to a
first-come-first-served offer of 10 places (exactly 10 accepted, 40 on the waiting list), and
an administrator's 30 concurrent "accept" decisions on an offer of 10 places (10 accepted, 20
waiting). Real parallel clients against ``live_server`` on PostgreSQL, where the offer's row
lock is what keeps the count (skipped, visibly, on SQLite, whose IMMEDIATE transactions
serialise the writers anyway); the same decisions one by one run on both databases in
``test_applications.py``."""

from __future__ import annotations

import datetime as dt
import json
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from setka.accounts.services import token_create
from setka.network.models import Membership
from setka.programs.models import Admission, Application, Offer
from setka.programs.services import offers
from setka.programs.services.offers import Slot

from .. import factories as f
from .conftest import add_admin, offer_data


def parallel(test):
    for mark in (
        pytest.mark.postgres_only,
        pytest.mark.skipif(
            connection.vendor != "postgresql", reason="parallel writers need PostgreSQL"
        ),
        pytest.mark.django_db(transaction=True),
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
        return exc.code, json.loads(exc.read() or b"{}")


def _students(world, n: int) -> list[tuple[object, str]]:
    """n seventh-graders of school №3, each signed in with a token of their own."""
    out = []
    for i in range(n):
        person = f.PersonFactory(
            municipality=world.municipality,
            surname=f"Параллельный{i:02}",
            user=f.UserFactory(username=f"par{i:02}"),
        )
        f.MembershipFactory(
            person=person, institution=world.school, role=Membership.Role.STUDENT, position="7А"
        )
        out.append((person, token_create(actor=person.user, name="t")[1]))
    return out


def _offer(world, actor, institution, **extra) -> Offer:
    offer = offers.offer_create(
        actor=actor,
        institution=institution,
        data=offer_data(title="Олимпиадная математика", capacity=10, **extra),
        slots=[Slot(4, None, dt.time(15, 0), dt.time(16, 30))],
    )
    return offers.offer_set_status(actor=actor, offer=offer, status=Offer.Status.PUBLISHED)


@parallel
def test_fifty_concurrent_applications_for_ten_places(live_server, world):
    offer = _offer(world, world.users["director"], world.school, admission=Admission.FIRST_COME)
    students = _students(world, 50)

    with ThreadPoolExecutor(max_workers=16) as pool:
        answers = list(
            pool.map(
                lambda s: _post(
                    live_server.url,
                    s[1],
                    "/programs/applications",
                    {"offer_id": offer.pk, "student_id": s[0].pk},
                ),
                students,
            )
        )

    assert sorted(code for code, _ in answers) == [201] * 50
    statuses = [body["status"] for _, body in answers]
    assert statuses.count("accepted") == 10
    assert statuses.count("waitlisted") == 40
    assert Application.objects.filter(offer=offer, status="accepted").count() == 10
    assert Offer.objects.get(pk=offer.pk).places_taken == 10


@parallel
def test_concurrent_accept_decisions_never_exceed_the_places(live_server, world):
    ddt_admin = add_admin(world, world.ddt, "ddt_admin")
    offer = _offer(world, ddt_admin, world.ddt, admission=Admission.DECISION)
    students = _students(world, 30)
    tokens = [token_create(actor=ddt_admin, name=f"d{i}")[1] for i in range(4)]
    applied = [
        _post(live_server.url, token, "/programs/applications",
              {"offer_id": offer.pk, "student_id": student.pk})[1]["id"]
        for student, token in students
    ]  # fmt: skip

    with ThreadPoolExecutor(max_workers=16) as pool:
        answers = list(
            pool.map(
                lambda n: _post(
                    live_server.url,
                    tokens[n % len(tokens)],
                    f"/programs/applications/{applied[n]}/decide",
                    {"decision": "accept"},
                ),
                range(len(applied)),
            )
        )

    assert [code for code, _ in answers] == [200] * 30
    statuses = [body["status"] for _, body in answers]
    assert (statuses.count("accepted"), statuses.count("waitlisted")) == (10, 20)
    assert Offer.objects.get(pk=offer.pk).places_taken == 10


@parallel
def test_concurrent_twin_applications_store_one(live_server, world):
    offer = _offer(world, world.users["director"], world.school, admission=Admission.DECISION)
    ((student, token),) = _students(world, 1)

    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = [
            code
            for code, _ in pool.map(
                lambda _n: _post(
                    live_server.url,
                    token,
                    "/programs/applications",
                    {"offer_id": offer.pk, "student_id": student.pk},
                ),
                range(8),
            )
        ]

    assert sorted(codes) == [201] + [409] * 7
    assert Application.objects.filter(offer=offer).count() == 1
