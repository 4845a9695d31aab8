"""The OpenAPI schema is pinned: a change to the API must be deliberate.

After an intended change, refresh the snapshot and review its diff::

    SETKA_UPDATE_OPENAPI=1 SETKA_TESTING=1 .venv/bin/pytest tests/api/test_openapi.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from django.apps import apps

SNAPSHOT = Path(__file__).with_name("openapi.json")


def _dump(schema: dict) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def test_openapi_matches_snapshot(client, db):
    response = client.get("/api/v1/openapi.json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    current = _dump(response.json())

    if os.environ.get("SETKA_UPDATE_OPENAPI") == "1":
        SNAPSHOT.write_text(current, encoding="utf-8")
    assert SNAPSHOT.exists(), "no snapshot: run with SETKA_UPDATE_OPENAPI=1 once"
    assert current == SNAPSHOT.read_text(encoding="utf-8"), (
        "The OpenAPI schema changed. If that is intended, run with SETKA_UPDATE_OPENAPI=1 "
        "and commit tests/api/openapi.json."
    )


def test_openapi_is_the_same_in_every_language(client, db):
    english = client.get("/api/v1/openapi.json", HTTP_ACCEPT_LANGUAGE="en").json()
    russian = client.get("/api/v1/openapi.json", HTTP_ACCEPT_LANGUAGE="ru").json()

    assert english == russian


def test_openapi_documents_problems_and_security(client, db):
    schema = client.get("/api/v1/openapi.json").json()

    operations = [op for path in schema["paths"].values() for op in path.values()]
    assert all(op.get("summary") and op.get("description") for op in operations)
    domains = {app.label for app in apps.get_app_configs() if app.name.startswith("setka.")}
    assert all(len(op["tags"]) == 1 and op["tags"][0] in domains for op in operations)
    for op in operations:
        for code, response in op["responses"].items():
            if code.startswith("4"):
                assert list(response["content"]) == ["application/problem+json"]
    public = schema["paths"]["/api/v1/institutions"]["get"]["security"]
    assert {} in public  # no authentication needed
    assert "security" not in schema["paths"]["/api/v1/auth/token"]["post"]
    assert set(schema["components"]["securitySchemes"]) == {"TokenAuth", "SessionAuth"}


def _component_definitions() -> dict[str, dict[str, str]]:
    """Every schema the API's operations put into ``components/schemas``: name → {its JSON
    definition: an operation using it}. ninja builds each operation's schemas on their own
    and files them by class name, so two classes of one name silently replace each other."""
    from setka.config.api import api

    found: dict[str, dict[str, str]] = {}
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                models = [*operation.models, *operation.response_models.values()]
                for model in filter(None, models):
                    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
                    for name, definition in schema.get("$defs", {}).items():
                        view = operation.view_func
                        found.setdefault(name, {}).setdefault(
                            json.dumps(definition, sort_keys=True),
                            f"{view.__module__}.{view.__name__}",
                        )
    return found


def test_no_two_schemas_share_a_name():
    clashes = {
        name: sorted(users.values())
        for name, users in _component_definitions().items()
        if len(users) > 1
    }

    assert clashes == {}, (
        "Different schemas (or enums) of one class name: in /api/v1/openapi.json one replaces "
        "the other, and the answers of the other's operations no longer match it. Give one of "
        "each a distinct class name."
    )


def test_every_operation_with_input_documents_422(client, db):
    """Input (a path id, a query parameter, a body) can be invalid, and the answer is then a
    422 problem document: an operation that takes input must say so, or clients (and the
    fuzzer) meet an undocumented status."""
    schema = client.get("/api/v1/openapi.json").json()
    exempt = {("get", "/api/v1/certificates/{code}")}  # any text: unknown codes are a 404

    missing = [
        f"{method.upper()} {path}"
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if (operation.get("parameters") or operation.get("requestBody"))
        and "422" not in operation["responses"]
        and (method, path) not in exempt
    ]

    assert missing == []


def test_the_served_schema_has_no_duplicate_keys(client, db):
    """Swagger UI refuses a document with a key twice ("duplicated mapping key": /api/v1/docs
    then shows nothing); ``openapi_extra`` with "200" beside ninja's 200 wrote one."""
    twice: list[list[str]] = []

    def pairs(items):
        keys = [k for k, _ in items]
        if len(set(keys)) != len(keys):
            twice.append(keys)
        return dict(items)

    json.loads(client.get("/api/v1/openapi.json").content, object_pairs_hook=pairs)

    assert twice == []
