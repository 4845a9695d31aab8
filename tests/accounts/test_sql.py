"""The accounts' hand-written SQL (``accounts.sql``) against ORM references, on SQLite and
PostgreSQL alike: the token of an API call (``sql.TOKEN``) is the token
``ApiToken.objects.active()`` finds by its hash, with its user — open, expiring later,
expiring this very moment, expired, revoked, of an inactive user, unknown."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from setka.accounts import sql
from setka.accounts.models import ApiToken, User, token_hash
from setka.accounts.services import token_create
from setka.core import sqlrows

from ..clock import NOW

pytestmark = pytest.mark.django_db

STATES = [
    "open",
    "expires later",
    "expires now",
    "expired",
    "revoked",
    "of an inactive user",
    "unknown",
]


def _values(obj) -> list:
    return [getattr(obj, field.attname) for field in type(obj)._meta.concrete_fields]


def _token(world, state: str) -> str:
    """The raw text of a token in ``state``."""
    user = world.users["teacher"]
    if state == "of an inactive user":
        user = world.users["parent"]
        User.objects.filter(pk=user.pk).update(is_active=False)
    token, raw = token_create(actor=user, name=state)
    changes = {
        "expires later": {"expires_at": NOW + dt.timedelta(seconds=1)},
        "expires now": {"expires_at": NOW},
        "expired": {"expires_at": NOW - dt.timedelta(seconds=1)},
        "revoked": {"revoked_at": NOW - dt.timedelta(days=1)},
    }.get(state, {})
    ApiToken.objects.filter(pk=token.pk).update(**changes)
    return raw + "x" if state == "unknown" else raw


@pytest.mark.parametrize("state", STATES)
def test_token_is_the_orm_active_token_of_the_hash_with_its_user(world, state):
    _token(world, "open")  # another token in force: never the one found
    raw = _token(world, state)

    with time_machine.travel(NOW, tick=False):
        found = sqlrows.rows(sql.TOKEN, {"hash": token_hash(raw), "now": NOW})
        token = ApiToken.objects.active().filter(key_hash=token_hash(raw)).first()

    assert [
        [
            _values(sqlrows.instance(ApiToken, row[: sql.TOKEN_SIZE])),
            _values(sqlrows.instance(User, row[sql.TOKEN_SIZE :])),
        ]
        for row in found
    ] == ([[_values(token), _values(token.user)]] if token else [])
    assert bool(found) == (state in {"open", "expires later", "of an inactive user"})


@pytest.mark.parametrize("active", [True, False])
def test_user_is_the_orm_user_of_the_id(world, active):
    user = world.users["teacher"]
    User.objects.filter(pk=user.pk).update(is_active=active)
    reference = User.objects.get(pk=user.pk)

    found = sqlrows.rows(sql.USER, {"id": user.pk})

    assert len(found) == 1
    assert _values(sqlrows.instance(User, found[0])) == _values(reference)
    assert sqlrows.rows(sql.USER, {"id": user.pk + 10_000}) == []


def test_session_user_comes_from_the_sql_with_the_backends_rule(world):
    from setka.accounts.backends import UsernameOrEmailBackend

    backend = UsernameOrEmailBackend()
    user = world.users["teacher"]
    loaded = backend.get_user(user.pk)
    assert loaded == user
    assert not loaded._state.adding  # saving it updates the row
    assert backend.get_user("not a number") is None
    assert backend.get_user(user.pk + 10_000) is None
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert backend.get_user(user.pk) is None  # an inactive user is signed out
