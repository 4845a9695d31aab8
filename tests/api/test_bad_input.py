"""Garbage to every write endpoint: always a 4xx problem (422 for bad input), never a 500,
and nothing written."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from setka.network.models import Guardianship, Membership

from .conftest import PROBLEM, table_counts


def _ids(world) -> dict[str, int]:
    return {
        "school": world.school.pk,
        "ddt": world.ddt.pk,
        "teacher": world.people["teacher"].pk,
        "student": world.people["student"].pk,
        "director": world.people["director"].pk,
        "membership": Membership.objects.get(person=world.people["teacher"]).pk,
    }


def _endpoints(ids: dict[str, int]) -> dict[str, tuple[str, str, str, dict[str, Any]]]:
    """name → (actor, method, path, a valid body)."""
    person = {"surname": "Новикова", "given_name": "Ирина", "birth_date": "2010-01-01"}
    return {
        "token": ("anonymous", "POST", "/auth/token", {"username": "teacher", "password": "p"}),
        "institution_create": (
            "admin",
            "POST",
            "/institutions",
            {
                "kind": "school",
                "full_name": "Школа",
                "short_name": "Ш",
                "founded_on": "2000-01-01",
                "latitude": 52.1,
            },
        ),
        "institution_update": (
            "admin",
            "PATCH",
            f"/institutions/{ids['school']}",
            {"short_name": "Ш", "kind": "lyceum", "founded_on": "2000-01-01"},
        ),
        "member_create": (
            "director",
            "POST",
            f"/institutions/{ids['school']}/members",
            {"person": person, "role": "teacher", "position": "x", "starts_on": "2024-09-01"},
        ),
        "member_attach": (
            "director",
            "POST",
            f"/institutions/{ids['school']}/members",
            {"person_id": ids["student"], "role": "staff", "starts_on": "2024-09-01"},
        ),
        "person_update": (
            "director",
            "PATCH",
            f"/people/{ids['teacher']}",
            {"surname": "Петрова", "birth_date": "1990-01-01"},
        ),
        "membership_create": (
            "admin",
            "POST",
            f"/people/{ids['teacher']}/memberships",
            {"institution_id": ids["ddt"], "role": "teacher", "starts_on": "2024-09-01"},
        ),
        "membership_update": (
            "director",
            "PATCH",
            f"/memberships/{ids['membership']}",
            {"position": "завуч", "ends_on": "2030-01-01"},
        ),
        "guardian_create": (
            "director",
            "POST",
            f"/people/{ids['student']}/guardians",
            {"guardian": person, "kind": "father"},
        ),
        "guardian_attach": (
            "director",
            "POST",
            f"/people/{ids['student']}/guardians",
            {"guardian_id": ids["director"], "kind": "other"},
        ),
        "account_create": (
            "director",
            "POST",
            f"/people/{ids['teacher']}/account",
            {"send_invitation": False},
        ),
    }


ENDPOINTS = [
    "token",
    "institution_create",
    "institution_update",
    "member_create",
    "member_attach",
    "person_update",
    "membership_create",
    "membership_update",
    "guardian_create",
    "guardian_attach",
    "account_create",
]


def _map(body: Any, fn) -> Any:
    """Apply ``fn(key, value)`` to every leaf of a body."""
    if isinstance(body, dict):
        return {k: (_map(v, fn) if isinstance(v, dict) else fn(k, v)) for k, v in body.items()}
    return body


def _is_date(key: str) -> bool:
    return key in {"founded_on", "birth_date", "starts_on", "ends_on"}


GARBAGE = {
    "not_json": lambda body: "{'surname': 'x'",
    "json_list": lambda body: [body],
    "json_string": lambda body: "hello",
    "json_number": lambda body: 42,
    "json_null": lambda body: None,
    "nested_objects": lambda body: _map(body, lambda k, v: {"$gt": ""}),
    "lists": lambda body: _map(body, lambda k, v: [v, v]),
    "too_long": lambda body: _map(body, lambda k, v: "я" * 6000 if isinstance(v, str) else v),
    "nul_bytes": lambda body: _map(body, lambda k, v: "a\x00b" if isinstance(v, str) else v),
    "huge_numbers": lambda body: _map(
        body, lambda k, v: 10**40 if isinstance(v, int | float) or _is_date(k) else v
    ),
    "bad_dates": lambda body: _map(body, lambda k, v: "2023-02-30" if _is_date(k) else v),
    "bad_enums": lambda body: _map(body, lambda k, v: "nonsense" if k in {"role", "kind"} else v),
    "unknown_field": lambda body: {**body, "is_superuser": True},
}


def _applicable() -> list[tuple[str, str]]:
    """(endpoint, garbage) pairs where the garbage really spoils the valid body."""
    bodies = {name: spec[3] for name, spec in _endpoints(dict.fromkeys(_IDS, 1)).items()}
    return [
        (endpoint, garbage)
        for endpoint in ENDPOINTS
        for garbage, spoil in GARBAGE.items()
        if spoil(copy.deepcopy(bodies[endpoint])) != bodies[endpoint]
    ]


_IDS = ["school", "ddt", "teacher", "student", "director", "membership"]


@pytest.mark.parametrize(("endpoint", "garbage"), _applicable())
def test_write_garbage_is_422_and_writes_nothing(api, world, endpoint, garbage):
    actor, method, path, valid = _endpoints(_ids(world))[endpoint]
    body = GARBAGE[garbage](copy.deepcopy(valid))
    raw = body if isinstance(body, str) and garbage == "not_json" else json.dumps(body)
    before = table_counts()

    response = api.as_(actor).call(method, path, raw=raw)

    assert response.status_code == 422, response.content
    assert response["Content-Type"] == PROBLEM
    assert response.json()["errors"]
    assert table_counts() == before


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_write_valid_body_of_the_garbage_test_works(api, world, endpoint):
    """The valid bodies above really are valid, so the garbage test spoils working requests."""
    actor, method, path, valid = _endpoints(_ids(world))[endpoint]
    if endpoint == "token":
        valid = {**valid, "password": "setka-test-pass"}
    if endpoint == "account_create":
        world.people["teacher"].user = None
        world.people["teacher"].save()

    response = api.as_(actor).call(method, path, valid)

    assert response.status_code in (200, 201), response.content


@pytest.mark.parametrize(
    "path",
    [
        "/institutions/abc",
        "/institutions/0",
        "/institutions/-5",
        f"/institutions/{10**40}",
        "/people/1.5",
        "/memberships/%00",
        "/guardianships/abc/end",
        f"/guardianships/{10**40}/end",
        "/people/abc/account",
    ],
)
def test_write_bad_ids_are_4xx(api, world, path):
    method = "PATCH" if path.count("/") == 2 else "POST"

    response = api.as_("admin").call(method, path, {})

    assert response.status_code in (404, 422)
    assert response["Content-Type"] == PROBLEM


def test_guardianship_end_ignores_body_but_not_bad_id(api, world):
    guardianship = Guardianship.objects.get(student=world.people["student"])

    response = api.as_("director").call(
        "POST", f"/guardianships/{guardianship.pk}/end", raw="{garbage"
    )

    assert response.status_code == 200


@pytest.mark.parametrize(
    "raw",
    [
        '{"kind": "school", "full_name": "A", "short_name": "B", "latitude": NaN}',
        '{"kind": "school", "full_name": "A", "short_name": "B", "latitude": Infinity}',
        '{"kind": "school", "full_name": "A", "short_name": "B", "latitude": 1e999999}',
        '{"kind": "school", "full_name": "A", "short_name": "B", "latitude": "1e-999999"}',
        '{"kind": "school", "full_name": "A", "short_name": "B", "founded_on": -99999999999999}',
        '{"kind": "school", "full_name": "A", "short_name": "B", "website": "javascript:x()"}',
        '{"kind": "school", "full_name": "A", "short_name": "B", "slug": "Юникод"}',
        "[" * 100_000 + "]" * 100_000,
        "\xff\xfe garbage",
    ],
)
def test_write_odd_json_is_422(api, world, raw):
    before = table_counts()

    response = api.as_("admin").call("POST", "/institutions", raw=raw)

    assert response.status_code == 422, response.content
    assert table_counts() == before
