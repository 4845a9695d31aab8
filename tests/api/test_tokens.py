"""POST /auth/token, GET /tokens, DELETE /tokens/{id}, and using a token."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.utils import timezone

from setka.accounts import services
from setka.accounts.models import ApiToken
from setka.core.models import AuditEntry
from tests.factories import PASSWORD

from .conftest import assert_problem, error_fields, table_counts


def _login(api, username: str, password: str = PASSWORD, **extra):
    return api.as_("anonymous").post(
        "/auth/token", {"username": username, "password": password, **extra}
    )


def test_token_create_with_username_gives_working_token(api, world):
    response = _login(api, "teacher", name="export script", expires_in_days=30)

    assert response.status_code == 201
    body = response.json()
    assert body["token"].startswith("stk_")
    assert body["name"] == "export script"
    token = ApiToken.objects.get(pk=body["token_id"])
    assert token.user == world.users["teacher"]
    assert token.key_hash != body["token"]  # only the hash is stored
    assert token.expires_at is not None
    assert dt.timedelta(days=29) < token.expires_at - timezone.now() <= dt.timedelta(days=30)
    assert AuditEntry.objects.filter(action="accounts.token.create", object_id=token.pk).exists()
    me = api.as_("anonymous").get("/me", HTTP_AUTHORIZATION=f"Bearer {body['token']}")
    assert me.status_code == 200
    assert me.json()["username"] == "teacher"


def test_token_create_with_email_and_defaults(api, world):
    response = _login(api, "TEACHER@example.org")

    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "API"
    assert body["expires_at"] is not None  # 90 days by default


def test_token_create_without_expiry_when_zero_days(api, world):
    response = _login(api, "teacher", expires_in_days=0)

    assert response.status_code == 201
    assert response.json()["expires_at"] is None


def test_token_create_wrong_password_is_401_and_writes_nothing(api, world):
    before = table_counts()

    response = _login(api, "teacher", "wrong-password")

    body = assert_problem(response, 401)
    assert body["title"] == "Wrong login or password"
    assert table_counts() == before


def test_token_create_unknown_user_is_401(api, world):
    assert_problem(_login(api, "nobody"), 401)


def test_token_create_inactive_user_is_401(api, world):
    world.users["teacher"].is_active = False
    world.users["teacher"].save()

    assert_problem(_login(api, "teacher"), 401)


def test_token_create_locks_after_five_failures(api, world):
    statuses = [_login(api, "teacher", "wrong").status_code for _ in range(5)]

    locked = _login(api, "teacher")  # even the right password is refused now

    assert statuses == [401, 401, 401, 401, 429]
    body = assert_problem(locked, 429)
    assert body["title"] == "Too many failed sign-ins"
    assert int(locked["Retry-After"]) > 0
    assert AccessAttempt.objects.filter(username="teacher").exists()
    assert not ApiToken.objects.filter(user=world.users["teacher"]).exists()


def test_token_create_lock_is_per_login(api, world):
    for _ in range(5):
        _login(api, "teacher", "wrong")

    response = _login(api, "director")

    assert response.status_code == 201


def test_token_create_success_resets_failures(api, world):
    for _ in range(4):
        _login(api, "teacher", "wrong")

    assert _login(api, "teacher").status_code == 201
    assert _login(api, "teacher", "wrong").status_code == 401


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"username": "teacher"},
        {"username": "", "password": PASSWORD},
        {"username": "teacher", "password": PASSWORD, "expires_in_days": -1},
        {"username": "teacher", "password": PASSWORD, "expires_in_days": 10**30},
        {"username": "teacher", "password": PASSWORD, "name": "x" * 101},
        {"username": "teacher", "password": PASSWORD, "name": "   "},
        {"username": "teacher", "password": PASSWORD, "name": "a\x00b"},
        {"username": "teacher", "password": PASSWORD, "admin": True},
        {"username": ["teacher"], "password": {"a": 1}},
    ],
)
def test_token_create_bad_input_is_422(api, world, body):
    before = table_counts()

    response = api.as_("anonymous").post("/auth/token", body)

    assert_problem(response, 422)
    assert table_counts() == before


def test_token_use_expired_is_401(api, world):
    token, raw = services.token_create(actor=world.users["teacher"], name="old", expires_in_days=1)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))

    response = api.as_("anonymous").get("/me", HTTP_AUTHORIZATION=f"Bearer {raw}")

    assert_problem(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_token_use_revoked_is_401(api, world):
    token, raw = services.token_create(actor=world.users["teacher"], name="x")
    services.token_revoke(actor=world.users["teacher"], token=token)

    assert_problem(api.as_("anonymous").get("/me", HTTP_AUTHORIZATION=f"Bearer {raw}"), 401)


@pytest.mark.parametrize("header", ["Bearer stk_nonsense", "Bearer ", "Basic dGVhY2hlcg==", "x"])
def test_token_use_garbage_is_401(api, world, header):
    assert_problem(api.as_("anonymous").get("/me", HTTP_AUTHORIZATION=header), 401)


def test_token_use_wrong_token_on_public_endpoint_is_401(api, world):
    response = api.as_("anonymous").get("/institutions", HTTP_AUTHORIZATION="Bearer stk_wrong")

    assert_problem(response, 401)


def test_token_use_marks_last_used(api, world):
    token, raw = services.token_create(actor=world.users["teacher"], name="x")

    api.as_("anonymous").get("/me", HTTP_AUTHORIZATION=f"Bearer {raw}")

    token.refresh_from_db()
    assert token.last_used_at is not None


def test_token_write_needs_no_csrf(api, world):
    _token, raw = services.token_create(actor=world.users["admin"], name="x")

    response = api.as_("anonymous").patch(
        f"/institutions/{world.school.pk}",
        {"phones": "+7 000"},
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )

    assert response.status_code == 200
    assert response.json()["phones"] == "+7 000"


def test_token_list_shows_only_own_tokens(api, world):
    mine, _ = services.token_create(actor=world.users["teacher"], name="mine")
    services.token_create(actor=world.users["director"], name="theirs")

    response = api.as_("teacher").get("/tokens")

    assert response.status_code == 200
    assert [t["id"] for t in response.json()] == [mine.pk]
    assert response.json()[0]["is_active"] is True
    assert "key_hash" not in response.json()[0]


def test_token_list_anonymous_is_401(api, world):
    assert_problem(api.as_("anonymous").get("/tokens"), 401)


def test_token_delete_revokes_own_token(api, world):
    token, raw = services.token_create(actor=world.users["teacher"], name="x")

    response = api.as_("teacher").delete(f"/tokens/{token.pk}")

    assert response.status_code == 204
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEntry.objects.filter(action="accounts.token.revoke", object_id=token.pk).exists()
    assert_problem(api.as_("anonymous").get("/me", HTTP_AUTHORIZATION=f"Bearer {raw}"), 401)


def test_token_delete_by_token_itself(api, world):
    token, raw = services.token_create(actor=world.users["teacher"], name="x")

    response = api.as_("anonymous").delete(
        f"/tokens/{token.pk}", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )

    assert response.status_code == 204


def test_token_delete_someone_elses_is_404(api, world):
    token, _ = services.token_create(actor=world.users["director"], name="x")

    response = api.as_("teacher").delete(f"/tokens/{token.pk}")

    assert_problem(response, 404)
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.parametrize("token_id", ["0", "abc", str(10**30), "-1"])
def test_token_delete_bad_id_is_4xx(api, world, token_id):
    response = api.as_("teacher").delete(f"/tokens/{token_id}")

    assert response.status_code in (404, 422)
    assert response["Content-Type"] == "application/problem+json"
    schema = api.get("/openapi.json").json()
    documented = schema["paths"]["/api/v1/tokens/{token_id}"]["delete"]["responses"]
    assert str(response.status_code) in documented


def test_token_delete_missing_is_404(api, world):
    assert_problem(api.as_("teacher").delete("/tokens/999999"), 404)


def test_token_create_errors_name_the_fields(api, world):
    response = api.as_("anonymous").post("/auth/token", {"username": "teacher"})

    assert error_fields(response) == {"password"}
    assert response.json()["errors"][0]["code"] == "missing"
    assert response.json()["errors"][0]["message"] == "This field is required."
