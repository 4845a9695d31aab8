"""Every error is an RFC 7807 problem document; session writes need CSRF."""

from __future__ import annotations

import pytest
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client

from .conftest import assert_problem


def test_problem_401_shape(api, world):
    response = api.as_("anonymous").get("/me")

    body = assert_problem(response, 401)
    assert body == {
        "type": "about:blank",
        "title": "Authentication required",
        "status": 401,
        "detail": "Sign in, or pass a valid API token: Authorization: Bearer stk_…",
        "instance": "/api/v1/me",
    }
    assert response["WWW-Authenticate"] == 'Bearer realm="setka"'


def test_problem_anonymous_write_is_401_not_csrf_403(api, world):
    assert_problem(api.as_("anonymous").post("/institutions", {"kind": "school"}), 401)


def test_problem_422_lists_fields(api, world):
    response = api.as_("admin").post("/institutions", {"kind": "castle", "short_name": ""})

    body = assert_problem(response, 422)
    assert body["detail"] == "Some fields are invalid."
    by_field = {e["field"]: e for e in body["errors"]}
    assert set(by_field) == {"kind", "short_name", "full_name"}
    assert by_field["full_name"] == {
        "field": "full_name",
        "message": "This field is required.",
        "code": "missing",
    }
    assert by_field["short_name"]["message"] == "This field cannot be empty."
    assert by_field["kind"]["code"] == "enum"
    assert by_field["kind"]["message"].startswith("Choose one of: 'school', 'lyceum'")
    assert " or " not in by_field["kind"]["message"]


@pytest.mark.parametrize(
    ("value", "code", "message"),
    [
        ("x" * 101, "too_long", "Too long: at most 100 characters are allowed."),
        ("a\x00b", "null_character", "The text contains a forbidden null character."),
        (12, "string_type", "Enter text."),
    ],
)
def test_problem_422_text_messages(api, world, value, code, message):
    response = api.as_("director").patch(
        f"/people/{world.people['teacher'].pk}", {"surname": value}
    )

    assert response.json()["errors"] == [{"field": "surname", "message": message, "code": code}]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2023-02-30", "Enter a real date in the form YYYY-MM-DD."),
        ("30.01.2023", "Enter a real date in the form YYYY-MM-DD."),
        ("2023-01-30T10:00:00", "Enter a date without a time."),
    ],
)
def test_problem_422_date_messages(api, world, value, message):
    response = api.as_("director").patch(
        f"/people/{world.people['student'].pk}", {"birth_date": value}
    )

    assert response.json()["errors"][0]["message"] == message


def test_problem_422_bad_json(api, world):
    response = api.as_("admin").post("/institutions", raw="{not json")

    body = assert_problem(response, 422)
    assert body["errors"] == [
        {"field": None, "message": "The request body is not valid JSON.", "code": "json_invalid"}
    ]


def test_problem_404_same_for_missing_and_forbidden(api, world):
    api.as_("teacher")
    forbidden = api.get(f"/people/{world.people['other_student'].pk}")
    missing = api.get("/people/999999")

    assert_problem(forbidden, 404)
    assert_problem(missing, 404)
    assert {k: v for k, v in forbidden.json().items() if k != "instance"} == {
        k: v for k, v in missing.json().items() if k != "instance"
    }


def test_problem_403_for_action_not_allowed(api, world):
    response = api.as_("teacher").post(
        "/institutions", {"kind": "school", "full_name": "Школа № 9", "short_name": "Школа № 9"}
    )

    body = assert_problem(response, 403)
    assert body["title"] == "Forbidden"
    assert body["detail"] == "Only the registry managers of the municipality add institutions."


@pytest.mark.parametrize("path", ["/api/v1/nothing-here", "/api/v1/", "/api/v1/people/1/zzz"])
def test_problem_unknown_address_is_404(client, db, path):
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")

    assert_problem(response, 404)


def test_problem_wrong_method_is_405(api, world):
    response = api.as_("admin").call("PUT", "/institutions", {})

    body = assert_problem(response, 405)
    assert "PUT" in body["detail"]
    assert set(response["Allow"].split(", ")) == {"GET", "POST"}


def test_problem_follows_request_language(api, world):
    english = api.as_("anonymous").get("/me", lang="en")
    russian = api.get("/me", lang="ru")

    assert english["Content-Language"] == "en"
    assert russian["Content-Language"] == "ru"
    assert_problem(russian, 401)


# --- CSRF for the session -----------------------------------------------------------------


@pytest.fixture
def csrf_client(world):
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(world.users["director"])
    return client


def test_session_write_without_csrf_is_403(csrf_client, world):
    response = csrf_client.patch(
        f"/api/v1/institutions/{world.school.pk}",
        data='{"phones": "1"}',
        content_type="application/json",
    )

    body = assert_problem(response, 403)
    assert body["title"] == "Security check failed"
    world.school.refresh_from_db()
    assert world.school.phones != "1"


def test_session_write_with_csrf_works(csrf_client, world):
    token = _get_new_csrf_string()
    csrf_client.cookies["csrftoken"] = token

    response = csrf_client.patch(
        f"/api/v1/institutions/{world.school.pk}",
        data='{"phones": "1"}',
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )

    assert response.status_code == 200


def test_session_read_needs_no_csrf(csrf_client, world):
    assert csrf_client.get("/api/v1/me").status_code == 200


def test_session_login_for_token_needs_no_csrf(world):
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        "/api/v1/auth/token",
        data='{"username": "teacher", "password": "setka-test-pass"}',
        content_type="application/json",
    )

    assert response.status_code == 201
