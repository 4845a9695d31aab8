"""Request bodies the API cannot read: ``multipart/form-data`` without a boundary answers a
422 problem (the API reads JSON), and a body over 10 MB (``DATA_UPLOAD_MAX_MEMORY_SIZE``) a
413 problem — never a 500."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client

from setka.accounts.services import token_create
from setka.config.api import api as setka_api

from .conftest import PROBLEM, assert_problem, table_counts

NO_BOUNDARY = "multipart/form-data"


def _body_operations() -> list[tuple[str, str]]:
    """(method, path) of every operation of the API that takes a body, ids as 1."""
    schema = setka_api.get_openapi_schema()
    return sorted(
        (method.upper(), re.sub(r"\{\w+\}", "1", path))
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if "requestBody" in operation
    )


def test_the_api_has_body_operations():
    assert ("POST", "/api/v1/auth/token") in _body_operations()
    assert ("POST", "/api/v1/journal/marks/batch") in _body_operations()


def test_token_with_multipart_without_boundary_is_422(world):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    before = table_counts()

    response = client.generic(
        "POST",
        "/api/v1/auth/token",
        b'{"username": "teacher", "password": "wrong"}',
        content_type=NO_BOUNDARY,
    )

    body = assert_problem(response, 422)
    assert body["errors"] == [
        {
            "field": None,
            "message": "The request body cannot be read: send JSON "
            "(Content-Type: application/json).",
            "code": "body_invalid",
        }
    ]
    assert table_counts() == before


@pytest.fixture
def token_header(world):
    _token, raw = token_create(actor=world.users["admin"], name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def session_client(world):
    """The signed-in admin's browser session, with the CSRF check on (it reads the form)."""
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(world.users["admin"])
    token = _get_new_csrf_string()
    client.cookies["csrftoken"] = token
    client.defaults["HTTP_X_CSRFTOKEN"] = token
    return client


@pytest.mark.parametrize(("method", "path"), _body_operations())
@pytest.mark.parametrize("auth", ["token", "session"])
def test_every_body_operation_refuses_multipart_without_boundary(
    world, token_header, session_client, method, path, auth
):
    client = session_client if auth == "session" else Client(HTTP_ACCEPT_LANGUAGE="en")
    extra = token_header if auth == "token" else {}
    before = table_counts()

    response = client.generic(method, path, b"{}", content_type=NO_BOUNDARY, **extra)

    assert 400 <= response.status_code < 500, response.content
    assert response["Content-Type"] == PROBLEM
    assert table_counts() == before


def _too_big() -> bytes:
    return b'{"a": "' + b"x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE + b'"}'


def test_body_over_10_mb_is_413(world):
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post(
        "/api/v1/auth/token", _too_big(), content_type="application/json"
    )

    body = assert_problem(response, 413)
    assert body["title"] == "Request too large"
    assert body["detail"] == "The request body is larger than 10 MB. Send less at a time."


def test_body_over_10_mb_is_413_for_a_signed_in_write(world, token_header, session_client):
    before = table_counts()

    with_token = Client(HTTP_ACCEPT_LANGUAGE="en").post(
        "/api/v1/journal/marks/batch", _too_big(), content_type="application/json", **token_header
    )
    with_session = session_client.post(
        "/api/v1/journal/marks/batch", _too_big(), content_type="application/json"
    )

    assert_problem(with_token, 413)
    assert_problem(with_session, 413)
    assert table_counts() == before


def test_body_over_10_mb_is_413_in_russian(world):
    response = Client(HTTP_ACCEPT_LANGUAGE="ru").post(
        "/api/v1/auth/token", _too_big(), content_type="application/json"
    )

    body = assert_problem(response, 413)
    assert body["title"] == "Слишком большой запрос"
    assert body["detail"] == "Тело запроса больше 10 МБ. Отправляйте меньше за раз."


@pytest.mark.parametrize(
    ("content_type", "body", "status"),
    [("application/json", _too_big(), 413), (NO_BOUNDARY, b"{}", 422)],
)
def test_a_body_read_after_the_guard_gets_the_same_answer(
    world, token_header, monkeypatch, content_type, body, status
):
    """Should a body reach an endpoint unchecked, reading it raises RequestDataTooBig or
    MultiPartParserError: the API's handlers answer them as the guard does."""
    monkeypatch.setattr("setka.config.api.request_guard", lambda api, request: None)

    response = Client(HTTP_ACCEPT_LANGUAGE="en").generic(
        "POST", "/api/v1/auth/token", body, content_type=content_type
    )

    assert_problem(response, status)
