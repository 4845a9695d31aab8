"""Helpers for the API tests: JSON calls as any role of the ``world``, in English."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.apps import apps

from tests.journal.conftest import jw  # noqa: F401 - the journal's school year, for the API tests

PROBLEM = "application/problem+json"

#: Every table an API write may touch: "nothing written" means none of them changed.
WRITTEN_MODELS = [
    "network.Institution",
    "network.Person",
    "network.Membership",
    "network.Guardianship",
    "network.MunicipalRole",
    "accounts.User",
    "accounts.ApiToken",
    "core.AuditEntry",
    "journal.Mark",
    "journal.Attendance",
    "journal.Homework",
    "journal.PeriodMark",
    "journal.Lesson",
]


class ApiClient:
    """``api.as_("director").post("/institutions/1/members", {...})`` → the response."""

    def __init__(self, client_for, client) -> None:
        self._client_for = client_for
        self.client = client

    def as_(self, role: str) -> ApiClient:
        self.client = self._client_for(role)
        return self

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        raw: str | None = None,
        lang: str = "en",
        **extra: Any,
    ):
        url = path if path.startswith("/api/") else f"/api/v1{path}"
        kwargs: dict[str, Any] = {"HTTP_ACCEPT_LANGUAGE": lang, **extra}
        if raw is not None:
            kwargs.update(data=raw, content_type="application/json")
        elif body is not None:
            kwargs.update(data=json.dumps(body), content_type="application/json")
        elif method != "GET":
            kwargs.update(data="", content_type="application/json")  # an empty body
        return getattr(self.client, method.lower())(url, **kwargs)

    def get(self, path: str, **kw: Any):
        return self.call("GET", path, **kw)

    def post(self, path: str, body: Any = None, **kw: Any):
        return self.call("POST", path, body, **kw)

    def patch(self, path: str, body: Any = None, **kw: Any):
        return self.call("PATCH", path, body, **kw)

    def put(self, path: str, body: Any = None, **kw: Any):
        return self.call("PUT", path, body, **kw)

    def delete(self, path: str, body: Any = None, **kw: Any):
        return self.call("DELETE", path, body, **kw)


@pytest.fixture
def api(client_for, client) -> ApiClient:
    return ApiClient(client_for, client)


def table_counts() -> dict[str, int]:
    return {label: apps.get_model(label).objects.count() for label in WRITTEN_MODELS}


def assert_problem(response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    assert body["type"] == "about:blank"
    assert body["title"]
    assert body["instance"] == response.wsgi_request.path
    return body


def error_fields(response) -> set[str | None]:
    return {e["field"] for e in response.json()["errors"]}
